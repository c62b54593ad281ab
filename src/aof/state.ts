// The runtime AOF state of one server: Redis's `server.aof_*` fields (redis: server.h struct
// redisServer, 4.0 and 7.0), one camelCase field each, plus the function-level statics of aof.c
// that Redis keeps in C `static` variables (turned into fields: no module-level state here).
//
// Ownership: the writer (src/aof/writer) and feed (src/aof/feed) own the write-path fields; the
// background rewrite (src/aof/rewrite, both profiles) owns the rewrite fields marked (rewrite); the
// server (src/server.ts) owns startup/toggle fields. Anything may read anything.
//
// Invariants:
// - aofState 'on' => aofFd !== null. 'off' normally has aofFd === null, except after a 7.0
//   startAppendOnly whose fork failed (Redis leaves the temp INCR fd open; the next start closes it).
//   7.0 WAIT_REWRITE has the temp INCR open only while a child runs; 4.0 WAIT_REWRITE has the file open.
// - aofBuf holds bytes fed but not yet written (latin1 byte string); after a successful write it is ''.
// - redis-7.0: aofLastIncrFsyncOffset <= aofLastIncrSize (the bytes of the current INCR written so
//   far); redis-4.0: aofFsyncOffset <= aofCurrentSize (5.0.5+ aof_fsync_offset, single file).
// - Time fields in whole seconds (unixtime, `S` suffix) are compared as Redis 4.0-7.2 does; `Ms`
//   fields are mstime().

import type { Bytes } from '../keyspace/types.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import { joinPath, type FileHandle, type Fs, type FsErrorCode } from '../ports/fs.ts';
import type { Clock } from '../ports/clock.ts';
import type { Log } from '../ports/log.ts';
import type { Random } from '../ports/random.ts';
import type { AofEventListener } from '../ports/events.ts';
import type { Tasks } from '../ports/tasks.ts';
import type { Manifest } from './manifest/types.ts';
import type { AofConfig } from './config.ts';
import { newRedis40RewriteState, newRedis70RewriteState } from './rewrite/generation-state.ts';
import type { Redis40RewriteState, Redis70RewriteState } from './rewrite/generation-state.ts';

/** redis: AOF_OFF / AOF_ON / AOF_WAIT_REWRITE. */
export type AofStatus = 'off' | 'on' | 'wait-rewrite';

/** redis: C_OK / C_ERR as a status. */
export type OkErr = 'ok' | 'err';

export interface AofState {
  // ---- write path --------------------------------------------------------------------------
  /** aof_state. */
  aofState: AofStatus;
  /** aof_fd (-1 -> null). 7.0: the INCR being written (or the temp INCR in WAIT_REWRITE). */
  aofFd: FileHandle | null;
  /** Path aofFd was opened with (for logs), or null. */
  aofFdPath: string | null;
  /** aof_selected_db: db of the last fed command; -1 forces a SELECT. */
  aofSelectedDb: number;
  /** aof_buf: fed bytes not yet written. */
  aofBuf: Bytes;
  /** aof_current_size: 4.0 the file size; 7.0 BASE + all INCRs. */
  aofCurrentSize: number;
  /** aof_rewrite_base_size: size after the last load or rewrite (auto-rewrite growth base). */
  aofRewriteBaseSize: number;
  /** 7.0 aof_last_incr_size: bytes written to the current INCR. */
  aofLastIncrSize: number;
  /** 7.0 aof_last_incr_fsync_offset: aofLastIncrSize at the last fsync (or bio fsync submission). */
  aofLastIncrFsyncOffset: number;
  /** 5.0.5+ aof_fsync_offset (profile redis-4.0 with the tail-fsync fix): aofCurrentSize at the last fsync. */
  aofFsyncOffset: number;
  /** aof_last_fsync: unixtime of the last fsync or bio fsync submission. */
  aofLastFsyncS: number;
  /** aof_flush_postponed_start: unixtime a postponed everysec flush started; 0 = none. */
  aofFlushPostponedStartS: number;
  /** aof_delayed_fsync: flushes written while a bio fsync was still pending (after 2 s). */
  aofDelayedFsync: number;
  /** redis: aof_flush_sleep (DEBUG AOF-FLUSH-SLEEP, microseconds slept before each AOF write; 0 = off). */
  aofFlushSleepUs: number;
  /** aof_last_write_status. */
  aofLastWriteStatus: OkErr;
  /** aof_last_write_errno (null = 0). */
  aofLastWriteErrno: FsErrorCode | null;
  /** 6.2+ aof_bio_fsync_status: set by a failing/succeeding bio fsync. */
  aofBioFsyncStatus: OkErr;
  /** 6.2+ aof_bio_fsync_errno. */
  aofBioFsyncErrno: FsErrorCode | null;
  /** flushAppendOnlyFile's static last_write_error_log (unixtime; rate limit AOF_WRITE_LOG_ERROR_RATE). */
  aofLastWriteErrorLogS: number;
  /** 7.0 aof_cur_timestamp: unixtime of the last `#TS:` annotation. */
  aofCurTimestamp: number;

