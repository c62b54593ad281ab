// aofWrite: one logical write of the AOF buffer, looping on short writes and EINTR.
// redis: aof.c aofWrite (4.0.7+ and 7.x; redis/redis#4066, #4281).
//
// Returns the total bytes written. When a write fails after some bytes were written, returns those
// bytes (a short write the caller must repair); when nothing was written, returns -1 and the errno.
// Invariant: never writes past `data`; at most AOF_WRITE_MAX_ATTEMPTS calls (step cap: a port that
// keeps returning 0 ends the loop as ENOSPC instead of spinning).

import { isFsError, type FileHandle, type FsErrorCode } from '../../ports/fs.ts';

export interface AofWriteResult {
  /** Bytes written, or -1 when nothing was written and `errno` is set. */
  nwritten: number;
  /** errno of the failing write(2), or null when everything was written. */
  errno: FsErrorCode | null;
}

const AOF_WRITE_MAX_ATTEMPTS = 1_000_000;

export function aofWrite(fd: FileHandle, data: Uint8Array): AofWriteResult {
  let total = 0;
  let attempts = 0;
  while (total < data.length) {
    if (++attempts > AOF_WRITE_MAX_ATTEMPTS) return { nwritten: total > 0 ? total : -1, errno: 'ENOSPC' };
    let n: number;
    try {
      n = fd.write(total === 0 ? data : data.subarray(total));
    } catch (e) {
      if (!isFsError(e)) throw e;
      if (e.code === 'EINTR') continue;
      return { nwritten: total > 0 ? total : -1, errno: e.code };
    }
    // FAULT: a write(2) that makes no progress; Linux returns 0 only for a 0-byte request.
    if (n <= 0) return { nwritten: total > 0 ? total : -1, errno: 'ENOSPC' };
    total += n;
  }
  return { nwritten: total, errno: null };
}
