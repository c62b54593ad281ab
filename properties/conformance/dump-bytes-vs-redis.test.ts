// Differential: aofsim's DUMP of a string is byte for byte the real server's (redis: dumpCommand,
// createDumpPayload, rdbSaveRawString, rdbSaveLzfStringObject, lzf_compress): the same value SET on
// redis-server 7.0.15 (and 4.0.14) and on aofsim's Executor must DUMP to the same payload, type
// byte, LZF-compressed or plain string, RDB version and CRC-64 footer included. Strings longer
// than 20 bytes go through LZF, whose bytes depend on every detail of liblzf's matcher; the
// arbitraries mix random bytes (incompressible: stored plain), short units repeated (long matches,
// the 264-byte cap, overlapping copies), text made of a few words (short matches, literal runs of
// 32) and blends of those, from 21 bytes to about 100 kB.
//
// Budget: AOFSIM_RUNS values per server (default 120; 4.0 gets half); AOFSIM_SEED fixes the seed.
// Without a binary the suite skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { redis40Missing, skipLoudly } from '../../sim/subjects/real-availability.ts';
import type { Profile } from '../../src/base/profile.ts';
import { REDIS_SERVER, redisUnavailableReason, SimSide, startRealRedis, type RealRedis } from './harness.ts';
import { REDIS40_BIN } from './redis40.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '120');
const SEED = testSeed(process.env);

const bytesText = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Incompressible bytes: liblzf finds (almost) nothing and Redis keeps the string plain. */
const randomBytes = fc.uint8Array({ minLength: 21, maxLength: 2000 }).map(bytesText);

/** A short unit repeated: one long back reference after another, at distance = unit length. */
const repeated = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 21, max: 100_000 }))
  .map(([u, n]) => bytesText(Uint8Array.from({ length: n }, (_, i) => u[i % u.length])));

const WORDS = ['the', 'AOF', 'rewrite', 'fsync', 'redis', 'key:', '1234', ' ', ', ', '\n', 'appendonly', 'x', '{"id":', '}', 'é'];
/** Text of a few words: many short matches within the 8 kB window, and literal runs between them. */
const textLike = fc.array(fc.constantFrom(...WORDS), { minLength: 8, maxLength: 3000 }).map((ws) => ws.join(''));

/** Random bytes with copies of earlier pieces: matches at many distances, some beyond 8 kB. */
const blended = fc
  .tuple(fc.uint8Array({ minLength: 64, maxLength: 4000 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 3, max: 600 })), { minLength: 1, maxLength: 60 }))
  .map(([base, copies]) => {
    let s = bytesText(base);
    for (const [at, n] of copies) {
      const from = at % s.length;
      s += s.slice(from, from + n);
    }
    return s;
  });

const value = fc.oneof(
  { arbitrary: randomBytes, weight: 2 },
  { arbitrary: repeated, weight: 3 },
  { arbitrary: textLike, weight: 3 },
  { arbitrary: blended, weight: 3 },
  { arbitrary: fc.constantFrom('a'.repeat(21), 'ab'.repeat(11), 'x'.repeat(100_000)), weight: 1 },
);

/** SET then DUMP on both sides; the payloads must be equal bytes. */
function dumpSuite(name: string, bin: string, profile: Profile, missing: string | null, runs: number): void {
  const skip = skipLoudly(`the DUMP bytes differential suite (${name})`, missing);
  describe.skipIf(skip)(`DUMP payload bytes equal ${name}'s`, () => {
    let real: RealRedis;
    const sim = new SimSide(1, profile);
    beforeAll(async () => {
      if (missing !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${missing}`);
      real = await startRealRedis([], bin);
    });
    afterAll(async () => {
      await real?.stop();
    });

    it('strings of 21 bytes to 100 kB, compressed or not', async () => {
      await fc.assert(
        fc.asyncProperty(value, async (v) => {
          const set = await real.client.call(['SET', 'k', v]);
          expect(set).toEqual({ kind: 'status', value: 'OK' });
          const theirs = await real.client.call(['DUMP', 'k']);
          sim.call(['SET', 'k', v]);
          const ours = sim.call(['DUMP', 'k']);
          expect(theirs.kind).toBe('bulk');
          if (ours.kind !== 'bulk' || theirs.kind !== 'bulk') throw new Error(`DUMP replies: ${ours.kind} / ${theirs.kind}`);
          const a = Buffer.from(ours.value ?? '', 'latin1');
          const b = Buffer.from(theirs.value ?? '', 'latin1');
          // The first differing offset makes a failure readable without dumping 100 kB.
          let at = 0;
          while (at < a.length && at < b.length && a[at] === b[at]) at++;
          expect({ length: a.length, firstDiff: at === a.length && at === b.length ? -1 : at }).toEqual({ length: b.length, firstDiff: -1 });
        }),
        { seed: SEED, numRuns: runs },
      );
    });
  });
}

dumpSuite('redis-server 7.0', REDIS_SERVER, 'redis-7.0', redisUnavailableReason(), RUNS);
dumpSuite('redis-server 4.0.14', REDIS40_BIN, 'redis-4.0', redis40Missing(), Math.max(1, Math.floor(RUNS / 2)));
