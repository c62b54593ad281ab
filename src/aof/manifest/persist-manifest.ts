// Writing the manifest to disk atomically and durably. redis: aof.c writeAofManifestFile and
// persistAofManifest (7.0, with the directory fsync of redis/redis#10737):
//   open temp-F.manifest O_WRONLY|O_TRUNC|O_CREAT -> write (loop on short writes and EINTR) ->
//   fsync -> rename onto F.manifest -> fsync the directory.
// FAULT: any failure is logged with Redis's wording and the FsError is rethrown, so callers roll
// back (Redis returns C_ERR). The temp file may be left behind, as in Redis.
// Bug switch 'no-dir-fsync' (docs/redis-bugs.md#bug-4, redis/redis#3487): skip the directory fsync, so a
// power loss can lose the rename.

import type { Fs, FileHandle } from '../../ports/fs.ts';
import { isFsError, joinPath } from '../../ports/fs.ts';
import type { Log } from '../../ports/log.ts';
import { nullLog } from '../../ports/log.ts';
import { formatManifest } from './format-manifest.ts';
import { getManifestName, getTempManifestName } from './names.ts';
import type { Manifest } from './types.ts';
import type { BugName } from '../bugs.ts';

export type ManifestBug = 'no-dir-fsync';

export interface PersistManifestOptions {
  log?: Log;
  /** Named historical bugs to reproduce; unknown names are ignored. */
  bugs?: readonly BugName[];
}

/** Upper bound on write() calls for one manifest (every call writes >= 1 byte or throws). */
const MAX_WRITE_CALLS = 1 << 20;

/**
 * Writes `m` as `dir/F.manifest` through `dir/temp-F.manifest`, then clears `m.dirty`.
 * Throws the FsError of the first failing step. redis: aof.c writeAofManifestFile (7.0).
 */
export function persistManifest(
  fs: Fs,
  dir: string,
  appendFilename: string,
  m: Manifest,
  options: PersistManifestOptions = {},
): void {
  const log = options.log ?? nullLog;
  const amName = getManifestName(appendFilename);
  const tmpName = getTempManifestName(appendFilename);
  const amPath = joinPath(dir, amName);
  const tmpPath = joinPath(dir, tmpName);
  const data = Buffer.from(formatManifest(m), 'latin1');

  let fh: FileHandle;
  try {
    fh = fs.open(tmpPath, 'create-truncate');
  } catch (e) {
    if (isFsError(e)) log.log('warning', `Can't open the AOF manifest file ${tmpName}: ${e.strerror}`);
    throw e;
  }
  try {
    let off = 0;
    let calls = 0;
    while (off < data.length) {
      if (++calls > MAX_WRITE_CALLS) throw new Error(`write of ${tmpPath} made no progress`);
      try {
        off += fh.write(data.subarray(off));
      } catch (e) {
        if (isFsError(e) && e.code === 'EINTR') continue;
        if (isFsError(e)) {
          log.mark('manifest.persist.write-error');
          log.log('warning', `Error trying to write the temporary AOF manifest file ${tmpName}: ${e.strerror}`);
        }
        throw e;
      }
    }
    try {
      fh.fsync();
    } catch (e) {
      if (isFsError(e)) log.log('warning', `Fail to fsync the temp AOF file ${tmpName}: ${e.strerror}.`);
      throw e;
    }
  } finally {
    closeQuietly(fh);
  }
  try {
    fs.rename(tmpPath, amPath);
  } catch (e) {
    if (isFsError(e)) {
      log.log(
        'warning',
        `Error trying to rename the temporary AOF manifest file ${tmpName} into ${amName}: ${e.strerror}`,
      );
    }
    throw e;
  }
  if (options.bugs?.includes('no-dir-fsync')) {
    log.mark('manifest.persist.bug-no-dir-fsync');
  } else {
    try {
      fs.fsyncDir(dir);
    } catch (e) {
      if (isFsError(e)) log.log('warning', `Fail to fsync AOF directory ${amPath}: ${e.strerror}.`);
      throw e;
    }
  }
  m.dirty = false;
}

/** Like persistManifest, but does nothing when `m.dirty === false`. redis: aof.c persistAofManifest. */
export function persistManifestIfDirty(
  fs: Fs,
  dir: string,
  appendFilename: string,
  m: Manifest,
  options: PersistManifestOptions = {},
): void {
  if (m.dirty === false) return;
  persistManifest(fs, dir, appendFilename, m, options);
}

function closeQuietly(fh: FileHandle): void {
  try {
    fh.close();
  } catch {
    // FAULT: close errors after a failed write are ignored, as Redis ignores close()'s result.
  }
}
