// RDB snapshots, parent side: SAVE, BGSAVE and its child, the done handler, the save points of
// serverCron and the scheduled BGSAVE. redis 7.0.15 rdb.c rdbSaveBackground,
// backgroundSaveDoneHandlerDisk, backgroundSaveDoneHandler, killRDBChild, rdbRemoveTempFile,
// saveCommand, bgsaveCommand, lastsaveCommand; server.c serverCron (the saveparams loop and the
// scheduled BGSAVE), checkChildrenDone, resetChildState, writeCommandsDeniedByDiskError (RDB part).
// 4.0.14 differs where marked (BGSAVE's refusal during a rewrite, no scheduling inside EXEC).
//
// Invariants: at most one child (AOF or RDB) at a time: nothing forks while hasActiveChild; the RDB
// child writes only its temp file and dbfilename; the parent changes server.dirty/lastsave only when
// a save succeeded; a child that died by a signal leaves no temp file behind.
// FAULT paths: fork failure ("Can't save in background: fork: ..."), child exit 1 ("Background
// saving error"), a signal ("Background saving terminated by signal N"; SIGUSR1 is not an error).

import { unixtimeS } from '../ports/clock.ts';
import { joinPath } from '../ports/fs.ts';
import type { ChildExit, ChildProgram } from '../ports/tasks.ts';
import type { Reply } from '../commands/reply.ts';
import { OK, error, integer, status } from '../commands/reply.ts';
import { hasActiveChild } from '../aof/state.ts';
import { backgroundRewriteDoneHandler } from '../aof/rewrite/index.ts';
import { isForkError } from '../aof/rewrite/fork-error.ts';
import { runSync } from '../aof/rewrite/rewrite-file.ts';
import { bgUnlink } from '../aof/rewrite/bg-unlink.ts';
import { signalNumber } from '../aof/rewrite/signals.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import { encodeSnapshot } from '../child/snapshot.ts';
import { rdbSave, rdbSaveChild, tempRdbName, type RdbSaveJobParams, type RdbSaveParams } from './rdb-save.ts';
import { serverDirty, type RdbHost } from './rdb-host.ts';

/** redis: CONFIG_BGSAVE_RETRY_DELAY (seconds between automatic retries after a failed BGSAVE). */
export const BGSAVE_RETRY_DELAY_S = 5;

/** The -MISCONF reply while stop-writes-on-bgsave-error holds writes (redis: shared.bgsaveerr). */
export function bgsaveErrorMessage(host: RdbHost): string {
  return host.config.profile === 'redis-7.0'
    ? "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."
    : 'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.';
}

/** redis: writeCommandsDeniedByDiskError's RDB branch (checked before the AOF's). */
export function rdbDeniesWrites(host: RdbHost): boolean {
  return host.rdbConfig.stopWritesOnBgsaveError && host.rdbConfig.savePoints.length > 0 && host.rdb.lastbgsaveStatus === 'err';
}

/** The save's parameters as plain data (what a child in another OS process receives). */
function rdbSaveJobParams(host: RdbHost): RdbSaveJobParams {
  const c = host.rdbConfig;
  return {
    numDbs: host.keyspace.numDbs,
    rdbKeySaveDelayUs: host.rdbKeySaveDelayUs?.() ?? 0,
    dir: host.config.dir,
    dbfilename: c.dbfilename,
    profile: host.config.profile,
    nowMs: host.clock.nowMs(),
    compress: c.rdbcompression,
    checksum: c.rdbchecksum,
    incrementalFsync: c.rdbSaveIncrementalFsync,
  };
}

function rdbSaveParams(host: RdbHost, jp: RdbSaveJobParams, snapshot: Keyspace): RdbSaveParams {
  return { ...jp, fs: host.fs, log: host.log, snapshot, events: host.events };
}

/** redis: rdbSave called in the server process (SAVE, DEBUG RELOAD, shutdown). */
export function rdbSaveSync(host: RdbHost): 'ok' | 'err' {
  if (runSync(rdbSave(rdbSaveParams(host, rdbSaveJobParams(host), host.keyspace), host.pid ?? 1)) !== 0) return 'err';
  const r = host.rdb;
  r.dirtyBase = host.totalDirty();
  r.lastsaveS = unixtimeS(host.clock);
  r.lastbgsaveStatus = 'ok';
  return 'ok';
}

