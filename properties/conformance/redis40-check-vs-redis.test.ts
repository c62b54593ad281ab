// Differential test: `aofsim check --profile redis-4.0` (src/aof/check/check-aof-40.ts) vs the real
// redis-check-aof 4.0.14 on a damage matrix: truncation at every offset, --fix at a spread of them
// (accepted, refused, stdin at EOF), zero and garbage tails, bad counts and bulk lengths, MULTI/EXEC
// errors, 7.0-only input (#TS annotations, RDB 10 preambles), 4.0.14's own fixtures (RDB 8
// preambles) as they are, cut in the tail, cut in the RDB part and with flipped bytes, and seeded
// random mutations. Both run on the same files (aofsim first, then the originals are restored):
// stdout lines, exit code and the files left behind must be the same.
// Needs the 4.0.14 build (AOFSIM_REDIS40_BIN's directory holds redis-check-aof); skips loudly
// without it.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { checkAof40 } from '../../src/aof/check/check-aof-40.ts';
import { CONFIRM_PROMPT } from '../../src/aof/check/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { encodeRdb } from '../../src/rdb/index.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { REDIS40_BIN, require40, skip40 } from './redis40.ts';

const CHECK_BIN = join(dirname(REDIS40_BIN), 'redis-check-aof');
const skip = skip40('aofsim check --profile redis-4.0 vs redis-check-aof 4.0.14') || !existsSync(CHECK_BIN);
const root = mkdtempSync(join(tmpdir(), 'aofsim-check40-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const FIXTURES = new URL('../../fixtures/redis-4.0.14/', import.meta.url).pathname;

interface Case {
  name: string;
  aof: Uint8Array;
  fix?: boolean;
  stdin?: string;
  /** Lines to ignore on both sides (RDB error reports, whose wording is aofsim's decoder's). */
  ignore?: RegExp;
}

/** The prompt has no newline: the next output follows it on the same line. */
function normRedis(out: string): string[] {
  return out.split(CONFIRM_PROMPT).join(CONFIRM_PROMPT + '\n').split('\n').filter((l) => l !== '');
}

/**
 * After a NUL, 4.0.14 prints a byte of uninitialised stack memory (it changes from run to run:
 * see check-aof-40.ts): that byte is not compared.
 */
function normStale(l: string): string {
  return l.replace(/(Expected \\r\\n, got: 00)(?:ffffff)?[0-9a-f]{2}$/, '$1??');
}

let caseNo = 0;
/** One case; returns a description of the differences ('' when none). */
function runCase(c: Case): string {
  const dir = join(root, `c${caseNo++}`);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, 'appendonly.aof');
  const keep = (l: string): boolean => !(c.ignore && c.ignore.test(l));
  writeFileSync(target, c.aof);
  const ours = checkAof40(createNodeFs(), target, {
    fix: c.fix === true,
    confirm: () => (c.stdin && c.stdin.length > 0 ? c.stdin[0]! : null),
    nowMs: Date.now(), // redis-check-rdb counts "already expired" keys against the real clock
  });
  const oursAfter = readFileSync(target).toString('latin1');
  writeFileSync(target, c.aof);
  const r = spawnSync(CHECK_BIN, [...(c.fix ? ['--fix'] : []), target], { input: c.stdin ?? '', encoding: 'latin1' });
  const theirsAfter = readFileSync(target).toString('latin1');
  const a = ours.lines.filter((l) => l !== '' && keep(l)).map(normStale);
  const b = normRedis(r.stdout).filter(keep).map(normStale);
  const diffs: string[] = [];
  if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`stdout:\n  aofsim: ${JSON.stringify(a)}\n  4.0.14: ${JSON.stringify(b)}`);
  if (ours.exitCode !== r.status) diffs.push(`exit: aofsim ${ours.exitCode}, 4.0.14 ${r.status}`);
  if (oursAfter !== theirsAfter) diffs.push(`file after: aofsim ${oursAfter.length} bytes, 4.0.14 ${theirsAfter.length} bytes`);
  return diffs.length === 0 ? '' : `case ${c.name}: ${diffs.join('; ')}`;
}

