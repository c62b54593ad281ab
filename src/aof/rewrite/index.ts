// The background rewrite of both generations behind one API; the server calls these (see
// rewrite-host.ts for the call sites). Each entry point asks the generation's RewriteStrategy
// (rewrite-strategy.ts): redis-4.0 -> redis40-background.ts (pipes, rewrite buffer, rename over
// the live file), redis-7.0 -> redis70-background.ts (new INCR, BASE from the child, manifest swap).

import type { Bytes } from '../../keyspace/types.ts';
import type { Profile } from '../../base/profile.ts';
import type { Reply } from '../../commands/reply.ts';
import { error, status } from '../../commands/reply.ts';
import { hasActiveChild } from '../state.ts';
import type { ChildExit } from './fork-error.ts';
import type { RewriteHost } from './rewrite-host.ts';
import type { RewriteStrategy } from './rewrite-strategy.ts';
import { redis40Rewrite } from './redis40-background.ts';
import { redis70Rewrite } from './redis70-background.ts';

export type { RewriteHost } from './rewrite-host.ts';
export type { RdbBodyEncoder, RdbAuxKind } from './rdb-body.ts';
export { defaultRdbEncoder } from './rdb-body.ts';
export type { RewriteStrategy } from './rewrite-strategy.ts';
export { createBaseOnServerStart, aofDelHistoryFiles } from './redis70-background.ts';
export { rewriteAppendOnlyFileRio, rewriteToString, AOF_REWRITE_ITEMS_PER_CMD } from './emit.ts';
export type { RewriteEmitOptions, RewriteEmitStats } from './emit.ts';
export { rewriteAppendOnlyFile, runSync } from './rewrite-file.ts';
export type { RewriteFileParams } from './rewrite-file.ts';

/** The rewrite strategy of a Redis generation. */
export function rewriteStrategy(profile: Profile): RewriteStrategy {
  return profile === 'redis-4.0' ? redis40Rewrite : redis70Rewrite;
}

/** redis: rewriteAppendOnlyFileBackground. 'error' when a child exists or a step failed (logged). */
export function rewriteAppendOnlyFileBackground(host: RewriteHost): 'started' | 'error' {
  return rewriteStrategy(host.config.profile).rewriteAppendOnlyFileBackground(host);
}

/** redis: backgroundRewriteDoneHandler(exitcode, bysignal). */
export function backgroundRewriteDoneHandler(host: RewriteHost, exit: ChildExit): void {
  rewriteStrategy(host.config.profile).backgroundRewriteDoneHandler(host, exit);
}

/** Bytes fed while a child runs also go to the rewrite buffer (4.0; no-op for 7.0). */
export function feedRewriteBuffer(host: RewriteHost, bytes: Bytes): void {
  rewriteStrategy(host.config.profile).feedRewriteBuffer(host, bytes);
}

/** The pipe events of one event-loop iteration (4.0: diff data to the child, the '!' ack; 7.0: none). */
export function processRewritePipes(host: RewriteHost): number {
  return rewriteStrategy(host.config.profile).processRewritePipes(host);
}

/** redis: aofRemoveTempFile (4.0: the -bg- file; 7.0: both temp files). */
export function aofRemoveTempFile(host: RewriteHost, childPid: number): void {
  rewriteStrategy(host.config.profile).removeTempFile(host, childPid);
}

/** redis: aofRewriteLimited: 7.0's back-off after repeated failures; 4.0 never limits. */
export function aofRewriteLimited(host: RewriteHost): boolean {
  return rewriteStrategy(host.config.profile).rewriteLimited(host);
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
  const strategy = rewriteStrategy(host.config.profile);
  strategy.removeTempFile(host, pid);
  strategy.resetAfterKill(host);
  s.aofChildPid = -1;
  s.statCurrentSaveKeysTotal = 0;
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
  const strategy = rewriteStrategy(host.config.profile);
  const answers = strategy.bgrewriteaof;
  if (s.aofChildPid !== -1) return error('ERR Background append only file rewriting already in progress');
  if (hasActiveChild(s) || (answers.schedulesInExec && inExec)) {
    s.aofRewriteScheduled = true;
    // A manual request resets the back-off so the scheduled rewrite can run at once (7.0).
    if (answers.manualResetsBackoff) s.statAofrwConsecutiveFailures = 0;
    return status('Background append only file rewriting scheduled');
  }
  if (strategy.rewriteAppendOnlyFileBackground(host) === 'started') return status('Background append only file rewriting started');
  return error(answers.failureReply);
}
