// Interop with the real redis-server 7.0 (the RDB part of the interop checks): bytes written by encodeRdb
// load in redis-server (at startup and via DEBUG RELOAD), the keys read back over RESP are ours,
// and what redis-server saves from them decodes with loadRdbInto to the same keyspace; DUMP
// payloads go both ways through RESTORE/DUMP; redis-check-rdb accepts our files.
// Without redis-server the suite is skipped with a loud warning, or fails when
// AOFSIM_REQUIRE_REDIS=1. The one launcher (sim/subjects/real-redis-server.ts) starts and kills the server.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Value } from '../../src/keyspace/types.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { dumpPayload, restorePayload } from '../../src/rdb/dump-payload.ts';
import { encodeRdb } from '../../src/rdb/encode-rdb.ts';
import { loadRdbInto } from '../../src/rdb/load-rdb.ts';
import { keyspaceArb, valueArb } from '../../testing/rdb/keyspace-arbitrary.ts';
import { legacySample } from '../../testing/rdb/legacy-sample.ts';
import { keyspaceSnapshot, valueSnapshot } from '../../testing/rdb/snapshot.ts';
import { List } from '../../src/keyspace/list.ts';

import type { Reply } from '../../src/commands/reply.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';

type RespReply = string | number | null | RespError | RespReply[];

class RespError {
  constructor(readonly message: string) {}
}

function plain(r: Reply): RespReply {
  switch (r.kind) {
    case 'status':
      return r.value;
    case 'error':
      return new RespError(r.value);
    case 'integer':
      return Number(r.value);
    case 'bulk':
      return r.value;
    case 'array':
      return r.value === null ? null : r.value.map(plain);
  }
}

// ---- the tests ----

const REDIS = '/usr/bin/redis-server';
const redisAvailable = spawnSync(REDIS, ['--version']).status === 0;
const required = process.env.AOFSIM_REQUIRE_REDIS === '1';
if (!redisAvailable) {
  console.warn(`\n!!!!!!!! rdb-vs-redis: ${REDIS} is not installed: the interop tests with real Redis are SKIPPED !!!!!!!!\n`);
}

/** The suites' one launcher, with the RDB this suite wrote into `dir` loaded at startup. */
async function startRedis(dir: string): Promise<RedisServerSubject> {
  const server = new RedisServerSubject({
    bin: REDIS,
    dir,
    config: { appendonly: 'no', save: '', dbfilename: 'dump.rdb' },
    args: ['--enable-debug-command', 'yes'],
  });
  const st = await server.start();
  if (st.outcome !== 'ok') {
    await server.stop();
    throw new Error(`redis-server did not start: ${st.log.slice(-3).join(' | ')}`);
  }
  return server;
}

/** The suites' one RESP client, its replies as plain values (bulk/status: string; integer: number). */
function plainClient(server: RedisServerSubject): { call: (...argv: string[]) => Promise<RespReply> } {
  return { call: async (...argv: string[]) => plain(await server.client.call(argv)) };
}

function ok(r: RespReply): void {
  if (r instanceof RespError) throw new Error(r.message);
}

/** Keys redis-server drops while loading a plain RDB as a master: those already expired. */
function withoutExpired(ks: Keyspace, nowMs: number): Keyspace {
  const out = ks.clone();
  for (const db of out.dbs) {
    for (const [k, t] of db.expires) {
      if (t < nowMs + 60_000) {
        db.dict.delete(k);
        db.expires.delete(k);
      }
    }
  }
  return out;
}

