// `aofsim dump PATH [--load-truncated yes|no] [--at-ms T] [--verbose]`: loads an AOF exactly as
// Redis 7.0 would at startup and prints the canonical dump (DESIGN section 7) on stdout.
//
// PATH may be: an AOF file (loaded alone, as loadSingleAppendOnlyFile would); a manifest; a
// directory holding a manifest of any name (an appenddirname); or a Redis `dir` holding
// `appendonlydir/` and/or an old-style `appendonly.aof` (the legacy upgrade of spec 2.2.4 is reported,
// not performed). Files are never modified: what Redis would truncate or migrate is said on stderr.
// Exit 0 with the dump; exit 1 with the reason on stderr where Redis would refuse to start.
//
// Key expiry: with --at-ms T, keys whose expire time is <= T are left out and T is also the clock
// commands see (e.g. a relative EXPIRE in an old AOF), so the output is reproducible.

import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { formatUnreproduced, loadAppendOnlyFiles, loadSingleAppendOnlyFile, rdbLoaderFor, singleFileLoadResult } from '../../src/aof/loader/index.ts';
import type { LoadResult, LoaderConfig, LoaderDeps } from '../../src/aof/loader/index.ts';
import { Executor } from '../../src/commands/executor.ts';
import { formatCanonicalDump } from '../../src/keyspace/canonical-dump.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Fs } from '../../src/ports/fs.ts';
import { basename, dirname, joinPath } from '../../src/ports/fs.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

const USAGE = `Usage: aofsim dump PATH [--load-truncated yes|no] [--at-ms T] [--verbose]

Loads an AOF as Redis 7.0 would at startup and prints its canonical dump (JSON) on stdout.
Never modifies files: what Redis would truncate or migrate is reported on stderr.

PATH   an AOF file, a manifest, a directory holding a manifest, or a Redis dir holding
       appendonlydir/ or an old-style appendonly.aof
--load-truncated yes|no   aof-load-truncated (default yes)
--at-ms T                 logical time in Unix ms: keys with expire time <= T are left out,
                          and "atMs": T starts the dump
--verbose                 also print Redis's log lines for the load on stderr

Exit status: 0 dump printed; 1 Redis would refuse to start, or the AOF uses a Redis command
aofsim does not implement or a command replies with an error Redis would not give (file, offset
and command on stderr); 2 usage error.`;

export interface DumpOptions {
  path: string;
  loadTruncated: boolean;
  atMs?: number;
  verbose: boolean;
}

export function parseDumpArgs(args: string[]): DumpOptions {
  let path: string | undefined;
  let loadTruncated = true;
  let atMs: number | undefined;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--load-truncated') {
      const v = args[++i];
      if (v !== 'yes' && v !== 'no') throw new UsageError(`--load-truncated takes yes or no, got ${v ?? 'nothing'}`);
      loadTruncated = v === 'yes';
    } else if (a === '--at-ms') {
      const v = args[++i];
      if (v === undefined || !/^-?[0-9]{1,16}$/.test(v)) throw new UsageError(`--at-ms takes an integer (Unix ms), got ${v ?? 'nothing'}`);
      atMs = Number(v);
    } else if (a === '--verbose') {
      verbose = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else if (path === undefined) {
      path = a;
    } else {
      throw new UsageError(`unexpected argument ${a}`);
    }
  }
  if (path === undefined) throw new UsageError('PATH is required');
  return { path, loadTruncated, atMs, verbose };
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

class ResolveError extends Error {}

function manifestsIn(fs: Fs, dir: string): string[] {
  return fs
    .readdir(dir)
    .filter((n) => n.endsWith('.manifest') && !n.startsWith('temp-') && fs.tryStat(joinPath(dir, n))?.isDirectory === false);
}

/** Maps PATH to what Redis would load (see the file header). Throws ResolveError. */
export function resolveAofPath(fs: Fs, rawPath: string): ResolvedAofPath {
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  const st = fs.tryStat(path);
  if (st === undefined) throw new ResolveError(`${path}: No such file or directory`);
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
  if (!hasAofDir && (legacy === undefined || legacy.isDirectory)) {
    throw new ResolveError(`${path}: no AOF here (no manifest, no appendonlydir/, no appendonly.aof)`);
  }
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
}

/** Runs a dump on any Fs (the CLI passes the real disk). */
export function runDump(fs: Fs, opts: DumpOptions, realClock: Clock = nodeClock): DumpRun {
  let resolved: ResolvedAofPath;
  try {
    resolved = resolveAofPath(fs, opts.path);
  } catch (e) {
    if (e instanceof ResolveError) return { exitCode: 1, stdout: '', stderr: `aofsim dump: ${e.message}\n` };
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
  if (result.status === 'not-exist') err.push('aofsim dump: no AOF files listed: Redis would start with an empty data set');
  if (result.status === 'empty') err.push('aofsim dump: the AOF is empty');
  return {
    exitCode: 0,
    stdout: formatCanonicalDump(keyspace, opts.atMs),
    stderr: err.map((l) => l + '\n').join(''),
    result,
  };
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

export const dumpCommand: CliCommand = {
  name: 'dump',
  summary: 'load an AOF as Redis 7.0 would and print the canonical dump (never modifies files)',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const opts = parseDumpArgs(args);
    const out = runDump(createNodeFs(), opts);
    if (out.stderr) process.stderr.write(out.stderr);
    if (out.stdout) process.stdout.write(out.stdout);
    return out.exitCode;
  },
};
