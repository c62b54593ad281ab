// Conformance: the checker model of properties/check-aof-model.ts (the oracle of the property
// properties/check-aof-reports-damage.test.ts) says exactly what the real redis-check-aof 7.0.15
// prints, exits with and leaves on disk, on the same generated damaged AOFs (old-style files and
// manifests with a BASE and INCRs; cuts at any byte, zero tails, stray bytes, nested MULTI, EXEC
// without MULTI; plain, --fix answered yes or not, --truncate-to-timestamp). So the property that
// pins aofsim's checker to the model pins it to Redis.
// Needs /usr/bin/redis-check-aof 7.0.x (AOFSIM_REDIS_CHECK_AOF overrides) and its redis-server; skips loudly without it,
// fails instead with AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIRM_PROMPT } from '../../src/aof/check/types.ts';
import { checkCaseArb, DIR, expectedFor, type CheckCase } from '../check-aof-cases.ts';
import { sameLine } from '../check-aof-model.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { CHECK_AOF_BIN, skipWithoutCheckAof } from './redis-check-aof-bin.ts';

const BIN = CHECK_AOF_BIN;
const skip = skipWithoutCheckAof('the checker model vs redis-check-aof 7.0');
const root = mkdtempSync(join(tmpdir(), 'aofsim-check-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let caseNo = 0;
function runReal(c: CheckCase): { lines: string[]; exitCode: number | null; after: Record<string, string>; dir: string } {
  const dir = join(root, `c${caseNo++}`);
  const real = (p: string): string => dir + p.slice(DIR.length);
  for (const [p, t] of Object.entries(c.files)) {
    mkdirSync(dirname(real(p)), { recursive: true });
    writeFileSync(real(p), Buffer.from(t, 'latin1'));
  }
  const args = c.mode === 'fix' ? ['--fix'] : c.mode === 'ts' ? ['--truncate-to-timestamp', String(c.toTimestamp)] : [];
  const r = spawnSync(BIN, [...args, real(c.target)], { input: c.answer === null ? '' : `${c.answer}\n`, encoding: 'latin1' });
  const lines = r.stdout.split(CONFIRM_PROMPT).join(CONFIRM_PROMPT + '\n').split('\n').filter((l) => l !== '');
  const after = Object.fromEntries(Object.keys(c.files).map((p) => [p, readFileSync(real(p)).toString('latin1')]));
  rmSync(dir, { recursive: true, force: true });
  return { lines, exitCode: r.status, after, dir };
}

describe.skipIf(skip)('the checker model agrees with redis-check-aof 7.0.15', () => {
  it('every line, the exit code and the files left behind', () => {
    fc.assert(
      fc.property(checkCaseArb, (c) => {
        const got = runReal(c);
        const want = expectedFor(c, false);
        const wantLines = want.lines.map((l) => l.split(`${DIR}/`).join(`${got.dir}/`));
        const same = got.lines.length === wantLines.length && got.lines.every((l, i) => sameLine(l, wantLines[i]!));
        expect(same ? wantLines : got.lines, 'output lines').toEqual(wantLines);
        expect(got.exitCode).toBe(want.exitCode);
        expect(got.after).toEqual(want.after);
      }),
      fcParams(60), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });
});
