// INFO against redis-server 7.0.15, after generated sequences of reads, writes, scripts and AOF
// toggles run on both sides with command names in any letter case (redis: server.c
// lookupCommand compares names case-insensitively; genRedisInfoString's "Persistence" and "Stats"
// sections; db.c lookupKeyReadWithFlags counts stat_keyspace_hits / stat_keyspace_misses):
// - every reply;
// - INFO persistence: every field name in 7.0.15's order (loading, the child lines, the rdb_* and
//   aof_* lines), and the values of the lines that do not depend on times or sizes once no child
//   runs (loading, async_loading, current_cow_*, current_fork_perc, current_save_keys_*);
// - INFO stats: keyspace_hits and keyspace_misses, the read lookups of the sequence, scripts' too.
// aofsim runs in-process (src/server.ts Server on the node fs, rewrite children stepped by hand).
// Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS). Without redis-server 7.0 the suite skips LOUDLY, and
// fails instead when AOFSIM_REQUIRE_REDIS=1.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfo } from '../../src/aof/info.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { AofsimServerSide } from './aofsim-server-side.ts';
import { replyString, startRealRedis, type RealRedis, requireRedis70, skipWithoutRedis70 } from './harness.ts';

const skip = skipWithoutRedis70('the INFO differential suite');

const root = mkdtempSync(join(tmpdir(), 'aofsim-info-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh aofsim Server, started. */
class AofsimSide extends AofsimServerSide {
  constructor() {
    super(root);
    this.server.start();
  }
  call(argv: string[]): Reply {
    return this.reply(argv);
  }
}

const bulkText = (r: Reply | null): string => (r?.kind === 'bulk' ? (r.value ?? '') : `(not a bulk reply: ${r === null ? 'none' : replyString(r)})`);

/** A command name in the letter case a bit mask says (bit i set: character i upper case). */
const spelled = (name: string, mask: number): string => [...name].map((c, i) => ((mask >> i) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');

const KEYS = ['s', 'l', 'h', 'z', 'missing'];
const keyArb = fc.constantFrom(...KEYS);
type Op = string[];
/** Reads (each one or more key lookups, hit or miss), writes that create the keys, toggles. */
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('GET', 'STRLEN', 'EXISTS', 'TYPE', 'LLEN', 'LRANGE', 'HGET', 'HGETALL', 'SISMEMBER', 'ZSCORE', 'MGET'), keyArb, keyArb).map(([c, k, k2]) => {
    if (c === 'LRANGE') return [c, k, '0', '-1'];
    if (c === 'HGET' || c === 'SISMEMBER' || c === 'ZSCORE') return [c, k, 'm'];
    if (c === 'MGET' || c === 'EXISTS') return [c, k, k2];
    return [c, k];
  }) },
  { weight: 3, arbitrary: fc.constantFrom<Op>(['SET', 's', 'v'], ['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'm', '1'], ['ZADD', 'z', '1', 'm'], ['DEL', 's'], ['DEL', 'l', 'h']) },
  { weight: 1, arbitrary: keyArb.map((k) => ['EVAL', "return redis.call('exists', KEYS[1]) + #redis.call('type', KEYS[1])['ok']", '1', k]) },
  { weight: 1, arbitrary: fc.constantFrom<Op>(['CONFIG', 'SET', 'appendonly', 'yes'], ['CONFIG', 'SET', 'appendonly', 'no'], ['BGREWRITEAOF'], ['BGSAVE']) },
);
const stepArb = fc.tuple(opArb, fc.nat({ max: 0xffff }));

/** Fields of INFO persistence that 7.0.15 has and aofsim does not print: aofsim has no modules. */
const REAL_ONLY = new Set(['module_fork_in_progress', 'module_fork_last_cow_size']);
/** DIVERGENCE(redis), src/aof/info.ts: aofsim prints aof_rewrite_buffer_length under 7.0 too. */
const SIM_ONLY = new Set(['aof_rewrite_buffer_length']);
/** Values that hold still with no child running and do not depend on times, sizes or the machine. */
const STABLE = ['loading', 'async_loading', 'current_cow_peak', 'current_cow_size', 'current_cow_size_age', 'current_fork_perc', 'current_save_keys_processed', 'current_save_keys_total'];

function persistence(text: string, leftOut: ReadonlySet<string>): { names: string[]; stable: string[] } {
  const info = parseInfo(text);
  return {
    names: [...info.keys()].filter((k) => !leftOut.has(k)),
    stable: STABLE.map((k) => `${k}:${info.get(k) ?? '(absent)'}`),
  };
}

function lookups(text: string): string {
  const info = parseInfo(text);
  return `keyspace_hits:${info.get('keyspace_hits') ?? '(absent)'} keyspace_misses:${info.get('keyspace_misses') ?? '(absent)'}`;
}

/** Until the real server runs no child and has no rewrite scheduled. */
async function realIdle(real: RealRedis): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const info = parseInfo(bulkText(await real.client.call(['INFO', 'persistence'])));
    if (info.get('aof_rewrite_in_progress') === '0' && info.get('aof_rewrite_scheduled') === '0' && info.get('rdb_bgsave_in_progress') === '0') return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('the real server did not end its child in 5 s');
}

describe.skipIf(skip)('INFO vs redis-server 7.0.15', () => {
  let real: RealRedis | undefined;

  beforeAll(async () => {
    requireRedis70();
    real = await startRealRedis(['--save', '']);
  });
  afterAll(async () => {
    await real?.stop();
  });

  it('INFO persistence names and child lines, INFO stats lookups, after generated commands in any letter case', async () => {
    const r = real!;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
        // The real server back to a fresh one's state (a failed run, then shrinking, may have left anything).
        await realIdle(r);
        for (const argv of [['CONFIG', 'SET', 'appendonly', 'no'], ['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['CONFIG', 'RESETSTAT']]) await r.client.call(argv);
        await realIdle(r);
        const sim = new AofsimSide();
        const trail: string[] = [];
        for (const [op, mask] of steps) {
          const argv = [spelled(op[0], mask), ...op.slice(1)];
          trail.push(argv.join(' '));
          const a = replyString(sim.call(argv));
          const b = replyString((await r.client.call(argv)) ?? { kind: 'error', value: '(no reply)' });
          expect(a, trail.join('\n')).toBe(b);
          sim.finish();
          await realIdle(r);
          const pa = persistence(bulkText(sim.call(['INFO', 'persistence'])), SIM_ONLY);
          const pb = persistence(bulkText(await r.client.call(['INFO', 'persistence'])), REAL_ONLY);
          expect(pa.names, `${trail.join('\n')}\nINFO persistence field names`).toEqual(pb.names);
          expect(pa.stable, `${trail.join('\n')}\nINFO persistence values`).toEqual(pb.stable);
          // INFO's own lookups count nothing; both sides are asked in the same places.
          const la = lookups(bulkText(sim.call(['INFO', 'stats'])));
          const lb = lookups(bulkText(await r.client.call(['INFO', 'stats'])));
          expect(la, `${trail.join('\n')}\nINFO stats`).toBe(lb);
        }
      }),
      { ...fcParams(8), seed: testSeed(process.env) },
    );
  });
});
