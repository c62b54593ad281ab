// Differential: OBJECT ENCODING (and OBJECT REFCOUNT) of every key equals redis-server 7.0.15's
// after every command of random histories that create, grow, shrink, copy, store and reload
// strings, hashes, sets and zsets. Small *-max-* limits (set by CONFIG SET on Redis, by the same
// directives on aofsim) make the conversions and their stickiness happen in short histories; the
// encodings must stay sticky through deletions and be recomputed by DEBUG RELOAD.
//
// Budget: AOFSIM_RUNS histories (default 30); AOFSIM_SEED fixes the seed. Without redis-server 7.0
// the suite skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { applyEncodingDirective } from '../../src/commands/encoding.ts';
import { startRealRedis, type RealRedis, SimSide, requireRedis70, skipWithoutRedis70, replyString, cliLine } from './harness.ts';
import { resetConnection } from './differential.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '30');
const SEED = testSeed(process.env);
const skip = skipWithoutRedis70('the OBJECT ENCODING differential suite');

const LIMITS: [string, string][] = [
  ['hash-max-listpack-entries', '6'],
  ['hash-max-listpack-value', '12'],
  ['zset-max-listpack-entries', '6'],
  ['zset-max-listpack-value', '12'],
  ['set-max-intset-entries', '6'],
];

// Two keys per type (most commands then meet the type they want), and a shared pair for COPY/RENAME.
const KEYS = ['s1', 's2', 'h1', 'h2', 't1', 't2', 'z1', 'z2'];
const sk = fc.constantFrom('s1', 's2');
const hk = fc.constantFrom('h1', 'h2');
const tk = fc.constantFrom('t1', 't2');
const zk = fc.constantFrom('z1', 'z2');
const anyKey = fc.constantFrom(...KEYS);
/** Short and long texts, canonical and non-canonical integers. */
const text = fc.oneof(
  fc.constantFrom('1', '42', '-7', '9999', '10000', '007', '-0', '1.5', 'x', 'abc', '9223372036854775808'),
  fc.integer({ min: 0, max: 50 }).map((n) => 'v'.repeat(n)),
  fc.integer({ min: 0, max: 20 }).map(String),
);
const member = fc.oneof(fc.integer({ min: 0, max: 12 }).map(String), fc.constantFrom('m', 'n', 'o', 'p', 'a-long-member-name'));
const members = fc.array(member, { minLength: 1, maxLength: 5 });
const pairs = fc.array(fc.tuple(member, text), { minLength: 1, maxLength: 4 }).map((ps) => ps.flat());
const scored = fc.array(fc.tuple(fc.integer({ min: -3, max: 9 }).map(String), member), { minLength: 1, maxLength: 5 }).map((ps) => ps.flat());

const grow = <T,>(arb: fc.Arbitrary<T>): fc.WeightedArbitrary<T> => ({ arbitrary: arb, weight: 4 });
const once = <T,>(arb: fc.Arbitrary<T>): fc.WeightedArbitrary<T> => ({ arbitrary: arb, weight: 1 });

