// The in-process configuration API with the redis-4.0 profile (src/aof/config.ts resolveAofConfig)
// against what redis-server 4.0.14 does with the same values given at startup (redis 4.0.14:
// config.c loadServerConfigFromString, the `hz` branch: atoi, then kept within 1..500; the
// `appendfilename` branch: pathIsBaseName only):
// - hz: generated integers (negative, 0, in range, above 500, past INT_MAX, past 2^32) and
//   non-integers; the value the real server keeps (CONFIG GET hz after `--hz <the number's text>`)
//   is the value aofsim keeps;
// - appendfilename: a name the real server refuses at startup is refused, one it takes is taken
//   as given (asked with a config file whose next line is an unknown directive, so the real server
//   reports the first bad line and exits without starting).
// Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS). Without redis-server 4.0.14 the suite skips LOUDLY,
// and fails instead when AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isAofError } from '../../src/base/errors.ts';
import { resolveAofConfig } from '../../src/aof/config.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { replyString } from './harness.ts';
import { REDIS40_BIN, REDIS40_MISSING, require40, skip40, startRedis40 } from './redis40.ts';

const skip = skip40('the redis-4.0 config API differential suite');
const root = mkdtempSync(join(tmpdir(), 'aofsim-config-api40-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

/** A double-quoted config-file argument (redis: sdssplitargs). */
const quoted = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Whether 4.0.14 takes `appendfilename value` from its config file. */
function fileTakes(value: string): boolean {
  const path = join(root, `c${files++}.conf`);
  writeFileSync(path, `appendfilename ${quoted(value)}\nno-such-directive-ends-the-file x\n`);
  const r = spawnSync(REDIS40_BIN, [path], { cwd: root, encoding: 'latin1', timeout: 10_000 });
  const line = /at line (\d+)/.exec(r.stderr + r.stdout)?.[1];
  if (line === undefined) throw new Error(`${REDIS40_BIN} appendfilename ${value}: no FATAL CONFIG FILE ERROR: ${r.stderr}${r.stdout}`);
  return line !== '1';
}

function aofsimTakes(value: string): boolean {
  try {
    return resolveAofConfig({ profile: 'redis-4.0', appendfilename: value }).appendfilename === value;
  } catch (e) {
    if (!isAofError(e)) throw e;
    expect(e.message).toContain('appendfilename');
    return false;
  }
}

describe.skipIf(skip)('resolveAofConfig (redis-4.0) vs redis-server 4.0.14 startup', () => {
  it('keeps the hz 4.0.14 keeps for the same number given at startup', async () => {
    if (REDIS40_MISSING !== null) require40();
    const hzArb = fc.oneof(
      fc.integer({ min: -3, max: 600 }),
      fc.constantFrom(-2147483649, 2147483647, 2147483648, 4294967296, 4294967303, 1e12 + 7, 2.5, -0.5, 499.9, Number.NaN, Number.POSITIVE_INFINITY),
    );
    await fc.assert(
      fc.asyncProperty(hzArb, async (hz) => {
        // loglevel notice: the start waits for the "Ready to accept connections" line, which warning hides.
        const real = await startRedis40(['--loglevel', 'notice', '--hz', String(hz)]);
        let kept: string;
        try {
          kept = replyString((await real.client.call(['CONFIG', 'GET', 'hz']))!);
        } finally {
          await real.stop();
        }
        expect(kept, `--hz ${hz}`).toMatch(/^\["hz", "\d+"\]$/);
        expect(`["hz", "${resolveAofConfig({ profile: 'redis-4.0', hz }).hz}"]`, `hz ${hz}`).toBe(kept);
      }),
      { ...fcParams(12), seed: testSeed(process.env) },
    );
  });

  it('takes the appendfilename values 4.0.14 takes, refuses the others', () => {
    if (REDIS40_MISSING !== null) require40();
    fc.assert(
      fc.property(fc.constantFrom('appendonly.aof', 'x.aof', 'a b', '', '.', '..', '...', 'a/b', '/abs', 'a\\b', 'dir/'), (name) => {
        expect(aofsimTakes(name), JSON.stringify(name)).toBe(fileTakes(name));
      }),
      { ...fcParams(12), seed: testSeed(process.env) },
    );
  });
});
