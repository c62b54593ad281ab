// Writing dump.rdb: the body of SAVE, of the BGSAVE child, of DEBUG RELOAD and of the final save at
// shutdown. redis: rdb.c rdbSave (7.0.15; 4.0.14 where marked):
//   fopen("temp-<pid>.rdb","w") in the server dir -> rdbSaveRio (with rdb-save-incremental-fsync an
//   fsync every REDIS_AUTOSYNC_BYTES) -> fflush + fsync + fclose -> rename(temp, dbfilename) ->
//   fsyncFileDir(dbfilename) (7.0; 4.0 never fsyncs the directory) -> "DB saved on disk".
// The caller owns server.dirty / lastsave / lastbgsave_status (rdbSave's own updates of them matter
// only in the process that called it: the child's copies die with it).
//
// FAULT: a failed open ("Failed opening the temp RDB file ..."), write/fsync/close ("Write error
// saving DB on disk(<op>): <strerror>", the temp file unlinked), rename ("Error moving temp DB file
// ...", unlinked) or directory fsync (7.0: a write error, the renamed file stays) -> result 1.
// A generator so a child can yield between slices; runSync() drives it in-process (SAVE).

import { dirname, inRedisDir, isFsError, joinPath, type FileHandle, type Fs } from '../ports/fs.ts';
import type { Log } from '../ports/log.ts';
import type { ChildYield } from '../ports/tasks.ts';
import type { AofEventListener } from '../ports/events.ts';
import type { ChildJobParams } from '../child/child-jobs.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Profile } from '../base/profile.ts';
import { encodeRdb, redis40RdbVersion } from '../rdb/index.ts';
import { writeAll } from '../aof/rewrite/write-all.ts';
import { unlinkQuietly } from '../aof/rewrite/rewrite-file.ts';
import { logChildCow } from '../child/cow-log.ts';

/** redis: REDIS_AUTOSYNC_BYTES (7.0: 4 MB; 4.0: 32 MB). */
export function autosyncBytes(profile: Profile): number {
  return profile === 'redis-7.0' ? 4 * 1024 * 1024 : 32 * 1024 * 1024;
}

/** Largest single write (the encoder returns the file whole; stdio would write it in pieces). */
const SLICE_BYTES = 1024 * 1024;

/** RdbSaveParams as plain data (a ChildJob's params, kind 'rdb-bgsave': src/child/child-jobs.ts). */
export interface RdbSaveJobParams extends ChildJobParams {
  /** The server dir (redis: the cwd): temp-<pid>.rdb and dbfilename are relative to it. */
  dir: string;
  dbfilename: string;
  profile: Profile;
  /** mstime() for the ctime aux field. */
  nowMs: number;
  compress: boolean;
  /** rdbchecksum no: the CRC-64 is written as 0 (redis: rdbSaveRio with checksum computing off). */
  checksum: boolean;
  incrementalFsync: boolean;
}

export interface RdbSaveParams {
  fs: Fs;
  log: Log;
  /** The server dir (redis: the cwd): temp-<pid>.rdb and dbfilename are relative to it. */
  dir: string;
  dbfilename: string;
  /** The dataset to write (the fork-time copy in a child; the live keyspace for SAVE). */
  snapshot: Keyspace;
  profile: Profile;
  /** mstime() for the ctime aux field. */
  nowMs: number;
  compress: boolean;
  /** rdbchecksum no: the CRC-64 is written as 0 (redis: rdbSaveRio with checksum computing off). */
  checksum: boolean;
  incrementalFsync: boolean;
  /** Facts for the simulator (temp written, renamed, saved); absent in a real child. */
  events?: AofEventListener;
  /** After each key encoded: a child process's progress report and rdb-key-save-delay (src/child/child-jobs.ts). */
  onKey?: () => void;
}

export function tempRdbName(pid: number): string {
  return `temp-${pid}.rdb`;
}

