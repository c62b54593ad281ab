// Loads an AOF read-only exactly as Redis 7.0 would at startup and renders the canonical dump: the
// engine of `aofsim dump`, `aofsim validate files` and the conformance tests.
//
// PATH may be: an AOF file (loaded alone, as loadSingleAppendOnlyFile would); a manifest; a
// directory holding a manifest of any name (an appenddirname); or a Redis `dir` holding
// `appendonlydir/` and/or an old-style `appendonly.aof` (the legacy upgrade is reported, not
// performed). Files are never modified: what Redis would truncate or migrate is said on stderr.
// Exit code 0 with the dump; 1 with the reason where Redis would refuse to start; 2 when PATH
// names nothing loadable (missing, not a directory, a manifest under another name).
// A directory without any AOF is Redis's dir before the first write: Redis starts empty.
//
// Key expiry: with atMs, keys whose expire time is <= atMs are left out and atMs is also the clock
// commands see (e.g. a relative EXPIRE in an old AOF), so the output is reproducible.

import { formatUnreproduced, loadAppendOnlyFiles, loadSingleAppendOnlyFile, rdbLoaderFor, singleFileLoadResult } from '../loader/index.ts';
import type { LoadResult, LoaderConfig, LoaderDeps } from '../loader/index.ts';
import { Executor } from '../../commands/executor.ts';
import { formatCanonicalDump, writeCanonicalDump } from '../../keyspace/canonical-dump.ts';
import { Keyspace } from '../../keyspace/keyspace.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FileStat, Fs } from '../../ports/fs.ts';
import { basename, dirname, isFsError, joinPath } from '../../ports/fs.ts';
import { MemoryLog } from '../../ports/log.ts';
import { datasetDigest } from '../../keyspace/digest.ts';
import { SeededRandom } from '../../ports/random.ts';
import { DUPLICATED_KEY_REASON } from '../../rdb/load-rdb.ts';

export interface DumpOptions {
  path: string;
  loadTruncated: boolean;
  atMs?: number;
  verbose: boolean;
  /** Return the dump as DumpRun.writeStdout (streamed in chunks) instead of one stdout string. */
  stream?: boolean;
  /** Print Redis's DEBUG DIGEST of the loaded data set instead of the dump. */
  digest?: boolean;
}

/** How PATH maps onto Redis's configuration. */
export type ResolvedAofPath =
  | { kind: 'single-file'; path: string; file: string }
  | { kind: 'multi-part'; config: Omit<LoaderConfig, 'loadTruncated'> };

/** First non-comment line starts with "file" (redis-check-aof's manifest test, redis/redis#12958). */
function looksLikeManifest(fs: Fs, path: string): boolean {
  if (path.endsWith('.manifest')) return true;
  const h = fs.open(path, 'read');
  try {
    const head = Buffer.from(h.read(4096, 0)).toString('latin1');
    for (const line of head.split('\n')) {
      if (line.startsWith('#')) continue;
      return line.startsWith('file');
    }
    return false;
  } finally {
    h.close();
  }
}

function manifestConfig(manifestPath: string): ResolvedAofPath {
  const name = basename(manifestPath);
  if (!name.endsWith('.manifest') || name === '.manifest') {
    throw new ResolveError(`${manifestPath}: a manifest must be named <appendfilename>.manifest`);
  }
  const aofDir = dirname(manifestPath);
  return {
    kind: 'multi-part',
    config: {
      dir: dirname(aofDir),
      appendDirname: basename(aofDir),
      appendFilename: name.slice(0, -'.manifest'.length),
      layout: 'multi-part',
      // dir/ is not known to be Redis's dir: do not look for an old-style file there.
      ignoreLegacyFile: true,
    },
  };
}

/** PATH names nothing Redis could load (the message names the path). */
export class ResolveError extends Error {}

function manifestsIn(fs: Fs, dir: string): string[] {
  return fs
    .readdir(dir)
    .filter((n) => n.endsWith('.manifest') && !n.startsWith('temp-') && fs.tryStat(joinPath(dir, n))?.isDirectory === false);
}

