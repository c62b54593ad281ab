// Shared by the RESP and loader property suites: the run budget (AOFSIM_RUNS, AOFSIM_SEED) and
// arbitraries for argv and chunkings; byte strings and AOF command scripts come from the offline
// properties' own module (sim/campaign/offline/script-arbitrary.ts), re-exported here.
//
// Every suite calls fc.assert(prop, fcParams(n)): fast-check's failure message then carries
// `{ seed, path }`, and AOFSIM_SEED=<seed> (with the printed path via AOFSIM_PATH) replays it.

import fc from 'fast-check';
import { bytesArb } from '../sim/campaign/offline/script-arbitrary.ts';
import { testSeed } from '../sim/campaign/suite-options.ts';

export { bytesArb, scriptArb, type ScriptOp } from '../sim/campaign/offline/script-arbitrary.ts';

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