/** The RDB file's bytes as this profile's redis-server writes them (redis: rdbSaveRio). */
export function rdbFileBytes(p: Pick<RdbSaveParams, 'snapshot' | 'profile' | 'nowMs' | 'compress' | 'checksum' | 'onKey'>): Uint8Array {
  const v7 = p.profile === 'redis-7.0';
  const bytes = encodeRdb(p.snapshot, {
    nowMs: p.nowMs,
    version: v7 ? 10 : redis40RdbVersion(p.snapshot),
    redisVer: v7 ? '7.0.15' : '4.0.14',
    compress: p.compress,
    onKey: p.onKey,
  });
  if (!p.checksum) bytes.fill(0, bytes.length - 8);
  return bytes;
}

/** redis: rdbSave. Returns 0 on success, 1 on failure (the child's exit code). */
/** The BGSAVE child: rdbSave, then its copy-on-write line on success (src/child/cow-log.ts). */
export function* rdbSaveChild(p: RdbSaveParams, pid: number): Generator<ChildYield, number, void> {
  const code = yield* rdbSave(p, pid);
  if (code === 0) logChildCow(p.log, p.profile, 'RDB');
  return code;
}

export function* rdbSave(p: RdbSaveParams, pid: number): Generator<ChildYield, number, void> {
  const v7 = p.profile === 'redis-7.0';
  const tmpName = tempRdbName(pid);
  const tmpPath = joinPath(p.dir, tmpName);
  const target = inRedisDir(p.dir, p.dbfilename);
  let fh: FileHandle;
  try {
    fh = p.fs.open(tmpPath, 'create-truncate');
  } catch (e) {
    if (!isFsError(e)) throw e;
    p.log.log('warning', `Failed opening the temp RDB file ${tmpName} (in server root dir ${p.dir}) for saving: ${e.strerror}`);
    return 1;
  }
  let op = 'rdbSaveRio';
  try {
    const bytes = rdbFileBytes(p);
    const every = autosyncBytes(p.profile);
    let synced = 0;
    for (let off = 0; off < bytes.length; off += SLICE_BYTES) {
      const end = Math.min(bytes.length, off + SLICE_BYTES);
      writeAll(fh, bytes.length <= SLICE_BYTES ? bytes : bytes.subarray(off, end));
      if (p.incrementalFsync && end - synced >= every) {
        fh.fsync();
        synced = end;
      }
      yield { kind: 'work' };
    }
    op = 'fsync';
    fh.fsync();
    op = 'fclose';
    fh.close();
  } catch (e) {
    if (!isFsError(e)) throw e;
    p.log.mark('rdb.save.write-error');
    writeError(p, op, e.strerror);
    try {
      if (op !== 'fclose') fh.close();
    } catch {
      // FAULT: fclose on the failure path is not checked, as in Redis.
    }
    unlinkQuietly(p.fs, tmpPath);
    return 1;
  }
  p.events?.({ kind: 'rdb-temp-written' });
  try {
    p.fs.rename(tmpPath, target);
  } catch (e) {
    if (!isFsError(e)) throw e;
    p.log.mark('rdb.save.rename-error');
    p.log.log('warning', `Error moving temp DB file ${tmpName} on the final destination ${p.dbfilename} (in server root dir ${p.dir}): ${e.strerror}`);
    unlinkQuietly(p.fs, tmpPath);
    return 1;
  }
  p.events?.({ kind: 'rdb-renamed' });
  if (v7) {
    // redis 7.0 fsyncFileDir: the rename is durable before "DB saved on disk".
    try {
      p.fs.fsyncDir(dirname(target));
    } catch (e) {
      if (!isFsError(e)) throw e;
      p.log.mark('rdb.save.dir-fsync-error');
      writeError(p, 'fsyncFileDir', e.strerror);
      unlinkQuietly(p.fs, tmpPath);
      return 1;
    }
  }
  p.log.log('notice', 'DB saved on disk');
  p.events?.({ kind: 'rdb-saved' });
  return 0;
}

function writeError(p: RdbSaveParams, op: string, strerror: string): void {
  // redis 7.0 names the failing step; 4.0.14 does not.
  if (p.profile === 'redis-7.0') p.log.log('warning', `Write error saving DB on disk(${op}): ${strerror}`);
  else p.log.log('warning', `Write error saving DB on disk: ${strerror}`);
}
