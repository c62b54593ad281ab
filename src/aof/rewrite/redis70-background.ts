// The 7.x multi-part background rewrite, parent side (profile redis-7.0). redis: aof.c (7.0.15)
// openNewIncrAofForAppend, rewriteAppendOnlyFileBackground, backgroundRewriteDoneHandler,
// getNewBaseFileNameAndMarkPreAsHistory, markRewrittenIncrAofAsHistory, aofDelHistoryFiles,
// aofDelTempIncrAofFile, aofRemoveTempFile, killAppendOnlyChild and the BASE creation of
// aofOpenIfNeededOnServerStart. docs/redis-behaviour.md, "7.0: startup" to "7.0: enabling AOF at run time".
//
// Life of a rewrite: mkdir the aof dir -> aof_selected_db = -1 -> flushAppendOnlyFile(1) -> open a
// new INCR (state ON: `F.<++incr>.incr.aof`, O_TRUNC, manifest persisted *before* the fork, old fd
// fsynced+closed by a bio job, redis/redis#11004; state WAIT_REWRITE: `temp-F.incr`, manifest
// untouched, redis/redis#10616) -> fork a child on a snapshot that writes temp-rewriteaof-bg-<pid>.aof
// -> done: rename it into the aof dir as `F.<++base>.base.{rdb|aof}`, (WAIT_REWRITE) rename the temp
// INCR to a real INCR, every INCR except the one being written -> history, persist the manifest
// (on failure: unlink the new files, count a failure), sizes, delete history (bg_unlink + manifest
// persisted again) unless aof-disable-auto-gc, failures = 0, WAIT_REWRITE -> ON.
// Invariant: the manifest on disk only ever names files that exist and that together hold every
// acknowledged write (the new INCR is listed before the fork; the new BASE after its rename).
// FAULT paths: mkdir/open/persist failure before the fork (no fork, status err); fork failure;
// child exit != 0 or a signal other than SIGUSR1 (consecutive failures++); rename or manifest
// failure in the done handler (rolled back). Cleanup always removes the child's temp files and,
// while still WAIT_REWRITE, drops aof_buf, deletes temp-F.incr and schedules another rewrite.
// Bug switches: 'old-incr-not-fsynced' (docs/redis-bugs.md#bug-3: old INCR closed without fsync),
// 'temp-incr-in-manifest' (bug 11: WAIT_REWRITE opens a real INCR listed in the manifest before any
// BASE exists), 'no-dir-fsync' (bug 4: passed to persistManifest), 'done-handler-fsync-reset' (bug 3,
// #11973), 'rewrite-after-short-write' (bug 6, #14372), 'rewrite-skips-expired' (bug 15).

import { dropAofBuf } from '../writer/drop-aof-buf.ts';
import { isFsError, joinPath, type FileHandle } from '../../ports/fs.ts';
import { unixtimeS } from '../../ports/clock.ts';
import { aofDirPath, hasActiveChild } from '../state.ts';
import {
  dupManifest,
  emptyManifest,
  getBaseFileName,
  getIncrFileName,
  getTempIncrName,
  persistManifest,
  type Manifest,
} from '../manifest/index.ts';
import { ProcessExit } from '../../base/process-exit.ts';
import { isForkError, type ChildExit } from './fork-error.ts';
import type { RewriteHost } from './rewrite-host.ts';
import { closeQuietly, rewriteAppendOnlyFile, runSync, tempRewriteBgName, tempRewriteName, type RewriteFileParams } from './rewrite-file.ts';
import { finishRewriteCleanup } from './rewrite-done-cleanup.ts';
import { redis70RewriteChild } from './redis70-child.ts';
import { bgUnlink } from './bg-unlink.ts';
import { aofRewriteLimited } from './rewrite-limit.ts';
import type { RewriteStrategy } from './rewrite-strategy.ts';
import { signalNumber } from './signals.ts';
import { defaultRdbEncoder } from './rdb-body.ts';
import type { BugName } from '../bugs.ts';
import type { ChildProgram } from '../../ports/tasks.ts';
import type { Keyspace } from '../../keyspace/keyspace.ts';
import { encodeSnapshot } from '../../child/snapshot.ts';
import type { Redis70RewriteJobParams } from '../../child/child-jobs.ts';

