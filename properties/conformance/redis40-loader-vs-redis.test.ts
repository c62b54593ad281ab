// Differential test: the redis-4.0 profile's loader (4.0's single-file layout, loadAppendOnlyFile
// 4.0.14) vs a real redis-server 4.0.14 starting on the same damaged appendonly.aof. For every case
// both sides must agree on whether the server starts, the size of the file afterwards (what was
// truncated, and where), the data loaded (4.0.14's own SAVE decoded, compared with aofsim's
// keyspace), and the loader's warning lines (each warning aofsim logs must be in 4.0.14's log).
//
// The damage matrix mirrors the 7.0 one (loader-vs-redis-server.test.ts) for 4.0's file format:
// truncation at every kind of boundary, bad counts and bulk lengths, garbage and zero tails, open
// MULTI, 7.0-only input 4.0 refuses (#TS annotations, RDB 9/10 preambles), and 4.0 RDB 8 preambles
// cut at every kind of boundary. aofsim runs with the switches of the bugs 4.0.14 has here:
// 'multi-tail-truncate' (docs/redis-bugs.md#bug-22: the 4.0 code is the same) and
// 'preamble-cut-to-zero' (docs/findings/preamble-cut-to-zero.md).
// Needs the 4.0.14 binary (AOFSIM_REDIS40_BIN; scripts/build-subject.sh); skips loudly without it.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { loadAppendOnlyFiles, rdbLoaderFor } from '../../src/aof/loader/index.ts';
import { Executor } from '../../src/commands/executor.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { encodeRdb, loadRdbInto } from '../../src/rdb/index.ts';
import { keyspaceSnapshot } from '../../testing/rdb/snapshot.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import { REDIS40_BIN, require40, skip40 } from './redis40.ts';

