// Startup values of the AOF keys under the redis-4.0 profile (src/aof/config-keys.ts configFromPairs,
// what `aofsim serve --profile redis-4.0 --config key value` reads) against redis-server 4.0.14 given
// the same directives (redis 4.0.14: config.c loadServerConfigFromString: hz and
// auto-aof-rewrite-percentage through atoi, auto-aof-rewrite-min-size through util.c memtoll with
// its error ignored, yesnotoi, appendfsync's enum, "Bad directive" for a key it does not know):
// - generated values for hz, auto-aof-rewrite-percentage, auto-aof-rewrite-min-size, appendfsync
//   and two booleans (numbers around 2^31, 2^32, 2^53, 2^63, 2^64 and their negatives, with units in
//   any case, leading blanks and zeros, signs, junk after the digits; words in any case), and now
//   and then a 7.0-only key. They go into a config file whose last line is an unknown directive: the
//   real server names the first line it refuses, and why; aofsim must refuse the same pair with the
//   same reason, or take them all. When all are taken, the real server is started with them as
//   `--key value` and CONFIG GET of each key must print what aofsim's Server prints.
// Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS). Without redis-server 4.0.14 the suite skips LOUDLY,
// and fails instead when AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../src/adapters/memory/manual-tasks.ts';
import { configFromPairs } from '../../src/aof/config-keys.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { Server } from '../../src/server.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { replyString } from './harness.ts';
import { REDIS40_BIN, REDIS40_MISSING, require40, skip40, startRedis40 } from './redis40.ts';

const skip = skip40('the redis-4.0 startup config differential suite');
const root = mkdtempSync(join(tmpdir(), 'aofsim-config-startup40-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

/** A double-quoted config-file argument (redis: sdssplitargs). */
const quoted = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `s` with each letter in upper or lower case. */
const anyCase = (s: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
/** Mostly nothing, sometimes one of `decorations`. */
const rarely = (...decorations: string[]): fc.Arbitrary<string> => fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...decorations) });

const BOUNDS = [0n, 1n, 7n, 100n, 500n, 1n << 31n, 1n << 32n, (1n << 32n) + 100n, 1n << 53n, 1n << 62n, 1n << 63n, 1n << 64n, 10n ** 20n];
const numberArb = fc
  .tuple(fc.constantFrom(...BOUNDS), fc.integer({ min: -2, max: 2 }), fc.boolean())
  .map(([b, d, neg]) => (neg ? -(b + BigInt(d)) : b + BigInt(d)).toString());
const unitArb = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, fc.constantFrom('b', 'k', 'kb', 'm', 'mb', 'g', 'gb', 'x', 'kbb').chain(anyCase));
// No value starts with "--": on the command line that starts the real server it would be an option.
const numericArb = fc
  .tuple(rarely(' ', '0', '+', '-', '-+'), numberArb, unitArb, rarely('abc', '.5', ' 1'))
  .map(([pre, n, unit, post]) => pre + n + unit + post);
const oddArb = fc.constantFrom('', '-', '-0', 'mb', 'x', ' ', '12x', '0x10');
const valueArb = fc.oneof({ weight: 4, arbitrary: numericArb }, oddArb);
const wordArb = (...words: string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...words).chain(anyCase) }, fc.constantFrom('1', 'true', 'alway', ''));

/** One startup config: the numeric keys, appendfsync, two booleans, sometimes a 7.0-only key, in any order. */
const pairsArb: fc.Arbitrary<[string, string][]> = fc
  .tuple(
    fc.tuple(fc.constant('hz'), valueArb),
    fc.tuple(fc.constant('auto-aof-rewrite-percentage'), valueArb),
    fc.tuple(fc.constant('auto-aof-rewrite-min-size'), valueArb),
    fc.tuple(fc.constant('appendfsync'), wordArb('always', 'everysec', 'no')),
    fc.tuple(fc.constant('aof-load-truncated'), wordArb('yes', 'no')),
    fc.tuple(fc.constant('aof-use-rdb-preamble'), wordArb('yes', 'no')),
    fc.option(fc.tuple(fc.constantFrom('appenddirname', 'aof-timestamp-enabled', 'aof-disable-auto-gc'), fc.constant('yes')), { freq: 8 }),
  )
  .chain(([a, b, c, d, e, f, g]) => fc.shuffledSubarray<[string, string]>(g === null ? [a, b, c, d, e, f] : [a, b, c, d, e, f, g], { minLength: 1 }));