function manifestOf(host: RewriteHost): Manifest {
  if (!host.state.manifest) host.state.manifest = emptyManifest();
  return host.state.manifest;
}

function persistOptions(host: RewriteHost): { log: RewriteHost['log']; bugs: BugName[] } {
  return { log: host.log, bugs: [...host.config.bugs] };
}

/** redis: getNewIncrAofName: adds `F.<++seq>.incr.aof` to `m`. */
function addNewIncr(host: RewriteHost, m: Manifest): string {
  m.currIncrSeq++;
  const name = getIncrFileName(host.config.appendfilename, m.currIncrSeq);
  m.incrs.push({ name, seq: m.currIncrSeq, type: 'i' });
  m.dirty = true;
  return name;
}

/** redis: getNewBaseFileNameAndMarkPreAsHistory. */
function newBaseMarkPreAsHistory(host: RewriteHost, m: Manifest): string {
  if (m.base) m.history.unshift({ ...m.base, type: 'h' });
  m.currBaseSeq++;
  const name = getBaseFileName(host.config.appendfilename, m.currBaseSeq, host.config.aofUseRdbPreamble ? 'rdb' : 'aof');
  m.base = { name, seq: m.currBaseSeq, type: 'b' };
  m.dirty = true;
  return name;
}

/** redis: markRewrittenIncrAofAsHistory (keeps the last INCR when an fd is open on it). */
function markRewrittenIncrAsHistory(host: RewriteHost, m: Manifest): void {
  if (m.incrs.length === 0) return;
  const keep = host.state.aofFd !== null ? 1 : 0;
  for (let i = m.incrs.length - 1 - keep; i >= 0; i--) m.history.unshift({ ...m.incrs[i], type: 'h' });
  m.incrs = keep ? m.incrs.slice(-1) : [];
  m.dirty = true;
}

