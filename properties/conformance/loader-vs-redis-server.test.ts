// Differential test: aofsim's loader vs a real redis-server 7.0 starting on the same damaged
// multi-part AOF directories. For every case both sides must agree on: whether the server starts,
// the size of every listed file afterwards (what was truncated, and where), the keys of db 0, and
// the loader's warning lines (each warning aofsim logs must appear in redis-server's log).
//
// aofsim runs with the switches that reproduce Redis 7.0.15's known bugs ('multi-tail-truncate':
// docs/redis-bugs.md#bug-22; 'truncate-non-last-file': bug 10), so this also proves those switches are faithful.
// Skips LOUDLY when redis-server is absent; fails instead when AOFSIM_REQUIRE_REDIS=1.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { loadAppendOnlyFiles, rdbLoaderFor } from '../../src/aof/loader/index.ts';
import { Executor } from '../../src/commands/executor.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { encodeRdb } from '../../src/rdb/index.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';

function which(bin: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const SERVER = which('redis-server');
const REQUIRED = process.env.AOFSIM_REQUIRE_REDIS === '1';
if (!SERVER && !REQUIRED) {
  console.warn(
    'SKIPPING loader-vs-redis-server: redis-server not on PATH, so the loader is NOT compared with Redis. ' +
      'Install redis-server or set AOFSIM_REQUIRE_REDIS=1 to make this a failure.',
  );
}

const root = mkdtempSync(join(tmpdir(), 'aofsim-loader-vs-redis-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const R = (...argv: string[]) => encodeCommand(argv);
const F = 'appendonly.aof';
const MANIFEST = `${F}.manifest`;

interface Case {
  name: string;
  /** Files of appendonlydir/, manifest excluded. */
  files: Record<string, string | Uint8Array>;
  /** The manifest, or null for none (and no appendonlydir/ unless files are given). */
  manifest: string | null;
  loadTruncated: boolean;
  /** An old-style dir/appendonly.aof (legacy upgrade, docs/redis-behaviour.md#legacy-upgrade). */
  legacy?: Uint8Array;
}

interface Outcome {
  started: boolean;
  sizes: Record<string, number>;
  keys: string[];
  log: string;
}

function writeCase(dir: string, c: Case): void {
  mkdirSync(dir, { recursive: true });
  if (c.manifest !== null || Object.keys(c.files).length > 0) mkdirSync(join(dir, 'appendonlydir'), { recursive: true });
  if (c.manifest !== null) writeFileSync(join(dir, 'appendonlydir', MANIFEST), c.manifest);
  for (const [n, t] of Object.entries(c.files)) {
    writeFileSync(join(dir, 'appendonlydir', n), typeof t === 'string' ? Buffer.from(t, 'latin1') : t);
  }
  if (c.legacy) writeFileSync(join(dir, F), c.legacy);
}

/** Sizes of the data files (-1: absent), wherever the legacy upgrade may have moved them. */
function sizes(dir: string, c: Case): Record<string, number> {
  const paths = Object.keys(c.files).map((n) => join('appendonlydir', n));
  if (c.legacy) paths.push(F, join('appendonlydir', F));
  return Object.fromEntries(paths.map((p) => [p, existsSync(join(dir, p)) ? statSync(join(dir, p)).size : -1]));
}

async function runRedis(dir: string, c: Case): Promise<Outcome> {
  const server = new RedisServerSubject({
    bin: SERVER as string,
    dir,
    config: { appendonly: 'yes', save: '', 'aof-load-truncated': c.loadTruncated ? 'yes' : 'no' },
    startTimeoutMs: 20_000,
  });
  try {
    const st = await server.start();
    const log = st.log.join('\n');
    if (st.outcome !== 'ok') return { started: false, sizes: sizes(dir, c), keys: [], log };
    const r = await server.client.call(['KEYS', '*']);
    const keys = (r.kind === 'array' && r.value !== null ? r.value : []).map((k) => (k.kind === 'bulk' && k.value !== null ? k.value : '')).sort();
    return { started: true, sizes: sizes(dir, c), keys, log };
  } finally {
    await server.kill();
  }
}

function runAofsim(dir: string, c: Case): Outcome {
  const keyspace = new Keyspace();
  const log = new MemoryLog();
  const executor = new Executor(keyspace, { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1), log });
  const res = loadAppendOnlyFiles(
    {
      fs: createNodeFs(),
      log,
      executor,
      modify: true,
      rdb: rdbLoaderFor(keyspace),
      bugs: new Set(['multi-tail-truncate', 'truncate-non-last-file', 'preamble-cut-to-zero']),
    },
    { dir, appendFilename: F, appendDirname: 'appendonlydir', loadTruncated: c.loadTruncated, layout: 'multi-part' },
  );
  const started = res.status !== 'failed' && res.status !== 'open-err';
  const keys = started ? [...keyspace.db(0).dict.keys()].sort() : [];
  const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
  return { started, sizes: sizes(dir, c), keys, log: warnings.join('\n') };
}

function cases(): Case[] {
  const out: Case[] = [];
  const one = (name: string, incr: string, loadTruncated = true) =>
    out.push({ name, files: { [`${F}.1.incr.aof`]: incr }, manifest: `file ${F}.1.incr.aof seq 1 type i\n`, loadTruncated });
  // The file of docs/redis-bugs.md bug 22, cut at every offset, both aof-load-truncated settings.
  const b22 = R('set', 'foo', 'hello') + R('multi') + R('set', 'bar', 'world') + R('exec') + R('set', 'last', '1');
  for (let cut = 1; cut <= b22.length; cut += cut < 40 ? 3 : 1) one(`bug22 cut ${cut}`, b22.slice(0, cut));
  for (const cut of [5, 40, 92]) one(`bug22 cut ${cut} load-truncated no`, b22.slice(0, cut), false);
  one('zero tail (bug 8)', R('set', 'a', '1') + '\0'.repeat(64));
  one('garbage tail', R('set', 'a', '1') + 'garbage');
  one('*0', R('set', 'a', '1') + '*0\r\n' + R('set', 'b', '1'));
  one('unknown command', R('set', 'a', '1') + R('nosuchcommand', 'x'));
  one('unchecked CRLF', '*3\r\n$3\r\nset\r\n$1\r\naXY$1\r\n1\r\n');
  one('annotations', '#TS:1700000000\r\n' + R('set', 'a', '1') + '#anything\r\n' + R('set', 'b', '2'));
  one('command error is not fatal', R('set', 'a', 'x') + R('incr', 'a') + R('set', 'b', '1'));
  one('errors inside EXEC and a shared error', R('set', 'a', 'x') + R('multi') + R('INCR', 'a') + R('lpush', 'a', 'v') + R('exec') + R('set', 'k', 'v', 'bogus'));
  one('EOF inside MULTI at a boundary', R('set', 'a', '1') + R('multi') + R('set', 'b', '1'));
  // Two INCRs: a short non-last file (bug 10), a short last file, an empty last file (bug 23).
  const two = (name: string, a: string, b: string) =>
    out.push({
      name,
      files: { [`${F}.1.incr.aof`]: a, [`${F}.2.incr.aof`]: b },
      manifest: `file ${F}.1.incr.aof seq 1 type i\nfile ${F}.2.incr.aof seq 2 type i\n`,
      loadTruncated: true,
    });
  two('short non-last INCR (bug 10)', R('set', 'a', '1') + R('set', 'b', '1').slice(0, 9), R('set', 'c', '1'));
  two('short last INCR', R('set', 'a', '1'), R('set', 'c', '1') + R('set', 'd', '1').slice(0, 20));
  two('empty last INCR (bug 23)', R('set', 'a', '1'), '');
  // Legacy upgrade (docs/redis-behaviour.md#legacy-upgrade) of an old-style file: RESP, and RDB preamble + RESP tail.
  const legacy = (name: string, bytes: Uint8Array, extra: Partial<Case> = {}) =>
    out.push({ name, files: {}, manifest: null, loadTruncated: true, legacy: bytes, ...extra });
  const resp = Buffer.from(R('set', 'a', '1') + R('set', 'b', '2'), 'latin1');
  legacy('legacy RESP file', resp);
  legacy('legacy RESP file, short', resp.subarray(0, resp.length - 4));
  legacy('legacy file and a manifest naming it (interrupted upgrade)', resp, { manifest: `file ${F} seq 1 type b\n` });
  const ks = new Keyspace();
  ks.db(0).dict.set('pre', { type: 'string', value: 'amble' });
  const pre = Buffer.from(encodeRdb(ks, { nowMs: 0, aofPreamble: true }));
  const tail = R('set', 'tail', '1') + R('set', 'cut', '1');
  legacy('legacy preamble + tail', Buffer.concat([pre, Buffer.from(tail, 'latin1')]));
  legacy('legacy preamble + tail cut in the 2nd command', Buffer.concat([pre, Buffer.from(tail.slice(0, -3), 'latin1')]));
  legacy('legacy preamble + tail cut in the 1st command (preamble-cut-to-zero)', Buffer.concat([pre, Buffer.from(tail.slice(0, 9), 'latin1')]));
  legacy('legacy preamble cut short (RDB failure is fatal)', pre.subarray(0, pre.length - 5));
  return out;
}

describe.skipIf(!SERVER && !REQUIRED)('loader vs redis-server 7.0 on damaged AOFs', () => {
  it('finds redis-server and redis-cli', () => {
    expect(SERVER).not.toBeNull();
  });

  const all = cases();
  for (const [i, c] of all.entries()) {
    it(c.name, async () => {
      const base = join(root, `case-${i}`);
      writeCase(join(base, 'redis'), c);
      cpSync(join(base, 'redis'), join(base, 'aofsim'), { recursive: true });
      const redis = await runRedis(join(base, 'redis'), c);
      const ours = runAofsim(join(base, 'aofsim'), c);
      expect(ours.started, `started (redis log:\n${redis.log})`).toBe(redis.started);
      expect(ours.sizes).toEqual(redis.sizes);
      expect(ours.keys).toEqual(redis.keys);
      for (const line of ours.log.split('\n').filter((l) => l !== '')) {
        expect(redis.log, `redis log lacks: ${line}`).toContain(line);
      }
    });
  }
});
