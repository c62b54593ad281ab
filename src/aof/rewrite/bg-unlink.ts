// redis: bio.c/aof.c bg_unlink (7.0): open the file O_RDONLY|O_NONBLOCK, unlink the name on the main
// thread, and let a bio job close the fd (the close frees the data). If the open fails, unlink
// directly. Matches the strace of a 7.0.15 rewrite (fixtures/redis-7.0.15/strace/rewrite-*.txt).
// FAULT: errors are swallowed (returns false), as callers ignore bg_unlink's result.

import { isFsError, type FileHandle } from '../../ports/fs.ts';
import type { RewriteHost } from './rewrite-host.ts';

export function bgUnlink(host: Pick<RewriteHost, 'fs' | 'tasks'>, path: string): boolean {
  let fh: FileHandle;
  try {
    fh = host.fs.open(path, 'read');
  } catch (e) {
    if (!isFsError(e)) throw e;
    try {
      host.fs.unlink(path);
      return true;
    } catch (e2) {
      if (!isFsError(e2)) throw e2;
      return false;
    }
  }
  try {
    host.fs.unlink(path);
  } catch (e) {
    if (!isFsError(e)) throw e;
    try {
      fh.close();
    } catch {
      // FAULT: ignored, as in Redis.
    }
    return false;
  }
  host.tasks.submitBio({ kind: 'close', handle: fh, fsync: false });
  return true;
}
