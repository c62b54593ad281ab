// Startup loading of all AOF files. redis: aof.c aofLoadManifestFromDisk + loadAppendOnlyFiles
// (7.0.15, 'multi-part') and server.c loadDataFromDisk + aof.c loadAppendOnlyFile (4.0.14,
// 'single-file').
//
// Multi-part (docs/redis-behaviour.md#redis70-startup, 2.2.4, 2.5): read the manifest if `dir/appenddirname/F.manifest` exists;
// upgrade an old-style `dir/F` when the dir is missing, or the manifest lists nothing, or it lists
// only a BASE named F that is not in the dir (mkdir, persist `file F seq 1 type b`, rename);
// nothing listed -> 'not-exist'; stat every BASE/INCR first (missing -> 'failed'); total size 0 ->
// 'empty'; load BASE then INCRs in manifest order (history ignored), each with a fresh AOF client;
// only the last file in load order may be short; an empty INCR is fine (docs/redis-bugs.md#bug-23).
// aof_current_size = sum of the sizes stat'ed before loading; aof_rewrite_base_size = BASE size.
//
// With `modify: false` no file is touched: the upgrade and the truncations are reported as what
// Redis would do, and the old-style file is read where it is.
//
// Invariants: every outcome is a LoadResult; 'failed' and 'open-err' carry the AofError.

import type { Fs } from '../../ports/fs.ts';
import { isFsError, joinPath } from '../../ports/fs.ts';
import { AofError, isAofError } from '../../base/errors.ts';
import type { Manifest } from '../manifest/index.ts';
import { emptyManifest, loadManifestFile, persistManifest } from '../manifest/index.ts';
import { loadSingleAppendOnlyFile } from './load-single-file.ts';
import { mergeFileResult } from './unreproduced.ts';
import type { LoadResult, LoaderConfig, LoaderDeps, LoadStatus } from './types.ts';

/** Loads the AOF of a server with this config, as Redis does at startup. */
export function loadAppendOnlyFiles(deps: LoaderDeps, cfg: LoaderConfig): LoadResult {
  return cfg.layout === 'single-file' ? loadSingleFileLayout(deps, cfg) : loadMultiPart(deps, cfg);
}

function emptyResult(status: LoadStatus, manifest: Manifest | null): LoadResult {
  return {
    status,
    truncations: [],
    currentSizeBytes: 0,
    baseSizeBytes: 0,
    manifest,
    files: [],
    notes: [],
    unreproduced: [],
    unreproducedCount: 0,
  };
}

function elapsed(deps: LoaderDeps, startMs: number): string {
  const ms = deps.clock ? deps.clock.nowMs() - startMs : 0;
  // toFixed costs about a microsecond; in the simulator a load takes no virtual time.
  return ms === 0 ? '0.000' : (ms / 1000).toFixed(3);
}

const addFile = mergeFileResult;

/** 4.0's layout: one `dir/appendfilename`, Redis 4.0 rules. redis: loadDataFromDisk (4.0). */
function loadSingleFileLayout(deps: LoaderDeps, cfg: LoaderConfig): LoadResult {
  const path = joinPath(cfg.dir, cfg.appendFilename);
  const res = emptyResult('ok', null);
  const start = deps.clock?.nowMs() ?? 0;
  const f = loadSingleAppendOnlyFile(deps, {
    file: cfg.appendFilename,
    path,
    loadTruncated: cfg.loadTruncated,
    dialect: 'redis-4.0',
    oldStyle: true,
    isLastFile: true,
  });
  addFile(res, f);
  // DIVERGENCE(redis): 4.0 opens (creates) the file before loading, so it always exists; and it
  // exit(1)s where we return 'failed' / 'open-err'.
  res.status = f.status;
  if (f.status === 'ok' || f.status === 'truncated') {
    res.currentSizeBytes = deps.fs.tryStat(path)?.sizeBytes ?? 0;
    res.baseSizeBytes = res.currentSizeBytes;
    deps.log.log('notice', `DB loaded from append only file: ${elapsed(deps, start)} seconds`);
  }
  return res;
}

function isFile(fs: Fs, path: string): boolean {
  const st = fs.tryStat(path);
  return st !== undefined && !st.isDirectory;
}

