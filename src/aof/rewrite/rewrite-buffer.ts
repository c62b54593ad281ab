// 4.0's rewrite buffer: what the parent accumulates while a rewrite child runs, kept in
// AofState.aofRewriteBufBlocks. redis: aof.c aofrwblock list, aofRewriteBufferReset/Append/Write
// and aofChildWriteDiffData (4.0).
//
// A list of blocks of at most AOF_RW_BUF_BLOCK_SIZE (10 MB) bytes. Appends fill the last block and
// open new ones ("Background AOF buffer size: %lu MB" every 10 blocks: notice, every 100: warning).
// Sending to the child takes bytes from the head of the first block into the non-blocking data
// pipe and removes them (Redis memmoves them out), so at the end only the part the child never
// received is "residual". Invariant: bytes leave only from the front and arrive only at the back,
// so (bytes the child received) + (residual) = everything appended, in order.

import type { Bytes } from '../../keyspace/types.ts';
import type { FileHandle } from '../../ports/fs.ts';
import { isFsError } from '../../ports/fs.ts';
import type { Log } from '../../ports/log.ts';
import type { Pipe } from '../../ports/tasks.ts';

/** redis: AOF_RW_BUF_BLOCK_SIZE. */
export const AOF_RW_BUF_BLOCK_SIZE = 1024 * 1024 * 10;

/** redis: aofRewriteBufferAppend (the writable-event install is the caller's pump). */
export function aofRewriteBufferAppend(blocks: Bytes[], s: Bytes, log: Log, blockSizeBytes = AOF_RW_BUF_BLOCK_SIZE): void {
  let off = 0;
  while (off < s.length) {
    const last = blocks.length - 1;
    if (last >= 0 && blocks[last].length < blockSizeBytes) {
      const take = Math.min(blockSizeBytes - blocks[last].length, s.length - off);
      blocks[last] += off === 0 && take === s.length ? s : s.slice(off, off + take);
      off += take;
      continue;
    }
    const numblocks = blocks.length;
    // A block after the first: more than 10 MB is waiting for the child.
    if (numblocks > 0) log.mark('rewrite.redis40.buffer-block-opened');
    blocks.push('');
    if ((numblocks + 1) % 10 === 0) {
      let size = 0;
      for (const b of blocks) size += b.length;
      const level = (numblocks + 1) % 100 === 0 ? 'warning' : 'notice';
      log.log(level, `Background AOF buffer size: ${Math.floor(size / (1024 * 1024))} MB`);
    }
  }
}

/**
 * redis: aofChildWriteDiffData. Moves bytes from the head into the pipe until the pipe is full or
 * the buffer empty. Returns the number of bytes sent.
 */
export function aofRewriteBufferSendTo(blocks: Bytes[], pipe: Pipe): number {
  let sent = 0;
  while (blocks.length > 0) {
    const head = blocks[0];
    if (head.length > 0) {
      const room = pipe.capacityBytes - pipe.bufferedBytes;
      if (room <= 0) return sent;
      const n = pipe.write(Buffer.from(head.length <= room ? head : head.slice(0, room), 'latin1'));
      if (n <= 0) return sent;
      blocks[0] = head.slice(n);
      sent += n;
    }
    if (blocks[0].length === 0) blocks.shift();
  }
  return sent;
}

/**
 * redis: aofRewriteBufferWrite. One write per block; a short write is an error. Returns the byte
 * count, or -1 with the strerror text Redis would log.
 */
export function aofRewriteBufferWrite(blocks: readonly Bytes[], fh: FileHandle): { written: number; strerror: string } {
  let count = 0;
  for (const block of blocks) {
    if (block.length === 0) continue;
    let n: number;
    try {
      n = fh.write(Buffer.from(block, 'latin1'));
    } catch (e) {
      if (!isFsError(e)) throw e;
      return { written: -1, strerror: e.strerror };
    }
    // FAULT: a short write leaves errno untouched in Redis (it logs whatever errno held); 0 -> EIO.
    if (n !== block.length) return { written: -1, strerror: n === 0 ? 'Input/output error' : 'Success' };
    count += n;
  }
  return { written: count, strerror: '' };
}
