// Differential test: aofsim check vs the real redis-check-aof (7.0.x) on generated damaged inputs.
// Both run on the same files (aofsim first, then the originals are restored for redis-check-aof);
// stdout lines are compared after removing redis-check-aof's log prefix (`<pid>:C <date> # `) and
// blank lines, and aofsim's own `aofsim: ` lines. Exit codes and the files left behind must match.
// Skips LOUDLY when redis-check-aof is absent; fails instead when AOFSIM_REQUIRE_REDIS=1.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../adapters/node/node-fs.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { checkAof } from './check-aof.ts';
import { CONFIRM_PROMPT } from './types.ts';

function findRedisCheckAof(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-check-aof'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const BIN = findRedisCheckAof();
const REQUIRED = process.env.AOFSIM_REQUIRE_REDIS === '1';
if (!BIN && !REQUIRED) {
  console.warn(
    'SKIPPING check-vs-redis: redis-check-aof is not on PATH, so aofsim check is NOT compared with Redis. ' +
      'Install redis-tools/redis-server or set AOFSIM_REQUIRE_REDIS=1 to make this a failure.',
  );
}

const root = mkdtempSync(join(tmpdir(), 'aofsim-check-vs-redis-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FIXTURES = new URL('../../../fixtures/redis-7.0.15/', import.meta.url).pathname;

type Files = Record<string, Uint8Array | string>;
interface Case {
  name: string;
  files: Files;
  /** Relative to the case directory. */
  target: string;
  args?: string[];
  stdin?: string;
  /** Lines to ignore on both sides (e.g. RDB error reports, whose wording is aofsim's own). */
  ignore?: RegExp;
}

const LOG_PREFIX = /^\d+:[CMSX] \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] /;

function normRedis(out: string): string[] {
  return out
    .split(CONFIRM_PROMPT)
    .join(CONFIRM_PROMPT + '\n')
    .split('\n')
    .map((l) => (l === CONFIRM_PROMPT ? l : l.replace(LOG_PREFIX, '')))
    .filter((l) => l !== '');
}

function writeFiles(dir: string, files: Files): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), prefix + e.name + '/');
      else out[prefix + e.name] = readFileSync(join(d, e.name)).toString('latin1');
    }
  };
  walk(dir, '');
  return out;
}

let caseNo = 0;
function runCase(c: Case): void {
  const dir = join(root, `c${caseNo++}`);
  const target = join(dir, c.target);
  const args = c.args ?? [];
  const keep = (l: string): boolean => !l.startsWith('aofsim: ') && !(c.ignore && c.ignore.test(l));

  writeFiles(dir, c.files);
  const fix = args.includes('--fix');
  const tsIdx = args.indexOf('--truncate-to-timestamp');
  const report = checkAof(createNodeFs(), target, {
    fix,
    truncateToTimestamp: tsIdx >= 0 ? args[tsIdx + 1] : undefined,
    confirm: () => (c.stdin && c.stdin.length > 0 ? c.stdin[0]! : null),
    nowMs: Date.now(), // redis-check-rdb counts "already expired" keys against the real clock
  });
  const oursAfter = snapshot(dir);

  writeFiles(dir, c.files);
  const r = spawnSync(BIN!, [...args, target], { input: c.stdin ?? '', encoding: 'latin1' });
  const theirsAfter = snapshot(dir);

  const ctx = `case ${c.name}: redis-check-aof ${[...args, c.target].join(' ')}`;
  expect(report.lines.filter(keep), ctx).toEqual(normRedis(r.stdout).filter(keep));
  expect(report.exitCode, ctx).toBe(r.status);
  expect(oursAfter, ctx).toEqual(theirsAfter);
}

const cmd = (...argv: string[]): string => encodeCommand(argv);
const VALID =
  cmd('SELECT', '0') +
  cmd('set', 'foo', 'bar') +
  '#TS:1700000000\r\n' +
  cmd('MULTI') +
  cmd('incr', 'n') +
  cmd('SET', 'bin', '\x00\xff\r\n') +
  cmd('EXEC') +
  cmd('del', 'foo') +
  '#TS:1700000100\r\n' +
  cmd('rpush', 'l', 'a', 'b', 'c');

