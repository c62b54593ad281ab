// The background rewrite of both generations behind one API; the server calls these (see
// rewrite-host.ts for the call sites). Each entry point dispatches on config.profile:
// redis-4.0 -> redis40-background.ts (pipes, rewrite buffer, rename over the live file),
// redis-7.0 -> redis70-background.ts (new INCR, BASE from the child, manifest swap).

import type { Bytes } from '../../keyspace/types.ts';
import type { Reply } from '../../commands/reply.ts';
import { error, status } from '../../commands/reply.ts';
import { hasActiveChild } from '../state.ts';
import type { ChildExit } from './fork-error.ts';
import type { RewriteHost } from './rewrite-host.ts';
import {
  aofClosePipes,
  redis40BackgroundRewriteDoneHandler,
  redis40FeedRewriteBuffer,
  redis40ProcessRewritePipes,
  redis40RemoveTempFile,
  redis40RewriteAppendOnlyFileBackground,
} from './redis40-background.ts';
import { redis70BackgroundRewriteDoneHandler, redis70RemoveTempFile, redis70RewriteAppendOnlyFileBackground } from './redis70-background.ts';

export type { RewriteHost } from './rewrite-host.ts';
export type { RdbBodyEncoder, RdbAuxKind } from './rdb-body.ts';
export { defaultRdbEncoder } from './rdb-body.ts';
export { aofRewriteLimited } from './rewrite-limit.ts';
export { createBaseOnServerStart, aofDelHistoryFiles, openNewIncrAofForAppend } from './redis70-background.ts';
export { rewriteAppendOnlyFileRio, rewriteToString, AOF_REWRITE_ITEMS_PER_CMD } from './emit.ts';
export type { RewriteEmitOptions, RewriteEmitStats } from './emit.ts';
export { rewriteAppendOnlyFile, runSync, tempRewriteName, tempRewriteBgName } from './rewrite-file.ts';
export type { RewriteFileParams } from './rewrite-file.ts';
export { formatScoreG17, formatScoreShortest } from '../../keyspace/score-format.ts';

/** redis: rewriteAppendOnlyFileBackground. 'error' when a child exists or a step failed (logged). */
export function rewriteAppendOnlyFileBackground(host: RewriteHost): 'started' | 'error' {
  return host.config.profile === 'redis-4.0' ? redis40RewriteAppendOnlyFileBackground(host) : redis70RewriteAppendOnlyFileBackground(host);
}

/** redis: backgroundRewriteDoneHandler(exitcode, bysignal). */
export function backgroundRewriteDoneHandler(host: RewriteHost, exit: ChildExit): void {
  if (host.config.profile === 'redis-4.0') redis40BackgroundRewriteDoneHandler(host, exit);
  else redis70BackgroundRewriteDoneHandler(host, exit);
}

/** 4.0 only: bytes fed while a child runs also go to the rewrite buffer. No-op for redis-7.0. */
export function feedRewriteBuffer(host: RewriteHost, bytes: Bytes): void {
  if (host.config.profile === 'redis-4.0') redis40FeedRewriteBuffer(host, bytes);
}

/** 4.0 only: the pipe events of one event-loop iteration (diff data to the child, the '!' ack). */
export function processRewritePipes(host: RewriteHost): number {
  return host.config.profile === 'redis-4.0' ? redis40ProcessRewritePipes(host) : 0;
}

/** redis: aofRemoveTempFile (4.0: the -bg- file; 7.0: both temp files). */
export function aofRemoveTempFile(host: RewriteHost, childPid: number): void {
  if (host.config.profile === 'redis-4.0') redis40RemoveTempFile(host, childPid);
  else redis70RemoveTempFile(host, childPid);
}

/** Upper bound on waitpid polls after SIGUSR1 (ManualTasks reports the exit at once). */
const KILL_WAIT_POLLS = 1000;

/**
 * redis: killAppendOnlyChild (7.0) / the kill part of stopAppendOnly (4.0): SIGUSR1, wait for the
 * exit, remove temp files, reset the buffer (4.0) and the child state. No-op without an AOF child.
 */
export function killAppendOnlyChild(host: RewriteHost): void {
  const s = host.state;
  const pid = s.aofChildPid;
  if (pid === -1) return;
  host.log.log('notice', `Killing running AOF rewrite child: ${pid}`);
  host.tasks.kill(pid, 'SIGUSR1');
  for (let i = 0; i < KILL_WAIT_POLLS; i++) {
    const exit = host.tasks.reap();
    if (exit && exit.pid === pid) break;
  }
  aofRemoveTempFile(host, pid);
  if (host.config.profile === 'redis-4.0') {
    s.aofRewriteBufBlocks = [];
    aofClosePipes(host);
  }
  s.aofChildPid = -1;
  s.aofRewriteTimeStartMs = -1;
}

/** serverCron's waitpid(WNOHANG) for the rewrite child. Returns the exit handled, or null. */
export function reapRewriteChild(host: RewriteHost): ChildExit | null {
  if (host.state.aofChildPid === -1) return null;
  const exit = host.tasks.reap();
  if (!exit) return null;
  if (exit.pid === host.state.aofChildPid) backgroundRewriteDoneHandler(host, exit);
  else host.log.log('warning', `Warning, detected child with unmatched pid: ${exit.pid}`);
  return exit;
}

/** redis: bgrewriteaofCommand (7.0 text; 4.0 replies a bare ERR on failure). */
export function bgrewriteaofCommand(host: RewriteHost, inExec = false): Reply {
  const s = host.state;
  const v7 = host.config.profile === 'redis-7.0';
  if (s.aofChildPid !== -1) return error('ERR Background append only file rewriting already in progress');
  if (hasActiveChild(s) || (v7 && inExec)) {
    s.aofRewriteScheduled = true;
    // A manual request resets the back-off so the scheduled rewrite can run at once (7.0).
    if (v7) s.statAofrwConsecutiveFailures = 0;
    return status('Background append only file rewriting scheduled');
  }
  if (rewriteAppendOnlyFileBackground(host) === 'started') return status('Background append only file rewriting started');
  return error(v7 ? "ERR Can't execute an AOF background rewriting. Please check the server logs for more information." : 'ERR');
}
