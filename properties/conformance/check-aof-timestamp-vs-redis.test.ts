// aofsim's checker (src/aof/check checkAof) against redis-check-aof 7.0.15 for generated
// `--truncate-to-timestamp` arguments, as a shell would hand them over: plain numbers, and numbers
// with a sign, a leading blank, a hex prefix, a fraction, a unit or a line end after them, more
// digits than a long holds, nothing at all (redis: redis-check-aof.c main parses the argument with
// strtol and refuses any trailing byte: "Invalid timestamp, aborting..."), on generated AOFs with
// `#TS:` annotations: every line (aofsim's own `aofsim: ` lines aside), the exit code, and the
// file's bytes after.
// Needs /usr/bin/redis-check-aof 7.0.x (AOFSIM_REDIS_CHECK_AOF overrides) and its redis-server;
// skips loudly without it, fails instead with AOFSIM_REQUIRE_REDIS=1.
// Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { checkAof } from '../../src/aof/check/index.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { CHECK_AOF_BIN, skipWithoutCheckAof } from './redis-check-aof-bin.ts';

const skip = skipWithoutCheckAof('the --truncate-to-timestamp arguments vs redis-check-aof 7.0');
const root = mkdtempSync(join(tmpdir(), 'aofsim-check-ts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let caseNo = 0;

const tsArgArb = fc.oneof(
  fc.integer({ min: 0, max: 12 }).map(String),
  fc
    .tuple(fc.constantFrom('', '', '-', '+', ' ', '\t', '0x', '00'), fc.stringMatching(/^[0-9]{0,22}$/), fc.constantFrom('', '', 'x', ' ', '.5', 's', '\n', 'e3'))
    .map(([a, b, c]) => a + b + c),
);
const recArb = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((n) => `#TS:${n}\r\n`),
  fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('1', 'xy')).map(([k, v]) => encodeCommand(['SET', k, v])),
);
const aofArb = fc.array(recArb, { minLength: 1, maxLength: 8 }).map((recs) => recs.join(''));

describe.skipIf(skip)('--truncate-to-timestamp arguments vs redis-check-aof 7.0.15', () => {
  it('every line, the exit code and the file after, for any argument text', () => {
    fc.assert(
      fc.property(tsArgArb, aofArb, (arg, aof) => {
        const dir = join(root, `c${caseNo++}`);
        const realPath = join(dir, 'real', 'appendonly.aof');
        const simPath = join(dir, 'sim', 'appendonly.aof');
        for (const p of [realPath, simPath]) {
          mkdirSync(join(p, '..'), { recursive: true });
          writeFileSync(p, Buffer.from(aof, 'latin1'));
        }
        const r = spawnSync(CHECK_AOF_BIN, ['--truncate-to-timestamp', arg, realPath], { input: '', encoding: 'latin1' });
        const theirs = r.stdout.split('\n').filter((l) => l !== '');
        const report = checkAof(createNodeFs(), simPath, { truncateToTimestamp: arg });
        const ours = report.lines.filter((l) => !l.startsWith('aofsim: ')).map((l) => l.split(simPath).join(realPath));
        const what = `--truncate-to-timestamp ${JSON.stringify(arg)} on ${JSON.stringify(aof)}`;
        expect(ours, what).toEqual(theirs);
        expect(report.exitCode, what).toBe(r.status);
        expect(readFileSync(simPath, 'latin1'), `${what}: the file after`).toBe(readFileSync(realPath, 'latin1'));
        rmSync(dir, { recursive: true, force: true });
      }),
      { ...fcParams(25), seed: testSeed(process.env) },
    );
  });
});
