// Propagation differential: the same generated command sequences (command-arbitraries.ts) run on a
// real redis-server 7.0 with `appendonly yes` and on aofsim's Executor (redis-7.0 profile); what the
// server appended to its INCR file for the sequence must equal, record by record and db by db, what
// the Executor propagated (MULTI/EXEC wrapping, XCLAIM/XGROUP SETID for XREADGROUP, SREM for SPOP,
// LPOP for BLPOP, `=` for approximate trims, PXAT/PEXPIREAT rewrites, ...). Absolute millisecond
// times (13-digit numbers: PXAT, PEXPIREAT, XCLAIM TIME) are masked: the two clocks differ. The real
// server's active expire cycle is switched off (DEBUG SET-ACTIVE-EXPIRE 0) so expiry is lazy on both.
//
// Budget: AOFSIM_RUNS / AOFSIM_SEED as the reply suite (default 20 per family here). Skips LOUDLY
// without redis-server 7.0; fails instead with AOFSIM_REQUIRE_REDIS=1.

import { join } from 'node:path';
import fc from 'fast-check';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Propagated } from '../../src/commands/types.ts';
import type { Cmd } from './command-arbitraries.ts';
import { FAMILIES, sequence } from './command-arbitraries.ts';
import { pauseAfterExpiry, resetConnection, withPayload } from './differential.ts';
import { AofTail, simLines } from './aof-records.ts';
import { startLazyExpiryRedis, type RealRedis, SimSide, cliLine, redisUnavailableReason } from './harness.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '20');
const SEED = testSeed(process.env);
const REQUIRED = process.env.AOFSIM_REQUIRE_REDIS === '1';
const unavailable = redisUnavailableReason();
if (unavailable !== null && !REQUIRED) {
  console.warn(`\n!!! SKIPPING the propagation differential suite: ${unavailable}. Set AOFSIM_REQUIRE_REDIS=1 to fail instead. !!!\n`);
}

const RANDOM = new Set(['spop', 'srandmember', 'hrandfield', 'zrandmember', 'randomkey']);

describe.skipIf(unavailable !== null && !REQUIRED)('aofsim propagation vs redis-server 7.0 AOF', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide();
  let incr = '';

  beforeAll(async () => {
    if (unavailable !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${unavailable}`);
    real = await startLazyExpiryRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--aof-timestamp-enabled', 'no', '--enable-debug-command', 'yes']);
    incr = join(real.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  });

  afterAll(async () => {
    await real?.stop();
  });

  /** What the server appended since the last call. */
  const tail = new AofTail(() => incr);
  const appended = (): string[] => tail.next();

  async function run(cmds: Cmd[]): Promise<void> {
    const server = real as RealRedis;
    await resetConnection(server);
    appended();
    sim.reset();
    const log: string[] = ['FLUSHALL'];
    let peeked: string[] | null = null;
    const peek = (): string[] => (peeked ??= appended());
    for (const spec of cmds) {
      const c = await withPayload(server, spec, (dump) => {
        log.push(cliLine(dump));
        sim.ex.call(sim.client, dump);
      });
      appended();
      log.push(cliLine(c));
      const a = await server.client.call(c);
      let got: Propagated[];
      const name = c[0].toLowerCase();
      if (name === 'randomkey') {
        // The real RANDOMKEY expired (DEL) the expired keys it happened to draw: expire exactly those
        // here (EXISTS: lazy expiry, nothing else) and compare the DELs.
        got = [];
        for (const l of peek()) {
          const m = /^\d+: DEL (k\d)$/.exec(l);
          if (m) got.push(...sim.ex.call(sim.client, ['EXISTS', m[1]]).propagate);
        }
      } else if (RANDOM.has(name) && name !== 'spop') {
        // A random read: its choice is random, its lazy expiry of the key is not (EXISTS does the same).
        got = sim.ex.call(sim.client, ['EXISTS', c[1]]).propagate;
      } else if (name === 'spop') {
        // Apply what the real server popped (the reply suite checks the choice itself).
        const popped = a.kind === 'bulk' && a.value !== null ? [a.value] : a.kind === 'array' && a.value ? a.value.map((x) => (x.kind === 'bulk' ? (x.value as string) : '')) : [];
        const v = sim.ks.dbs[sim.client.db].dict.get(c[1]);
        if (v?.type === 'set' && popped.length > 0 && popped.length >= v.value.size && c.length > 2) got = sim.ex.call(sim.client, c).propagate;
        else if (v?.type === 'set' && popped.length > 0 && c.length > 2) {
          // 7.0.15 spopWithCountCommand: one SREM per popped member, several wrapped in MULTI/EXEC.
          sim.ex.call(sim.client, ['MULTI']);
          for (const m of popped) sim.ex.call(sim.client, ['SREM', c[1], m]);
          got = sim.ex.call(sim.client, ['EXEC']).propagate;
        } else if (v?.type === 'set' && popped.length > 0) got = sim.ex.call(sim.client, ['SREM', c[1], ...popped]).propagate;
        else got = sim.ex.call(sim.client, c).propagate;
      } else got = sim.ex.call(sim.client, c).propagate;
      const want = peeked ?? appended();
      peeked = null;
      const mine = simLines(got);
      if (JSON.stringify(mine) !== JSON.stringify(want)) {
        throw new Error(`${log.join('\n')}\n^ propagation differs:\n  redis  ${JSON.stringify(want)}\n  aofsim ${JSON.stringify(mine)}`);
      }
      await pauseAfterExpiry(c);
    }
  }

  it('SPOP with a count: per-member SREMs in MULTI/EXEC, as redis 7.0.15 writes them', async () => {
    await expect(run([['SADD', 'k1', 'a', 'b', 'c'], ['SPOP', 'k1', '2'], ['SPOP', 'k1', '5']])).resolves.toBeUndefined();
  });

  for (const family of Object.keys(FAMILIES)) {
    it(`${family}: same AOF records as redis 7.0`, async () => {
      await fc.assert(fc.asyncProperty(sequence(family), run), { numRuns: RUNS, seed: SEED });
      expect(RUNS).toBeGreaterThan(0);
    });
  }
});