/** redis: rdbSaveBackground. 'err' when a child exists or the fork failed (logged). */
export function rdbSaveBackground(host: RdbHost): 'ok' | 'err' {
  const st = host.state;
  const r = host.rdb;
  if (hasActiveChild(st)) return 'err';
  r.statRdbSaves++;
  r.dirtyBeforeBgsave = serverDirty(host);
  r.lastbgsaveTryS = unixtimeS(host.clock);
  const jp = rdbSaveJobParams(host);
  // The snapshot is taken inside fork(): a clone for a child stepped in this process, RDB bytes for
  // one that runs in another OS process (serve).
  const program: ChildProgram = (childPid) => rdbSaveChild(rdbSaveParams(host, jp, host.keyspace.clone()), childPid);
  let pid: number;
  try {
    pid = host.tasks.fork(program, { kind: 'rdb-bgsave', params: jp, snapshot: () => encodeSnapshot(host.keyspace) });
  } catch (e) {
    if (!isForkError(e)) throw e;
    host.log.mark('rdb.bgsave.fork-failed');
    r.lastbgsaveStatus = 'err';
    host.log.log('warning', `Can't save in background: fork: ${e.message.replace(/^fork failed: /, '')}`);
    return 'err';
  }
  r.statRdbForks++;
  host.log.log('notice', `Background saving started by pid ${pid}`);
  r.rdbSaveTimeStartS = unixtimeS(host.clock);
  st.rdbChildPid = pid;
  st.statCurrentSaveKeysTotal = host.keyspace.size();
  host.events?.({ kind: 'bgsave-forked', pid });
  return 'ok';
}

/** redis: rdbRemoveTempFile (in the background, as bg_unlink). */
export function rdbRemoveTempFile(host: RdbHost, childPid: number): void {
  bgUnlink(host, joinPath(host.config.dir, tempRdbName(childPid)));
}

/** redis: backgroundSaveDoneHandler (disk type) + resetChildState. */
export function backgroundSaveDoneHandler(host: RdbHost, exit: ChildExit): void {
  const r = host.rdb;
  const log = host.log;
  if (exit.signal === null && exit.exitCode === 0) {
    log.log('notice', 'Background saving terminated with success');
    r.dirtyBase += r.dirtyBeforeBgsave;
    r.lastsaveS = unixtimeS(host.clock);
    r.lastbgsaveStatus = 'ok';
    log.mark('rdb.bgsave.success');
  } else if (exit.signal === null) {
    log.log('warning', 'Background saving error');
    r.lastbgsaveStatus = 'err';
    log.mark('rdb.bgsave.child-error');
  } else {
    log.log('warning', `Background saving terminated by signal ${signalNumber(exit.signal)}`);
    rdbRemoveTempFile(host, exit.pid);
    // SIGUSR1 is how Redis itself stops a child: not an error.
    if (exit.signal !== 'SIGUSR1') r.lastbgsaveStatus = 'err';
    log.mark('rdb.bgsave.killed');
  }
  r.rdbSaveTimeLastS = unixtimeS(host.clock) - r.rdbSaveTimeStartS;
  r.rdbSaveTimeStartS = -1;
  host.state.rdbChildPid = -1;
  host.state.statCurrentSaveKeysTotal = 0;
  host.events?.({ kind: 'bgsave-done', ok: exit.signal === null && exit.exitCode === 0 });
}

/** redis: killRDBChild: SIGUSR1; checkChildrenDone reaps it later (the done handler removes the temp file). */
export function killRDBChild(host: RdbHost): void {
  if (host.state.rdbChildPid !== -1) host.tasks.kill(host.state.rdbChildPid, 'SIGUSR1');
}

/**
 * What FLUSHALL does for snapshots after emptying the data set (redis 7.0 flushAllDataAndResetRDB,
 * 4.0 flushallCommand): the BGSAVE child is killed and, with save points set, an empty dump.rdb
 * is saved at once. `commandDirty` is what the FLUSHALL counted so far. 7.0's rdbSave resets
 * server.dirty, so no change counts after it; 4.0 puts server.dirty back after the save, so all
 * of them still count (observed: 3 keys, FLUSHALL with a save point: 7.0.15 reports 0 changes
 * since the last save, 4.0.14 reports 7).
 */