/** Maps PATH to what Redis would load (see the file header). Throws ResolveError. */
export function resolveAofPath(fs: Fs, rawPath: string): ResolvedAofPath {
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  let st: FileStat;
  try {
    st = fs.stat(path);
  } catch (e) {
    // The real errno's words: `FILE/x` with FILE a regular file is ENOTDIR, not ENOENT.
    if (isFsError(e)) throw new ResolveError(`${path}: ${e.strerror}`);
    throw e;
  }
  if (!st.isDirectory) {
    if (looksLikeManifest(fs, path)) return manifestConfig(path);
    return { kind: 'single-file', path, file: basename(path) };
  }
  const here = manifestsIn(fs, path);
  if (here.length > 1) throw new ResolveError(`${path}: more than one manifest (${here.join(', ')}); name one`);
  if (here.length === 1) return manifestConfig(joinPath(path, here[0]));
  const aofDir = joinPath(path, 'appendonlydir');
  const hasAofDir = fs.tryStat(aofDir)?.isDirectory === true;
  const legacy = fs.tryStat(joinPath(path, 'appendonly.aof'));
  // No AOF at all: taken as Redis's dir, which Redis starts from with an empty data set (the
  // load reports "not-exist").
  let appendFilename = 'appendonly.aof';
  if (hasAofDir && fs.tryStat(joinPath(aofDir, 'appendonly.aof.manifest')) === undefined) {
    const inside = manifestsIn(fs, aofDir);
    if (inside.length === 1) appendFilename = inside[0].slice(0, -'.manifest'.length);
  }
  return {
    kind: 'multi-part',
    config: { dir: path, appendDirname: 'appendonlydir', appendFilename, layout: 'multi-part' },
  };
}

export interface DumpRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  result?: LoadResult;
  /** With DumpOptions.stream: writes the dump to `write` chunk by chunk (stdout is then ''). */
  writeStdout?: (write: (chunk: string) => void) => void;
}

