// The names of the invariants the campaign checks (sim/oracle/tracker.ts) and their time
// bounds. Plain data: scenario files list them in `oracle`, properties select a subset.

/** Invariants the tracker can check; a scenario / property selects a subset. */
export type OracleCheck =
  /** Recovered state = S_k with kMin <= k <= kExecuted after every restart; the load succeeds. */
  | 'recovery'
  /** everysec power loss: nothing executed more than ~2 s before the crash is lost (latency < 1 s). */
  | 'everysec-bound'
  /** At each rewrite switch (4.0 rename, 7.0 manifest swap) the current files load to the live state. */
  | 'rewrite-switch'
  /** After a process kill / self-exit between steps, the AOF has no partial record (loader: no truncation). */
  | 'no-garbage'
  /** MISCONF is not returned more than MISCONF_CLEAR_MS after the last injected fault. */
  | 'misconf-clears'
  /** A postponed everysec flush is written within the 2 s window; aof_delayed_fsync counts it. */
  | 'postpone-window'
  /** everysec: an fsync starts at least once a second while the file has unsynced bytes and none runs. */
  | 'fsync-cadence'
  /** 7.0 starts exactly when no INCR but the last is torn (else AOF_NOT_LAST_FILE). */
  | 'start-decision'
  /** appendonly no: a restart loads exactly one snapshot the disk can hold (sim/oracle/checkers/rdb-snapshot.ts). */
  | 'rdb-snapshot'
  /** A requested rewrite or AOF enable happens, or a fault explains why not (sim/oracle/checkers/rewrite-liveness.ts). */
  | 'rewrite-liveness';

export const ORACLE_CHECKS: readonly OracleCheck[] = ['recovery', 'everysec-bound', 'rewrite-switch', 'no-garbage', 'misconf-clears', 'postpone-window', 'fsync-cadence', 'start-decision', 'rdb-snapshot', 'rewrite-liveness'];

/** "About 2 s": unixtime-second granularity of aof_last_fsync (up to 1 s) + 1 s of fsync + cron slack. */
export const EVERYSEC_BOUND_MS = 3200;
/** The 2 s postpone window, measured in whole seconds by Redis: up to 3 s in ms, plus a cron period. */
export const POSTPONE_LIMIT_MS = 3200;
/** A write error is retried at the next serverCron; MISCONF must be gone a few seconds after faults stop. */
export const MISCONF_CLEAR_MS = 3500;