const cmd = (...argv: string[]): string => encodeCommand(argv);
const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const VALID =
  cmd('SELECT', '0') +
  cmd('set', 'foo', 'bar') +
  cmd('MULTI') +
  cmd('incr', 'n') +
  cmd('SET', 'bin', '\x00\xff\r\n') +
  cmd('EXEC') +
  cmd('del', 'foo') +
  cmd('rpush', 'l', 'a', 'b', 'c');

function cases(): Case[] {
  const out: Case[] = [];
  const add = (name: string, aof: string | Uint8Array, more: Partial<Case> = {}): void => {
    out.push({ name, aof: typeof aof === 'string' ? latin1(aof) : aof, ...more });
  };
  // Every offset of the first records (every parser state), then a stride.
  for (let cut = 0; cut <= VALID.length; cut += cut < 64 ? 1 : 5) add(`cut@${cut}`, VALID.slice(0, cut));
  for (let cut = 1; cut < VALID.length; cut += 17) add(`fix-cut@${cut}`, VALID.slice(0, cut), { fix: true, stdin: 'y\n' });
  add('fix-refused', VALID.slice(0, 40), { fix: true, stdin: 'n\n' });
  add('fix-no-stdin', VALID.slice(0, 40), { fix: true, stdin: '' });
  add('fix-valid', VALID, { fix: true, stdin: 'y\n' });
  add('fix-empty', '', { fix: true, stdin: 'y\n' });
  for (const n of [1, 2, 8, 100]) {
    add(`zeros-${n}`, VALID + '\0'.repeat(n));
    add(`fix-zeros-${n}`, VALID + '\0'.repeat(n), { fix: true, stdin: 'Y' });
  }
  add('garbage', VALID + 'hello world\r\n');
  add('garbage-high', VALID + '\xfe\xff\x80');
  add('garbage-inside-multi', cmd('MULTI') + cmd('set', 'a', 'b') + 'xx');
  add('star0', cmd('set', 'a', 'b') + '*0\r\n' + cmd('set', 'c', 'd'));
  add('star-negative', '*-1\r\n' + cmd('set', 'c', 'd'));
  add('bulk-no-crlf', '*2\r\n$3\r\nget\r\n$1\r\nbXY' + cmd('set', 'c', 'd'));
  add('bulk-no-crlf-high', '*1\r\n$3\r\nf\xffo\r\n*1\r\n$3\r\nfoo\xff\xfe');
  add('bulk-too-long', cmd('set', 'a', 'b') + '*2\r\n$3\r\nget\r\n$999\r\nabc\r\n');
  add('number-junk', '*1x\r\n$4\r\nPING\r\n');
  add('number-lf-only', '*1\n$4\r\nPING\r\n');
  add('bulk-nondigit', '*1\r\n$abc\r\n');
  add('bulk-empty-len', '*1\r\n$\r\n\r\n');
  add('bulk-space-len', '*1\r\n$ 4\r\nPING\r\n');
  add('wrong-prefix', '*2\r\n$3\r\nget\r\n#1\r\na\r\n');
  add('nested-multi', cmd('MULTI') + cmd('set', 'a', 'b') + cmd('multi') + cmd('EXEC'));
  add('exec-without-multi', cmd('set', 'a', 'b') + cmd('EXEC'));
  add('unterminated-multi', cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd'));
  add('unterminated-multi-cut', cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd') + cmd('EXEC').slice(0, 9));
  add('fix-unterminated-multi', cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd'), { fix: true, stdin: 'y' });
  add('multi-with-nul', cmd('multi\0x') + cmd('set', 'a', 'b') + cmd('exec\0'));
  add('unknown-command', cmd('NOSUCHCOMMAND', 'x'));
  add('ts-annotation (7.0 only)', cmd('set', 'a', 'b') + '#TS:1700000000\r\n' + cmd('set', 'a', 'c'));
  add('empty', '');
  add('REDIS, too short for a preamble', 'REDIS00');
  add('count line longer than 127 bytes', cmd('set', 'a', 'b') + '*' + '0'.repeat(140) + '1\r\n$4\r\nPING\r\n');

  // RDB preambles: 4.0.14's own fixtures, then aofsim-made RDB 8 / RDB 10 ones.
  const fixtures: [string, Buffer][] = [];
  for (const stage of readdirSync(FIXTURES + 'preamble-yes')) {
    fixtures.push([stage, readFileSync(join(FIXTURES, 'preamble-yes', stage, 'appendonly.aof'))]);
  }
  const rdbError = /^(\[offset \d+\] (?!Checking|AUX|Selecting|Checksum)|\[additional info\]|--- RDB ERROR)/;
  for (const [stage, f] of fixtures) {
    add(`fixture ${stage}`, f);
    add(`fixture ${stage} --fix`, f, { fix: true, stdin: 'y' });
    add(`fixture ${stage} tail cut`, f.subarray(0, f.length - 7));
    add(`fixture ${stage} tail cut --fix`, f.subarray(0, f.length - 7), { fix: true, stdin: 'y' });
    add(`fixture ${stage} RDB cut`, f.subarray(0, 60));
    add(`fixture ${stage} RDB cut in a value`, f.subarray(0, f.length >> 1));
    for (const at of [0x30, f.length >> 1]) {
      const flipped = Buffer.from(f);
      flipped[at] = flipped[at]! ^ 1;
      add(`fixture ${stage} flip@${at}`, flipped, { ignore: rdbError });
    }
  }
  const ks = new Keyspace();
  ks.db(0).dict.set('k', { type: 'string', value: 'v' });
  for (const version of [8, 9, 10] as const) {
    add(`RDB ${version} preamble`, Buffer.concat([Buffer.from(encodeRdb(ks, { nowMs: 0, aofPreamble: true, version })), latin1(cmd('set', 'a', 'b'))]));
  }

  // Seeded random mutations (replace / insert / delete of RESP-significant bytes).
  let seed = 20261206;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const respBytes = [0, 0x0d, 0x0a, 0x2a, 0x24, 0x23, 0x2d, 0x20, 0x30, 0x31, 0x39, 0x78, 0x7f, 0x80, 0xff];
  for (let k = 0; k < 60; k++) {
    const chars = VALID.split('');
    for (let m = 1 + rnd(3); m > 0; m--) {
      const pos = rnd(chars.length + 1);
      const b = String.fromCharCode(respBytes[rnd(respBytes.length)]!);
      const op = rnd(3);
      if (op === 0) chars[pos] = b;
      else if (op === 1) chars.splice(pos, 0, b);
      else chars.splice(pos, 1);
    }
    const t = chars.join('');
    // A '-' turned into a bulk length is undefined behaviour in 4.0.14 (see check-aof-40.ts).
    const mutated = rnd(3) === 0 ? t.slice(0, rnd(t.length + 1)) : t;
    if (!/\$-/.test(mutated)) add(`fuzz-${k}`, mutated);
  }
  return out;
}

describe.skipIf(skip)('aofsim check --profile redis-4.0 vs redis-check-aof 4.0.14', () => {
  beforeAll(() => require40());
  const groups = new Map<string, Case[]>();
  for (const c of cases()) {
    const g = /fixture|RDB/.test(c.name) ? 'RDB preambles' : c.name.startsWith('fuzz') ? 'seeded random mutations' : /cut@/.test(c.name) ? 'truncations' : 'damage';
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  for (const [g, list] of groups) {
    it(`same output, exit code and file afterwards: ${g} (${list.length} inputs)`, () => {
      expect(list.map(runCase).filter((d) => d !== '')).toEqual([]);
    }, 240_000);
  }

  it('a file it may read but not write (4.0.14 opens it "r+", --fix or not): "Cannot open file: F", exit 1', () => {
    // As nobody when this is root (root may write anything); the file stays root's, mode 0444.
    const prefix = process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
    const dir = join(root, 'read-only');
    mkdirSync(dir, { recursive: true });
    chmodSync(root, 0o755);
    chmodSync(dir, 0o755);
    const target = join(dir, 'appendonly.aof');
    writeFileSync(target, VALID);
    chmodSync(target, 0o444);
    const run = (argv: string[]): { out: string; status: number | null } => {
      const all = [...prefix, ...argv];
      const r = spawnSync(all[0]!, all.slice(1), { encoding: 'latin1' });
      return { out: r.stdout + r.stderr, status: r.status };
    };
    const theirs = run([CHECK_BIN, target]);
    const ours = run([process.execPath, new URL('../../cli/dev.mjs', import.meta.url).pathname, 'check', '--profile', 'redis-4.0', target]);
    expect(theirs).toEqual({ out: `Cannot open file: ${target}\n`, status: 1 });
    expect(ours).toEqual(theirs);
  }, 120_000);
});