function handcrafted(): Keyspace {
  const ks = new Keyspace();
  const d0 = ks.db(0);
  const z = new ZSet();
  z.set('a', 1.5);
  z.set('minf', -Infinity);
  z.set('pinf', Infinity);
  const values: [string, Value][] = [
    ['str', { type: 'string', value: 'hello' }],
    ['int', { type: 'string', value: '-123456' }],
    ['big', { type: 'string', value: '12345678901234567890' }],
    ['bin', { type: 'string', value: 'a\x00b\r\n\xff' }],
    ['long', { type: 'string', value: 'xyz'.repeat(500) }],
    ['list', { type: 'list', value: List.from(Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? String(i * 1000) : `e${i}`))) }],
    ['intset', { type: 'set', value: new Set(['1', '-5', '70000', '9223372036854775807']) }],
    ['set', { type: 'set', value: new Set(['x', 'y', '1']) }],
    ['zset', { type: 'zset', value: z }],
    ['hash', { type: 'hash', value: new Map([['f', 'v'], ['n', '5']]) }],
    [
      'stream',
      {
        type: 'stream',
        value: {
          entries: [
            { id: { ms: 1n, seq: 1n }, fields: ['a', '1'] },
            { id: { ms: 1n, seq: 2n }, fields: ['a', '2'] },
            { id: { ms: 5n, seq: 0n }, fields: ['b', 'x', 'c', 'y'] },
          ],
          lastId: { ms: 5n, seq: 0n },
          entriesAdded: 4,
          maxDeletedId: { ms: 3n, seq: 0n },
          firstId: { ms: 1n, seq: 1n },
          groups: new Map([
            [
              'g',
              {
                name: 'g',
                lastId: { ms: 1n, seq: 2n },
                entriesRead: 2,
                pel: [{ id: { ms: 1n, seq: 1n }, consumer: 'alice', deliveryTimeMs: 1700000000000, deliveryCount: 3 }],
                consumers: new Map([
                  ['alice', { name: 'alice', seenTimeMs: 1700000000001 }],
                  ['bob', { name: 'bob', seenTimeMs: 1700000000002 }],
                ]),
              },
            ],
          ]),
        },
      },
    ],
  ];
  for (const [k, v] of values) d0.dict.set(k, v);
  d0.expires.set('str', 4102444800000);
  ks.db(3).dict.set('d3', { type: 'string', value: 'v3' });
  return ks;
}

