// The redis-7.0 profile reproduces what real redis-server 7.0.15 wrote for the fixture workload
// (fixtures/redis-7.0.15/preamble-no): the INCR file of 2-after-workload record by record
// (timestamps masked: our clock is not theirs), the client replies of workload-replies.txt, and the
// final state of expected.json for the five core types.
//
// The command stream is inferred from the INCR file and the replies. Every step's command is in the
// table now (streams, HyperLogLog and blocking pops included), so none is skipped. EVAL is
// unsupported: its effect (MULTI SET INCR EXEC) is issued as a client transaction instead.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../keyspace/keyspace.ts';
import type { Random } from '../ports/random.ts';
import type { Reply } from './reply.ts';
import { Executor } from './executor.ts';
import type { Propagated } from './types.ts';
import { newClient } from './types.ts';
import { respRecords } from '../../testing/aof/resp-records.ts';

const DIR = new URL('../../fixtures/redis-7.0.15/preamble-no/', import.meta.url);
const T0 = 1795543160524;

interface Step {
  argv: string[];
  /** AOF records (MULTI/EXEC included, SELECT excluded) this step produced in the fixture. */
  records: number;
  /** Lines redis-cli printed for the reply (flattened arrays, nil as an empty line). */
  replyLines: number;
  /** The reply is not comparable (a substitute for an unsupported command). */
  ignoreReply?: boolean;
  /** The server's clock for this step when it matters to the reply (XADD * ids). */
  atMs?: number;
}

const s = (cmd: string | string[], records: number, replyLines = 1): Step => ({
  argv: typeof cmd === 'string' ? cmd.split(' ') : cmd,
  records,
  replyLines,
});

const range = (n: number, f: (i: number) => string[]): string[] => Array.from({ length: n }, (_, i) => f(i)).flat();

