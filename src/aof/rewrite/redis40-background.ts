// 4.0's background rewrite, parent side (profile redis-4.0). redis: aof.c (4.0.14)
// aofCreatePipes, aofClosePipes, aofChildPipeReadable, rewriteAppendOnlyFileBackground,
// backgroundRewriteDoneHandler, aofRemoveTempFile, aofUpdateCurrentSize and the kill part of
// stopAppendOnly.
//
// Life of a rewrite: fork with a snapshot (Keyspace.clone) -> every fed command also goes to the
// rewrite buffer -> processRewritePipes streams it into the non-blocking data pipe until the child
// asks to stop ('!' on the ack pipe, answered with '!') -> the child exits -> the done handler
// appends the residual buffer to temp-rewriteaof-bg-<pid>.aof (under always fsyncs it: see
// DIVERGENCE in switchIn), renames it over the live file while the old file stays open (closed later
// by a bio job), swaps aof_fd, fsyncs per policy (everysec: a bio fsync), resets
// aof_buf (its bytes are already in the new file through the rewrite buffer) and turns
// WAIT_REWRITE into ON.
// Invariant after a successful switch: the live file = snapshot commands + every command fed after
// the fork, so loading it gives the live keyspace.
// FAULT paths: fork fails (no child, pipes closed); child exit != 0 or killed by a signal
// (SIGUSR1 is the "killed on purpose" signal: no error status); open/write/rename failures in the
// done handler. Always: pipes closed, buffer reset, temp file unlinked, rewrite rescheduled while
// WAIT_REWRITE. Bug switch 'rewrite-buffer-not-reset' (docs/redis-bugs.md#bug-17) keeps the buffer after exit;
// 'rename-before-diff-fsync' renames before the always fsync, as 4.0.14 does.
// DIVERGENCE(redis): 4.0's aofRemoveTempFile removes only temp-rewriteaof-bg-<pid>.aof; a killed
// child's temp-rewriteaof-<pid>.aof stays (docs/redis-bugs.md#bug-18), as in Redis.

import { dropAofBuf } from '../writer/drop-aof-buf.ts';
import { isFsError, joinPath, type FileHandle } from '../../ports/fs.ts';
import { isForkError, type ChildExit } from './fork-error.ts';
import { aofFilePath, hasActiveChild } from '../state.ts';
import type { Bytes } from '../../keyspace/types.ts';
import type { RewriteHost } from './rewrite-host.ts';
import type { RewriteStrategy } from './rewrite-strategy.ts';
import { aofRewriteBufferAppend, aofRewriteBufferSendTo, aofRewriteBufferWrite } from './rewrite-buffer.ts';
import { redis40RewriteChild } from './redis40-child.ts';
import { closeQuietly, tempRewriteBgName } from './rewrite-file.ts';
import { finishRewriteCleanup } from './rewrite-done-cleanup.ts';
import { signalNumber } from './signals.ts';
import { defaultRdbEncoder } from './rdb-body.ts';

/** Linux's default pipe buffer. */
export const PIPE_CAPACITY_BYTES = 65536;

/** redis: aofCreatePipes (infallible here: Tasks.pipe cannot fail). */
function aofCreatePipes(host: RewriteHost): void {
  const s = host.state;
  const data = host.tasks.pipe(PIPE_CAPACITY_BYTES);
  s.redis40.aofPipeWriteDataToChild = data;
  s.redis40.aofPipeReadDataFromParent = data;
  s.redis40.aofPipeAckToParent = host.tasks.pipe(PIPE_CAPACITY_BYTES);
  s.redis40.aofPipeAckToChild = host.tasks.pipe(PIPE_CAPACITY_BYTES);
  s.redis40.aofStopSendingDiff = false;
  s.redis40.ackHandlerInstalled = true;
}

/** redis: aofClosePipes. */
export function aofClosePipes(host: RewriteHost): void {
  const s = host.state;
  s.redis40.aofPipeWriteDataToChild = null;
  s.redis40.aofPipeReadDataFromParent = null;
  s.redis40.aofPipeAckToParent = null;
  s.redis40.aofPipeAckToChild = null;
  s.redis40.ackHandlerInstalled = false;
}

