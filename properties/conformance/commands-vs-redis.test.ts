// Differential suite: per command family, fast-check generates command sequences over a small key
// space; each runs on a real redis-server 7.0 (started here on a free loopback port, killed in
// afterAll) and on aofsim's Executor (redis-7.0 profile); every reply and the final snapshot of both
// key spaces must agree (see differential.ts for the rules on random and unordered replies).
//
// Budget: AOFSIM_RUNS sequences per family (default 30); AOFSIM_SEED fixes the seed. A failure
// prints fast-check's seed and path and the sequence as redis-cli lines. Without redis-server 7.0
// the suite skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import fc from 'fast-check';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, sequence } from './command-arbitraries.ts';
import { runDifferential } from './differential.ts';
import { startLazyExpiryRedis, type RealRedis, SimSide, requireRedis70, skipWithoutRedis70 } from './harness.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '30');
const SEED = testSeed(process.env);
const skip = skipWithoutRedis70('the command differential suite');

describe.skipIf(skip)('aofsim commands vs redis-server 7.0', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide();

  beforeAll(async () => {
    requireRedis70();
    // Expired keys (generated on purpose) expire lazily on both sides only.
    real = await startLazyExpiryRedis(['--enable-debug-command', 'yes']);
  });

  afterAll(async () => {
    await real?.stop();
  });

  it('RESTORE of a real DUMP of every type (and of garbage) agrees', async () => {
    const server = real as RealRedis;
    const fill: string[][] = [
      ['SET', 'k1', 'hello'],
      ['RPUSH', 'k2', 'a', 'b'],
      ['SADD', 'k3', '1', '2', 'x'],
      ['ZADD', 'k4', '1.5', 'a', '-inf', 'b'],
      ['HSET', 'k5', 'f', 'v'],
      ['XADD', 'k6', '1-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 'k6', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'k6', '>'],
      ['PFADD', 'k7', 'a', 'b'],
    ];
    const restores: string[][] = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'].flatMap((k) => [
      ['RESTORE', 'r' + k, '0', '@' + k],
      ['RESTORE', 'r' + k, '0', '@' + k],
      ['RESTORE', 'r' + k, '4102444800000', '@' + k, 'REPLACE', 'ABSTTL'],
    ]);
    await runDifferential(server, sim, [...fill, ...restores, ['RESTORE', 'bad', '0', 'garbage'], ['XINFO', 'GROUPS', 'rk6']]);
  });

  it('timeout spellings of the blocking commands and BITCOUNT argument order agree (fixed cases)', async () => {
    // Keys always hold data, so no spelling can block the real server: the reply shows how the
    // timeout was read (7.0.15: a long double, ceill of the ms, LLONG_MIN when it does not fit).
    const timeouts = ['-0.0005', '-0.001', '-0.0011', '1e13', '9.2e15', '9.3e15', 'inf', '-inf', '1e400', '1e-400', '0x1p-3', 'nan', ' 1'];
    const cmds: string[][] = [];
    for (const t of timeouts) {
      cmds.push(['RPUSH', 'k1', 'a', 'b', 'c'], ['ZADD', 'k2', '1', 'a', '2', 'b']);
      cmds.push(['BLPOP', 'k1', t], ['BRPOPLPUSH', 'k1', 'k3', t], ['BLMPOP', t, '1', 'k1', 'LEFT'], ['BZPOPMIN', 'k2', t], ['BZMPOP', t, '1', 'k2', 'MAX']);
    }
    cmds.push(['SET', 'k1', 'abc'], ['LPUSH', 'k3', 'x']);
    for (const args of [['0'], ['x', 'y'], ['-1', '-2', 'FOO'], ['-2', '-1', 'FOO'], ['-2', '-1', 'BIT'], ['x', '1']]) {
      for (const k of ['k1', 'k2', 'k3', 'none']) cmds.push(['BITCOUNT', k, ...args]);
    }
    await runDifferential(real as RealRedis, sim, cmds);
  });

  it('geo searches over clusters of points: the cells Redis scans decide the order, ANY and the antimeridian', async () => {
    // Points scattered around a centre (near the antimeridian and the poles too) in several cells;
    // the unsorted replies list them cell by cell, ANY stops at the first found, and a member at
    // longitude 180 (a score past 2^52) is found from some centres only.
    const coord = (v: number, lo: number, hi: number): string => Math.min(hi, Math.max(lo, v)).toFixed(6);
    const cluster = fc
      .record({
        cx: fc.constantFrom(180, -180, 179.9, -179.9, 13.4, 0),
        cy: fc.constantFrom(0, 38, -63, 70, 84),
        spread: fc.constantFrom(0.05, 1, 8),
        pts: fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.boolean()), { minLength: 2, maxLength: 40 }),
        radius: fc.constantFrom('1', '40', '300', '2500'),
      })
      .map(({ cx, cy, spread, pts, radius }) => {
        const add = pts.flatMap(([dx, dy, edge], i) => [edge ? (cx > 0 ? '180' : '-180') : coord(cx + dx * spread, -180, 180), coord(cy + dy * spread, -85.05112878, 85.05112878), `m${i}`]);
        const at = [coord(cx, -180, 180), coord(cy, -85.05112878, 85.05112878)];
        const cmds: string[][] = [
          ['GEOADD', 'g', ...add],
          ['GEORADIUS', 'g', ...at, radius, 'km'],
          ['GEORADIUS', 'g', ...at, radius, 'km', 'WITHDIST', 'COUNT', '3', 'ANY'],
          ['GEORADIUSBYMEMBER', 'g', 'm0', radius, 'km'],
          ['GEOSEARCH', 'g', 'FROMMEMBER', 'm1', 'BYBOX', radius, radius, 'km', 'WITHCOORD'],
          ['GEORADIUS', 'g', ...at, radius, 'km', 'DESC', 'COUNT', '5'],
          ['GEOSEARCHSTORE', 'g2', 'g', 'FROMLONLAT', ...at, 'BYRADIUS', radius, 'km', 'COUNT', '4', 'ANY'],
          ['ZRANGE', 'g2', '0', '-1', 'WITHSCORES'],
        ];
        return cmds;
      });
    await fc.assert(
      fc.asyncProperty(cluster, (cmds) => runDifferential(real as RealRedis, sim, cmds)),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    expect(RUNS).toBeGreaterThan(0);
  });

  for (const family of Object.keys(FAMILIES)) {
    it(`${family}: replies and final state agree`, async () => {
      const server = real as RealRedis;
      await fc.assert(
        fc.asyncProperty(sequence(family), (cmds) => runDifferential(server, sim, cmds)),
        { numRuns: RUNS, seed: SEED, endOnFailure: false },
      );
      expect(RUNS).toBeGreaterThan(0);
    });
  }
});
