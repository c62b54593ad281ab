// flushAppendOnlyFile(force): writes aof_buf to the AOF and applies the fsync policy.
// redis: aof.c flushAppendOnlyFile (4.0, with the 5.0.5 tail fsync, 6.2 fsync-error rules and
// 7.0 per-INCR counters). docs/redis-behaviour.md "flushAppendOnlyFile and the fsync policies" is the reference; the steps below follow it.
//
//   0. empty buffer: fsync the tail when the fsynced offset lags the written size (everysec after the
//      second changed and no bio fsync pending; always at once) - else return.
//      Bug switch 'no-tail-fsync' restores the 4.0 `return` (docs/redis-bugs.md#bug-2).
//   1. everysec, !force, bio fsync pending: postpone (remember the second) for up to 2 s, then write
//      anyway, count aof_delayed_fsync and log.
//   2. aofWrite (loops on short writes).
//   3. errors (log rate-limited to one line per 30 s): -1 -> errno; short -> ftruncate back to the last
//      good size (bug 'no-ftruncate-short-write' skips it), errno ENOSPC. `always` exits. Otherwise
//      aof_last_write_status = ERR, keep the unwritten bytes (if ftruncate failed, drop the bytes that
//      did reach the file and count them), return; the cron retries every second.
//   4. success: a previous error is cleared ("AOF write error looks solved ..."); sizes advance.
//   5. no-appendfsync-on-rewrite and a child exists -> no fsync.
//   6. always: fdatasync now (failure exits, 6.2+; bug 'fsync-error-ignored' ignores it); everysec:
//      bio fsync when the second changed and none is pending; no: nothing.
//
// "Last good size" and "fsynced offset" are per INCR in 7.0 (aof_last_incr_size,
// aof_last_incr_fsync_offset) and per file in the 4.0 profile (aof_current_size, aof_fsync_offset).
// Time is whole seconds (server.unixtime), as in Redis up to 7.2.
//
// Invariant: after a return without exit, either aofBuf is '' and every byte fed so far reached the
// file, or aofLastWriteStatus is 'err' (or the flush was postponed) and aofBuf holds exactly the
// whole records (or the unwritten tail of them after an unrepairable short write) still to write.

import { unixtimeS } from '../../ports/clock.ts';
import { isFsError, strerror } from '../../ports/fs.ts';
import { ProcessExit } from '../../base/process-exit.ts';
import { hasActiveChild, type AofContext } from '../state.ts';
import { aofWrite } from './aof-write.ts';
import { aofBackgroundFsync, aofFsyncInProgress } from './bio-fsync.ts';

/** redis: AOF_WRITE_LOG_ERROR_RATE (seconds between two write-error log lines). */
export const AOF_WRITE_LOG_ERROR_RATE_S = 30;
/** The everysec postpone window while a bio fsync is pending (seconds). */
export const AOF_FLUSH_POSTPONE_MAX_S = 2;

/** The written size the fsync bookkeeping and the short-write repair refer to. */
function lastGoodSize(ctx: AofContext): number {
  return ctx.config.profile === 'redis-7.0' ? ctx.state.aofLastIncrSize : ctx.state.aofCurrentSize;
}

function fsyncedOffset(ctx: AofContext): number {
  return ctx.config.profile === 'redis-7.0' ? ctx.state.aofLastIncrFsyncOffset : ctx.state.aofFsyncOffset;
}

function setFsyncedOffset(ctx: AofContext): void {
  if (ctx.config.profile === 'redis-7.0') ctx.state.aofLastIncrFsyncOffset = ctx.state.aofLastIncrSize;
  else ctx.state.aofFsyncOffset = ctx.state.aofCurrentSize;
}

