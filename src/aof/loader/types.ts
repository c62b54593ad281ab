// The AOF loader's contract: configuration, dependencies and results as values.
// redis: aof.c loadAppendOnlyFiles / loadSingleAppendOnlyFile (7.0.15) and loadAppendOnlyFile
// (4.0.14); load results AOF_OK / AOF_NOT_EXIST / AOF_EMPTY / AOF_OPEN_ERR / AOF_FAILED /
// AOF_TRUNCATED become LoadStatus.
//
// Invariants: a load never throws for anything a file can contain (every outcome is a LoadResult;
// only broken invariants of the caller, e.g. an executor that throws, escape); `truncations` lists
// every truncate(2) the loader performed (modify: true) or that Redis would perform (modify: false),
// in order; sizes are the sizes before any truncation, as Redis computes them.

import type { CommandExecutor } from '../../commands/types.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Fs } from '../../ports/fs.ts';
import type { Log } from '../../ports/log.ts';
import type { AofEventListener } from '../../ports/events.ts';
import type { AofError } from '../../base/errors.ts';
import type { Manifest } from '../manifest/index.ts';
import type { RdbLoadEvents } from '../../rdb/load-rdb.ts';

export type LoadStatus = 'ok' | 'not-exist' | 'empty' | 'truncated' | 'failed' | 'open-err';

/**
 * 'single-file': 4.0's layout, `dir/appendonly.aof` (optionally with an RDB preamble), loaded
 * with Redis 4.0's rules. 'multi-part': Redis 7.x `dir/appenddirname/` with a manifest.
 */
export type AofLayout = 'single-file' | 'multi-part';

/** Which Redis generation's byte rules and wording loadSingleAppendOnlyFile follows. */
export type LoaderDialect = 'redis-4.0' | 'redis-7.0';

export interface LoaderConfig {
  /** Redis's working directory (`dir`). */
  dir: string;
  /** `appendfilename`, default 'appendonly.aof'. */
  appendFilename: string;
  /** `appenddirname`, default 'appendonlydir' (multi-part only). */
  appendDirname: string;
  /** `aof-load-truncated`. */
  loadTruncated: boolean;
  layout: AofLayout;
  /**
   * Do not look for an old-style `dir/appendFilename` to upgrade (used when `dir` is not really
   * Redis's dir, e.g. `aofsim dump` pointed straight at a directory holding a manifest).
   */
  ignoreLegacyFile?: boolean;
}

/**
 * Loads an RDB (a preamble or an RDB BASE) from `bytes` into the keyspace the executor works on.
 * Returns the offset just after the RDB (where a RESP tail may start). Throws AofError
 * AOF_RDB_CORRUPT (with Redis's reason) when the RDB is bad or short.
 */
export type RdbPreambleLoader = (bytes: Uint8Array, fileName: string, opts?: RdbPreambleOptions) => number;

export interface RdbPreambleOptions {
  /** The newest RDB version the modelled Redis reads (redis: RDB_VERSION; 8 in 4.0, 10 in 7.0). */
  maxVersion?: number;
  /** Told of the aux fields, empty keys and the end, for Redis's log lines (src/persistence/rdb-load-log.ts). */
  events?: RdbLoadEvents;
}

/** Loader switches that reproduce historical Redis behaviour (all off = fixed behaviour). */
export type LoaderBug =
  /** docs/redis-bugs.md#bug-22: a short read inside a record in an open MULTI cuts only the partial record (Redis 7.0). */
  | 'multi-tail-truncate'
  /** docs/redis-bugs.md#bug-7: EOF in an open MULTI keeps the MULTI and its queued commands (Redis <= 4.0.11). */
  | 'incomplete-multi-applied'
  /** docs/redis-bugs.md#bug-9: an RDB failure is handled like a short read (Redis 7.0.x: truncate and load). */
  | 'truncated-rdb-as-short-read'
  /** docs/redis-bugs.md#bug-23: an empty last INCR makes the whole load report 'empty'. */
  | 'empty-last-incr'
  /** docs/redis-bugs.md#bug-10: a truncated non-last file is physically truncated before the load fails. */
  | 'truncate-non-last-file'
  /**
   * Redis 7.0.15 (observed; not in docs/redis-bugs.md): valid_up_to starts at 0 even after an RDB
   * preamble, so a short first tail command truncates the whole file to 0 bytes, RDB part included.
   */
  | 'preamble-cut-to-zero';