/** redis: openNewIncrAofForAppend (7.0). Returns false on failure. */
export function openNewIncrAofForAppend(host: RewriteHost): boolean {
  const { state: s, config: cfg, log, fs } = host;
  if (s.aofState === 'off') return true;
  const dir = aofDirPath(cfg);
  const useTemp = s.aofState === 'wait-rewrite' && !cfg.bugs.has('temp-incr-in-manifest');
  if (s.aofState === 'wait-rewrite' && !useTemp) log.mark('rewrite.redis70.bug-temp-incr-in-manifest');
  let temp: Manifest | null = null;
  let name: string;
  if (useTemp) {
    name = getTempIncrName(cfg.appendfilename);
  } else {
    temp = dupManifest(manifestOf(host));
    name = addNewIncr(host, temp);
  }
  if (useTemp && !cfg.bugs.has('temp-incr-reopened-truncated')) {
    // DIVERGENCE(redis): Redis 7.x reopens a leftover temp INCR (from an earlier enable that was
    // turned off again) with O_TRUNC and never fsyncs it before renaming it into the manifest: after
    // a power loss the truncation may be lost and the old commands, already in the new BASE, come
    // back in the INCR (found by the campaign; appendfsync no). aofsim unlinks the leftover first,
    // so the new temp INCR is a new, empty inode; bug switch 'temp-incr-reopened-truncated' restores
    // the 7.x reuse.
    try {
      fs.unlink(joinPath(dir, name));
    } catch (e) {
      if (!isFsError(e)) throw e;
    }
  }
  // DIVERGENCE(redis): Redis 7.x (and Valkey 8.0) open this INCR with O_WRONLY|O_TRUNC|O_CREAT, no
  // O_APPEND (the startup path has it). flushAppendOnlyFile's short-write recovery ftruncates the
  // file back but not the offset, so the retry lands past the end and leaves a hole of NUL bytes
  // the next start refuses (found by the campaign's properties, reproduced on 7.0.15:
  // docs/findings/incr-short-write-leaves-nul-hole.md). aofsim adds O_APPEND; bug switch
  // 'incr-short-write-leaves-nul-hole' restores the 7.x flags.
  const nulHole = cfg.bugs.has('incr-short-write-leaves-nul-hole');
  if (nulHole) log.mark('rewrite.redis70.bug-incr-without-append');
  let newfd: FileHandle;
  try {
    newfd = fs.open(joinPath(dir, name), nulHole ? 'create-truncate' : 'create-truncate-append');
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Can't open the append-only file ${name}: ${e.strerror}`);
    return false;
  }
  log.mark('rewrite.redis70.incr-opened');
  host.events?.({ kind: 'rewrite-incr-opened' });
  if (temp) {
    try {
      persistManifest(fs, dir, cfg.appendfilename, temp, persistOptions(host));
    } catch (e) {
      if (!isFsError(e)) throw e;
      closeQuietly(newfd);
      return false;
    }
  }
  if (temp) {
    log.mark('rewrite.redis70.incr-manifest-persisted');
    host.events?.({ kind: 'rewrite-incr-manifest-persisted' });
  }
  log.log('notice', `Creating AOF incr file ${name} on background rewrite`);
  if (s.aofFd !== null) {
    const fsync = !cfg.bugs.has('old-incr-not-fsynced');
    if (!fsync) log.mark('rewrite.redis70.bug-old-incr-not-fsynced');
    host.tasks.submitBio({ kind: 'close', handle: s.aofFd, fsync });
    s.aofLastFsyncS = unixtimeS(host.clock);
  }
  s.aofFd = newfd;
  s.aofFdPath = joinPath(dir, name);
  s.aofLastIncrSize = 0;
  s.aofLastIncrFsyncOffset = 0;
  if (temp) s.manifest = temp;
  s.redis70.tempIncr = useTemp;
  return true;
}

/** The child's parameters as plain data (a ChildJob's params; src/child/child-jobs.ts). */
function childJobParams(host: RewriteHost): Redis70RewriteJobParams {
  const cfg = host.config;
  return {
    numDbs: host.keyspace.numDbs,
    rdbKeySaveDelayUs: host.rdbKeySaveDelayUs?.() ?? 0,
    dir: cfg.dir,
    profile: cfg.profile,
    nowMs: host.clock.nowMs(),
    useRdb: cfg.aofUseRdbPreamble,
    incrementalFsync: cfg.aofRewriteIncrementalFsync,
    timestampS: cfg.aofTimestampEnabled ? unixtimeS(host.clock) : null,
    // Bug switch 'rewrite-skips-expired' (docs/redis-bugs.md#bug-15): the 4.0 rule in a 7.x child.
    skipExpired: cfg.bugs.has('rewrite-skips-expired'),
  };
}

/**
 * `jp` with this process's ports and `snapshot`. Field by field: a spread with added keys takes
 * V8's slow path, a measurable share of a 7.0 server's first start (which writes its base file here).
 */
function childParams(host: RewriteHost, jp: Redis70RewriteJobParams, snapshot: Keyspace): RewriteFileParams {
  return {
    dir: jp.dir,
    profile: jp.profile,
    nowMs: jp.nowMs,
    useRdb: jp.useRdb,
    incrementalFsync: jp.incrementalFsync,
    timestampS: jp.timestampS,
    skipExpired: jp.skipExpired,
    fs: host.fs,
    log: host.log,
    clock: host.clock,
    snapshot,
    encodeRdb: host.encodeRdb ?? defaultRdbEncoder(host.config.profile),
  };
}

