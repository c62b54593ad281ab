// The scenario file format (`*.scenario.json`, docs/formats.md): one deterministic run of the
// simulated world, written by hand for a Redis bug or behaviour, or by a failing property.
//
// {
//   "name": "short-write-then-ftruncate",
//   "source": "redis/redis#587; seed aof.c flushAppendOnlyFile",   // where the behaviour comes from
//   "description": "...",                                          // optional, free text
//   "profile": "redis-4.0" | "redis-7.0",
//   "config": { "appendonly": "yes", "appendfsync": "everysec" },  // redis.conf names and values
//   "bugs": ["no-ftruncate-short-write"],                          // bug switches (docs/redis-bugs.md)
//   "seed": 1,
//   "startMs": 1700000000000,                                      // optional virtual start time
//   "files": { "appendonly.aof": "*1\r\n..." },                    // optional files present before start
//   "faults": [ ...FaultPlan faults (sim/faults/fault-plan.ts) ],
//   "steps": [ ...Step ],
//   "expect": { ...Expectations }                                  // optional, checked after the steps
// }
//
// Paths in `files`, `crash.files` and `expect.files` are relative to the server's `dir`
// (default /data) unless absolute. Replies are written as redis-cli prints them (sim/world/reply-
// text.ts): `OK`, `(integer) 1`, `"value"`, `(nil)`, `(error) MISCONF ...`; `null` means "no reply"
// (the connection closed: the process exited or crashed first); `{"startsWith": "..."}` matches a
// prefix.

import type { Fault } from '../faults/fault-plan.ts';
import type { CrashModelName } from '../crash/crash-decision.ts';
import type { Profile } from '../../src/base/profile.ts';
import type { CoverageMark } from '../../src/ports/coverage-marks.ts';
import type { CrashPointName } from '../faults/crash-points.ts';
import type { OracleCheck } from '../oracle/checks.ts';

export type ReplyExpectation = string | null | { startsWith: string };

export interface CommandsStep {
  /** Commands sent by one client; each waits for its reply unless `pipeline`. */
  commands: string[][];
  client?: number;
  pipeline?: boolean;
  /** Expected replies, one per command. */
  replies?: ReplyExpectation[];
  /** Virtual ms to wait for the replies (default 10000). */
  timeoutMs?: number;
}

export interface TickStep {
  /** Advance virtual time by this many ms, running everything due (cron, bio jobs, the child). */
  tick: number;
}

export interface ClockJumpStep {
  /**
   * Steps the server's wall clock (mstime(), what TTLs and unixtime read) by this many ms,
   * negative = backwards, as an NTP step would; virtual time and timers go on undisturbed.
   */
  clockJump: number;
}

export interface RewriteStep {
  /** Send BGREWRITEAOF (its reply may be checked with `reply`). */
  rewrite: true | { reply?: ReplyExpectation; client?: number };
}

export interface WaitForRewriteStep {
  /** Run until the rewrite child exited and a serverCron reaped it (or timeoutMs passed: failure). */
  waitForRewrite: true | { timeoutMs?: number };
}

/**
 * A crash now. `files` and `dirs` as in sim/crash/crash-decision.ts, keyed by path (relative to
 * dir) or inode number. Power-loss models without `files` draw a decision from the seed.
 */
export interface CrashStep {
  crash: {
    model: CrashModelName;
    sectorBytes?: number;
    files?: Record<string, unknown>;
    dirs?: Record<string, number>;
    /** Draw the surviving parts from the seed's crash stream (default when files is absent). */
    random?: boolean;
  };
}

/**
 * Arms a crash that fires later, exactly when the code reaches a named point (its nth time) or
 * right after syscall `atOp`, with this decision (paths resolved at that moment). Named points:
 * CrashPointName of sim/faults/crash-points.ts (e.g. 'rewrite-child-exited', 'manifest-renamed',
 * an event kind of src/ports/events.ts such as 'rewrite-switched', `after:<syscall>:<basename>`).
 */
export interface CrashAtStep {
  crashAt: CrashStep['crash'] & { point?: CrashPointName; nth?: number; atOp?: number };
}

export interface RestartStep {
  restart: true | { load?: 'ok' | 'exited' };
}

export interface QuotaStep {
  /** Sets the disk quota in bytes from now on; null frees the space. */
  quota: number | null;
}

export interface ExpectStep {
  expect: Expectations;
}

export type Step = CommandsStep | TickStep | ClockJumpStep | RewriteStep | WaitForRewriteStep | CrashStep | CrashAtStep | RestartStep | QuotaStep | ExpectStep;

export interface Expectations {
  /** String values of db 0 at the current virtual time (expired keys are absent); null = absent. */
  keys?: Record<string, string | null>;
  /** Canonical dump (docs/formats.md) of the live server at the current virtual time, exactly. */
  dump?: { dbs: Record<string, unknown[]> };
  /** Only these entries must be present in the dump (others may exist too). */
  dumpContains?: { dbs: Record<string, unknown[]> };
  /** Outcome of the last start: 'ok' or 'exited'. */
  load?: 'ok' | 'exited';
  /** The process state now. */
  process?: 'running' | 'exited' | 'crashed' | 'down';
  /** The last process exited by itself with this code (or `false`: no process ever exited). */
  exited?: { code?: number; reason?: string } | false;
  /** Substrings that must appear in log lines (any incarnation). */
  log?: string[];
  /** Substrings that must not appear in any log line. */
  logAbsent?: string[];
  /** Visible file sizes in bytes (null: the file must not exist). */
  files?: Record<string, number | null>;
  /** Coverage marks: n >= 1 must have been reached at least n times; 0 must never have been reached. */
  marks?: Partial<Record<CoverageMark, number>>;
  /** Files (visible) whose content must contain these latin1 substrings. */
  fileContains?: Record<string, string[]>;
}

export interface Scenario {
  name: string;
  source: string;
  description?: string;
  profile: Profile;
  config: Record<string, string | number | boolean>;
  bugs: string[];
  seed: number;
  startMs?: number;
  files?: Record<string, string>;
  faults: Fault[];
  steps: Step[];
  expect?: Expectations;
  /**
   * Check the recovery oracle (ARCHITECTURE.md#the-oracle) and the campaign's invariants while the steps run
   * (sim/oracle/tracker.ts): `true` for all, or a list of check names. Every violation is
   * a failure at `$.oracle`. Scenarios written by a failing property carry this.
   */
  oracle?: true | OracleCheck[];
}