const skip = skip40('the 4.0 loader damage matrix against redis-server 4.0.14');
const root = mkdtempSync(join(tmpdir(), 'aofsim-loader40-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const R = (...argv: string[]): string => encodeCommand(argv);
const F = 'appendonly.aof';
/** The bugs 4.0.14 shows on these inputs (see the header). */
const BUGS_4014 = new Set(['multi-tail-truncate', 'preamble-cut-to-zero']);

interface Case {
  name: string;
  aof: Uint8Array;
  loadTruncated: boolean;
}

interface Outcome {
  started: boolean;
  size: number;
  data: unknown;
  log: string;
}

/** 4.0.14's data set after loading: its own SAVE, decoded. */
async function savedData(dir: string, server: RedisServerSubject): Promise<unknown> {
  const r = await server.client.call(['SAVE']);
  if (r.kind !== 'status') throw new Error(`SAVE: ${JSON.stringify(r)}`);
  const ks = new Keyspace();
  loadRdbInto(ks, readFileSync(join(dir, 'dump.rdb')), { file: 'dump.rdb' });
  return keyspaceSnapshot(ks);
}

async function runRedis40(dir: string, c: Case): Promise<Outcome> {
  const server = new RedisServerSubject({
    bin: REDIS40_BIN,
    dir,
    config: { appendonly: 'yes', save: '', 'aof-load-truncated': c.loadTruncated ? 'yes' : 'no' },
    startTimeoutMs: 30_000,
  });
  const size = (): number => (existsSync(join(dir, F)) ? statSync(join(dir, F)).size : -1);
  try {
    const st = await server.start();
    const log = st.log.join('\n');
    if (st.outcome !== 'ok') return { started: false, size: size(), data: null, log };
    const sz = size(); // before SAVE, which writes only dump.rdb
    return { started: true, size: sz, data: await savedData(dir, server), log };
  } finally {
    await server.kill();
  }
}

function runAofsim(dir: string, c: Case): Outcome {
  const keyspace = new Keyspace();
  const log = new MemoryLog();
  const executor = new Executor(keyspace, { profile: 'redis-4.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1), log });
  const res = loadAppendOnlyFiles(
    { fs: createNodeFs(), log, executor, modify: true, rdb: rdbLoaderFor(keyspace), bugs: BUGS_4014 },
    { dir, appendFilename: F, appendDirname: 'appendonlydir', loadTruncated: c.loadTruncated, layout: 'single-file' },
  );
  const started = res.status !== 'failed' && res.status !== 'open-err';
  const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
  return { started, size: statSync(join(dir, F)).size, data: started ? keyspaceSnapshot(keyspace) : null, log: warnings.join('\n') };
}

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function cases(): Case[] {
  const out: Case[] = [];
  const add = (name: string, aof: string | Uint8Array, loadTruncated = true): void => {
    out.push({ name, aof: typeof aof === 'string' ? latin1(aof) : aof, loadTruncated });
  };
  // A file with a MULTI block between plain commands, cut at every kind of boundary: inside the
  // count line, the length line, the bulk, its CRLF, between records, inside the MULTI block.
  const b22 = R('set', 'foo', 'hello') + R('multi') + R('set', 'bar', 'world') + R('exec') + R('set', 'last', '1');
  for (let cut = 1; cut <= b22.length; cut += cut < 40 ? 3 : 2) add(`cut ${cut}`, b22.slice(0, cut));
  for (const cut of [5, 40, 60, 92]) add(`cut ${cut}, aof-load-truncated no`, b22.slice(0, cut), false);
  add('empty file', '');
  add('zero tail', R('set', 'a', '1') + '\0'.repeat(64));
  add('zero tail, aof-load-truncated no', R('set', 'a', '1') + '\0'.repeat(64), false);
  add('garbage tail', R('set', 'a', '1') + 'garbage');
  add('CRLF tail', R('set', 'a', '1') + '\r\n');
  add('*0', R('set', 'a', '1') + '*0\r\n' + R('set', 'b', '1'));
  add('*-1', R('set', 'a', '1') + '*-1\r\n' + R('set', 'b', '1'));
  add('count without digits', R('set', 'a', '1') + '*x\r\n');
  add('lone * at EOF', R('set', 'a', '1') + '*');
  add('bulk prefix missing', R('set', 'a', '1') + '*1\r\n#4\r\nPING\r\n');
  add('bulk length shorter than the bulk', '*3\r\n$3\r\nset\r\n$1\r\nab\r\n$1\r\n1\r\n' + R('set', 'b', '1'));
  add('bulk length longer than the file', R('set', 'a', '1') + '*2\r\n$3\r\nget\r\n$999\r\nabc\r\n');
  add('bulk length not a number', R('set', 'a', '1') + '*2\r\n$3\r\nget\r\n$abc\r\n\r\n');
  add('bulk length empty', R('set', 'a', '1') + '*1\r\n$\r\n\r\n');
  add('bulk $0', R('set', 'a', '') + R('set', 'b', '1'));
  add('unchecked CRLF after a bulk', '*3\r\n$3\r\nset\r\n$1\r\naXY$1\r\n1\r\n');
  add('count line longer than 127 bytes', R('set', 'a', '1') + '*' + '0'.repeat(140) + '1\r\n$4\r\nPING\r\n');
  add('unknown command', R('set', 'a', '1') + R('nosuchcommand', 'x'));
  add('a 7.0-only command (GETEX)', R('set', 'a', '1') + R('getex', 'a'));
  add('#TS annotation (7.0 only)', R('set', 'a', '1') + '#TS:1700000000\r\n' + R('set', 'b', '2'));
  add('command error is not fatal', R('set', 'a', 'x') + R('incr', 'a') + R('set', 'b', '1'));
  add('errors inside EXEC', R('set', 'a', 'x') + R('multi') + R('INCR', 'a') + R('lpush', 'a', 'v') + R('exec') + R('set', 'k', 'v'));
  add('EOF inside MULTI at a boundary', R('set', 'a', '1') + R('multi') + R('set', 'b', '1'));
  add('EOF inside MULTI at a boundary, aof-load-truncated no', R('set', 'a', '1') + R('multi') + R('set', 'b', '1'), false);
  add('EOF right after MULTI', R('set', 'a', '1') + R('multi'));
  add('nested MULTI then EOF', R('set', 'a', '1') + R('multi') + R('set', 'b', '1') + R('multi') + R('set', 'c', '1'));
  add('SELECT then cut', R('select', '3') + R('set', 'a', '1') + R('set', 'b', '2').slice(0, 12));

  // RDB 8 preamble (4.0's format, as aofsim's redis-4.0 profile writes it) + RESP tail.
  const ks = new Keyspace();
  ks.db(0).dict.set('pre', { type: 'string', value: 'amble' });
  ks.db(2).dict.set('n', { type: 'string', value: '12' });
  const pre = Buffer.from(encodeRdb(ks, { nowMs: 0, aofPreamble: true, version: 8 }));
  const tail = R('set', 'tail', '1') + R('multi') + R('incr', 'n') + R('exec') + R('set', 'cut', '1');
  const withTail = (t: string): Uint8Array => Buffer.concat([pre, latin1(t)]);
  add('preamble alone', pre);
  add('preamble + tail', withTail(tail));
  for (const cut of [3, 9, 20, tail.length - 30, tail.length - 3]) add(`preamble + tail cut at ${cut}`, withTail(tail.slice(0, cut)));
  add('preamble + tail cut in the 1st command, aof-load-truncated no', withTail(tail.slice(0, 9)), false);
  add('preamble + garbage tail', withTail('garbage'));
  add('preamble cut in its header', pre.subarray(0, 7));
  // Version gating: 4.0.14 refuses RDB 9 and 10 preambles ("Can't handle RDB format version").
  for (const version of [9, 10] as const) {
    add(`RDB ${version} preamble`, Buffer.concat([Buffer.from(encodeRdb(ks, { nowMs: 0, aofPreamble: true, version })), latin1(R('set', 't', '1'))]));
  }
  return out;
}

describe.skipIf(skip)('the redis-4.0 loader vs redis-server 4.0.14 on damaged AOFs', () => {
  beforeAll(() => require40());
  const all = cases();
  // One test per group of cases, so each stays within the timeout on a loaded machine.
  const groups = new Map<string, Case[]>();
  for (const c of all) {
    const g = c.name.startsWith('cut ') ? 'truncations' : /preamble|RDB/.test(c.name) ? 'RDB preambles' : 'damage';
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  let n = 0;
  for (const [g, list] of groups) {
    it(`same start decision, file size, data and log lines: ${g} (${list.length} cases)`, async () => {
      const mismatches: string[] = [];
      for (const c of list) {
        const base = join(root, `case-${n++}`);
        for (const side of ['redis', 'aofsim']) {
          mkdirSync(join(base, side), { recursive: true });
          writeFileSync(join(base, side, F), c.aof);
        }
        const redis = await runRedis40(join(base, 'redis'), c);
        const ours = runAofsim(join(base, 'aofsim'), c);
        const diff: string[] = [];
        if (ours.started !== redis.started) diff.push(`started: aofsim ${ours.started}, 4.0.14 ${redis.started}`);
        if (ours.size !== redis.size) diff.push(`size after: aofsim ${ours.size}, 4.0.14 ${redis.size}`);
        if (JSON.stringify(ours.data) !== JSON.stringify(redis.data)) {
          diff.push(`data: aofsim ${JSON.stringify(ours.data)}, 4.0.14 ${JSON.stringify(redis.data)}`);
        }
        for (const line of ours.log.split('\n').filter((l) => l !== '')) {
          if (!redis.log.includes(line)) diff.push(`4.0.14's log lacks: ${line}`);
        }
        if (diff.length > 0) mismatches.push(`${c.name}: ${diff.join('; ')}\n  4.0.14 log tail: ${redis.log.split('\n').slice(-4).join(' | ')}`);
      }
      expect(mismatches).toEqual([]);
    }, 300_000);
  }
});
