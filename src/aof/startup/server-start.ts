// Server startup as far as the AOF is concerned: load the data, open the file(s) appends go to.
// redis 7.0: server.c main -> aofLoadManifestFromDisk, loadDataFromDisk (loadAppendOnlyFiles),
//            aofOpenIfNeededOnServerStart, aofDelHistoryFiles (docs/redis-behaviour.md#redis70-startup).
// redis 4.0: initServer opens appendonly.aof O_WRONLY|O_APPEND|O_CREAT *before* loading, then
//            loadDataFromDisk -> loadAppendOnlyFile, aofUpdateCurrentSize, base size = current size.
//
// With appendonly no, loadDataFromDisk loads dbfilename instead (StartDeps.loadRdb, src/persistence).
// FAULT: every failure Redis answers with exit(1) throws ProcessExit(1) after Redis's log line.
//
// Invariants after a successful start with appendonly yes: state.aofState === 'on', aofFd is open on
// the file appends go to (4.0: appendonly.aof; 7.0: the last INCR, listed in the persisted manifest),
// aofCurrentSize/aofRewriteBaseSize are set as Redis sets them, and the fsynced offset equals the
// written size (5.0.5+ aof_fsync_offset = aof_current_size after load).

import type { CommandExecutor } from '../../commands/types.ts';
import { isFsError, joinPath } from '../../ports/fs.ts';
import { unixtimeS } from '../../ports/clock.ts';
import { ProcessExit } from '../../base/process-exit.ts';
import { isAofError } from '../../base/errors.ts';
import { loadAppendOnlyFiles, loadManifestFromDisk, type LoaderConfig, type LoadResult, type RdbPreambleLoader } from '../loader/index.ts';
import { emptyManifest, getIncrFileName, persistManifest } from '../manifest/index.ts';
import { aofDelHistoryFiles, createBaseOnServerStart, type RewriteHost } from '../rewrite/index.ts';
import { aofDirPath, aofFilePath } from '../state.ts';

export interface StartDeps {
  /** Runs the AOF's commands for the loading client (the server's own executor). */
  executor: CommandExecutor;
  /** Loads an RDB preamble / RDB BASE into the server's keyspace. */
  rdb: RdbPreambleLoader;
  /** redis: loadDataFromDisk's RDB branch (appendonly no): loads dbfilename; may throw ProcessExit. */
  loadRdb?: () => void;
}

export function loaderConfigOf(host: RewriteHost): LoaderConfig {
  const cfg = host.config;
  return {
    dir: cfg.dir,
    appendFilename: cfg.appendfilename,
    appendDirname: cfg.appenddirname,
    loadTruncated: cfg.aofLoadTruncated,
    layout: cfg.profile === 'redis-4.0' ? 'single-file' : 'multi-part',
  };
}

/** The whole AOF part of startup for either profile. Returns the load result (null when AOF is off). */
export function aofServerStart(host: RewriteHost, deps: StartDeps): LoadResult | null {
  const st = host.state;
  st.aofLastFsyncS = unixtimeS(host.clock);
  if (host.config.profile === 'redis-4.0') return start40(host, deps);

  // aofLoadManifestFromDisk: a bad manifest is fatal.
  try {
    st.manifest = loadManifestFromDisk({ fs: host.fs, log: host.log }, loaderConfigOf(host));
  } catch (e) {
    if (isAofError(e)) throw new ProcessExit(1, e.message);
    throw e;
  }
  let result: LoadResult | null = null;
  if (host.config.appendonly) {
    st.aofState = 'on';
    result = load(host, deps);
    if (result.manifest) st.manifest = result.manifest;
  } else deps.loadRdb?.();
  aofOpenIfNeededOnServerStart(host);
  aofDelHistoryFiles(host);
  return result;
}

function load(host: RewriteHost, deps: StartDeps): LoadResult {
  const st = host.state;
  const result = loadAppendOnlyFiles(
    { fs: host.fs, log: host.log, events: host.events, executor: deps.executor, modify: true, rdb: deps.rdb, clock: host.clock, bugs: host.config.bugs },
    loaderConfigOf(host),
  );
  if (result.status === 'failed' || result.status === 'open-err') {
    // FAULT: Redis exits when the AOF cannot be loaded (loadDataFromDisk: AOF_FAILED / AOF_OPEN_ERR).
    host.events?.({ kind: 'load-failed', status: result.status, errorCode: result.error?.code ?? null });
    throw new ProcessExit(1, result.error?.message ?? `AOF load ${result.status}`);
  }
  st.aofCurrentSize = result.currentSizeBytes;
  st.aofRewriteBaseSize = result.baseSizeBytes;
  st.aofFsyncOffset = st.aofCurrentSize;
  return result;
}