function cases(): Case[] {
  const out: Case[] = [];
  const old = (name: string, aof: string, more: Partial<Case> = {}): void => {
    out.push({ name, files: { 'appendonly.aof': aof }, target: 'appendonly.aof', ...more });
  };
  // Truncations at every offset, and --fix on a spread of them.
  // Every offset of the first records (every parser state), then a stride (redis-check-aof costs
  // ~35 ms per run).
  for (let cut = 0; cut <= VALID.length; cut += cut < 64 ? 1 : 7) old(`cut@${cut}`, VALID.slice(0, cut));
  for (let cut = 1; cut < VALID.length; cut += 23) {
    old(`fix-cut@${cut}`, VALID.slice(0, cut), { args: ['--fix'], stdin: 'y\n' });
  }
  old('fix-refused', VALID.slice(0, 40), { args: ['--fix'], stdin: 'n\n' });
  old('fix-no-stdin', VALID.slice(0, 40), { args: ['--fix'], stdin: '' });
  old('fix-valid', VALID, { args: ['--fix'], stdin: 'y\n' });
  // Garbage and zero tails (docs/redis-bugs.md#bug-8).
  for (const n of [1, 2, 8, 100]) {
    old(`zeros-${n}`, VALID + '\0'.repeat(n));
    old(`fix-zeros-${n}`, VALID + '\0'.repeat(n), { args: ['--fix'], stdin: 'y' });
  }
  old('garbage', VALID + 'hello world\r\n');
  old('garbage-high', VALID + '\xfe\xff\x80');
  old('garbage-inside-multi', cmd('MULTI') + cmd('set', 'a', 'b') + 'xx');
  // Checker/loader divergences and strict RESP rules.
  old('star0', cmd('set', 'a', 'b') + '*0\r\n' + cmd('set', 'c', 'd'));
  old('star-negative', '*-1\r\n' + cmd('set', 'c', 'd'));
  old('bulk-no-crlf', '*2\r\n$3\r\nget\r\n$1\r\nbXY' + cmd('set', 'c', 'd'));
  old('bulk-no-crlf-high', '*1\r\n$3\r\nf\xffo\r\n*1\r\n$3\r\nfoo\xff\xfe');
  old('number-junk', '*1x\r\n$4\r\nPING\r\n');
  old('number-lf-only', '*1\n$4\r\nPING\r\n');
  old('bulk-negative', '*1\r\n$-1\r\n');
  old('bulk-nondigit', '*1\r\n$abc\r\n');
  old('bulk-empty-len', '*1\r\n$\r\n\r\n');
  old('bulk-space-len', '*1\r\n$ 4\r\nPING\r\n');
  old('wrong-prefix', '*2\r\n$3\r\nget\r\n#1\r\na\r\n');
  old('nested-multi', cmd('MULTI') + cmd('set', 'a', 'b') + cmd('multi') + cmd('EXEC'));
  old('exec-without-multi', cmd('set', 'a', 'b') + cmd('EXEC'));
  old('unterminated-multi', cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd'));
  old('unterminated-multi-cut', cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd') + cmd('EXEC').slice(0, 9));
  old('fix-unterminated-multi', cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd'), { args: ['--fix'], stdin: 'Y' });
  old('multi-with-nul', cmd('multi\0x') + cmd('set', 'a', 'b') + cmd('exec\0'));
  old('unknown-command', cmd('NOSUCHCOMMAND', 'x'));
  old('only-comments', '# just a comment\r\n#another\r\n');
  old('long-annotation', '#' + 'a'.repeat(1500) + '\r\n' + cmd('set', 'a', 'b'));
  old('empty', '');
  // Timestamps.
  for (const t of ['1699999999', '1700000000', '1700000050', '1700000100', '1800000000', '0', '-5', 'abc', '12x', '']) {
    old(`ts-${t}`, VALID, { args: ['--truncate-to-timestamp', t] });
  }
  old('ts-at-start', '#TS:1700000000\r\n' + cmd('set', 'a', 'b'), { args: ['--truncate-to-timestamp', '10'] });
  old('ts-invalid-annotation', cmd('set', 'a', 'b') + '#TS:abc\r\n', { args: ['--truncate-to-timestamp', '10'] });
  old('ts-empty-annotation', cmd('set', 'a', 'b') + '#TS:\r\n' + cmd('set', 'a', 'c'), {
    args: ['--truncate-to-timestamp', '10'],
  });
  old('ts-with-bad-tail', VALID + 'zz', { args: ['--truncate-to-timestamp', '1800000000'] });

  // Multi-part.
  const base = cmd('SELECT', '0') + cmd('set', 'k', 'v');
  const incr1 = cmd('incr', 'n') + cmd('incr', 'n');
  const incr2 = '#TS:1700000000\r\n' + cmd('set', 'x', '1') + '#TS:1700000200\r\n' + cmd('set', 'y', '2');
  const manifest =
    'file appendonly.aof.1.base.aof seq 1 type b\n' +
    'file appendonly.aof.1.incr.aof seq 1 type i\n' +
    'file appendonly.aof.2.incr.aof seq 2 type i\n';
  const mp = (name: string, files: Files, more: Partial<Case> = {}): void => {
    out.push({ name, files, target: 'appendonlydir/appendonly.aof.manifest', ...more });
  };
  const dirFiles = (m: string, b: string, i1: string, i2: string): Files => ({
    'appendonlydir/appendonly.aof.manifest': m,
    'appendonlydir/appendonly.aof.1.base.aof': b,
    'appendonlydir/appendonly.aof.1.incr.aof': i1,
    'appendonlydir/appendonly.aof.2.incr.aof': i2,
  });
  mp('mp-valid', dirFiles(manifest, base, incr1, incr2));
  mp('mp-empty-incr', dirFiles(manifest, base, '', incr2));
  mp('mp-last-cut', dirFiles(manifest, base, incr1, incr2.slice(0, incr2.length - 3)));
  mp('mp-last-cut-fix', dirFiles(manifest, base, incr1, incr2.slice(0, incr2.length - 3)), {
    args: ['--fix'],
    stdin: 'y',
  });
  mp('mp-middle-cut-fix', dirFiles(manifest, base, incr1.slice(0, 20), incr2), { args: ['--fix'], stdin: 'y' });
  mp('mp-base-cut', dirFiles(manifest, base.slice(0, 30), incr1, incr2));
  for (const t of ['1700000100', '1690000000', '1800000000']) {
    mp(`mp-ts-${t}`, dirFiles(manifest, base, incr1, incr2), { args: ['--truncate-to-timestamp', t] });
  }
  mp('mp-ts-not-last', dirFiles(manifest, base, '#TS:1\r\n' + incr1 + '#TS:5\r\n' + incr1, incr2), {
    args: ['--truncate-to-timestamp', '3'],
  });
  mp('mp-missing-base', { 'appendonlydir/appendonly.aof.manifest': manifest });
  mp('mp-missing-incr', {
    'appendonlydir/appendonly.aof.manifest': manifest,
    'appendonlydir/appendonly.aof.1.base.aof': base,
  });
  mp('mp-comment-manifest', dirFiles('# comment\n' + manifest, base, incr1, incr2));
  mp('mp-history-only', dirFiles('file appendonly.aof.1.base.aof seq 1 type h\n', base, incr1, incr2));
  const badManifests: Record<string, string> = {
    blank: manifest + '\n',
    'too-long': manifest.slice(0, -1),
    'unknown-type': 'file a seq 1 type x\n',
    'duplicate-base': 'file a seq 1 type b\nfile b seq 2 type b\n',
    'non-monotonic': 'file a seq 2 type i\nfile b seq 2 type i\n',
    path: 'file ../a seq 1 type b\n',
    odd: 'file a seq 1 type b x\n',
    few: 'file a seq 1\n',
    'seq-zero': 'file a seq 0 type b\n',
    quotes: 'file "a seq 1 type b\n',
  };
  for (const [n, m] of Object.entries(badManifests)) mp(`mp-bad-${n}`, dirFiles(m, base, incr1, incr2));

  // RDB base and preamble (fixtures written by redis 7.0.15).
  const rdbDir = FIXTURES + 'golden/golden-rdb/';
  const rdb = readFileSync(rdbDir + 'appendonly.aof.2.base.rdb');
  const rdbIncr = readFileSync(rdbDir + 'appendonly.aof.2.incr.aof');
  const rdbManifest = readFileSync(rdbDir + 'appendonly.aof.manifest');
  mp('rdb-base', {
    'appendonlydir/appendonly.aof.manifest': rdbManifest,
    'appendonlydir/appendonly.aof.2.base.rdb': rdb,
    'appendonlydir/appendonly.aof.2.incr.aof': rdbIncr,
  });
  // A flipped byte anywhere before the trailer fails the CRC (redis-check-rdb: "RDB CRC error" at
  // the offset just past the checksum): in an AUX field, in a value, in the checksum itself.
  for (const at of [0x10, 0x60, rdb.length - 3]) {
    const flipped = Buffer.from(rdb);
    flipped[at] = flipped[at]! ^ 1;
    mp(`rdb-base-flip@${at}`, {
      'appendonlydir/appendonly.aof.manifest': rdbManifest,
      'appendonlydir/appendonly.aof.2.base.rdb': flipped,
      'appendonlydir/appendonly.aof.2.incr.aof': rdbIncr,
    });
    old(`rdb-preamble-flip@${at}`, Buffer.concat([flipped, rdbIncr]).toString('latin1'));
  }
  old('rdb-preamble', Buffer.concat([rdb, rdbIncr]).toString('latin1'));
  old('rdb-preamble-cut-tail', Buffer.concat([rdb, rdbIncr.subarray(0, 50)]).toString('latin1'));
  old('rdb-preamble-cut-rdb', rdb.subarray(0, 60).toString('latin1'), {
    // The RDB error report is aofsim's decoder's wording (src/rdb); compare the rest.
    ignore: /^(\[|---)/,
  });
  // Every fixture written by redis-server 7.0.15, as is and with the last file cut short.
  for (const rel of [
    'golden/golden-multiincr',
    'golden/golden-rdb',
    'golden/golden-resp',
    'legacy-upgrade/after',
    'preamble-no/1-fresh-start',
    'preamble-no/4-after-rewrite-and-more-writes',
    'preamble-yes/3-after-bgrewriteaof',
    'preamble-yes/4-after-rewrite-and-more-writes',
    'timestamps',
  ]) {
    const files: Files = {};
    for (const f of readdirSync(FIXTURES + rel)) {
      if (!f.endsWith('.txt') && !f.endsWith('.json')) files[f] = readFileSync(FIXTURES + rel + '/' + f);
    }
    const m = parseManifestNames(String(files['appendonly.aof.manifest']));
    out.push({ name: `fixture ${rel}`, files, target: 'appendonly.aof.manifest' });
    const last = m.at(-1);
    if (last && files[last] && files[last].length > 10) {
      const cutFiles = { ...files, [last]: (files[last] as Uint8Array).subarray(0, files[last].length - 7) };
      out.push({ name: `fixture ${rel} cut`, files: cutFiles, target: 'appendonly.aof.manifest', args: ['--fix'], stdin: 'y' });
    }
    if (rel === 'timestamps') {
      out.push({ name: 'fixture ts', files, target: 'appendonly.aof.manifest', args: ['--truncate-to-timestamp', '1795543300'] });
    }
  }
  old('legacy-before', readFileSync(FIXTURES + 'legacy-upgrade/before/appendonly.aof').toString('latin1'));

  // Seeded random mutations (replace / insert / delete of RESP- and quote-significant bytes) of a
  // valid AOF and of a valid manifest.
  let seed = 20261124;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const mutate = (text: string, alphabet: number[], from: number): string => {
    const chars = text.split('');
    for (let m = 1 + rnd(3); m > 0; m--) {
      const pos = from + rnd(chars.length - from + 1);
      const b = String.fromCharCode(alphabet[rnd(alphabet.length)]!);
      const op = rnd(3);
      if (op === 0) chars[pos] = b;
      else if (op === 1) chars.splice(pos, 0, b);
      else chars.splice(pos, 1);
    }
    const t = chars.join('');
    return rnd(3) === 0 ? t.slice(0, rnd(t.length + 1)) : t;
  };
  const respBytes = [0, 0x0d, 0x0a, 0x2a, 0x24, 0x23, 0x2d, 0x20, 0x30, 0x31, 0x39, 0x78, 0x7f, 0x80, 0xff];
  for (let k = 0; k < 40; k++) old(`fuzz-resp-${k}`, mutate(VALID, respBytes, 0));
  const quoteBytes = [0, 0x0d, 0x0a, 0x20, 0x09, 0x22, 0x27, 0x5c, 0x78, 0x23, 0x2f, 0x30, 0x31, 0x62, 0x68, 0x69, 0xff];
  const quoted = manifest.replace('file appendonly.aof.1.incr.aof', 'file "appendonly.aof.1.incr.aof"');
  for (let k = 0; k < 30; k++) mp(`fuzz-manifest-${k}`, dirFiles(mutate(quoted, quoteBytes, 4), base, incr1, incr2));
  return out;
}

/** BASE and INCR names in manifest order (good enough for the fixtures' plain manifests). */
function parseManifestNames(text: string): string[] {
  const lines = text.split('\n').filter((l) => l.startsWith('file '));
  const base = lines.filter((l) => l.endsWith(' b')).map((l) => l.split(' ')[1]!);
  const incrs = lines.filter((l) => l.endsWith(' i')).map((l) => l.split(' ')[1]!);
  return [...base, ...incrs];
}

describe.skipIf(!BIN && !REQUIRED)('aofsim check vs redis-check-aof', () => {
  it('known divergence: 7.0.15 takes a file with a later `file` line for a manifest; aofsim warns', () => {
    // The tail of an over-long comment is not a comment, so with redis/redis#12958 this is not a
    // manifest; 7.0.15 scans every line and finds the `file` lines.
    const dir = join(root, 'divergent-manifest');
    const m = '#' + 'c'.repeat(1100) + '\nfile a seq 1 type b\n';
    writeFiles(dir, { 'x.manifest': m });
    const target = join(dir, 'x.manifest');
    const report = checkAof(createNodeFs(), target);
    const theirs = normRedis(spawnSync(BIN!, [target], { encoding: 'latin1' }).stdout);
    expect(theirs[0]).toBe('Start checking Multi Part AOF');
    expect(report.lines[1]).toBe('Start checking Old-Style AOF');
    expect(report.lines[0]).toMatch(/^aofsim: warning: .* would take it for a manifest$/);
  });

  it('redis-check-aof is installed (AOFSIM_REQUIRE_REDIS=1)', () => {
    expect(BIN, 'redis-check-aof not found on PATH').not.toBeNull();
  });
  // One test per group of cases, so each stays within the timeout on a loaded machine.
  const groups = new Map<string, Case[]>();
  for (const c of cases()) {
    const g = c.name.startsWith('fixture')
      ? 'fixtures written by redis 7.0.15'
      : c.name.startsWith('fuzz')
        ? 'seeded random mutations'
        : c.name.startsWith('mp-') || c.name.startsWith('rdb')
          ? 'multi-part, manifests and RDB parts'
          : c.name.startsWith('cut@') || c.name.startsWith('fix-cut@')
            ? 'truncations'
            : 'damage, divergences and timestamps';
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  for (const [g, list] of groups) {
    it(`same output, exit code and files: ${g} (${list.length} inputs)`, () => {
      for (const c of list) runCase(c);
    }, 240_000); // ~35 ms per redis-check-aof run when idle; CI machines are often loaded
  }
});

// The command line itself, as a process: usage errors, a directory that holds no AOF, and the
// --fix prompt on piped stdin (no newline is echoed after `Continue? [y/N]: `). stdout must be the
// same text (program name aside; aofsim's own `aofsim: ` lines removed), with the same exit code.
describe.skipIf(!BIN && !REQUIRED)('aofsim check vs redis-check-aof, as processes', () => {
  const AOFSIM = new URL('../../../cli/dev.mjs', import.meta.url).pathname;
  const cliRoot = join(root, 'cli');
  const norm = (out: string): string =>
    out
      .split('\n')
      .filter((l) => !l.startsWith('aofsim: '))
      .map((l) => l.replace(LOG_PREFIX, '').replace(/^Usage: \S*redis-check-aof /, 'Usage: aofsim check '))
      .join('\n');
  const both = (name: string, args: (dir: string) => string[], files: Files = {}, stdin = ''): void => {
    const dir = join(cliRoot, name);
    writeFiles(dir, files);
    const ours = spawnSync(process.execPath, [AOFSIM, 'check', ...args(dir)], { input: stdin, encoding: 'latin1' });
    const oursAfter = snapshot(dir);
    writeFiles(dir, files);
    const theirs = spawnSync(BIN!, args(dir), { input: stdin, encoding: 'latin1' });
    const ctx = `${name}: ${args(dir).join(' ')}`;
    expect(ours.stderr, ctx).not.toMatch(/\n\s+at /); // never a stack trace
    expect(norm(ours.stdout), ctx).toBe(norm(theirs.stdout));
    expect(ours.status, ctx).toBe(theirs.status);
    expect(oursAfter, ctx).toEqual(snapshot(dir));
  };
  const cut = { 'appendonly.aof': VALID.slice(0, 40) };

  it('usage errors: the usage line, exit 1', () => {
    both('no-args', () => []);
    both('unknown-option', (d) => ['--bogus', join(d, 'x')]);
    both('three-paths', () => ['a', 'b', 'c']);
    both('fix-and-timestamp', (d) => ['--fix', '--truncate-to-timestamp', '5', join(d, 'x')]);
  }, 120_000);

  it('a directory without an AOF: "Cannot read file", exit 1', () => {
    both('empty-dir', (d) => [d]);
    both('aofdir-without-manifest', (d) => [d], { 'appendonlydir/appendonly.aof.1.incr.aof': cmd('PING') });
  }, 120_000);

  it('a file it cannot open read-write (it opens every file "r+", --fix or not): "Cannot open file", exit 1', () => {
    const manifest = 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n';
    // An INCR that is a directory.
    both('incr-is-a-directory', (d) => {
      rmSync(join(d, 'appendonly.aof.1.incr.aof'), { recursive: true, force: true });
      mkdirSync(join(d, 'appendonly.aof.1.incr.aof'), { recursive: true });
      return [join(d, 'appendonly.aof.manifest')];
    }, { 'appendonly.aof.manifest': manifest, 'appendonly.aof.1.base.aof': VALID, 'appendonly.aof.1.incr.aof': '' });
  }, 120_000);

  it('files it may read but not write: "Cannot open file ...: Permission denied", exit 1', () => {
    // Run as nobody when this is root (root may write anything); the files stay root's, mode 0444.
    const asNobody = process.getuid?.() === 0;
    const prefix = asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
    const readOnly = (name: string, files: Files, target: string): void => {
      const dir = join(cliRoot, name);
      chmodSync(root, 0o755);
      chmodSync(cliRoot, 0o755);
      const run = (argv: string[]): ReturnType<typeof spawnSync> => {
        writeFiles(dir, files);
        chmodSync(dir, 0o755);
        for (const f of Object.keys(files)) chmodSync(join(dir, f), 0o444);
        const all = [...prefix, ...argv];
        return spawnSync(all[0]!, all.slice(1), { encoding: 'latin1' });
      };
      const ours = run([process.execPath, AOFSIM, 'check', join(dir, target)]);
      const theirs = run([BIN!, join(dir, target)]);
      expect(ours.stderr, name).toBe('');
      expect(norm(String(ours.stdout)), name).toBe(norm(String(theirs.stdout)));
      expect(ours.status, name).toBe(theirs.status);
      expect(String(theirs.stdout), name).toContain('Permission denied');
    };
    readOnly('read-only-single', { 'appendonly.aof': VALID }, 'appendonly.aof');
    readOnly('read-only-multi-part', { 'appendonly.aof.manifest': 'file appendonly.aof.1.base.aof seq 1 type b\n', 'appendonly.aof.1.base.aof': VALID }, 'appendonly.aof.manifest');
  }, 120_000);

  it('--fix on piped stdin: the answer follows the prompt on the same line', () => {
    both('fix-yes', (d) => ['--fix', join(d, 'appendonly.aof')], cut, 'y\n');
    both('fix-no', (d) => ['--fix', join(d, 'appendonly.aof')], cut, 'n\n');
    both('fix-eof', (d) => ['--fix', join(d, 'appendonly.aof')], cut, '');
  }, 120_000);
});
