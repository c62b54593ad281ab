// RDB interop with a real Redis 4.0.14 (issue 11: the redis-4.0 profile writes and reads RDB 8 with
// 4.0's encodings). Both ways, on generated keyspaces of the four types 4.0 has plus strings:
// - aofsim -> 4.0.14: an AOF with aofsim's RDB 8 preamble (and a RESP tail) loads in 4.0.14
//   (DEBUG LOADAOF) to exactly aofsim's keyspace (4.0.14's own SAVE, decoded, is compared key by key,
//   expires included) and to the DEBUG DIGEST of the same data loaded as RESP commands; the output of
//   `aofsim rewrite --profile redis-4.0 --preamble yes` loads to the digest of its input.
// - 4.0.14 -> aofsim: a BGREWRITEAOF with aof-use-rdb-preamble yes (4.0.14's own preamble) loads in
//   aofsim's redis-4.0 loader to what 4.0.14 holds.
// - byte for byte: for values whose 4.0 encoding does not depend on hash-table order, aofsim's key
//   records are the bytes 4.0.14 SAVEs after building the values from commands (rdbcompression no).
// Needs the 4.0.14 binary (AOFSIM_REDIS40_BIN; scripts/build-subject.sh); skips loudly without it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { runRewrite } from '../../cli/commands/rewrite.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { List } from '../../src/keyspace/list.ts';
import type { Value } from '../../src/keyspace/types.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { encodeRdb } from '../../src/rdb/index.ts';
import { keyspaceArb } from '../../testing/rdb/keyspace-arbitrary.ts';
import { keyspaceSnapshot } from '../../testing/rdb/snapshot.ts';
import type { RealRedis } from './harness.ts';
import { digest, keyRecords, load40, loadAofInServer, ok, require40, savedKeyspace, skip40, startRedis40 } from './redis40.ts';

const SEED = process.env.AOFSIM_SEED === undefined ? 4040 : Number(process.env.AOFSIM_SEED);
const RUNS = Number(process.env.AOFSIM_RUNS ?? '12');
const NOW = 1795543163000;
const skip = skip40('the RDB 8 interop suite with redis-server 4.0.14');

/** Redis 4.0 has no streams: generated keyspaces without them. */
function without40Streams(ks: Keyspace): Keyspace {
  for (const db of ks.dbs) for (const [k, v] of db.dict) if (v.type === 'stream') {
    db.dict.delete(k);
    db.expires.delete(k);
  }
  return ks;
}

const TAIL = Buffer.from('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$8\r\n__tail__\r\n$1\r\nt\r\n', 'latin1');

/** aofsim rewrite (redis-4.0 profile) of `aof` on an in-memory disk. */
function rewrite40(aof: Uint8Array, preamble: boolean): Uint8Array {
  const fs = createMemoryFs({ '/in/appendonly.aof': aof });
  fs.mkdir('/out');
  const r = runRewrite(fs, { path: '/in/appendonly.aof', out: '/out/appendonly.aof', profile: 'redis-4.0', preamble, loadTruncated: false });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return fs.readFile('/out/appendonly.aof');
}