export function flushallResetRdb(host: RdbHost, commandDirty: number): void {
  if (host.state.rdbChildPid !== -1) {
    killRDBChild(host);
    if (host.config.profile === 'redis-4.0') rdbRemoveTempFile(host, host.state.rdbChildPid);
  }
  if (host.rdbConfig.savePoints.length === 0) return;
  const base = host.rdb.dirtyBase;
  if (rdbSaveSync(host) !== 'ok') return;
  host.rdb.dirtyBase = host.config.profile === 'redis-4.0' ? base : host.rdb.dirtyBase + commandDirty;
}

/** redis: checkChildrenDone: waitpid(WNOHANG) and the done handler of whichever child exited. */
export function checkChildrenDone(host: RdbHost): ChildExit | null {
  const st = host.state;
  const exit = host.tasks.reap();
  if (exit === null) return null;
  if (exit.pid === st.aofChildPid) backgroundRewriteDoneHandler(host, exit);
  else if (exit.pid === st.rdbChildPid) backgroundSaveDoneHandler(host, exit);
  else host.log.log('warning', `Warning, detected child with unmatched pid: ${exit.pid}`);
  return exit;
}

/** serverCron without a child: the first save point reached starts a BGSAVE. */
export function savePointsCron(host: RdbHost): void {
  const r = host.rdb;
  const now = unixtimeS(host.clock);
  const dirty = serverDirty(host);
  for (const sp of host.rdbConfig.savePoints) {
    if (dirty >= sp.changes && now - r.lastsaveS > sp.seconds && (now - r.lastbgsaveTryS > BGSAVE_RETRY_DELAY_S || r.lastbgsaveStatus === 'ok')) {
      host.log.log('notice', `${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
      rdbSaveBackground(host);
      return;
    }
  }
}

/** The end of serverCron: a BGSAVE scheduled while another child ran starts once none does. */
export function scheduledBgsaveCron(host: RdbHost): void {
  const r = host.rdb;
  if (hasActiveChild(host.state) || !r.bgsaveScheduled) return;
  if (unixtimeS(host.clock) - r.lastbgsaveTryS > BGSAVE_RETRY_DELAY_S || r.lastbgsaveStatus === 'ok') {
    if (rdbSaveBackground(host) === 'ok') r.bgsaveScheduled = false;
  }
}

/** redis: saveCommand. */
export function saveCommand(host: RdbHost): Reply {
  if (host.state.rdbChildPid !== -1) return error('ERR Background save already in progress');
  if (host.config.profile === 'redis-7.0') host.rdb.statRdbSaves++;
  return rdbSaveSync(host) === 'ok' ? OK : error('ERR');
}

/** redis: bgsaveCommand (BGSAVE [SCHEDULE]). */
export function bgsaveCommand(host: RdbHost, args: readonly string[], inExec: boolean): Reply {
  let schedule = false;
  if (args.length > 0) {
    if (args.length === 1 && args[0].toLowerCase() === 'schedule') schedule = true;
    else return error('ERR syntax error');
  }
  const st = host.state;
  if (st.rdbChildPid !== -1) return error('ERR Background save already in progress');
  if (host.config.profile === 'redis-4.0') {
    if (st.aofChildPid !== -1) {
      if (!schedule) {
        return error('ERR An AOF log rewriting in progress: can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.');
      }
      host.rdb.bgsaveScheduled = true;
      return status('Background saving scheduled');
    }
  } else if (hasActiveChild(st) || inExec) {
    if (!schedule && !inExec) {
      return error("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
    }
    host.rdb.bgsaveScheduled = true;
    return status('Background saving scheduled');
  }
  return rdbSaveBackground(host) === 'ok' ? status('Background saving started') : error('ERR');
}

/** redis: lastsaveCommand. */
export function lastsaveCommand(host: RdbHost): Reply {
  return integer(host.rdb.lastsaveS);
}