/** redis: rewriteAppendOnlyFileBackground (7.0). */
export function redis70RewriteAppendOnlyFileBackground(host: RewriteHost): 'started' | 'error' {
  const { state: s, config: cfg, log } = host;
  if (hasActiveChild(s)) return 'error';
  const dir = aofDirPath(cfg);
  try {
    host.fs.mkdir(dir, true);
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Can't open or create append-only dir ${cfg.appenddirname}: ${e.strerror}`);
    s.aofLastBgrewriteStatus = 'err';
    return 'error';
  }
  // The next fed command starts with SELECT in the new INCR.
  s.aofSelectedDb = -1;
  host.flushAppendOnlyFile(true);
  // FAULT: a short write left commands in aof_buf. They ran before the fork, so they are in the
  // snapshot; written to the new INCR they would be applied twice (redis/redis#14372, 2025: skip
  // the rewrite). Bug switch 'rewrite-after-short-write' restores 7.0.15, which goes on.
  if (s.aofBuf.length > 0 && s.aofFd !== null) {
    if (cfg.bugs.has('rewrite-after-short-write')) {
      log.mark('rewrite.redis70.bug-rewrite-after-short-write');
    } else {
      log.mark('rewrite.redis70.skip-after-short-write');
      // DIVERGENCE(redis): 7.0.15 has no such check; the wording is aofsim's.
      log.log('warning', 'Skipping the AOF rewrite: the AOF buffer could not be fully written (short write or write error)');
      return 'error';
    }
  }
  if (!openNewIncrAofForAppend(host)) {
    log.mark('rewrite.redis70.open-new-incr-failed');
    s.aofLastBgrewriteStatus = 'err';
    return 'error';
  }
  s.statAofRewrites++;
  const jp = childJobParams(host);
  // The snapshot is taken inside fork(): a clone for a child stepped in this process, RDB bytes for
  // one that runs in another process (serve).
  const program: ChildProgram = (pid) => redis70RewriteChild(childParams(host, jp, host.keyspace.clone()))(pid);
  let pid: number;
  try {
    pid = host.tasks.fork(program, { kind: 'aof-rewrite-redis70', params: jp, snapshot: () => encodeSnapshot(host.keyspace) });
  } catch (e) {
    if (!isForkError(e)) throw e;
    log.mark('rewrite.redis70.fork-failed');
    s.aofLastBgrewriteStatus = 'err';
    log.log('warning', `Can't rewrite append only file in background: fork: ${e.message.replace(/^fork failed: /, '')}`);
    return 'error';
  }
  log.log('notice', `Background append only file rewriting started by pid ${pid}`);
  s.aofRewriteScheduled = false;
  s.aofRewriteTimeStartMs = jp.nowMs;
  s.aofChildPid = pid;
  s.statCurrentSaveKeysTotal = host.keyspace.size();
  return 'started';
}

/** redis: getAppendOnlyFileSize (stat of a file in the aof dir; 0 with a log line on failure). */
function aofFileSize(host: RewriteHost, name: string): number {
  try {
    return host.fs.stat(joinPath(aofDirPath(host.config), name)).sizeBytes;
  } catch (e) {
    if (!isFsError(e)) throw e;
    host.log.log('warning', `Unable to obtain the AOF file ${name} length. stat: ${e.strerror}`);
    return 0;
  }
}

/** redis: aofDelHistoryFiles. Skipped with aof-disable-auto-gc. */
export function aofDelHistoryFiles(host: RewriteHost): boolean {
  const m = host.state.manifest;
  if (!m || host.config.aofDisableAutoGc || m.history.length === 0) return true;
  const dir = aofDirPath(host.config);
  host.log.mark('rewrite.redis70.history-unlink');
  host.events?.({ kind: 'history-unlink' });
  for (const h of m.history) {
    host.log.log('notice', `Removing the history file ${h.name} in the background`);
    bgUnlink(host, joinPath(dir, h.name));
  }
  m.history = [];
  m.dirty = true;
  try {
    persistManifest(host.fs, dir, host.config.appendfilename, m, persistOptions(host));
    return true;
  } catch (e) {
    if (!isFsError(e)) throw e;
    return false;
  }
}

