// 4.0's rewrite child (profile redis-4.0). redis: aof.c rewriteAppendOnlyFile +
// aofReadDiffFromParent + the child branch of rewriteAppendOnlyFileBackground (4.0.14):
//   1. write temp-rewriteaof-<pid>.aof (RDB preamble with aux aof-preamble, or RESP commands),
//      draining the data pipe into `aof_child_diff` every 10 KB of output
//      (AOF_READ_DIFF_INTERVAL_BYTES), fsync every 32 MB with aof-rewrite-incremental-fsync;
//   2. fflush + fsync; keep reading diffs for at most 1 s, stopping after 20 consecutive 1 ms polls
//      without data;
//   3. write '!' on the ack pipe, wait for the parent's '!' (syncRead, 5000 ms timeout);
//   4. drain the data pipe once more, append the accumulated diff, fflush + fsync + fclose;
//   5. rename to temp-rewriteaof-bg-<pid>.aof, exit 0.
// FAULT: any I/O error, a failed '!' write, or no ack within 5 s -> "Write error writing append
// only file on disk: %s", temp unlinked, exit 1. A failed rename -> exit 1, temp left (4.0).
//
// Time: the child reads the Clock, but also counts the milliseconds it asked to sleep, and treats
// the larger as elapsed time. Under a scheduler that advances virtual time on sleeps both agree;
// under ManualTasks (time frozen) the sleep count still bounds every wait loop (a step cap).

import type { FileHandle } from '../../ports/fs.ts';
import { isFsError, joinPath } from '../../ports/fs.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ChildProgram, ChildYield, Pipe } from '../../ports/tasks.ts';
import { fromBytes } from '../../keyspace/types.ts';
import type { RewriteFileParams } from './rewrite-file.ts';
import { closeQuietly, rewriteBody, tempRewriteBgName, tempRewriteName, unlinkQuietly } from './rewrite-file.ts';
import { chunkBytes, writeAll } from './write-all.ts';
import { logChildCow } from '../../child/cow-log.ts';

/** redis: AOF_READ_DIFF_INTERVAL_BYTES. */
export const AOF_READ_DIFF_INTERVAL_BYTES = 1024 * 10;
/** redis: rio autosync in 4.0 (AOF_AUTOSYNC_BYTES, 32 MB). */
export const AUTOSYNC_BYTES_V4 = 32 * 1024 * 1024;
/** The child's read buffer for the data pipe (redis: char buf[65536]). */
const DIFF_READ_BYTES = 65536;
/** redis: syncRead(..., 5000) for the parent's ack. */
export const ACK_TIMEOUT_MS = 5000;
/** Largest single write of the body (RDB bodies arrive whole). */
const BODY_SLICE_BYTES = 64 * 1024;
/** redis: syncio.c SYNCIO__RESOLUTION. */
const SYNCIO_RESOLUTION_MS = 10;

/** The three pipes of aofCreatePipes, as both sides see them. */
export interface Redis40RewritePipes {
  /** parent -> child diff data; the parent's end is non-blocking. */
  data: Pipe;
  /** child -> parent '!' (stop sending diffs). */
  ackToParent: Pipe;
  /** parent -> child '!' (agreed). */
  ackToChild: Pipe;
}

export interface Redis40ChildParams extends RewriteFileParams {
  clock: Clock;
  pipes: Redis40RewritePipes;
}

class ChildError extends Error {
  constructor(readonly strerror: string) {
    super(strerror);
  }
}

/** The child program for Tasks.fork (redis-4.0 background rewrite). */
export function redis40RewriteChild(p: Redis40ChildParams): ChildProgram {
  return (pid) => redis40RewriteChildRun(p, pid);
}