const command: fc.Arbitrary<string[]> = fc.oneof(
  once(fc.tuple(sk, text).map(([k, v]) => ['SET', k, v])),
  once(fc.tuple(sk, text).map(([k, v]) => ['APPEND', k, v])),
  once(fc.tuple(sk, fc.integer({ min: 0, max: 50 }), text).map(([k, o, v]) => ['SETRANGE', k, String(o), v])),
  once(sk.map((k) => ['INCR', k])),
  once(fc.tuple(sk, fc.constantFrom('1', '0.5', '-2', '3e2')).map(([k, d]) => ['INCRBYFLOAT', k, d])),
  once(fc.tuple(sk, fc.integer({ min: 0, max: 400 })).map(([k, o]) => ['SETBIT', k, String(o), '1'])),
  once(fc.tuple(sk, text).map(([k, v]) => ['GETSET', k, v])),
  once(fc.tuple(sk, text, sk, text).map(([k, v, k2, v2]) => ['MSET', k, v, k2, v2])),
  grow(fc.tuple(hk, pairs).map(([k, p]) => ['HSET', k, ...p])),
  once(fc.tuple(hk, member, text).map(([k, f, v]) => ['HSETNX', k, f, v])),
  grow(fc.tuple(hk, members).map(([k, m]) => ['HDEL', k, ...m])),
  once(fc.tuple(hk, member).map(([k, f]) => ['HINCRBY', k, f, '3'])),
  grow(fc.tuple(tk, members).map(([k, m]) => ['SADD', k, ...m])),
  grow(fc.tuple(tk, members).map(([k, m]) => ['SREM', k, ...m])),
  once(fc.tuple(tk, tk, member).map(([a, b, m]) => ['SMOVE', a, b, m])),
  once(fc.tuple(tk, fc.integer({ min: 1, max: 4 })).map(([k, n]) => ['SPOP', k, String(n)])),
  once(fc.tuple(tk, tk, tk).map(([d, a, b]) => ['SUNIONSTORE', d, a, b])),
  once(fc.tuple(tk, tk, tk).map(([d, a, b]) => ['SINTERSTORE', d, a, b])),
  grow(fc.tuple(zk, scored).map(([k, s]) => ['ZADD', k, ...s])),
  grow(fc.tuple(zk, members).map(([k, m]) => ['ZREM', k, ...m])),
  once(fc.tuple(zk, member).map(([k, m]) => ['ZINCRBY', k, '2', m])),
  once(fc.tuple(zk, fc.integer({ min: 1, max: 4 })).map(([k, n]) => ['ZPOPMIN', k, String(n)])),
  once(fc.tuple(zk, zk).map(([d, a]) => ['ZUNIONSTORE', d, '1', a])),
  once(fc.tuple(zk, zk).map(([d, a]) => ['ZRANGESTORE', d, a, '0', '-1'])),
  once(fc.tuple(anyKey, anyKey).map(([a, b]) => ['COPY', a, b, 'REPLACE'])),
  once(fc.tuple(anyKey, anyKey).map(([a, b]) => ['RENAME', a, b])),
  once(anyKey.map((k) => ['DEL', k])),
  once(fc.constant<string[]>(['DEBUG', 'RELOAD'])),
);

describe.skipIf(skip)('OBJECT ENCODING vs redis-server 7.0', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide();

  beforeAll(async () => {
    requireRedis70();
    real = await startRealRedis(['--enable-debug-command', 'yes']);
    for (const [name, value] of LIMITS) await real.client.call(['CONFIG', 'SET', name, value]);
  });

  afterAll(async () => {
    await real?.stop();
  });

  /** DEBUG RELOAD on aofsim's side: what an RDB round trip gives, fresh values from their contents. */
  function simReload(): void {
    for (const db of sim.ks.dbs) {
      for (const [k, v] of [...db.dict]) {
        if (v.type === 'string') db.dict.set(k, { type: 'string', value: v.value });
        else if (v.type === 'hash' || v.type === 'set' || v.type === 'zset') delete v.big;
      }
    }
  }

  it('every key has the same encoding and refcount after every command', async () => {
    const server = real as RealRedis;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 30, maxLength: 80, size: 'max' }), async (cmds) => {
        await resetConnection(server);
        sim.reset();
        for (const [name, value] of LIMITS) applyEncodingDirective(sim.ex.encodingLimits, name, value);
        const lines = ['# replay with redis-cli (after CONFIG SET of the limits):', 'FLUSHALL'];
        for (const c of cmds) {
          lines.push(cliLine(c));
          const a = replyString(await server.client.call(c));
          if (process.env.DBG) console.log(cliLine(c), '=>', a);
          if (c[0] === 'DEBUG') simReload();
          // SPOP picks at random: both sides pop what Redis popped.
          const b = c[0] === 'DEBUG' ? a : c[0] === 'SPOP' ? mirrorSpop(a, c) : replyString(sim.call(c));
          if (c[0] !== 'SPOP' && a !== b) throw new Error(`${lines.join('\n')}\n^ replies differ: real ${a} sim ${b}`);
          for (const k of KEYS) {
            for (const sub of ['ENCODING', 'REFCOUNT']) {
              const ea = replyString(await server.client.call(['OBJECT', sub, k]));
              const eb = replyString(sim.call(['OBJECT', sub, k]));
              if (ea !== eb) throw new Error(`${lines.join('\n')}\n^ OBJECT ${sub} ${k}: real ${ea} sim ${eb}`);
            }
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  /** Removes from aofsim's set the members Redis's SPOP returned (its reply is a JSON-ish array). */
  function mirrorSpop(reply: string, c: string[]): string {
    const popped = reply.startsWith('[') ? (JSON.parse(reply) as string[]) : [];
    if (popped.length > 0) sim.call(['SREM', c[1], ...popped]);
    return reply;
  }
});