const STEPS: (Step | 'active-expire')[] = [
  s('SET s1 hello', 1),
  s('SET s2 v2 EX 100', 1),
  s('SET s3 v3 PX 200000', 1),
  s('SETEX s4 300 v4', 1),
  s('SET s5 v5 EXAT 4102444800', 1),
  s('SET s6 v6 GET', 1),
  s('SETNX s7 v7', 1),
  s('PSETEX s8 5000 v8', 1),
  s('MSET m1 a m2 b', 1),
  s('EXPIRE s1 500', 1),
  s('PEXPIRE s6 600000', 1),
  s('EXPIREAT s7 4102444800', 1),
  s('PERSIST s6', 1),
  s('GETEX s7 EX 1000', 1),
  s('GETDEL m2', 1),
  s('INCR counter', 1),
  s('INCR counter', 1),
  s('INCRBY counter 10', 1),
  s('DECR counter', 1),
  s('INCRBYFLOAT f 1.5', 1),
  s('INCRBYFLOAT f 0.1', 1),
  s('INCRBYFLOAT f 300', 1),
  s(['APPEND', 's1', ' world'], 1),
  s('SETRANGE s1 0 J', 1),
  s('RPUSH l a b c', 1),
  s('LPUSH l z', 1),
  s('LPOP l', 1),
  s('RPOP l 1', 1),
  s('LINSERT l BEFORE b x', 1),
  s('LSET l 0 y', 1),
  s('LTRIM l 0 -1', 0),
  s('LMOVE l l2 LEFT RIGHT', 1),
  s('BLPOP l 0', 1, 2),
  s('SADD set a b c d e', 1),
  s('SPOP set', 1),
  s('SPOP set 2', 4, 2),
  s('SREM set a', 1),
  s('SMEMBERS set', 0),
  s('SISMEMBER set a', 0),
  s('ZADD z 1 a 2 b 3 c 4 d', 1),
  s('ZINCRBY z 5 a', 1),
  s('ZADD z 2.5 e', 1),
  s('ZREM z b', 1),
  s('ZPOPMIN z', 1, 2),
  s('HSET h f1 v1 f2 v2', 1),
  s('HSETNX h f3 v3', 1),
  s('HINCRBY h n 5', 1),
  s('HINCRBYFLOAT h fl 2.5', 1),
  s('HDEL h f2', 1),
  s('XADD st 1-1 a 1', 1),
  { ...s('XADD st * b 2', 1), atMs: 1795543160538 },
  { ...s('XADD st MAXLEN ~ 3 * c 3', 1), atMs: 1795543160539 },
  s('XGROUP CREATE st g1 0', 1),
  s('XREADGROUP GROUP g1 c1 COUNT 1 STREAMS st >', 1, 4),
  s('XACK st g1 1-1', 1),
  s('XDEL st 1-1', 1),
  s('PFADD hll x y z', 1),
  s('MULTI', 0),
  s('SET tx1 1', 0),
  s('INCR tx1', 0),
  s('LPUSH txl x', 0),
  s('EXEC', 5, 3),
  // EVAL "redis.call('set','ev1','1'); redis.call('incr','ev1') ..." replicated as its effects:
  s('MULTI', 0, 0),
  s('SET ev1 1', 0, 0),
  s('INCR ev1', 0, 0),
  { ...s('EXEC', 4, 1), ignoreReply: true },
  s('SELECT 3', 0),
  s('SET d3k v', 1),
  s('SET d3k2 v', 1),
  s('FLUSHDB', 1),
  s('SET d3k3 v3', 1),
  s('SELECT 0', 0),
  s('DEL s3', 1),
  s('RENAME s4 s4renamed', 1),
  s('SET gone v', 1),
  s('DEL gone', 1),
  s('SET shortlived v PX 20', 1),
  s('XADD st2 1-1 a 1', 1),
  s('XADD st2 1-2 b 2', 1),
  s('XGROUP CREATE st2 g 0', 1),
  s('XREADGROUP GROUP g alice STREAMS st2 >', 4, 7),
  s('XADD emptyst 5-5 x y', 1),
  s('XDEL emptyst 5-5', 1),
  s('ZADD fz 1.5 a 0.1 b -inf c 3.0000000000000004 d', 1),
  s('HSET hexp f v', 1),
  s('PEXPIRE hexp 10000000', 1),
  s(['SET', 'bin', 'a\x00b\r\nc'], 1),
  'active-expire',
  s(['RPUSH', 'biglist', ...range(150, (i) => ['e' + i])], 1),
  s(['SADD', 'bigset', ...range(130, (i) => ['m' + i])], 1),
  s(['SADD', 'intset', ...range(70, (i) => [String(i)])], 1),
  s(['ZADD', 'bigz', ...range(140, (i) => [String(i), 'z' + i])], 1),
  s(['HSET', 'bighash', ...range(70, (i) => ['f' + i, 'v' + i])], 1),
  s('EXPIRE biglist 10000', 1),
];

const mask = (a: string) => a.replace(/^1795\d{9}/, '<ms>');

function withDb(records: string[][]): string[] {
  let db = 0;
  const out: string[] = [];
  for (const r of records) {
    if (r[0].toUpperCase() === 'SELECT') db = Number(r[1]);
    else out.push(db + ': ' + r.map(mask).join(' '));
  }
  return out;
}

function flatten(r: Reply): string[] {
  switch (r.kind) {
    case 'array':
      return r.value === null ? [''] : r.value.flatMap(flatten);
    case 'bulk':
      return [r.value ?? ''];
    case 'error':
      return ['(error) ' + r.value];
    default:
      return [String(r.value)];
  }
}

/** SPOP picks e, then c and b, as the fixture's redis did: a Random that yields those indexes. */
function scriptedRandom(values: number[]): Random {
  let k = 0;
  return { nextUint32: () => values[k++ % values.length] };
}