/** redis: rewriteAppendOnlyFileBackground (4.0). */
export function redis40RewriteAppendOnlyFileBackground(host: RewriteHost): 'started' | 'error' {
  const { state: s, config: cfg, log } = host;
  if (hasActiveChild(s)) return 'error';
  aofCreatePipes(host);
  const startMs = host.clock.nowMs();
  const program = redis40RewriteChild({
    fs: host.fs,
    log,
    clock: host.clock,
    dir: cfg.dir,
    snapshot: host.keyspace.clone(),
    profile: cfg.profile,
    nowMs: startMs,
    useRdb: cfg.aofUseRdbPreamble,
    encodeRdb: host.encodeRdb ?? defaultRdbEncoder(cfg.profile),
    incrementalFsync: cfg.aofRewriteIncrementalFsync,
    timestampS: null,
    pipes: { data: s.redis40.aofPipeReadDataFromParent!, ackToParent: s.redis40.aofPipeAckToParent!, ackToChild: s.redis40.aofPipeAckToChild! },
  });
  let pid: number;
  try {
    pid = host.tasks.fork(program);
  } catch (e) {
    if (!isForkError(e)) throw e;
    log.mark('rewrite.redis40.fork-failed');
    log.log('warning', `Can't rewrite append only file in background: fork: ${e.message.replace(/^fork failed: /, '')}`);
    aofClosePipes(host);
    return 'error';
  }
  log.log('notice', `Background append only file rewriting started by pid ${pid}`);
  s.aofRewriteScheduled = false;
  s.aofRewriteTimeStartMs = startMs;
  s.aofChildPid = pid;
  s.statAofRewrites++;
  // The next fed command starts with SELECT, so the rewrite buffer is safe to append to any db.
  s.aofSelectedDb = -1;
  return 'started';
}

/** redis: feedAppendOnlyFile's `if (server.aof_child_pid != -1) aofRewriteBufferAppend(buf)`. */
export function redis40FeedRewriteBuffer(host: RewriteHost, bytes: Bytes): void {
  if (host.state.aofChildPid === -1 || bytes.length === 0) return;
  aofRewriteBufferAppend(host.state.redis40.aofRewriteBufBlocks, bytes, host.log);
}

/**
 * One event-loop iteration's pipe events: the ack pipe's readable handler (aofChildPipeReadable)
 * and the data pipe's writable handler (aofChildWriteDiffData). Returns bytes sent to the child.
 */
export function redis40ProcessRewritePipes(host: RewriteHost): number {
  const s = host.state;
  const x = s.redis40;
  if (s.aofChildPid === -1 || x.aofPipeWriteDataToChild === null) return 0;
  if (x.ackHandlerInstalled && s.redis40.aofPipeAckToParent && s.redis40.aofPipeAckToParent.bufferedBytes > 0) {
    const b = s.redis40.aofPipeAckToParent.read(1);
    if (b.length === 1 && b[0] === 0x21) {
      host.log.log('notice', 'AOF rewrite child asks to stop sending diffs.');
      s.redis40.aofStopSendingDiff = true;
      if (!s.redis40.aofPipeAckToChild || s.redis40.aofPipeAckToChild.write(Buffer.from('!', 'latin1')) !== 1) {
        host.log.log('warning', 'Can\'t send ACK to AOF child: Resource temporarily unavailable');
      }
    }
    // Removed after the first read: the handler runs at most once per rewrite.
    x.ackHandlerInstalled = false;
  }
  if (s.redis40.aofStopSendingDiff || !s.redis40.aofPipeWriteDataToChild) return 0;
  const sent = aofRewriteBufferSendTo(s.redis40.aofRewriteBufBlocks, s.redis40.aofPipeWriteDataToChild);
  // The pipe took less than the buffer held: the rest waits for the child to read (64 KB pipe).
  if (s.redis40.aofRewriteBufBlocks.some((b) => b.length > 0)) host.log.mark('rewrite.redis40.diff-pipe-full');
  return sent;
}

