// `aofsim rewrite PATH -o OUT [--profile P] [--preamble yes|no] [--load-truncated yes|no]`:
// offline compaction. Loads PATH as `aofsim dump` does (an AOF file, a manifest, a directory
// holding a manifest, or a Redis dir; files are never modified) and writes the minimal form, the
// way the background rewrite of the profile would (redis: aof.c rewriteAppendOnlyFile):
//   redis-4.0  OUT is one file: RESP commands, or with --preamble yes an RDB with aof-preamble=1;
//   redis-7.0  OUT is an AOF directory (what Redis calls appenddirname): appendonly.aof.manifest,
//              appendonly.aof.1.base.{aof|rdb} and an empty appendonly.aof.1.incr.aof.
// The profile defaults to the input's layout (single file -> redis-4.0, multi-part -> redis-7.0);
// --preamble defaults to the profile's aof-use-rdb-preamble (4.0 no, 7.0 yes). Afterwards OUT is
// loaded again and its canonical dump compared with the input's: exit 0 only when they are equal.
// DIVERGENCE(redis): keys already expired are kept (a 4.0 background rewrite drops them), so the
// output dumps identically to the input; they expire as soon as a server loads them.
// Exit status: 0 written and verified; 1 input not loadable, OUT exists, write failed or the
// verification differs; 2 usage error (including a PATH that names nothing).

import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { loadAppendOnlyFiles, loadSingleAppendOnlyFile, singleFileLoadResult } from '../../src/aof/loader/index.ts';
import type { LoadResult, LoaderDeps } from '../../src/aof/loader/index.ts';
import { emptyManifest, getBaseFileName, getIncrFileName, persistManifest } from '../../src/aof/manifest/index.ts';
import { rewriteAppendOnlyFile, runSync, defaultRdbEncoder } from '../../src/aof/rewrite/index.ts';
import { Executor } from '../../src/commands/executor.ts';
import type { Profile } from '../../src/base/profile.ts';
import { formatCanonicalDump } from '../../src/keyspace/canonical-dump.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { basename, dirname, isFsError, joinPath, type Fs } from '../../src/ports/fs.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { loadRdbInto, redis40RdbVersion } from '../../src/rdb/index.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { ResolveError, resolveAofPath, unreproducedLines } from '../../src/aof/dump/dump-path.ts';
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';

const SPEC = {
  name: 'rewrite',
  synopsis: `PATH -o OUT [--profile redis-4.0|redis-7.0] [--preamble yes|no]
                      [--load-truncated yes|no]`,
  description: `Offline compaction: loads the AOF at PATH (never modifying it) and writes the minimal equivalent
AOF, as a background rewrite of the profile would, then verifies that OUT dumps identically.
PATH: an AOF file, a manifest, a directory holding a manifest, or a Redis dir.`,
  options: {
    out: { type: 'string', short: 'o', arg: 'OUT', help: 'redis-4.0: the output file; redis-7.0: the output AOF directory (must not exist)' },
    profile: {
      type: 'string',
      choices: ['redis-4.0', 'redis-7.0'],
      help: 'output layout; default: redis-4.0 for a single-file input, redis-7.0 for multi-part',
    },
    preamble: { type: 'string', choices: ['yes', 'no'], help: 'yes: RDB body (4.0 aof-preamble / 7.0 RDB BASE); default: no for 4.0, yes for 7.0' },
    'load-truncated': { type: 'string', choices: ['yes', 'no'], help: 'accept a truncated last file (default yes, as Redis)' },
  },
  footer: 'Exit status: 0 written and verified; 1 failure (reason on stderr); 2 usage error.',
} satisfies CommandSpec;

export interface RewriteCliOptions {
  path: string;
  out: string;
  profile?: Profile;
  preamble?: boolean;
  loadTruncated: boolean;
}

export function parseRewriteArgs(args: string[]): RewriteCliOptions {
  const p = parseCommandArgs(SPEC, args);
  if (p.positionals.length === 0) throw new UsageError('PATH is required');
  if (p.positionals.length > 1) throw new UsageError(`unexpected argument ${p.positionals[1]}`);
  const out = p.string('out');
  if (out === undefined) throw new UsageError('-o OUT is required');
  const preamble = p.string('preamble');
  return {
    path: p.positionals[0]!,
    out,
    profile: p.string('profile') as Profile | undefined,
    preamble: preamble === undefined ? undefined : preamble === 'yes',
    loadTruncated: p.string('load-truncated') !== 'no',
  };
}

