// `aofsim check PATH [--fix] [--yes] [--truncate-to-timestamp T] [--profile redis-4.0|redis-7.0]`:
// redis-check-aof 7.x (or 4.0.14's with --profile redis-4.0) on real files (src/aof/check). PATH is a manifest, an AOF file, or a directory that contains a manifest,
// an `appendonlydir/` (with a manifest) or an old-style `appendonly.aof`.
// Output and exit codes are redis-check-aof's; aofsim's own lines start with `aofsim: `.
// `--yes` (aofsim addition) answers the `Continue? [y/N]:` prompt of --fix; otherwise the answer is
// read from stdin, as redis-check-aof does.

import { readSync } from 'node:fs';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { checkAof } from '../../src/aof/check/check-aof.ts';
import { checkAof40 } from '../../src/aof/check/check-aof-40.ts';
import { CONFIRM_PROMPT } from '../../src/aof/check/types.ts';
import type { Fs } from '../../src/ports/fs.ts';
import { joinPath } from '../../src/ports/fs.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { createStdoutWriter } from '../stdio.ts';
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';

const SPEC = {
  name: 'check',
  synopsis: 'PATH [--fix [--yes] | --truncate-to-timestamp T] [--profile redis-4.0|redis-7.0]',
  description: `Checks an AOF the way redis-check-aof (Redis 7.x) does, with the same output and exit codes.
PATH: a manifest (appendonlydir/appendonly.aof.manifest), an AOF file, or a directory containing
a manifest, an appendonlydir/ or an old-style appendonly.aof.`,
  options: {
    fix: { type: 'boolean', help: 'truncate the last file at the last valid record (asks first)' },
    yes: { type: 'boolean', short: 'y', help: 'with --fix: do not ask (aofsim addition)' },
    'truncate-to-timestamp': {
      type: 'string',
      // redis-check-aof takes the word after it as its value, a negative one too.
      dashValue: true,
      arg: 'T',
      help: 'truncate the last file at the first #TS: annotation later than T\n(Unix seconds); nothing else is changed',
    },
    profile: {
      type: 'string',
      choices: ['redis-4.0', 'redis-7.0'],
      help: "whose redis-check-aof (default redis-7.0); redis-4.0: Redis 4.0.14's, for\none file with an optional RDB 8 preamble (no manifests, no timestamps)",
    },
  },
  footer: `Lines starting with "aofsim: " are aofsim's own: where redis-check-aof and the loader judge the
same bytes differently, a warning names the divergence.
Exit: 0 valid (or fixed), 1 invalid / refused / aborted / usage error (as redis-check-aof).`,
} satisfies CommandSpec;

/** A directory PATH that names no AOF: redis-check-aof says "Cannot read file" for any directory. */
export class CheckPathError extends Error {}

/** Picks the file to check for a directory argument (manifest first, as a user would expect). */
export function resolveCheckPath(fs: Fs, path: string): string {
  const st = fs.tryStat(path);
  if (!st || !st.isDirectory) return path;
  const manifestIn = (dir: string): string | undefined => {
    const names = fs.readdir(dir).filter((n) => n.endsWith('.manifest') && !n.startsWith('temp-'));
    if (names.length === 0) return undefined;
    if (names.length > 1 && !names.includes('appendonly.aof.manifest')) {
      throw new CheckPathError(`${dir} contains several manifests (${names.join(', ')}): name one`);
    }
    return joinPath(dir, names.length > 1 ? 'appendonly.aof.manifest' : names[0]!);
  };
  const direct = manifestIn(path);
  if (direct) return direct;
  const aofDir = joinPath(path, 'appendonlydir');
  if (fs.tryStat(aofDir)?.isDirectory) {
    const m = manifestIn(aofDir);
    if (m) return m;
  }
  const legacy = joinPath(path, 'appendonly.aof');
  if (fs.tryStat(legacy) && !fs.tryStat(legacy)!.isDirectory) return legacy;
  throw new CheckPathError(`${path} contains no manifest, no appendonlydir/ with a manifest, and no appendonly.aof`);
}