describe.runIf(redisAvailable)('encodeRdb vs real redis-server 7.0', () => {
  let dir = '';
  let server: RedisServerSubject | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aofsim-rdb-'));
    writeFileSync(join(dir, 'dump.rdb'), encodeRdb(handcrafted(), { nowMs: 1795543163000, aofBase: true }));
    server = await startRedis(dir);
  }, 20_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('redis-check-rdb accepts our file', () => {
    const ks = handcrafted();
    const file = join(dir, 'check.rdb');
    writeFileSync(file, encodeRdb(ks, { nowMs: 1795543163000 }));
    const r = spawnSync('/usr/bin/redis-check-rdb', [file], { encoding: 'utf8' });
    expect(r.stdout).toContain('\\o/ RDB looks OK! \\o/');
    expect(r.stdout).toContain(`[info] ${ks.size()} keys read`);
    expect(r.status).toBe(0);
  });

  it('loads our RDB at startup: keys read back over RESP', async () => {
    const c = plainClient(server!);
    expect(await c.call('DBSIZE')).toBe(11);
    expect(await c.call('GET', 'str')).toBe('hello');
    expect(await c.call('PEXPIRETIME', 'str')).toBe(4102444800000);
    expect(await c.call('GET', 'bin')).toBe('a\x00b\r\n\xff');
    expect(await c.call('GET', 'big')).toBe('12345678901234567890');
    expect(await c.call('STRLEN', 'long')).toBe(1500);
    expect(await c.call('LLEN', 'list')).toBe(300);
    expect(await c.call('LINDEX', 'list', '299')).toBe('e299');
    expect(await c.call('LINDEX', 'list', '297')).toBe('297000');
    expect(await c.call('OBJECT', 'ENCODING', 'intset')).toBe('intset');
    expect(await c.call('SISMEMBER', 'intset', '9223372036854775807')).toBe(1);
    expect(await c.call('ZRANGE', 'zset', '0', '-1', 'WITHSCORES')).toEqual(['minf', '-inf', 'a', '1.5', 'pinf', 'inf']);
    expect(await c.call('HGET', 'hash', 'n')).toBe('5');
    expect(await c.call('XLEN', 'stream')).toBe(3);
    expect(await c.call('XRANGE', 'stream', '-', '+')).toEqual([
      ['1-1', ['a', '1']],
      ['1-2', ['a', '2']],
      ['5-0', ['b', 'x', 'c', 'y']],
    ]);
    const pending = await c.call('XPENDING', 'stream', 'g', '-', '+', '10');
    expect(Array.isArray(pending) && pending.map((p) => (p as RespReply[]).slice(0, 2))).toEqual([['1-1', 'alice']]);
    expect(Array.isArray(pending) && (pending[0] as RespReply[])[3]).toBe(3);
    ok(await c.call('SELECT', '3'));
    expect(await c.call('GET', 'd3')).toBe('v3');
    ok(await c.call('SELECT', '0'));
  });

  it('random keyspaces: redis loads our bytes and re-saves the same data (DEBUG RELOAD + SAVE)', async () => {
    const c = plainClient(server!);
    const samples = fc.sample(keyspaceArb, { numRuns: 12 });
    for (const ks of samples) {
      writeFileSync(join(dir, 'dump.rdb'), encodeRdb(ks, { nowMs: 1795543163000, aofBase: true }));
      // the real server expires keys against the real clock
      const now = Date.now();
      ok(await c.call('DEBUG', 'RELOAD', 'NOSAVE'));
      ok(await c.call('SAVE'));
      const back = new Keyspace();
      loadRdbInto(back, readFileSync(join(dir, 'dump.rdb')), { file: 'redis-dump.rdb' });
      expect(keyspaceSnapshot(back, true)).toEqual(keyspaceSnapshot(withoutExpired(ks, now), true));
    }
  }, 60_000);

  it('legacy encodings (ziplist, zipmap, intset, quicklist v1, text scores, EXPIRETIME): redis loads the sample to what our decoder reads', async () => {
    const c = plainClient(server!);
    for (const version of [9, 7, 4]) {
      const { bytes, expected } = legacySample(version);
      writeFileSync(join(dir, 'dump.rdb'), bytes);
      ok(await c.call('DEBUG', 'RELOAD', 'NOSAVE'));
      expect(await c.call('LRANGE', 'lz', '0', '-1')).toEqual((expected.db(0).dict.get('lz') as { value: List }).value.toArray());
      expect(await c.call('ZSCORE', 'z1', 'tenth')).toBe('0.10000000000000001');
      ok(await c.call('SAVE'));
      const back = new Keyspace();
      loadRdbInto(back, readFileSync(join(dir, 'dump.rdb')), { file: 'redis-dump.rdb' });
      expect(keyspaceSnapshot(back)).toEqual(keyspaceSnapshot(expected));
    }
  }, 30_000);

  it('DUMP payloads: RESTORE ours, DUMP theirs, both decode to the value', async () => {
    const c = plainClient(server!);
    ok(await c.call('FLUSHALL'));
    const values = fc.sample(valueArb, { numRuns: 40 });
    for (const v of values) {
      ok(await c.call('RESTORE', 'k', '0', dumpPayload(v), 'REPLACE'));
      const theirs = await c.call('DUMP', 'k');
      expect(typeof theirs).toBe('string');
      expect(valueSnapshot(restorePayload(theirs as string), true)).toEqual(valueSnapshot(v, true));
    }
  }, 60_000);

  it('rejects a payload with a bad checksum like our restorePayload does', async () => {
    const c = plainClient(server!);
    const p = dumpPayload({ type: 'string', value: 'v' });
    const bad = p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) ^ 1);
    const r = await c.call('RESTORE', 'bad', '0', bad);
    expect(r instanceof RespError && r.message).toBe('ERR DUMP payload version or checksum are wrong');
    expect(() => restorePayload(bad)).toThrow(/DUMP payload version or checksum are wrong/);
  });
});

describe('redis-server presence', () => {
  it('is installed when AOFSIM_REQUIRE_REDIS=1', () => {
    expect(redisAvailable || !required).toBe(true);
  });
});