  // ---- rewrite bookkeeping (server + rewrite) -------------------------------------------------
  /** aof_rewrite_scheduled. */
  aofRewriteScheduled: boolean;
  /** aof_child_pid (7.0: child_pid with child_type CHILD_TYPE_AOF); -1 = none. */
  aofChildPid: number;
  /** rdb_child_pid; -1 = none. aofsim has no BGSAVE: stays -1 unless a driver models one. */
  rdbChildPid: number;
  /** 7.0 stat_current_save_keys_total: keys in the dataset when the running child forked (0 = none). */
  statCurrentSaveKeysTotal: number;
  /** aof_rewrite_time_start: mstime() the running rewrite started (-1 = none). */
  aofRewriteTimeStartMs: number;
  /** aof_rewrite_time_last: duration of the last rewrite (ms; -1 = none). */
  aofRewriteTimeLastMs: number;
  /** aof_lastbgrewrite_status. */
  aofLastBgrewriteStatus: OkErr;
  /** 7.0 stat_aofrw_consecutive_failures. */
  statAofrwConsecutiveFailures: number;
  /** 7.0 aofRewriteLimited's static next_delay_minutes. */
  aofRewriteLimitDelayMinutes: number;
  /** 7.0 aofRewriteLimited's static next_rewrite_time (unixtime; 0 = none). */
  aofRewriteLimitNextTimeS: number;
  /** stat_aof_rewrites: background rewrites started. */
  statAofRewrites: number;
  /** 7.0 aof_manifest (null for profile redis-4.0). */
  manifest: Manifest | null;

  // ---- per-generation rewrite state (rewrite; see rewrite/generation-state.ts) -----------------
  /** 4.0: rewrite buffer and pipes. Written only by the redis-4.0 rewrite strategy. */
  readonly redis40: Redis40RewriteState;
  /** 7.0: temp INCR bookkeeping. Written only by the redis-7.0 rewrite strategy. */
  readonly redis70: Redis70RewriteState;

  // ---- counters for INFO and tests --------------------------------------------------------
  /** Bytes written by flushAppendOnlyFile (all files). */
  statAofWrittenBytes: number;
  /** fsyncs issued by the main thread (always) and bio fsync submissions (everysec). */
  statAofFsyncs: number;
}

/** The state of a server before startup (redis: initServerConfig + initServer). */
export function newAofState(): AofState {
  return {
    aofState: 'off',
    aofFd: null,
    aofFdPath: null,
    aofSelectedDb: -1,
    aofBuf: '',
    aofCurrentSize: 0,
    aofRewriteBaseSize: 0,
    aofLastIncrSize: 0,
    aofLastIncrFsyncOffset: 0,
    aofFsyncOffset: 0,
    aofLastFsyncS: 0,
    aofFlushPostponedStartS: 0,
    aofDelayedFsync: 0,
    aofFlushSleepUs: 0,
    aofLastWriteStatus: 'ok',
    aofLastWriteErrno: null,
    aofBioFsyncStatus: 'ok',
    aofBioFsyncErrno: null,
    aofLastWriteErrorLogS: 0,
    aofCurTimestamp: 0,
    aofRewriteScheduled: false,
    aofChildPid: -1,
    rdbChildPid: -1,
    statCurrentSaveKeysTotal: 0,
    aofRewriteTimeStartMs: -1,
    aofRewriteTimeLastMs: -1,
    aofLastBgrewriteStatus: 'ok',
    statAofrwConsecutiveFailures: 0,
    aofRewriteLimitDelayMinutes: 0,
    aofRewriteLimitNextTimeS: 0,
    statAofRewrites: 0,
    manifest: null,
    redis40: newRedis40RewriteState(),
    redis70: newRedis70RewriteState(),
    statAofWrittenBytes: 0,
    statAofFsyncs: 0,
  };
}

/** redis: hasActiveChildProcess (4.0: aof_child_pid != -1 || rdb_child_pid != -1). */
export function hasActiveChild(s: AofState): boolean {
  return s.aofChildPid !== -1 || s.rdbChildPid !== -1;
}

/** redis: aofRewriteBufferSize: bytes accumulated in 4.0's rewrite buffer. */
export function aofRewriteBufferSize(s: AofState): number {
  let n = 0;
  for (const b of s.redis40.aofRewriteBufBlocks) n += b.length;
  return n;
}

/**
 * Everything the AOF functions of one server share (redis: the global `server` as far as aof.c
 * reads it). The server builds one; writer, feed and rewrite functions take it as first argument.
 */
export interface AofContext {
  readonly config: AofConfig;
  readonly state: AofState;
  readonly keyspace: Keyspace;
  readonly fs: Fs;
  readonly clock: Clock;
  readonly tasks: Tasks;
  readonly log: Log;
  readonly random: Random;
  /** The driver's event listener (ServerDeps.events), when it has one. */
  readonly events?: AofEventListener;
}

/**
 * 4.0: the single AOF file, `dir/appendfilename`. Redis opens the bare name after chdir(dir), so an
 * empty name (4.0.14 takes one) opens "", which is ENOENT wherever dir is, not `dir/` itself.
 */
export function aofFilePath(cfg: Pick<AofConfig, 'dir' | 'appendfilename'>): string {
  return cfg.appendfilename === '' ? '' : joinPath(cfg.dir, cfg.appendfilename);
}

/** 7.0: the AOF directory, `dir/appenddirname`. */
export function aofDirPath(cfg: Pick<AofConfig, 'dir' | 'appenddirname'>): string {
  return joinPath(cfg.dir, cfg.appenddirname);
}