export interface LoaderDeps {
  fs: Fs;
  log: Log;
  /** The driver's event listener (ServerDeps.events), when it has one. */
  events?: AofEventListener;
  /** Runs each command for the AOF-loading fake client. */
  executor: CommandExecutor;
  /** true: do to the files what Redis does (truncate, legacy upgrade). false: never touch a file. */
  modify: boolean;
  /** Loads RDB preambles and RDB bases; when absent they fail with AOF_RDB_UNSUPPORTED. */
  rdb?: RdbPreambleLoader;
  /** For the "%.3f seconds" log lines; when absent they say 0.000. */
  clock?: Clock;
  /** Historical bug switches (see LoaderBug); unknown names are ignored here. */
  bugs?: ReadonlySet<string>;
  /** Bytes per read(); default 4 MiB. */
  chunkBytes?: number;
}

/** A truncate(2) the loader did (performed) or Redis would do (not performed, modify: false). */
export interface Truncation {
  /** The name Redis logs (manifest entry or appendfilename). */
  file: string;
  path: string;
  fromSize: number;
  toSize: number;
  performed: boolean;
}

/**
 * A command that replied, while loading, with an error Redis would not give (an unsupported
 * command, a script feature aofsim lacks: Reply.unreproduced). Redis would have run it, so the
 * loaded state is not Redis's: every tool that reports a load must fail on it.
 */
export interface UnreproducedCommand {
  /** The name Redis logs (manifest entry or appendfilename). */
  file: string;
  /** Offset of the command's record in the file (the queued command's own record inside MULTI). */
  offset: number;
  /** The command name as written in the file. */
  command: string;
  /** The error text aofsim replied with. */
  reason: string;
}

/** At most this many UnreproducedCommand entries are kept per load; `unreproducedCount` counts all. */
export const MAX_UNREPRODUCED = 20;

/** What happened to one file. */
export interface FileLoad {
  file: string;
  path: string;
  status: LoadStatus;
  /** Commands read and executed or queued (annotations not counted). */
  commands: number;
  sizeBytes: number;
  /** Offset after the last complete command (redis: valid_up_to). */
  validUpTo: number;
}

export interface LoadResult {
  status: LoadStatus;
  /** Why the load failed ('failed' | 'open-err'). */
  error?: AofError;
  truncations: Truncation[];
  /** redis: aof_current_size after load (sum of BASE + INCR sizes before truncation; 0 unless ok/truncated). */
  currentSizeBytes: number;
  /** redis: aof_rewrite_base_size after load (BASE size; 0 unless ok/truncated). */
  baseSizeBytes: number;
  /** The manifest in effect (multi-part), after a legacy upgrade if one happened or would happen. */
  manifest: Manifest | null;
  /** Set when the legacy upgrade of docs/redis-behaviour.md#legacy-upgrade ran (performed) or would run (not performed). */
  upgrade?: { from: string; to: string; performed: boolean };
  files: FileLoad[];
  /** Human notes on deliberate differences from Redis 7.0.15 that mattered for this load. */
  notes: string[];
  /**
   * Set when the load stopped on a command Redis 7.0 has but the executor does not implement:
   * the failure is aofsim's, Redis would go on loading.
   */
  unsupportedCommand?: string;
  /**
   * Commands that replied with an error Redis would not give (see UnreproducedCommand), in load
   * order, at most MAX_UNREPRODUCED; the load went on past them as Redis would. Empty when the
   * loaded state is what Redis would load (as far as aofsim can tell).
   */
  unreproduced: UnreproducedCommand[];
  /** How many commands were unreproduced in all (may exceed unreproduced.length). */
  unreproducedCount: number;
}
