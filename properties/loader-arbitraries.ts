// Shared by the RESP and loader property suites: the run budget (AOFSIM_RUNS, AOFSIM_SEED) and
// arbitraries for byte strings, argv, AOF command scripts and chunkings.
//
// Every suite calls fc.assert(prop, fcParams(n)): fast-check's failure message then carries
// `{ seed, path }`, and AOFSIM_SEED=<seed> (with the printed path via AOFSIM_PATH) replays it.

import fc from 'fast-check';
import { testSeed } from '../sim/campaign/suite-options.ts';

/** numRuns = base * AOFSIM_RUNS (default 1); the suite seed (testSeed); path from AOFSIM_PATH. */
export function fcParams<T>(baseRuns: number): fc.Parameters<T> {
  const scale = Number(process.env.AOFSIM_RUNS ?? '1');
  const params: fc.Parameters<T> = {
    numRuns: Math.max(1, Math.round(baseRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    verbose: fc.VerbosityLevel.Verbose,
  };
  params.seed = testSeed(process.env);
  if (process.env.AOFSIM_PATH !== undefined) params.path = process.env.AOFSIM_PATH;
  return params;
}

/** A byte string (one char per byte), biased towards RESP-significant bytes. */
export const bytesArb = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
        { weight: 1, arbitrary: fc.constantFrom(0x0d, 0x0a, 0x00, 0x2a, 0x24, 0x23, 0xff) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
      ),
      { maxLength },
    )
    .map((codes) => String.fromCharCode(...codes));

/** A command's argv: at least one argument. */
export const argvArb: fc.Arbitrary<string[]> = fc.array(bytesArb(), { minLength: 1, maxLength: 6 });

/** Strictly increasing cut points inside [1, length) that split a text into chunks. */
export function chunkingArb(length: number): fc.Arbitrary<number[]> {
  if (length < 2) return fc.constant([]);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: Math.min(20, length - 1) })
    .map((cuts) => cuts.sort((a, b) => a - b));
}

/** Splits `text` at the cut points. */
export function splitAt(text: string, cuts: number[]): string[] {
  const out: string[] = [];
  let prev = 0;
  for (const c of cuts) {
    out.push(text.slice(prev, c));
    prev = c;
  }
  out.push(text.slice(prev));
  return out;
}

export type ScriptOp =
  | { op: 'set'; key: string; value: string }
  | { op: 'del'; key: string }
  | { op: 'incr'; key: string }
  | { op: 'select'; db: number }
  | { op: 'ts' }
  | { op: 'multi'; body: ({ op: 'set'; key: string; value: string } | { op: 'incr'; key: string } | { op: 'del'; key: string })[] };

const keyArb = fc.constantFrom('a', 'b', 'c', 'n', 'k\r\n', '*1');
const simpleOp = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: keyArb, value: fc.oneof(bytesArb(12), fc.constantFrom('1', '41')) }),
  fc.record({ op: fc.constant('del' as const), key: keyArb }),
  fc.record({ op: fc.constant('incr' as const), key: keyArb }),
);

/** A script of writes as an AOF would hold them: SET/DEL/INCR, SELECT, #TS: lines, MULTI blocks. */
export const scriptArb: fc.Arbitrary<ScriptOp[]> = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: simpleOp },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('select' as const), db: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 1, arbitrary: fc.constant({ op: 'ts' as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('multi' as const), body: fc.array(simpleOp, { maxLength: 4 }) }) },
  ),
  { maxLength: 25 },
);