/** The first pair 4.0.14 refuses in a config file, with its reason; null when it takes them all. */
function realRefusal(pairs: readonly [string, string][]): { line: number; reason: string } | null {
  const path = join(root, `c${files++}.conf`);
  writeFileSync(path, [...pairs.map(([k, v]) => `${k} ${quoted(v)}`), 'no-such-directive-ends-the-file x'].join('\n') + '\n');
  const r = spawnSync(REDIS40_BIN, [path], { cwd: root, encoding: 'latin1', timeout: 10_000 });
  const m = /at line (\d+)\n>>> .*\n(.*)\n/.exec(r.stderr + r.stdout);
  if (m === null) throw new Error(`${REDIS40_BIN}: no FATAL CONFIG FILE ERROR for ${path}: ${r.stderr}${r.stdout}`);
  const line = Number(m[1]);
  return line === pairs.length + 1 ? null : { line, reason: m[2]! };
}

/** aofsim's first refused pair (1-based, with configFromPairs's message), or its Server's CONFIG GET of each key. */
function aofsimSide(pairs: [string, string][]): { refused: { line: number; message: string } } | { got: string[] } {
  for (let i = 1; i <= pairs.length; i++) {
    try {
      configFromPairs(pairs.slice(0, i), 'redis-4.0');
    } catch (e) {
      return { refused: { line: i, message: (e as Error).message } };
    }
  }
  const { config, exact } = configFromPairs(pairs, 'redis-4.0');
  const fs = createMemoryFs({ '/d/.keep': '' });
  const server = new Server({ fs, clock: { nowMs: () => 0 }, tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(1) }, { ...config, profile: 'redis-4.0', dir: '/d' }, { configExact: exact });
  server.start();
  const client = server.newClient();
  return { got: pairs.map(([k]) => replyString(server.call(client, ['CONFIG', 'GET', k]))) };
}

describe.skipIf(skip)('startup config pairs (redis-4.0) vs redis-server 4.0.14 startup', () => {
  it('refuses the first pair 4.0.14 refuses, for its reason; otherwise keeps what 4.0.14 keeps', async () => {
    if (REDIS40_MISSING !== null) require40();
    let started = 0;
    await fc.assert(
      fc.asyncProperty(pairsArb, async (pairs) => {
        const what = pairs.map(([k, v]) => `${k} ${quoted(v)}`).join('; ');
        const refusal = realRefusal(pairs);
        const sim = aofsimSide(pairs);
        if (refusal !== null) {
          expect('refused' in sim ? sim.refused.line : 'taken', what).toBe(refusal.line);
          const message = 'refused' in sim ? sim.refused.message : '';
          // 4.0.14 words an unknown key "Bad directive or wrong number of arguments".
          expect(message.endsWith(`: ${refusal.reason}`) || (refusal.reason.startsWith('Bad directive') && message.includes('not a redis 4.0 directive')), `${what}: ${message} / ${refusal.reason}`).toBe(true);
          return;
        }
        expect('got' in sim ? 'taken' : sim.refused.message, what).toBe('taken');
        started++;
        // loglevel notice: the start waits for the "Ready to accept connections" line, which warning hides.
        const real = await startRedis40(['--loglevel', 'notice', ...pairs.flatMap(([k, v]) => [`--${k}`, v])]);
        try {
          for (let i = 0; i < pairs.length; i++) {
            const want = replyString((await real.client.call(['CONFIG', 'GET', pairs[i]![0]]))!);
            expect((sim as { got: string[] }).got[i], `${what}: CONFIG GET ${pairs[i]![0]}`).toBe(want);
          }
        } finally {
          await real.stop();
        }
      }),
      { ...fcParams(40), seed: testSeed(process.env) },
    );
    // The property can fail both ways only if some examples were taken and started.
    expect(started, 'no generated config was taken by 4.0.14').toBeGreaterThan(0);
  });
});