function* redis40RewriteChildRun(p: Redis40ChildParams, pid: number): Generator<ChildYield, number, void> {
  const { fs, log, clock, pipes } = p;
  const tmpPath = joinPath(p.dir, tempRewriteName(pid));
  const finalPath = joinPath(p.dir, tempRewriteBgName(pid));
  const diff: string[] = [];
  let diffBytes = 0;
  const readDiffFromParent = (): number => {
    let total = 0;
    for (;;) {
      const b = pipes.data.read(DIFF_READ_BYTES);
      if (b.length === 0) return total;
      diff.push(fromBytes(b));
      diffBytes += b.length;
      total += b.length;
    }
  };

  let fh: FileHandle;
  try {
    fh = fs.open(tmpPath, 'create-truncate');
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${e.strerror}`);
    return 1;
  }
  try {
    let written = 0;
    let synced = 0;
    for (const chunk of rewriteBody(p, 'aof-preamble', AOF_READ_DIFF_INTERVAL_BYTES)) {
      const whole = chunkBytes(chunk);
      // An RDB body comes as one array: cut it so diffs are still drained as it is written.
      for (let off = 0; off < whole.length; off += BODY_SLICE_BYTES) {
        const b = whole.length <= BODY_SLICE_BYTES ? whole : whole.subarray(off, off + BODY_SLICE_BYTES);
        writeAll(fh, b);
        written += b.length;
        if (p.incrementalFsync && written - synced >= AUTOSYNC_BYTES_V4) {
          fh.fsync();
          log.mark('rewrite.child.autosync');
          synced = written;
        }
        readDiffFromParent();
        yield { kind: 'work' };
      }
    }
    // An initial slow fsync while the parent still sends data, so the final one is fast.
    fh.fsync();

    let nodata = 0;
    let start = clock.nowMs();
    let slept = 0;
    while (Math.max(clock.nowMs() - start, slept) < 1000 && nodata < 20) {
      if (pipes.data.bufferedBytes === 0) {
        yield { kind: 'sleep', ms: 1 };
        slept += 1;
        if (pipes.data.bufferedBytes === 0) {
          nodata++;
          continue;
        }
      }
      nodata = 0;
      readDiffFromParent();
    }
    log.mark(nodata >= 20 ? 'rewrite.redis40.child.diff-quiet' : 'rewrite.redis40.child.diff-1s-limit');

    if (pipes.ackToParent.write(Buffer.from('!', 'latin1')) !== 1) throw new ChildError('Resource temporarily unavailable');
    start = clock.nowMs();
    slept = 0;
    let ack: Uint8Array = pipes.ackToChild.read(1);
    while (ack.length === 0) {
      if (Math.max(clock.nowMs() - start, slept) >= ACK_TIMEOUT_MS) {
        log.mark('rewrite.redis40.child.ack-timeout');
        throw new ChildError('Connection timed out');
      }
      yield { kind: 'sleep', ms: SYNCIO_RESOLUTION_MS };
      slept += SYNCIO_RESOLUTION_MS;
      ack = pipes.ackToChild.read(1);
    }
    if (ack[0] !== 0x21) throw new ChildError('Success');
    log.log('notice', 'Parent agreed to stop sending diffs. Finalizing AOF...');

    readDiffFromParent();
    log.log('notice', `Concatenating ${(diffBytes / (1024 * 1024)).toFixed(2)} MB of AOF diff received from parent.`);
    for (const part of diff) writeAll(fh, Buffer.from(part, 'latin1'));
    fh.fsync();
    fh.close();
  } catch (e) {
    let reason: string;
    if (isFsError(e)) reason = e.strerror;
    else if (e instanceof ChildError) reason = e.strerror;
    else throw e;
    log.mark('rewrite.redis40.child.werr');
    log.log('warning', `Write error writing append only file on disk: ${reason}`);
    closeQuietly(fh);
    unlinkQuietly(fs, tmpPath);
    return 1;
  }
  try {
    fs.rename(tmpPath, finalPath);
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Error moving temp append only file on the final destination: ${e.strerror}`);
    return 1;
  }
  log.log('notice', 'SYNC append only file rewrite performed');
  logChildCow(log, 'redis-4.0', 'AOF rewrite');
  return 0;
}