describe.skipIf(skip)('RDB 8 interop: aofsim redis-4.0 profile <-> redis-server 4.0.14', () => {
  let real: RealRedis | undefined;

  beforeAll(async () => {
    require40();
    real = await startRedis40(['--rdbcompression', 'no']);
  }, 30_000);

  afterAll(async () => {
    await real?.stop();
  });

  it('aofsim preambles load in 4.0.14 to aofsim keyspace, and to the digest of the RESP form', async () => {
    const server = real as RealRedis;
    const samples = fc.sample(keyspaceArb.map(without40Streams), { seed: SEED, numRuns: RUNS });
    for (const [i, ks] of samples.entries()) {
      const preamble = encodeRdb(ks, { nowMs: NOW, version: 8, aofPreamble: true, redisVer: '4.0.14' });
      expect(Buffer.from(preamble.subarray(0, 9)).toString('latin1')).toBe('REDIS0008');
      const aof = Buffer.concat([preamble, TAIL]);
      await loadAofInServer(server, aof);
      const withPreamble = await digest(server);
      const expected = ks.clone();
      expected.db(0).dict.set('__tail__', { type: 'string', value: 't' });
      const { ks: theirs } = await savedKeyspace(server);
      expect(keyspaceSnapshot(theirs), `sample ${i} (seed ${SEED})`).toEqual(keyspaceSnapshot(expected));

      await loadAofInServer(server, rewrite40(aof, false));
      expect(await digest(server), `sample ${i}: RESP form`).toBe(withPreamble);
      const cli = rewrite40(aof, true);
      expect(Buffer.from(cli.subarray(0, 9)).toString('latin1')).toBe('REDIS0008');
      await loadAofInServer(server, cli);
      expect(await digest(server), `sample ${i}: aofsim rewrite --profile redis-4.0 --preamble yes`).toBe(withPreamble);
    }
  }, 120_000);

  it("4.0.14's own preamble (BGREWRITEAOF, aof-use-rdb-preamble yes) loads in aofsim's 4.0 loader to 4.0.14's state", async () => {
    const server = real as RealRedis;
    ok(await server.client.call(['CONFIG', 'SET', 'aof-use-rdb-preamble', 'yes']));
    const samples = fc.sample(keyspaceArb.map(without40Streams), { seed: SEED + 1, numRuns: RUNS });
    for (const [i, ks] of samples.entries()) {
      const resp = rewrite40(encodeRdb(ks, { nowMs: NOW, version: 8, aofPreamble: true }), false);
      // 4.0.14 refuses an empty AOF (loadAppendOnlyFile returns C_ERR for size 0): FLUSHALL instead.
      if (resp.length === 0) ok(await server.client.call(['FLUSHALL']));
      else await loadAofInServer(server, resp);
      const started = await server.client.call(['BGREWRITEAOF']);
      expect(started.kind, JSON.stringify(started)).toBe('status');
      const file = await waitRewritten(server);
      expect(Buffer.from(file.subarray(0, 9)).toString('latin1')).toBe('REDIS0008');
      const mine = load40(file, false);
      expect(mine.result.status, `sample ${i}: ${mine.result.error?.message}`).toBe('ok');
      const { ks: theirs } = await savedKeyspace(server);
      expect(keyspaceSnapshot(mine.ks), `sample ${i} (seed ${SEED + 1})`).toEqual(keyspaceSnapshot(theirs));
      expect(keyspaceSnapshot(mine.ks)).toEqual(keyspaceSnapshot(ks));
    }
  }, 120_000);

  it("key records are 4.0.14's bytes (quicklists of ziplists, ziplist hashes and zsets, intsets, ZSET_2)", async () => {
    const server = real as RealRedis;
    const ks = new Keyspace();
    const d0 = ks.db(0);
    const small = new ZSet();
    for (const [m, s] of [['a', 1], ['b', 1.5], ['c', -Infinity], ['d', 0.1], ['e', 2 ** 60], ['f', -0]] as const) small.set(m, s);
    const big = new ZSet();
    for (let n = 0; n < 200; n++) big.set(`m${n}`, n / 7);
    const values: [string, Value][] = [
      ['str', { type: 'string', value: 'hello' }],
      ['int', { type: 'string', value: '-123456' }],
      ['list', { type: 'list', value: List.from(Array.from({ length: 3000 }, (_, n) => (n % 3 === 0 ? String(n * 1000) : `e${n}`))) }],
      ['biglist', { type: 'list', value: List.from(['x'.repeat(300), 'y', 'z'.repeat(9000), '-5', '70000']) }],
      ['intset', { type: 'set', value: new Set(['1', '-5', '70000', '9223372036854775807']) }],
      ['zsmall', { type: 'zset', value: small }],
      ['zbig', { type: 'zset', value: big }],
      ['hash', { type: 'hash', value: new Map([['f', 'v'], ['n', '5'], ['big', '12345678901']]) }],
    ];
    for (const [k, v] of values) d0.dict.set(k, v);
    d0.expires.set('str', 4102444800000);
    // 4.0.14 builds the values from commands (RPUSH, ZADD, HMSET, SADD: the RESP form), so its
    // encodings are its own, not copies of the blobs a preamble would hand it.
    await loadAofInServer(server, rewrite40(encodeRdb(ks, { nowMs: NOW, version: 8, aofPreamble: true }), false));
    const { bytes } = await savedKeyspace(server);
    const theirs = keyRecords(bytes);
    // One key at a time: the db order of keys in a SAVE follows 4.0's hash table.
    for (const [k, v] of values) {
      const one = new Keyspace();
      one.db(0).dict.set(k, v);
      if (k === 'str') one.db(0).expires.set(k, 4102444800000);
      const rec = keyRecords(encodeRdb(one, { nowMs: NOW, version: 8, compress: false })).subarray(5); // past SELECTDB 0, RESIZEDB 1 n
      expect(theirs.includes(rec), `${k}: aofsim's record is not in 4.0.14's SAVE`).toBe(true);
    }
  }, 60_000);
});

/** Waits until no rewrite runs or is scheduled; returns the new appendonly.aof. */
async function waitRewritten(server: RealRedis): Promise<Uint8Array> {
  for (let i = 0; i < 400; i++) {
    const r = await server.client.call(['INFO', 'persistence']);
    const text = r.kind === 'bulk' ? (r.value ?? '') : '';
    if (/aof_rewrite_in_progress:0/.test(text) && /aof_rewrite_scheduled:0/.test(text)) {
      if (!/aof_last_bgrewrite_status:ok/.test(text)) throw new Error(`BGREWRITEAOF failed:\n${text}`);
      return readFileSync(join(server.dir, 'appendonly.aof'));
    }
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('BGREWRITEAOF did not finish in 10 s');
}