/** redis: aofRemoveTempFile (7.0: both temp names). */
export function redis70RemoveTempFile(host: RewriteHost, childPid: number): void {
  bgUnlink(host, joinPath(host.config.dir, tempRewriteBgName(childPid)));
  bgUnlink(host, joinPath(host.config.dir, tempRewriteName(childPid)));
}

/** redis: backgroundRewriteDoneHandler (7.0). */
export function redis70BackgroundRewriteDoneHandler(host: RewriteHost, exit: ChildExit): void {
  const { state: s, log } = host;
  if (exit.signal === null && exit.exitCode === 0) {
    log.log('notice', 'Background AOF rewrite terminated with success');
    if (!switchIn(host, exit.pid)) {
      s.aofLastBgrewriteStatus = 'err';
      s.statAofrwConsecutiveFailures++;
    }
  } else if (exit.signal === null) {
    s.aofLastBgrewriteStatus = 'err';
    s.statAofrwConsecutiveFailures++;
    log.mark('rewrite.redis70.child-error');
    log.log('warning', 'Background AOF rewrite terminated with error');
  } else {
    if (exit.signal !== 'SIGUSR1') {
      s.aofLastBgrewriteStatus = 'err';
      s.statAofrwConsecutiveFailures++;
    }
    log.mark(exit.signal === 'SIGUSR1' ? 'rewrite.redis70.killed-sigusr1' : 'rewrite.redis70.killed');
    log.log('warning', `Background AOF rewrite terminated by signal ${signalNumber(exit.signal)}`);
  }
  // cleanup:
  redis70RemoveTempFile(host, exit.pid);
  if (s.aofState === 'wait-rewrite') {
    dropAofBuf(s, host.config, log, 'rewrite.redis70.wait-rewrite-error-dropped');
    const name = getTempIncrName(host.config.appendfilename);
    log.log('notice', `Removing the temp incr aof file ${name} in the background`);
    bgUnlink(host, joinPath(aofDirPath(host.config), name));
  }
  finishRewriteCleanup(host);
}