/** redis 7.0: aofOpenIfNeededOnServerStart. */
export function aofOpenIfNeededOnServerStart(host: RewriteHost): void {
  const st = host.state;
  const cfg = host.config;
  if (st.aofState !== 'on') return;
  const dir = aofDirPath(cfg);
  try {
    host.fs.mkdir(dir, true);
  } catch (e) {
    if (!isFsError(e)) throw e;
    host.log.log('warning', `Can't open or create append-only dir ${cfg.appenddirname}: ${e.strerror}`);
    throw new ProcessExit(1, `cannot create ${cfg.appenddirname}`);
  }
  if (st.manifest === null) st.manifest = emptyManifest();
  // An empty data set still gets a BASE, written synchronously (docs/redis-behaviour.md#redis70-startup).
  createBaseOnServerStart(host);
  const m = st.manifest;
  let name: string;
  const opening = m.incrs.length > 0;
  if (opening) {
    name = m.incrs[m.incrs.length - 1].name;
  } else {
    // DIVERGENCE(redis): Redis 7.x takes the INCR seq from INCR lines only; after a rewrite with
    // appendonly no (every INCR moved to history) and a crash before the history is deleted, the
    // new INCR gets the name of a history INCR: the old file is reopened for append and then
    // unlinked as history, so the next start fails (found by the campaign). aofsim numbers past
    // the history; bug switch 'incr-seq-reuses-history' restores the 7.x numbering.
    if (!cfg.bugs.has('incr-seq-reuses-history')) {
      for (const h of m.history) if (h.name === getIncrFileName(cfg.appendfilename, h.seq)) m.currIncrSeq = Math.max(m.currIncrSeq, h.seq);
    }
    m.currIncrSeq++;
    name = getIncrFileName(cfg.appendfilename, m.currIncrSeq);
    m.incrs.push({ name, seq: m.currIncrSeq, type: 'i' });
    m.dirty = true;
  }
  const path = joinPath(dir, name);
  try {
    st.aofFd = host.fs.open(path, 'append');
    st.aofFdPath = path;
  } catch (e) {
    if (!isFsError(e)) throw e;
    host.log.log('warning', `Can't open the append-only file ${name}: ${e.strerror}`);
    throw new ProcessExit(1, `cannot open ${name}`);
  }
  try {
    if (m.dirty !== false) persistManifest(host.fs, dir, cfg.appendfilename, m, { log: host.log, bugs: [...cfg.bugs] });
  } catch (e) {
    if (!isFsError(e)) throw e;
    throw new ProcessExit(1, `cannot persist the AOF manifest: ${e.message}`);
  }
  st.aofLastIncrSize = st.aofFd.stat().sizeBytes;
  st.aofLastIncrFsyncOffset = st.aofLastIncrSize;
  host.log.log('notice', `${opening ? 'Opening' : 'Creating'} AOF incr file ${name} on server start`);
}

/** redis 4.0: initServer's open + loadDataFromDisk. */
function start40(host: RewriteHost, deps: StartDeps): LoadResult | null {
  const st = host.state;
  const cfg = host.config;
  if (!cfg.appendonly) {
    deps.loadRdb?.();
    return null;
  }
  st.aofState = 'on';
  const path = aofFilePath(cfg);
  try {
    st.aofFd = host.fs.open(path, 'append');
    st.aofFdPath = path;
  } catch (e) {
    if (!isFsError(e)) throw e;
    host.log.log('warning', `Can't open the append-only file: ${e.strerror}`);
    throw new ProcessExit(1, `cannot open ${cfg.appendfilename}`);
  }
  const result = load(host, deps);
  // aofUpdateCurrentSize: fstat of the open fd (after any load-time truncation).
  st.aofCurrentSize = st.aofFd.stat().sizeBytes;
  st.aofRewriteBaseSize = st.aofCurrentSize;
  st.aofFsyncOffset = st.aofCurrentSize;
  return result;
}