export interface RewriteRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

interface Loaded {
  keyspace: Keyspace;
  result: LoadResult;
  layout: 'single-file' | 'multi-part';
  log: MemoryLog;
}

/** Loads PATH read-only, as `aofsim dump` does. Throws Error for an unresolvable PATH. */
function loadPath(fs: Fs, path: string, loadTruncated: boolean, clock: Clock): Loaded {
  const resolved = resolveAofPath(fs, path);
  const keyspace = new Keyspace();
  const log = new MemoryLog();
  const executor = new Executor(keyspace, { profile: 'redis-7.0', clock, random: new SeededRandom(0), log });
  const deps: LoaderDeps = { fs, log, executor, modify: false, clock, rdb: (b, file) => loadRdbInto(keyspace, b, { file }).endOffset };
  if (resolved.kind === 'multi-part') {
    return { keyspace, log, layout: 'multi-part', result: loadAppendOnlyFiles(deps, { ...resolved.config, loadTruncated }) };
  }
  const f = loadSingleAppendOnlyFile(deps, {
    file: resolved.file,
    path: resolved.path,
    loadTruncated,
    dialect: 'redis-7.0',
    oldStyle: true,
    isLastFile: true,
  });
  const result = singleFileLoadResult(f);
  return { keyspace, log, layout: 'single-file', result };
}

function failedLoad(r: LoadResult): boolean {
  return r.status === 'failed' || r.status === 'open-err';
}