/** redis: flushAppendOnlyFile. Throws ProcessExit where Redis calls exit(1). */
export function flushAppendOnlyFile(ctx: AofContext, force: boolean): void {
  const st = ctx.state;
  const cfg = ctx.config;
  const log = ctx.log;
  const fd = st.aofFd;
  if (fd === null) return;
  const now = unixtimeS(ctx.clock);
  let syncInProgress = false;

  if (st.aofBuf.length === 0) {
    if (cfg.bugs.has('no-tail-fsync')) return;
    const lagging = fsyncedOffset(ctx) !== lastGoodSize(ctx);
    if (!lagging) return;
    if (cfg.appendfsync === 'everysec' && now > st.aofLastFsyncS && !(syncInProgress = aofFsyncInProgress(ctx))) {
      log.mark('aof.flush.tail-fsync');
    } else if (cfg.appendfsync === 'always') {
      log.mark('aof.flush.tail-fsync');
    } else {
      return;
    }
    tryFsync(ctx, now, syncInProgress);
    return;
  }

  if (cfg.appendfsync === 'everysec') syncInProgress = aofFsyncInProgress(ctx);
  if (cfg.appendfsync === 'everysec' && !force && syncInProgress) {
    if (st.aofFlushPostponedStartS === 0) {
      st.aofFlushPostponedStartS = now;
      log.mark('aof.flush.postponed');
      ctx.events?.({ kind: 'flush-postponed' });
      return;
    } else if (now - st.aofFlushPostponedStartS < AOF_FLUSH_POSTPONE_MAX_S) {
      log.mark('aof.flush.postponed');
      ctx.events?.({ kind: 'flush-postponed' });
      return;
    }
    st.aofDelayedFsync++;
    log.mark('aof.flush.delayed-fsync');
    log.log(
      'notice',
      'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.',
    );
  }

  // redis 7.0: DEBUG AOF-FLUSH-SLEEP slows every non-empty write (tests use it to widen races).
  if (st.aofFlushSleepUs > 0) ctx.clock.sleepMs?.(st.aofFlushSleepUs / 1000);
  const expected = st.aofBuf.length;
  const res = aofWrite(fd, Buffer.from(st.aofBuf, 'latin1'));
  let nwritten = res.nwritten;
  st.aofFlushPostponedStartS = 0;

  if (nwritten !== expected) {
    // FAULT: write error or short write.
    let canLog = false;
    if (now - st.aofLastWriteErrorLogS > AOF_WRITE_LOG_ERROR_RATE_S) {
      canLog = true;
      st.aofLastWriteErrorLogS = now;
    }
    let keepPartial = false;
    if (nwritten === -1) {
      const errno = res.errno ?? 'EIO';
      if (canLog) log.log('warning', `Error writing to the AOF file: ${strerror(errno)}`);
      st.aofLastWriteErrno = errno;
      log.mark('aof.flush.write-error');
      ctx.events?.({ kind: 'flush-write-error' });
    } else {
      if (canLog) {
        log.log('warning', `Short write while writing to the AOF file: (nwritten=${nwritten}, expected=${expected})`);
      }
      log.mark('aof.flush.short-write');
      ctx.events?.({ kind: 'flush-short-write' });
      if (cfg.bugs.has('no-ftruncate-short-write')) {
        // Bug 5 (redis#587): the partial record stays in the file and the whole buffer is retried.
        keepPartial = true;
        log.mark('aof.flush.short-write.kept');
      } else {
        try {
          fd.truncate(lastGoodSize(ctx));
          nwritten = -1;
          log.mark('aof.flush.short-write.ftruncate');
        } catch (e) {
          // FAULT: ftruncate failed; the partial bytes stay and are dropped from the buffer below.
          if (!isFsError(e)) throw e;
          const msg = e.strerror;
          if (canLog) {
            log.log(
              'warning',
              `Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: ${msg}`,
            );
          }
          log.mark('aof.flush.short-write.ftruncate-failed');
          ctx.events?.({ kind: 'ftruncate-failed' });
        }
      }
      st.aofLastWriteErrno = 'ENOSPC';
    }

    if (cfg.appendfsync === 'always') {
      log.log('warning', "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      log.mark('aof.flush.always-exit');
      throw new ProcessExit(1, "Can't recover from AOF write error when the AOF fsync policy is 'always'");
    }
    st.aofLastWriteStatus = 'err';
    if (nwritten > 0 && !keepPartial) {
      st.aofCurrentSize += nwritten;
      st.aofLastIncrSize += nwritten;
      st.statAofWrittenBytes += nwritten;
      st.aofBuf = st.aofBuf.slice(nwritten);
    }
    return;
  } else if (st.aofLastWriteStatus === 'err') {
    log.log('warning', 'AOF write error looks solved, Redis can write again.');
    log.mark('aof.flush.write-error-solved');
    st.aofLastWriteStatus = 'ok';
  }

  st.aofCurrentSize += nwritten;
  st.aofLastIncrSize += nwritten;
  st.statAofWrittenBytes += nwritten;
  st.aofBuf = '';
  tryFsync(ctx, now, syncInProgress);
}

/** The `try_fsync:` tail of flushAppendOnlyFile. */
function tryFsync(ctx: AofContext, now: number, syncInProgress: boolean): void {
  const st = ctx.state;
  const cfg = ctx.config;
  const fd = st.aofFd;
  if (fd === null) return;
  if (cfg.noAppendfsyncOnRewrite && hasActiveChild(st)) {
    ctx.log.mark('aof.flush.no-fsync-on-rewrite');
    return;
  }
  if (cfg.appendfsync === 'always') {
    try {
      fd.fdatasync();
    } catch (e) {
      if (!isFsError(e)) throw e;
      if (!cfg.bugs.has('fsync-error-ignored')) {
        // FAULT: fsync failed under `always`: the reply must not be sent (6.2+, redis/redis#8111).
        const msg = e.strerror;
        ctx.log.log('warning', `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${msg}. Exiting...`);
        ctx.log.mark('aof.flush.always-fsync-exit');
        throw new ProcessExit(1, `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${msg}`);
      }
      ctx.log.mark('aof.flush.always-fsync-error-ignored');
    }
    st.statAofFsyncs++;
    setFsyncedOffset(ctx);
    st.aofLastFsyncS = now;
  } else if (cfg.appendfsync === 'everysec' && now > st.aofLastFsyncS) {
    if (!syncInProgress) {
      aofBackgroundFsync(ctx);
      setFsyncedOffset(ctx);
    }
    st.aofLastFsyncS = now;
  }
}