function isDir(fs: Fs, path: string): boolean {
  return fs.tryStat(path)?.isDirectory === true;
}

/** redis: aofLoadManifestFromDisk. Throws AofError (manifest unreadable or invalid). */
export function loadManifestFromDisk(deps: Pick<LoaderDeps, 'fs' | 'log'>, cfg: LoaderConfig): Manifest {
  const aofDir = joinPath(cfg.dir, cfg.appendDirname);
  if (!isDir(deps.fs, aofDir)) {
    deps.log.log('debug', `The AOF directory ${cfg.appendDirname} doesn't exist`);
    return emptyManifest();
  }
  const amName = `${cfg.appendFilename}.manifest`;
  const amPath = joinPath(aofDir, amName);
  if (!isFile(deps.fs, amPath)) {
    deps.log.log('debug', `The AOF manifest file ${amName} doesn't exist`);
    return emptyManifest();
  }
  try {
    return loadManifestFile(deps.fs, amPath);
  } catch (e) {
    if (isAofError(e) && e.code === 'AOF_MANIFEST_INVALID') {
      deps.log.log('warning', '\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
      if (e.details.line !== undefined && e.details.lineText !== undefined) {
        deps.log.log('warning', `Reading the manifest file, at line ${e.details.line}`);
        deps.log.log('warning', `>>> '${e.details.lineText}'`);
      }
      deps.log.log('warning', e.reason);
    } else if (isAofError(e)) {
      deps.log.log('warning', e.reason);
    }
    throw e;
  }
}

function loadMultiPart(deps: LoaderDeps, cfg: LoaderConfig): LoadResult {
  const { fs, log } = deps;
  const F = cfg.appendFilename;
  const aofDir = joinPath(cfg.dir, cfg.appendDirname);
  const start = deps.clock?.nowMs() ?? 0;

  let manifest: Manifest;
  try {
    manifest = loadManifestFromDisk(deps, cfg);
  } catch (e) {
    if (!isAofError(e)) throw e;
    const res = emptyResult('failed', null);
    res.error = e;
    return res;
  }
  const res = emptyResult('ok', manifest);

  // Where each listed name is read from; the old-style file stays in dir when we may not move it.
  const pathOf = new Map<string, string>();

  // docs/redis-behaviour.md#legacy-upgrade: upgrade from an old-style single file.
  const legacyPath = joinPath(cfg.dir, F);
  if (!cfg.ignoreLegacyFile && isFile(fs, legacyPath)) {
    const listsNothing = manifest.base === null && manifest.incrs.length === 0;
    const onlyLegacyBase =
      manifest.base !== null &&
      manifest.incrs.length === 0 &&
      manifest.base.name === F &&
      !isFile(fs, joinPath(aofDir, F));
    if (!isDir(fs, aofDir) || listsNothing || onlyLegacyBase) {
      const upgraded = upgradePrepare(deps, cfg, manifest);
      if (upgraded !== null) {
        res.status = 'failed';
        res.error = upgraded;
        return res;
      }
      res.upgrade = { from: legacyPath, to: joinPath(aofDir, F), performed: deps.modify };
      if (!deps.modify) {
        pathOf.set(F, legacyPath);
        res.notes.push(
          `Redis would migrate the old-style AOF file ${legacyPath} into ${aofDir}/ (new manifest: file ${F} seq 1 type b)`,
        );
      }
    }
  }

  if (manifest.base === null && manifest.incrs.length === 0) {
    res.status = 'not-exist';
    return res;
  }

  const order = [...(manifest.base ? [manifest.base] : []), ...manifest.incrs];
  const sizes: number[] = [];
  let total = 0;
  for (const ai of order) {
    const path = pathOf.get(ai.name) ?? joinPath(aofDir, ai.name);
    pathOf.set(ai.name, path);
    let size: number;
    try {
      size = fs.stat(path).sizeBytes;
    } catch (e) {
      if (!isFsError(e)) throw e;
      // FAULT: a file listed in the manifest is missing (or cannot be stat'ed): fatal.
      const reason = `Unable to obtain the AOF file ${ai.name} length. stat: ${e.strerror}`;
      log.log('warning', reason);
      res.status = e.code === 'ENOENT' ? 'failed' : 'open-err';
      res.error = new AofError(e.code === 'ENOENT' ? 'AOF_MISSING_FILE' : 'AOF_OPEN', reason, { file: ai.name });
      return res;
    }
    sizes.push(size);
    total += size;
  }
  if (total === 0) {
    res.status = 'empty';
    log.log('notice', `DB loaded from append only file: ${elapsed(deps, start)} seconds`);
    return res;
  }

  let status: LoadStatus = 'ok';
  for (let i = 0; i < order.length; i++) {
    const ai = order[i];
    const isBase = manifest.base !== null && i === 0;
    const isLast = i === order.length - 1;
    const fileStart = deps.clock?.nowMs() ?? 0;
    const f = loadSingleAppendOnlyFile(deps, {
      file: ai.name,
      path: pathOf.get(ai.name) ?? joinPath(aofDir, ai.name),
      loadTruncated: cfg.loadTruncated,
      dialect: 'redis-7.0',
      oldStyle: ai.name === F,
      isLastFile: isLast,
    });
    addFile(res, f);
    let ret = f.status;
    if (ret === 'ok' || (ret === 'truncated' && isLast)) {
      log.log('notice', `DB loaded from ${isBase ? 'base' : 'incr'} file ${ai.name}: ${elapsed(deps, fileStart)} seconds`);
    }
    if (ret === 'empty' && !isBase) {
      // docs/redis-bugs.md#bug-23 (redis/redis#10295): an empty INCR is not an empty data set.
      ret = isLast && deps.bugs?.has('empty-last-incr') === true ? 'empty' : 'ok';
    }
    if (ret === 'truncated' && !isLast) {
      log.log('warning', 'Fatal error: the truncated file is not the last file');
      res.status = 'failed';
      res.error = new AofError('AOF_NOT_LAST_FILE', 'Fatal error: the truncated file is not the last file', {
        file: ai.name,
        lastValidOffset: f.validUpTo,
      });
      return res;
    }
    if (ret === 'open-err' || ret === 'failed') {
      res.status = ret;
      return res;
    }
    status = ret;
  }
  res.status = status;
  if (status === 'empty') return res; // docs/redis-bugs.md#bug-23 reproduced: sizes never recorded
  res.currentSizeBytes = total;
  res.baseSizeBytes = manifest.base ? sizes[0] : 0;
  log.log('notice', `DB loaded from append only file: ${elapsed(deps, start)} seconds`);
  return res;
}

/** redis: aof.c aofUpgradePrepare. Returns the AofError that would make Redis exit, or null. */
function upgradePrepare(deps: LoaderDeps, cfg: LoaderConfig, manifest: Manifest): AofError | null {
  const { fs, log } = deps;
  const F = cfg.appendFilename;
  const aofDir = joinPath(cfg.dir, cfg.appendDirname);
  manifest.base = { name: F, seq: 1, type: 'b' };
  manifest.currBaseSeq = 1;
  manifest.dirty = true;
  if (!deps.modify) return null;
  try {
    fs.mkdir(aofDir, true);
  } catch (e) {
    if (!isFsError(e)) throw e;
    const reason = `Can't open or create append-only dir ${cfg.appendDirname}: ${e.strerror}`;
    log.log('warning', reason);
    return new AofError('AOF_OPEN', reason, { file: cfg.appendDirname });
  }
  try {
    persistManifest(fs, aofDir, F, manifest, { log });
  } catch (e) {
    if (!isFsError(e)) throw e;
    return new AofError('AOF_OPEN', `Failed to persist the AOF manifest during the upgrade: ${e.strerror}`, {
      file: `${F}.manifest`,
    });
  }
  try {
    fs.rename(joinPath(cfg.dir, F), joinPath(aofDir, F));
  } catch (e) {
    if (!isFsError(e)) throw e;
    const reason = `Error trying to move the old AOF file ${F} into dir ${cfg.appendDirname}: ${e.strerror}`;
    log.log('warning', reason);
    return new AofError('AOF_OPEN', reason, { file: F });
  }
  log.log(
    'notice',
    `Successfully migrated an old-style AOF file (${F}) into the AOF directory (${cfg.appendDirname}).`,
  );
  log.mark('loader.legacy-upgrade');
  return null;
}