/** The success branch. Returns false on a failure that must be counted. */
function switchIn(host: RewriteHost, childPid: number): boolean {
  const { state: s, config: cfg, log, fs } = host;
  const dir = aofDirPath(cfg);
  const tmpName = tempRewriteBgName(childPid);
  const temp = dupManifest(manifestOf(host));
  const baseName = newBaseMarkPreAsHistory(host, temp);
  const basePath = joinPath(dir, baseName);
  try {
    fs.rename(joinPath(cfg.dir, tmpName), basePath);
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Error trying to rename the temporary AOF base file ${tmpName} into ${basePath}: ${e.strerror}`);
    return false;
  }
  log.mark('rewrite.redis70.base-renamed');
  host.events?.({ kind: 'rewrite-base-renamed' });
  log.log('notice', `Successfully renamed the temporary AOF base file ${tmpName} into ${baseName}`);
  let incrPath: string | null = null;
  if (s.aofState === 'wait-rewrite' && s.redis70.tempIncr) {
    const tempIncrName = getTempIncrName(cfg.appendfilename);
    const tempIncrPath = joinPath(dir, tempIncrName);
    const incrName = addNewIncr(host, temp);
    incrPath = joinPath(dir, incrName);
    try {
      fs.rename(tempIncrPath, incrPath);
    } catch (e) {
      if (!isFsError(e)) throw e;
      log.log('warning', `Error trying to rename the temporary AOF incr file ${tempIncrPath} into ${incrPath}: ${e.strerror}`);
      bgUnlink(host, basePath);
      return false;
    }
    if (s.aofFd) s.aofFdPath = incrPath;
    log.log('notice', `Successfully renamed the temporary AOF incr file ${tempIncrName} into ${incrName}`);
  }
  markRewrittenIncrAsHistory(host, temp);
  try {
    persistManifest(fs, dir, cfg.appendfilename, temp, persistOptions(host));
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.mark('rewrite.redis70.persist-failed-rollback');
    bgUnlink(host, basePath);
    if (incrPath) bgUnlink(host, incrPath);
    return false;
  }
  s.manifest = temp;
  s.redis70.tempIncr = false;
  if (s.aofState !== 'off') {
    s.aofCurrentSize = aofFileSize(host, baseName) + s.aofLastIncrSize;
    s.aofRewriteBaseSize = s.aofCurrentSize;
    if (cfg.bugs.has('done-handler-fsync-reset') && s.aofFd !== null) {
      // Bug switch (docs/redis-bugs.md#bug-3, redis/redis#11973): 7.0.0-7.0.9 reset the fsync bookkeeping here
      // as if the INCR had just been fsynced, so its unsynced tail was never fsynced.
      log.mark('rewrite.redis70.bug-done-handler-fsync-reset');
      s.aofLastIncrFsyncOffset = s.aofLastIncrSize;
      s.aofLastFsyncS = unixtimeS(host.clock);
    }
  }
  aofDelHistoryFiles(host);
  s.aofLastBgrewriteStatus = 'ok';
  s.statAofrwConsecutiveFailures = 0;
  log.mark('rewrite.redis70.switched');
  host.events?.({ kind: 'rewrite-switched', generation: 'redis-7.0' });
  log.log('notice', 'Background AOF rewrite finished successfully');
  if (s.aofState === 'wait-rewrite') s.aofState = 'on';
  return true;
}

/**
 * The BASE part of aofOpenIfNeededOnServerStart (7.0): with AOF on and a manifest with neither BASE
 * nor INCR, write a BASE of the current dataset synchronously ("Creating AOF base file %s on server
 * start"). Updates state.manifest (not persisted: the caller persists it after opening the INCR).
 * FAULT: a failed rewrite ends the process (ProcessExit 1), as Redis exits.
 */
export function createBaseOnServerStart(host: RewriteHost): 'created' | 'not-needed' {
  const { state: s, config: cfg, log } = host;
  const m = manifestOf(host);
  if (s.aofState !== 'on' || m.base || m.incrs.length > 0) return 'not-needed';
  const dir = aofDirPath(cfg);
  try {
    host.fs.mkdir(dir, true);
  } catch (e) {
    if (!isFsError(e)) throw e;
    log.log('warning', `Can't open or create append-only dir ${cfg.appenddirname}: ${e.strerror}`);
    throw new ProcessExit(1, `cannot create ${cfg.appenddirname}`);
  }
  const baseName = newBaseMarkPreAsHistory(host, m);
  const params = childParams(host, childJobParams(host), host.keyspace);
  if (runSync(rewriteAppendOnlyFile(params, host.pid ?? 1, joinPath(dir, baseName))) !== 0) {
    throw new ProcessExit(1, `cannot create the AOF base file ${baseName}`);
  }
  // genAofTimestampAnnotationIfNeeded(1) ran in this process (RESP base only).
  if (params.timestampS !== null && !params.useRdb) s.aofCurTimestamp = params.timestampS;
  log.log('notice', `Creating AOF base file ${baseName} on server start`);
  return 'created';
}


/** The redis-7.0 rewrite strategy (see rewrite-strategy.ts). */
export const redis70Rewrite: RewriteStrategy = {
  name: 'redis70',
  rewriteAppendOnlyFileBackground: redis70RewriteAppendOnlyFileBackground,
  backgroundRewriteDoneHandler: redis70BackgroundRewriteDoneHandler,
  feedRewriteBuffer: () => {},
  processRewritePipes: () => 0,
  removeTempFile: redis70RemoveTempFile,
  resetAfterKill: () => {},
  rewriteLimited: aofRewriteLimited,
  bgrewriteaof: {
    schedulesInExec: true,
    manualResetsBackoff: true,
    failureReply: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  },
};