describe('redis 7.0.15 fixture workload (preamble-no)', () => {
  const ks = new Keyspace();
  let now = T0;
  const clock = { nowMs: () => now };
  const ex = new Executor(ks, { profile: 'redis-7.0', clock, random: scriptedRandom([4, 2, 1]) });
  const client = newClient(7);
  const got: Propagated[] = [];
  const expectedRecords = withDb(respRecords(readFileSync(new URL('2-after-workload/appendonly.aof.1.incr.aof', DIR), 'latin1')));
  const expectedReplies = readFileSync(new URL('workload-replies.txt', DIR), 'latin1').split('\n');
  const keptRecords: string[] = [];
  const keptReplies: string[] = [];
  const gotReplies: string[] = [];
  let rec = 0;
  let rep = 0;
  let skipped = 0;
  /** Keys a skipped step may have changed: their final state is not comparable. */
  const untouchable = new Set<string>();
  for (const step of STEPS) {
    if (step === 'active-expire') {
      got.push(...ex.activeExpireCycle(T0 + 25));
      keptRecords.push(expectedRecords[rec++]);
      continue;
    }
    const known = ex.lookup(step.argv[0]) !== undefined;
    const recs = expectedRecords.slice(rec, rec + step.records);
    const reps = expectedReplies.slice(rep, rep + step.replyLines);
    rec += step.records;
    rep += step.replyLines;
    if (!known) {
      skipped++;
      for (const a of step.argv.slice(1)) untouchable.add(a);
      continue;
    }
    keptRecords.push(...recs);
    now = step.atMs ?? T0;
    const r = ex.call(client, step.argv);
    got.push(...r.propagate);
    if (step.replyLines > 0 && !step.ignoreReply) {
      keptReplies.push(...reps);
      gotReplies.push(...flatten(r.reply));
    }
  }

  it('consumes exactly the fixture records and reply lines', () => {
    expect(rec).toBe(expectedRecords.length);
    expect(rep).toBe(expectedReplies.filter((l, i) => i < expectedReplies.length - 1 || l !== '').length);
  });

  it('propagates the same records, in the same dbs, as redis 7.0.15', () => {
    const mine = got.map((p) => p.db + ': ' + p.argv.map(mask).join(' '));
    expect(mine).toEqual(keptRecords);
    expect(keptRecords.length).toBeGreaterThan(60);
  });

  it('replies as redis 7.0.15 did', () => {
    expect(gotReplies).toEqual(keptReplies);
  });

  it('ends in the state of expected.json (five core types, streams, HLL bytes)', () => {
    const expected = JSON.parse(readFileSync(new URL('2-after-workload/expected.json', DIR), 'utf8')) as {
      atMs: number;
      dbs: Record<string, { key: string; type: string; value: unknown; expireAtMs?: number }[]>;
    };
    const core = new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']);
    let compared = 0;
    for (const [dbName, entries] of Object.entries(expected.dbs)) {
      const db = ks.dbs[Number(dbName)];
      for (const e of entries) {
        if (!core.has(e.type) || untouchable.has(e.key)) continue;
        const v = db.dict.get(e.key);
        expect(v?.type, e.key).toBe(e.type);
        if (v === undefined) continue;
        let value: unknown;
        if (v.type === 'string') value = v.value;
        else if (v.type === 'list') value = v.value.toArray();
        else if (v.type === 'set') value = [...v.value].sort();
        else if (v.type === 'hash') value = [...v.value].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        else if (v.type === 'stream') value = { entries: v.value.entries.map((x) => [`${x.id.ms}-${x.id.seq}`, x.fields]) };
        else if (v.type === 'zset') value = v.value.entries().map((z) => [z.member, Number.isFinite(z.score) ? z.score : z.score > 0 ? 'inf' : '-inf']);
        if (typeof e.value === 'object' && e.value !== null && 'b64' in e.value) {
          expect(Buffer.from(value as string, 'latin1').toString('base64'), e.key).toBe((e.value as { b64: string }).b64);
        } else {
          expect(value, e.key).toEqual(e.value);
        }
        expect(db.expires.has(e.key), `${e.key} has a TTL`).toBe(e.expireAtMs !== undefined);
        compared++;
      }
      // Every core-type key we hold that is alive at atMs is in expected.json.
      const names = new Set(entries.map((e) => e.key));
      for (const [k, v] of db.dict) {
        const t = db.expires.get(k);
        if (!core.has(v.type) || untouchable.has(k)) continue;
        if (t === undefined || t > expected.atMs) expect(names.has(k), k).toBe(true);
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(skipped).toBe(0);
  });
});
