// Writing a whole buffer through a FileHandle, looping on short writes as stdio's fwrite and
// Redis's rioWrite/aofWrite do. FAULT: a write error propagates as the FsError; a write that
// reports 0 bytes is turned into EIO so the loop always ends (at most one call per byte).

import { FsError, type FileHandle } from '../../ports/fs.ts';
import type { Bytes } from '../../keyspace/types.ts';

export function writeAll(fh: FileHandle, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    const n = fh.write(off === 0 ? data : data.subarray(off));
    if (n <= 0) throw new FsError('EIO', 'write', fh.path);
    off += n;
  }
}

export function chunkBytes(chunk: Bytes | Uint8Array): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
}
