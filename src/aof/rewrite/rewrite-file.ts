// The rewrite of the whole dataset into one file, as the 7.x child (and the synchronous BASE
// creation at server start) does it. redis: aof.c rewriteAppendOnlyFile (7.0):
//   open temp-rewriteaof-<pid>.aof (O_WRONLY|O_CREAT|O_TRUNC) in `dir` -> RDB body (aux aof-base) or
//   RESP commands (rewriteAppendOnlyFileRio; forced `#TS:` when aof-timestamp-enabled) -> with
//   aof-rewrite-incremental-fsync an fsync every 4 MB (REDIS_AUTOSYNC_BYTES) -> fflush + fsync +
//   fclose -> rename(temp, target).
// Order of syscalls checked against fixtures/redis-7.0.15/strace/rewrite-*.txt.
// FAULT: any I/O error -> "Write error writing append only file on disk: %s", the temp file is
// unlinked, result 1. A failed rename -> "Error moving temp append only file on the final
// destination: %s", temp unlinked, result 1.
// A generator so a child can yield between chunks; runSync() drives it to the end in-process.

import type { Fs, FileHandle } from '../../ports/fs.ts';
import { isFsError, joinPath } from '../../ports/fs.ts';
import type { Log } from '../../ports/log.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ChildYield } from '../../ports/tasks.ts';
import type { Keyspace } from '../../keyspace/keyspace.ts';
import type { Bytes } from '../../keyspace/types.ts';
import type { Profile } from '../../base/profile.ts';
import { rewriteAppendOnlyFileRio } from './emit.ts';
import type { RdbBodyEncoder } from './rdb-body.ts';
import type { ScoreFormat } from '../../keyspace/score-format.ts';
import { chunkBytes, writeAll } from './write-all.ts';

/** redis: REDIS_AUTOSYNC_BYTES (7.0). */
export const AUTOSYNC_BYTES_V7 = 4 * 1024 * 1024;

/** Largest single write of the body (RDB bodies arrive whole). */
const BODY_SLICE_BYTES = 1024 * 1024;

export interface RewriteFileParams {
  fs: Fs;
  log: Log;
  /** Server dir (redis: the cwd): where temp-rewriteaof-<pid>.aof lives. */
  dir: string;
  snapshot: Keyspace;
  profile: Profile;
  /**
   * mstime() right after the fork: the expiry check of redis-4.0 (docs/redis-bugs.md#bug-15) judges by it,
   * however late a scheduler runs the child.
   */
  nowMs: number;
  /** When given, the RDB body's ctime is read from it when the child writes the body. */
  clock?: Clock;
  /** aof-use-rdb-preamble: RDB body via `encodeRdb` (required then). */
  useRdb: boolean;
  encodeRdb?: RdbBodyEncoder;
  /** aof-rewrite-incremental-fsync. */
  incrementalFsync: boolean;
  /** aof-timestamp-enabled: unix seconds for the forced `#TS:` of a RESP body; null: none. */
  timestampS: number | null;
  scoreFormat?: ScoreFormat;
  /** See RewriteEmitOptions.skipExpired. */
  skipExpired?: boolean;
  /** Called after each key written, RESP or RDB body (a child process's progress and rdb-key-save-delay). */
  onKey?: () => void;
}

export function tempRewriteName(pid: number): string {
  return `temp-rewriteaof-${pid}.aof`;
}

export function tempRewriteBgName(pid: number): string {
  return `temp-rewriteaof-bg-${pid}.aof`;
}

/** The body's chunks: RDB (aux given) or RESP. */
export function rewriteBody(p: RewriteFileParams, rdbAux: 'aof-preamble' | 'aof-base', chunkSize: number): Iterable<Bytes | Uint8Array> {
  if (p.useRdb) {
    if (!p.encodeRdb) throw new Error('aof-use-rdb-preamble yes needs an RDB encoder (RewriteFileParams.encodeRdb)');
    return p.encodeRdb(p.snapshot, rdbAux, p.clock ? p.clock.nowMs() : p.nowMs, p.onKey);
  }
  return rewriteAppendOnlyFileRio(p.snapshot, {
    profile: p.profile,
    // The child reads mstime() once, right after the fork (redis: rewriteAppendOnlyFileRio's `now`).
    nowMs: p.nowMs,
    timestampS: p.timestampS,
    scoreFormat: p.scoreFormat,
    skipExpired: p.skipExpired,
    chunkBytes: chunkSize,
    onKey: p.onKey,
  });
}

/**
 * redis: rewriteAppendOnlyFile (7.0). Writes temp-rewriteaof-<pid>.aof in p.dir, then renames it
 * to `targetPath`. Returns 0 on success, 1 on failure (the exit code of a child).
 */
export function* rewriteAppendOnlyFile(p: RewriteFileParams, pid: number, targetPath: string): Generator<ChildYield, number, void> {
  const tmpPath = joinPath(p.dir, tempRewriteName(pid));
  let fh: FileHandle;
  try {
    fh = p.fs.open(tmpPath, 'create-truncate');
  } catch (e) {
    if (!isFsError(e)) throw e;
    p.log.log('warning', `Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${e.strerror}`);
    return 1;
  }
  try {
    let written = 0;
    let synced = 0;
    for (const chunk of rewriteBody(p, 'aof-base', 65536)) {
      const whole = chunkBytes(chunk);
      // An RDB body comes as one array: cut it so the 4 MB autosync happens where Redis's does.
      for (let off = 0; off < whole.length; off += BODY_SLICE_BYTES) {
        const b = whole.length <= BODY_SLICE_BYTES ? whole : whole.subarray(off, off + BODY_SLICE_BYTES);
        writeAll(fh, b);
        written += b.length;
        if (p.incrementalFsync && written - synced >= AUTOSYNC_BYTES_V7) {
          fh.fsync();
          p.log.mark('rewrite.child.autosync');
          synced = written;
        }
        yield { kind: 'work' };
      }
    }
    fh.fsync();
    fh.close();
  } catch (e) {
    if (!isFsError(e)) throw e;
    p.log.mark('rewrite.child.write-error');
    p.log.log('warning', `Write error writing append only file on disk: ${e.strerror}`);
    closeQuietly(fh);
    unlinkQuietly(p.fs, tmpPath);
    return 1;
  }
  try {
    p.fs.rename(tmpPath, targetPath);
  } catch (e) {
    if (!isFsError(e)) throw e;
    p.log.log('warning', `Error moving temp append only file on the final destination: ${e.strerror}`);
    unlinkQuietly(p.fs, tmpPath);
    return 1;
  }
  return 0;
}

/** Drives a child-style generator to its end in the calling process (redis: a direct call). */
export function runSync(gen: Generator<ChildYield, number, void>): number {
  let r = gen.next();
  while (!r.done) r = gen.next();
  return r.value;
}

export function closeQuietly(fh: FileHandle): void {
  try {
    fh.close();
  } catch {
    // FAULT: fclose errors on the failure path are ignored, as in Redis.
  }
}

export function unlinkQuietly(fs: Fs, path: string): void {
  try {
    fs.unlink(path);
  } catch {
    // FAULT: unlink of a temp file that is already gone is not an error (ENOENT in the strace).
  }
}
