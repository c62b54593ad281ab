// Turning the AOF on and off at runtime (CONFIG SET appendonly yes|no).
// redis: aof.c startAppendOnly / stopAppendOnly (4.0 and 7.0), docs/redis-behaviour.md#redis40-layout and 2.2.5.
//
// start, 4.0: open appendonly.aof (append, no truncate); an RDB child -> only schedule the rewrite;
//   else kill an AOF child and start a rewrite (failure: close the fd, 'err'); state WAIT_REWRITE:
//   fed commands go only to the rewrite buffer until the first rewrite succeeds.
// start, 7.0: state WAIT_REWRITE first (the rewrite opens the temp INCR when it sees it); another
//   child or inside EXEC -> only schedule; else kill an AOF child and start a rewrite (failure ->
//   OFF, and the temp INCR opened for it is closed). Without a child, writes are not persisted at all (P7).
// Both, fixed behaviour (redis/redis#8030, docs/redis-bugs.md#bug-21): a pending write error and a bio fsync
//   error are forgotten on re-enable. Bug switch 'write-error-sticky' keeps them (writes refused forever).
// stop: flush(force), fsync, close, state OFF, kill the AOF child, drop what a failed flush left in
//   aof_buf (redis/redis#8030; 4.0.14 keeps it: bug switch 'aof-buf-kept-after-stop'); 7.0 also
//   resets the INCR counters and the scheduled flag.

import { isFsError } from '../../ports/fs.ts';
import { unixtimeS } from '../../ports/clock.ts';
import { hasActiveChild, aofFilePath } from '../state.ts';
import { killAppendOnlyChild, rewriteAppendOnlyFileBackground, type RewriteHost } from '../rewrite/index.ts';
import { flushAppendOnlyFile } from '../writer/flush-append-only-file.ts';

/** redis: startAppendOnly. Returns 'err' when the AOF could not be turned on (logged). */
export function startAppendOnly(host: RewriteHost, inExec: boolean): 'ok' | 'err' {
  const st = host.state;
  const log = host.log;
  if (st.aofState !== 'off') return 'ok';
  if (host.config.profile === 'redis-4.0') {
    st.aofLastFsyncS = unixtimeS(host.clock);
    const path = aofFilePath(host.config);
    try {
      st.aofFd = host.fs.open(path, 'append');
      st.aofFdPath = path;
    } catch (e) {
      if (!isFsError(e)) throw e;
      log.log(
        'warning',
        `Redis needs to enable the AOF but can't open the append only file ${host.config.appendfilename} (in server root dir ${host.config.dir}): ${e.strerror}`,
      );
      return 'err';
    }
    if (st.rdbChildPid !== -1) {
      st.aofRewriteScheduled = true;
      log.log(
        'warning',
        'AOF was enabled but there is already a child process saving an RDB file on disk. An AOF background was scheduled to start when possible.',
      );
    } else {
      if (st.aofChildPid !== -1) {
        log.log('warning', 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        killAppendOnlyChild(host);
      }
      if (rewriteAppendOnlyFileBackground(host) !== 'started') {
        closeQuietly(host);
        log.log(
          'warning',
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
        );
        return 'err';
      }
    }
    st.aofState = 'wait-rewrite';
  } else {
    st.aofState = 'wait-rewrite';
    if (hasActiveChild(st) && st.aofChildPid === -1) {
      st.aofRewriteScheduled = true;
      log.log('warning', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (inExec) {
      st.aofRewriteScheduled = true;
      log.log('warning', 'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (st.aofChildPid !== -1) {
        log.log('warning', 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        killAppendOnlyChild(host);
      }
      if (rewriteAppendOnlyFileBackground(host) !== 'started') {
        st.aofState = 'off';
        // DIVERGENCE(redis): when the fork fails after the temp INCR was opened, Redis 7.x leaves
        // aof_fd on it while the state is OFF; a later BGREWRITEAOF then keeps the stale last INCR
        // of the manifest (markRewrittenIncrAofAsHistory skips the last INCR while aof_fd != -1) and
        // the next start applies its commands twice, on top of a BASE that already holds them (found
        // by the campaign). aofsim closes the fd, as Redis up to 6.2 did; bug switch
        // 'fork-failure-keeps-temp-incr' restores the 7.x behaviour.
        if (host.config.bugs.has('fork-failure-keeps-temp-incr')) log.mark('aof.start.bug-fork-failure-keeps-temp-incr');
        else closeQuietly(host);
        log.log(
          'warning',
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
        );
        return 'err';
      }
    }
    st.aofLastFsyncS = unixtimeS(host.clock);
  }
  host.events?.({ kind: 'aof-enabled' });
  if (host.config.bugs.has('write-error-sticky')) {
    log.mark('aof.start.write-error-sticky');
    return 'ok';
  }
  if (st.aofBioFsyncStatus === 'err') {
    log.log('warning', 'AOF reopen, just ignore the AOF fsync error in bio job');
    st.aofBioFsyncStatus = 'ok';
  }
  if (st.aofLastWriteStatus === 'err') {
    log.log('warning', 'AOF reopen, just ignore the last error.');
    st.aofLastWriteStatus = 'ok';
  }
  return 'ok';
}

/** redis: stopAppendOnly. May throw ProcessExit (the forced flush under `always`). */
export function stopAppendOnly(host: RewriteHost): void {
  const st = host.state;
  if (st.aofState === 'off') return;
  flushAppendOnlyFile(host, true);
  const fd = st.aofFd;
  if (fd !== null) {
    try {
      fd.fdatasync();
      st.aofLastFsyncS = unixtimeS(host.clock);
    } catch (e) {
      // FAULT: the final fsync failed: 7.0 logs it, 4.0.14 ignores aof_fsync's result; both carry on.
      if (!isFsError(e)) throw e;
      if (host.config.profile === 'redis-7.0') host.log.log('warning', `Fail to fsync the AOF file: ${e.strerror}`);
    }
    closeQuietly(host);
  }
  st.aofFd = null;
  st.aofFdPath = null;
  st.aofSelectedDb = -1;
  st.aofState = 'off';
  if (host.config.profile === 'redis-7.0') {
    st.aofRewriteScheduled = false;
    st.aofLastIncrSize = 0;
    st.aofLastIncrFsyncOffset = 0;
  }
  killAppendOnlyChild(host);
  // What a failed flush left behind is dropped (7.0: redis/redis#8030, in Redis since 6.2).
  // DIVERGENCE(redis): 4.0.14 keeps it; a BGREWRITEAOF while the AOF is off writes a snapshot that
  // already holds those commands without clearing aof_buf (its done handler clears it only when
  // aof_fd is open), and the next appendonly yes / no flushes the stale bytes into the rewritten
  // file: the next start applies them twice (found by the aofsim campaign,
  // docs/findings/redis40-stale-aof-buf-after-appendonly-no.md). aofsim's 4.0 profile drops them as
  // 6.2 does; bug switch 'aof-buf-kept-after-stop' keeps them, as 4.0.14 does.
  if (host.config.profile === 'redis-4.0' && host.config.bugs.has('aof-buf-kept-after-stop')) {
    if (st.aofBuf !== '') host.log.mark('aof.stop.bug-aof-buf-kept-after-stop');
  } else st.aofBuf = '';
}

function closeQuietly(host: RewriteHost): void {
  const fd = host.state.aofFd;
  if (fd === null) return;
  try {
    fd.close();
  } catch (e) {
    if (!isFsError(e)) throw e;
  }
  host.state.aofFd = null;
  host.state.aofFdPath = null;
}