/** Runs the compaction on any Fs (the CLI passes the real disk). `pid` names the temp file. */
export function runRewrite(fs: Fs, opts: RewriteCliOptions, clock: Clock = nodeClock, pid = 1): RewriteRun {
  const err: string[] = [];
  const fail = (msg: string): RewriteRun => ({ exitCode: 1, stdout: '', stderr: [...err, `aofsim rewrite: ${msg}`].map((l) => l + '\n').join('') });
  // OUT is checked before the load, which can take long: its directory must exist, OUT must not.
  const outDir = fs.tryStat(dirname(opts.out));
  if (outDir === undefined || !outDir.isDirectory) return { ...fail(`-o ${opts.out}: ${outDir === undefined ? 'No such file or directory' : 'Not a directory'} (${dirname(opts.out)})`), exitCode: 2 };
  if (fs.tryStat(opts.out) !== undefined) return fail(`${opts.out} exists; choose a new path`);
  let input: Loaded;
  try {
    input = loadPath(fs, opts.path, opts.loadTruncated, clock);
  } catch (e) {
    // PATH names nothing loadable: the user's mistake.
    if (e instanceof ResolveError) return { ...fail(e.message), exitCode: 2 };
    if (e instanceof Error && !isFsError(e)) return fail(e.message);
    throw e;
  }
  if (failedLoad(input.result)) return fail(`cannot load ${opts.path}: ${input.result.error?.message ?? input.result.status}`);
  if (input.result.unreproducedCount > 0) {
    // Verifying would compare two copies of the same loss: refuse instead (nothing is written).
    err.push(...unreproducedLines('aofsim rewrite', input.result));
    return fail(`cannot rewrite ${opts.path}: the input's state cannot be reproduced (nothing written)`);
  }
  for (const t of input.result.truncations) err.push(`aofsim rewrite: note: ${t.path} has a truncated tail (${t.fromSize - t.toSize} bytes dropped)`);
  const failedCommands = input.log.marks.get('loader.command-error') ?? 0;
  if (failedCommands > 0) err.push(`aofsim rewrite: warning: ${failedCommands} command(s) replied with an error while loading`);

  const profile: Profile = opts.profile ?? (input.layout === 'multi-part' ? 'redis-7.0' : 'redis-4.0');
  const preamble = opts.preamble ?? profile === 'redis-7.0';
  if (profile === 'redis-4.0' && redis40RdbVersion(input.keyspace) !== 8) {
    // Either form: 4.0.14 refuses the RDB 10 preamble, and stops at XADD ("Unknown command 'XADD'
    // reading the append only file", checked).
    const form = preamble ? 'the preamble is RDB 10' : 'the file rebuilds it with XADD';
    err.push(`aofsim rewrite: note: the data holds a stream, which Redis 4.0 has not: ${form} (Redis 4.0 cannot load it)`);
  }

  const nowMs = clock.nowMs();
  const params = {
    fs,
    log: new MemoryLog(),
    snapshot: input.keyspace,
    profile,
    nowMs,
    useRdb: preamble,
    encodeRdb: defaultRdbEncoder(profile),
    incrementalFsync: true,
    timestampS: null,
    skipExpired: false,
  };
  let written: string;
  try {
    if (profile === 'redis-4.0') {
      const code = runSync(rewriteAppendOnlyFile({ ...params, dir: dirname(opts.out) }, pid, opts.out));
      if (code !== 0) return fail(`writing ${opts.out} failed: ${params.log.lines.map((l) => l.message).join('; ')}`);
      written = `${opts.out} (${fs.stat(opts.out).sizeBytes} bytes, ${preamble ? 'RDB preamble' : 'RESP'})`;
    } else {
      const appendFilename = 'appendonly.aof';
      fs.mkdir(opts.out);
      const m = emptyManifest();
      m.currBaseSeq = 1;
      m.base = { name: getBaseFileName(appendFilename, 1, preamble ? 'rdb' : 'aof'), seq: 1, type: 'b' };
      m.currIncrSeq = 1;
      m.incrs = [{ name: getIncrFileName(appendFilename, 1), seq: 1, type: 'i' }];
      const basePath = joinPath(opts.out, m.base.name);
      const code = runSync(rewriteAppendOnlyFile({ ...params, dir: opts.out }, pid, basePath));
      if (code !== 0) return fail(`writing ${basePath} failed: ${params.log.lines.map((l) => l.message).join('; ')}`);
      const incr = fs.open(joinPath(opts.out, m.incrs[0].name), 'create-truncate');
      incr.fsync();
      incr.close();
      persistManifest(fs, opts.out, appendFilename, m);
      written = `${opts.out}/ (${m.base.name}: ${fs.stat(basePath).sizeBytes} bytes, empty ${m.incrs[0].name}, ${basename(opts.out)}/appendonly.aof.manifest)`;
    }
  } catch (e) {
    if (isFsError(e)) return fail(`writing ${opts.out} failed: ${e.message}`);
    throw e;
  }

  const output = loadPath(fs, opts.out, false, clock);
  let problem: string | null = null;
  if (failedLoad(output.result)) problem = `the output does not load: ${output.result.error?.message ?? output.result.status}`;
  else if (formatCanonicalDump(output.keyspace) !== formatCanonicalDump(input.keyspace)) {
    problem = `verification failed: ${opts.out} does not dump like ${opts.path}`;
  }
  if (problem !== null) {
    removeOutput(fs, opts.out, profile);
    return fail(`${problem} (output removed)`);
  }
  const inBytes = input.result.currentSizeBytes;
  const lines = [
    `wrote ${written}`,
    `profile ${profile}, ${input.keyspace.size()} keys; input ${inBytes} bytes; verified: dumps identical`,
  ];
  return { exitCode: 0, stdout: lines.map((l) => l + '\n').join(''), stderr: err.map((l) => l + '\n').join('') };
}

/** Removes the files runRewrite wrote (OUT did not exist before; the Fs port has no rmdir, so an empty OUT/ stays). */
function removeOutput(fs: Fs, out: string, profile: Profile): void {
  try {
    if (profile === 'redis-4.0') {
      fs.unlink(out);
      return;
    }
    for (const name of fs.readdir(out)) fs.unlink(joinPath(out, name));
  } catch (e) {
    if (!isFsError(e)) throw e;
  }
}

export const rewriteCommand: CliCommand = {
  usage: helpText(SPEC),
  async run(args: string[]): Promise<number> {
    const opts = parseRewriteArgs(args);
    const out = runRewrite(createNodeFs(), opts, nodeClock, process.pid);
    if (out.stderr) process.stderr.write(out.stderr);
    if (out.stdout) process.stdout.write(out.stdout);
    return out.exitCode;
  },
};