/** Runs a dump on any Fs (the CLI passes the real disk and clock). */
export function runDump(fs: Fs, opts: DumpOptions, realClock: Clock): DumpRun {
  let resolved: ResolvedAofPath;
  try {
    resolved = resolveAofPath(fs, opts.path);
  } catch (e) {
    // PATH names nothing (ENOENT, ENOTDIR, a misnamed manifest): the user's mistake, exit 2.
    if (e instanceof ResolveError) return { exitCode: 2, stdout: '', stderr: `aofsim dump: ${e.message}\n` };
    throw e;
  }
  const keyspace = new Keyspace();
  const log = new MemoryLog();
  const clock: Clock = opts.atMs !== undefined ? { nowMs: () => opts.atMs as number } : realClock;
  const executor = new Executor(keyspace, { profile: 'redis-7.0', clock, random: new SeededRandom(0), log });
  const deps: LoaderDeps = {
    fs,
    log,
    executor,
    modify: false,
    clock: realClock,
    rdb: rdbLoaderFor(keyspace),
  };
  let result: LoadResult;
  if (resolved.kind === 'single-file') {
    const f = loadSingleAppendOnlyFile(deps, {
      file: resolved.file,
      path: resolved.path,
      loadTruncated: opts.loadTruncated,
      dialect: 'redis-7.0',
      oldStyle: resolved.file === 'appendonly.aof',
      isLastFile: true,
    });
    result = singleFileLoadResult(f);
  } else {
    result = loadAppendOnlyFiles(deps, { ...resolved.config, loadTruncated: opts.loadTruncated });
  }

  const err: string[] = [];
  if (opts.verbose) for (const l of log.lines) err.push(`redis: ${l.message}`);
  else for (const l of log.lines) if (l.message.startsWith('== CRITICAL ==')) err.push(`redis: ${l.message}`);
  const failedCommands = log.marks.get('loader.command-error') ?? 0;
  if (failedCommands > 0) {
    err.push(
      `aofsim dump: warning: ${failedCommands} command(s) replied with an error while loading (logged above); ` +
        'Redis logs and skips them too, but if aofsim does not support a command the dump differs from Redis',
    );
  }
  if (result.upgrade && !result.upgrade.performed) {
    err.push(`aofsim dump: Redis would migrate ${result.upgrade.from} to ${result.upgrade.to} (legacy upgrade, not done)`);
  }
  for (const t of result.truncations) {
    err.push(`aofsim dump: Redis would truncate ${t.path} from ${t.fromSize} to ${t.toSize} bytes (not done)`);
  }
  for (const n of result.notes) err.push(`aofsim dump: note: ${n}`);

  if (result.status === 'failed' || result.status === 'open-err') {
    if (!opts.verbose) {
      // The lines Redis would log on the way out, then our precise reason.
      for (const l of log.lines) if (l.level === 'warning' && !l.message.startsWith('== CRITICAL ==')) err.push(`redis: ${l.message}`);
    }
    if (result.unsupportedCommand !== undefined) {
      // DIVERGENCE(redis): Redis knows this command; the failure is aofsim's, not the file's.
      err.push(
        `aofsim dump: cannot reproduce this load: aofsim does not implement the Redis 7.0 command ` +
          `'${result.unsupportedCommand}' (${result.error?.message ?? result.status})`,
      );
    } else if (result.error?.reason === DUPLICATED_KEY_REASON) {
      // redis 7.0 rdbLoadRio: serverPanic, the process dies on a signal (observed on 7.0.15).
      err.push(`aofsim dump: Redis would crash while loading (panic, killed by a signal): ${result.error.message}`);
    } else {
      err.push(`aofsim dump: Redis would refuse to start: ${result.error?.message ?? result.status}`);
    }
    return { exitCode: 1, stdout: '', stderr: err.map((l) => l + '\n').join(''), result };
  }
  if (result.unreproducedCount > 0) {
    if (!opts.verbose) for (const l of log.lines) if (l.level === 'warning' && !l.message.startsWith('== CRITICAL ==')) err.push(`redis: ${l.message}`);
    err.push(...unreproducedLines('aofsim dump', result));
    return { exitCode: 1, stdout: '', stderr: err.map((l) => l + '\n').join(''), result };
  }
  if (result.status === 'not-exist' && resolved.kind !== 'single-file') {
    // redis 7.0 aofLoadManifestFromDisk: fileExist() wants a regular file, so a directory there is no
    // manifest; the start then creates a BASE and an INCR and cannot rename its new manifest over
    // the directory: exit 1 (observed on 7.0.15).
    const c = resolved.config;
    const manifest = `${c.appendFilename}.manifest`;
    if (fs.tryStat(joinPath(joinPath(c.dir, c.appendDirname), manifest))?.isDirectory) {
      err.push(
        `aofsim dump: Redis would refuse to start: ${manifest} is a directory: Redis takes it for a missing manifest, creates a new AOF, ` +
          `then exits 1 with "Error trying to rename the temporary AOF manifest file temp-${manifest} into ${manifest}: Is a directory"`,
      );
      return { exitCode: 1, stdout: '', stderr: err.map((l) => l + '\n').join(''), result };
    }
  }
  if (result.status === 'not-exist') err.push('aofsim dump: no AOF files listed: Redis would start with an empty data set');
  if (result.status === 'empty') err.push('aofsim dump: the AOF is empty');
  const stderr = err.map((l) => l + '\n').join('');
  if (opts.digest) return { exitCode: 0, stdout: datasetDigest(keyspace, opts.atMs) + '\n', stderr, result };
  if (opts.stream) {
    return { exitCode: 0, stdout: '', stderr, result, writeStdout: (write) => writeCanonicalDump(keyspace, opts.atMs, write) };
  }
  return { exitCode: 0, stdout: formatCanonicalDump(keyspace, opts.atMs), stderr, result };
}


/**
 * The lines that end a load aofsim cannot reproduce (LoadResult.unreproduced): Redis would have run
 * these commands, so aofsim's state is not Redis's. Shared by dump, rewrite and validate files.
 */
export function unreproducedLines(tool: string, r: LoadResult): string[] {
  const out = [
    `${tool}: cannot reproduce this load: ${r.unreproducedCount} command(s) that Redis would run replied with an ` +
      'error in aofsim (the state would lack their effects)',
  ];
  for (const u of r.unreproduced) out.push(`${tool}: unreproduced: ${formatUnreproduced(u)}`);
  if (r.unreproducedCount > r.unreproduced.length) out.push(`${tool}: ... and ${r.unreproducedCount - r.unreproduced.length} more`);
  return out;
}
