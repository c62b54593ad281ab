// `aofsim check PATH [--fix] [--yes] [--truncate-to-timestamp T]`: redis-check-aof 7.x on real
// files (src/aof/check). PATH is a manifest, an AOF file, or a directory that contains a manifest,
// an `appendonlydir/` (with a manifest) or an old-style `appendonly.aof`.
// Output and exit codes are redis-check-aof's; aofsim's own lines start with `aofsim: `.
// `--yes` (aofsim addition) answers the `Continue? [y/N]:` prompt of --fix; otherwise the answer is
// read from stdin, as redis-check-aof does.

import { readSync } from 'node:fs';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { checkAof } from '../../src/aof/check/check-aof.ts';
import { CONFIRM_PROMPT } from '../../src/aof/check/types.ts';
import type { Fs } from '../../src/ports/fs.ts';
import { joinPath } from '../../src/ports/fs.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

const USAGE = `Usage: aofsim check PATH [--fix [--yes] | --truncate-to-timestamp T]

Checks an AOF the way redis-check-aof (Redis 7.x) does, with the same output and exit codes.
PATH: a manifest (appendonlydir/appendonly.aof.manifest), an AOF file, or a directory containing
a manifest, an appendonlydir/ or an old-style appendonly.aof.

  --fix                        truncate the last file at the last valid record (asks first)
  --yes                        with --fix: do not ask (aofsim addition)
  --truncate-to-timestamp T    truncate the last file at the first #TS: annotation later than T
                               (Unix seconds); nothing else is changed

Lines starting with "aofsim: " are aofsim's own: where redis-check-aof and the loader judge the
same bytes differently, a warning names the divergence.
Exit: 0 valid (or fixed), 1 invalid / refused / aborted, 2 usage error.`;

/** Picks the file to check for a directory argument (manifest first, as a user would expect). */
export function resolveCheckPath(fs: Fs, path: string): string {
  const st = fs.tryStat(path);
  if (!st || !st.isDirectory) return path;
  const manifestIn = (dir: string): string | undefined => {
    const names = fs.readdir(dir).filter((n) => n.endsWith('.manifest') && !n.startsWith('temp-'));
    if (names.length === 0) return undefined;
    if (names.length > 1 && !names.includes('appendonly.aof.manifest')) {
      throw new UsageError(`${dir} contains several manifests (${names.join(', ')}): name one`);
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
  throw new UsageError(`${path} contains no manifest, no appendonlydir/ with a manifest, and no appendonly.aof`);
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
  /** Whether stdin is a terminal (the user's Enter already ended the prompt line). */
  stdinIsTty: boolean;
  nowMs: number;
}

/** `aofsim check ARGS`; returns the exit code, throws UsageError. */
export function runCheck(args: string[], io: CheckIo): number {
  let fix = false;
  let yes = false;
  let ts: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--fix') fix = true;
    else if (a === '--yes' || a === '-y') yes = true;
    else if (a === '--truncate-to-timestamp') {
      if (i + 1 >= args.length) throw new UsageError('--truncate-to-timestamp needs a value');
      ts = args[++i]!;
    } else if (a.startsWith('--truncate-to-timestamp=')) ts = a.slice('--truncate-to-timestamp='.length);
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else paths.push(a);
  }
  if (paths.length !== 1) throw new UsageError(paths.length === 0 ? 'missing PATH' : 'only one PATH');
  if (fix && ts !== undefined) throw new UsageError('--fix and --truncate-to-timestamp exclude each other');
  if (yes && !fix) throw new UsageError('--yes only goes with --fix');
  const target = resolveCheckPath(io.fs, paths[0]!);
  const report = checkAof(io.fs, target, {
    fix,
    truncateToTimestamp: ts,
    nowMs: io.nowMs,
    onLine: (line) => io.write(line === CONFIRM_PROMPT ? line : line + '\n'),
    confirm: () => {
      if (yes) {
        io.write('y (--yes)\n');
        return 'y';
      }
      const answer = io.readAnswer();
      if (!io.stdinIsTty) io.write('\n');
      return answer;
    },
  });
  return report.exitCode;
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'check (and --fix) an AOF like redis-check-aof 7.x',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    return runCheck(args, {
      fs: createNodeFs(),
      write: (text) => process.stdout.write(text),
      readAnswer,
      stdinIsTty: process.stdin.isTTY === true,
      nowMs: Date.now(),
    });
  },
};
