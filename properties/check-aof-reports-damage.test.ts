// Property: aofsim's checker (src/aof/check) prints, for any damaged AOF, exactly what
// redis-check-aof 7.0.15 prints, as properties/check-aof-model.ts derives it from how the files were
// built: every line (file headers, the `0x...: ` error with its offset, the `AOF analyzed:` summary
// with ok_up_to, the global ok_up_to_line and diff, the verdicts), aofsim's own warning and note
// lines, the exit code, and the files left behind by --fix (answered yes or not) and by
// --truncate-to-timestamp. Inputs: an old-style file, or a manifest with an optional RESP BASE and
// 1-3 INCRs, made of commands (some `*0`, some named like MULTI/EXEC), `#TS:` annotations and MULTI
// blocks (MULTI/EXEC in any case, or followed by a NUL), with one file cut at any byte, grown by
// zeros, or given a stray byte, a nested MULTI or an EXEC without MULTI.
// The conformance suite holds the same model against the real binary
// (properties/conformance/check-aof-model-vs-redis.test.ts).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';
import { checkAof } from '../src/aof/check/index.ts';
import { checkCaseArb, expectedFor, type CheckCase } from './check-aof-cases.ts';
import { sameLine } from './check-aof-model.ts';
import { fcParams } from './loader-arbitraries.ts';

function runOurs(c: CheckCase): { lines: string[]; exitCode: number; after: Record<string, string> } {
  const fs = createMemoryFs(Object.fromEntries(Object.entries(c.files).map(([p, t]) => [p, Buffer.from(t, 'latin1')])));
  const r = checkAof(fs, c.target, {
    fix: c.mode === 'fix',
    ...(c.mode === 'ts' ? { truncateToTimestamp: String(c.toTimestamp) } : {}),
    confirm: () => c.answer,
  });
  const after = Object.fromEntries(Object.keys(c.files).map((p) => [p, Buffer.from(fs.readFile(p)).toString('latin1')]));
  return { lines: r.lines, exitCode: r.exitCode, after };
}

describe('aofsim check prints what redis-check-aof 7.0.15 prints on damaged AOFs', () => {
  it('every line, the exit code and the files left behind', () => {
    fc.assert(
      fc.property(checkCaseArb, (c) => {
        const want = expectedFor(c, true);
        const got = runOurs(c);
        const same = got.lines.length === want.lines.length && got.lines.every((l, i) => sameLine(l, want.lines[i]!));
        expect(same ? want.lines : got.lines, 'output lines').toEqual(want.lines);
        expect(got.exitCode).toBe(want.exitCode);
        expect(got.after).toEqual(want.after);
      }),
      fcParams(400), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });
});