/** redis: aofRemoveTempFile (4.0: only the -bg- name). */
export function redis40RemoveTempFile(host: RewriteHost, childPid: number): void {
  try {
    host.fs.unlink(joinPath(host.config.dir, tempRewriteBgName(childPid)));
  } catch (e) {
    if (!isFsError(e)) throw e;
  }
}

/** redis: aofUpdateCurrentSize. */
function aofUpdateCurrentSize(host: RewriteHost): void {
  const fd = host.state.aofFd;
  if (!fd) return;
  try {
    host.state.aofCurrentSize = fd.stat().sizeBytes;
  } catch (e) {
    if (!isFsError(e)) throw e;
    host.log.log('warning', `Unable to obtain the AOF file length. stat: ${e.strerror}`);
  }
}

/** redis: backgroundRewriteDoneHandler (4.0). */
export function redis40BackgroundRewriteDoneHandler(host: RewriteHost, exit: ChildExit): void {
  const { state: s, config: cfg, log } = host;
  if (exit.signal === null && exit.exitCode === 0) {
    log.log('notice', 'Background AOF rewrite terminated with success');
    switchIn(host, exit.pid);
  } else if (exit.signal === null) {
    s.aofLastBgrewriteStatus = 'err';
    log.mark('rewrite.redis40.child-error');
    log.log('warning', 'Background AOF rewrite terminated with error');
  } else {
    // SIGUSR1 is whitelisted, so a child can be killed on purpose without an error condition.
    if (exit.signal !== 'SIGUSR1') s.aofLastBgrewriteStatus = 'err';
    log.mark(exit.signal === 'SIGUSR1' ? 'rewrite.redis40.killed-sigusr1' : 'rewrite.redis40.killed');
    log.log('warning', `Background AOF rewrite terminated by signal ${signalNumber(exit.signal)}`);
  }
  // cleanup:
  aofClosePipes(host);
  if (cfg.bugs.has('rewrite-buffer-not-reset')) log.mark('rewrite.redis40.bug-buffer-not-reset');
  else s.redis40.aofRewriteBufBlocks = [];
  redis40RemoveTempFile(host, exit.pid);
  finishRewriteCleanup(host);
}