/** fgets(buf, 2, stdin): the first byte of stdin, or null at EOF. */
function readAnswer(): string | null {
  const buf = Buffer.alloc(1);
  for (let tries = 0; tries < 1000; tries++) {
    try {
      const n = readSync(0, buf, 0, 1, null);
      return n === 0 ? null : buf.toString('latin1');
    } catch (e) {
      if ((e as { code?: string }).code === 'EAGAIN') continue;
      return null;
    }
  }
  return null;
}

/** What `aofsim check` needs from the world (real in the CLI, fakes in tests). */
export interface CheckIo {
  fs: Fs;
  write(text: string): void;
  /** The first byte of stdin, or null at EOF. */
  readAnswer(): string | null;
  nowMs: number;
}

/** redis-check-aof's usage line (printf to stdout, exit 1), with this command's name as argv[0]. */
export const REDIS_USAGE_LINE = 'Usage: aofsim check [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n';

interface CheckArgs {
  fix: boolean;
  yes: boolean;
  ts: string | undefined;
  path: string;
  v40: boolean;
}

function parseCheckArgs(args: string[]): CheckArgs {
  const p = parseCommandArgs(SPEC, args);
  const fix = p.flag('fix');
  const yes = p.flag('yes');
  const ts = p.string('truncate-to-timestamp');
  const paths = p.positionals;
  if (paths.length !== 1) throw new UsageError(paths.length === 0 ? 'missing PATH' : 'only one PATH');
  if (fix && ts !== undefined) throw new UsageError('--fix and --truncate-to-timestamp exclude each other');
  if (yes && !fix) throw new UsageError('--yes only goes with --fix');
  const v40 = p.string('profile') === 'redis-4.0';
  if (v40 && ts !== undefined) throw new UsageError('--truncate-to-timestamp is not in Redis 4.0');
  return { fix, yes, ts, path: paths[0]!, v40 };
}

/**
 * `aofsim check ARGS`; returns the exit code. A usage mistake prints redis-check-aof's usage line
 * on stdout and throws UsageError with exit code 1, as redis-check-aof exits.
 */
export function runCheck(args: string[], io: CheckIo): number {
  let a: CheckArgs;
  try {
    a = parseCheckArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.write(REDIS_USAGE_LINE);
    throw new UsageError(e.message, 1, false);
  }
  const { fix, yes, ts } = a;
  let target: string;
  try {
    target = resolveCheckPath(io.fs, a.path);
  } catch (e) {
    if (!(e instanceof CheckPathError)) throw e;
    // redis-check-aof 7.x fopen()s a directory and fails on the first read; 4.0.14 fopen()s it
    // "r+", which fails at once.
    io.write(`aofsim: ${e.message}\n${a.v40 ? `Cannot open file: ${a.path}` : `Cannot read file: ${a.path}`}\n`);
    return 1;
  }
  const check = a.v40 ? checkAof40 : checkAof;
  const report = check(io.fs, target, {
    fix,
    truncateToTimestamp: ts,
    nowMs: io.nowMs,
    onLine: (line) => io.write(line === CONFIRM_PROMPT ? line : line + '\n'),
    confirm: () => {
      if (yes) {
        io.write('y (--yes)\n');
        return 'y';
      }
      // As redis-check-aof: nothing is echoed, so on piped input the next line follows the prompt.
      return io.readAnswer();
    },
  });
  return report.exitCode;
}

export const checkCommand: CliCommand = {
  // A getter: `aofsim check` itself never builds its help text.
  get usage() {
    return helpText(SPEC);
  },
  async run(args: string[]): Promise<number> {
    return runCheck(args, {
      fs: createNodeFs(),
      write: createStdoutWriter(),
      readAnswer,
      nowMs: Date.now(),
    });
  },
};
