// Values the checker (aofsim's redis-check-aof) takes and returns.
// Invariant: a CheckReport holds everything redis-check-aof would have printed, in order, plus
// aofsim's own lines (prefixed `aofsim: `), the exit code, and every truncation it performed.

/**
 * Checks the RDB part of a preamble AOF or RDB BASE (redis: redis_check_rdb_main on the AOF's FILE*):
 * where the RDB ends and redis-check-rdb's report lines. The default is src/rdb checkRdb.
 */
export type RdbPreambleChecker = (
  data: Uint8Array,
  fileName: string,
) => { ok: true; endOffset: number; lines: string[] } | { ok: false; lines: string[] };

export interface CheckOptions {
  /** `--fix`: truncate the last file at ok_up_to after confirmation. */
  fix?: boolean;
  /**
   * `--truncate-to-timestamp T` as given on the command line (parsed with strtol semantics);
   * '0' behaves as if the option were absent, as in redis-check-aof.
   */
  truncateToTimestamp?: string;
  /**
   * Answers `Continue? [y/N]: ` (the first line read from stdin, or null at EOF). Default: null
   * (so --fix without an answer aborts, as redis-check-aof does with stdin at EOF).
   */
  confirm?: () => string | null;
  /** Called with each output line as soon as it is known (the CLI streams them). */
  onLine?: (line: string) => void;
  /** Replaces the RDB check (default: src/rdb checkRdb). */
  rdbChecker?: RdbPreambleChecker;
  /** "now" for redis-check-rdb's "already expired" count (Unix ms; default 0: none counted). */
  nowMs?: number;
  /**
   * Files larger than this are read through a window of this many bytes instead of whole
   * (default 64 MiB). Tests set it tiny to drive the window code.
   */
  windowBytes?: number;
}

export interface CheckFix {
  /** Path of the truncated file. */
  path: string;
  fromBytes: number;
  toBytes: number;
  reason: 'fix' | 'timestamp';
}

export interface CheckReport {
  /** stdout lines, without newlines. The prompt `Continue? [y/N]: ` is a line of its own. */
  lines: string[];
  exitCode: 0 | 1;
  fixes: CheckFix[];
}

/** The prompt redis-check-aof prints before truncating (no newline in Redis). */
export const CONFIRM_PROMPT = 'Continue? [y/N]: ';