/** The success branch: residual diff, rename, fd swap. Returns false on failure (status err). */
function switchIn(host: RewriteHost, childPid: number): boolean {
  const { state: s, config: cfg, log, fs } = host;
  const tmpName = tempRewriteBgName(childPid);
  const tmpPath = joinPath(cfg.dir, tmpName);
  const livePath = aofFilePath(cfg);
  let newfd: FileHandle;
  try {
    newfd = fs.open(tmpPath, 'append-existing');
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Unable to open the temporary AOF produced by the child: ${e.strerror}`);
    return fail(host);
  }
  const residual = aofRewriteBufferWrite(s.redis40.aofRewriteBufBlocks, newfd);
  if (residual.written === -1) {
    log.mark('rewrite.redis40.residual-write-error');
    log.log('warning', `Error trying to flush the parent diff to the rewritten AOF: ${residual.strerror}`);
    closeQuietly(newfd);
    return fail(host);
  }
  log.mark('rewrite.redis40.diff-appended');
  host.events?.({ kind: 'rewrite-diff-appended' });
  log.log('notice', `Residual parent diff successfully flushed to the rewritten AOF (${(residual.written / (1024 * 1024)).toFixed(2)} MB)`);

  // DIVERGENCE(redis): 4.0.14 fsyncs the new file only after renaming it over appendonly.aof, so
  // between the two the live name points at a file whose residual diff (commands already
  // acknowledged, fsynced only in the old file) is not durable: a power loss there loses them
  // (docs/findings/redis40-rename-before-diff-fsync.md). Under always aofsim fsyncs it before the
  // rename, and a failed fsync abandons the switch (the old file stays the AOF). Bug switch
  // 'rename-before-diff-fsync' restores 4.0.14's order.
  const fsyncAfterRename = cfg.bugs.has('rename-before-diff-fsync');
  const alwaysSync = s.aofFd !== null && cfg.appendfsync === 'always';
  if (alwaysSync && !fsyncAfterRename) {
    try {
      newfd.fdatasync();
    } catch (e) {
      if (!isFsError(e)) throw e;
      log.mark('rewrite.redis40.switch-fsync-error');
      log.log('warning', `Error trying to fsync the parent diff to the rewritten AOF: ${e.strerror}`);
      closeQuietly(newfd);
      return fail(host);
    }
    s.statAofFsyncs++;
  }

  // Keep the file being replaced open so the rename does not unlink it on this thread; a bio job
  // closes it (that close may be the one that frees the inode).
  let oldfd: FileHandle | null = null;
  if (s.aofFd === null) {
    try {
      oldfd = fs.open(livePath, 'read');
    } catch (e) {
      if (!isFsError(e)) throw e;
      oldfd = null; // e.g. the old file does not exist
    }
  }
  try {
    fs.rename(tmpPath, livePath);
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Error trying to rename the temporary AOF file ${tmpName} into ${cfg.appendfilename}: ${e.strerror}`);
    closeQuietly(newfd);
    if (oldfd) closeQuietly(oldfd);
    return fail(host);
  }
  log.mark('rewrite.redis40.renamed');
  host.events?.({ kind: 'rewrite-renamed' });
  if (s.aofFd === null) {
    closeQuietly(newfd);
  } else {
    oldfd = s.aofFd;
    s.aofFd = newfd;
    s.aofFdPath = livePath;
    if (alwaysSync && fsyncAfterRename) {
      try {
        newfd.fdatasync();
      } catch (e) {
        if (!isFsError(e)) throw e;
        // DIVERGENCE(redis): 4.0 ignores aof_fsync()'s result here; so do we, but leave a mark.
        log.mark('rewrite.redis40.switch-fsync-error');
      }
      s.statAofFsyncs++;
    } else if (cfg.appendfsync === 'everysec') {
      host.tasks.submitBio({ kind: 'fsync', handle: newfd });
      s.statAofFsyncs++;
    }
    s.aofSelectedDb = -1;
    aofUpdateCurrentSize(host);
    s.aofRewriteBaseSize = s.aofCurrentSize;
    s.aofFsyncOffset = s.aofCurrentSize;
    // Its bytes reached the new file through the rewrite buffer.
    dropAofBuf(s, cfg, log, 'rewrite.redis40.write-error-dropped');
  }
  s.aofLastBgrewriteStatus = 'ok';
  log.mark('rewrite.redis40.switched');
  host.events?.({ kind: 'rewrite-switched', generation: 'redis-4.0' });
  log.log('notice', 'Background AOF rewrite finished successfully');
  if (s.aofState === 'wait-rewrite') s.aofState = 'on';
  if (oldfd) host.tasks.submitBio({ kind: 'close', handle: oldfd, fsync: false });
  return true;
}

// DIVERGENCE(redis): 4.0 jumps to cleanup without touching aof_lastbgrewrite_status when the
// open/write/rename of the switch fails (INFO keeps saying ok); aofsim reports err, as 7.0 does.
function fail(host: RewriteHost): false {
  host.state.aofLastBgrewriteStatus = 'err';
  return false;
}


/** The redis-4.0 rewrite strategy (see rewrite-strategy.ts). */
export const redis40Rewrite: RewriteStrategy = {
  name: 'redis40',
  rewriteAppendOnlyFileBackground: redis40RewriteAppendOnlyFileBackground,
  backgroundRewriteDoneHandler: redis40BackgroundRewriteDoneHandler,
  feedRewriteBuffer: redis40FeedRewriteBuffer,
  processRewritePipes: redis40ProcessRewritePipes,
  removeTempFile: redis40RemoveTempFile,
  resetAfterKill(host) {
    host.state.redis40.aofRewriteBufBlocks = [];
    aofClosePipes(host);
  },
  rewriteLimited: () => false,
  bgrewriteaof: { schedulesInExec: false, manualResetsBackoff: false, failureReply: 'ERR' },
};
