// Budget and seed of the test suites, from the environment. The one place that decides a test seed:
// every property and conformance suite, and every fast-check call in unit tests (through the vitest
// setup files in properties/setup/), uses `testSeed(env)`.
//
// AOFSIM_SEED: unset or empty -> DEFAULT_BASE_SEED (so `npm test` is deterministic); an integer ->
// that seed; `random` -> a fresh seed drawn once per vitest run by the global setup, printed, and
// written back into AOFSIM_SEED before any suite reads it (`resolveSeedEnv`).
// AOFSIM_RUNS scales the runs per profile/policy/preamble combination of the world properties
// (default 10, small enough for `npm test` on 2 cores); combination i of property p uses seed
// base + 1000 * p + i, so shards given disjoint bases never overlap.
// Plain functions over a record, so sim/ stays free of process access: callers pass process.env.

export interface SuiteOptions {
  runsPerCombo: number;
  baseSeed: number;
}

export const DEFAULT_RUNS_PER_COMBO = 10;
// The seed itself is decided in src/base/test-seed.ts, where the unit tests beside the code can
// reach it too (src/ never imports sim/).
import { DEFAULT_BASE_SEED, testSeed } from '../../src/base/test-seed.ts';

export { DEFAULT_BASE_SEED, testSeed };

/**
 * Resolves AOFSIM_SEED=random with `draw` (a fresh 31-bit seed from the caller, who may reach real
 * randomness); any other value is validated and kept. `drawn` says whether the caller must print it.
 */
export function resolveSeedEnv(env: Record<string, string | undefined>, draw: () => number): { seed: number; drawn: boolean } {
  if (env.AOFSIM_SEED === 'random') return { seed: draw(), drawn: true };
  return { seed: testSeed(env), drawn: false };
}

export function suiteOptions(env: Record<string, string | undefined>): SuiteOptions {
  const runs = env.AOFSIM_RUNS !== undefined && env.AOFSIM_RUNS !== '' ? Number(env.AOFSIM_RUNS) : DEFAULT_RUNS_PER_COMBO;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`AOFSIM_RUNS must be a positive integer, got ${env.AOFSIM_RUNS}`);
  return { runsPerCombo: runs, baseSeed: testSeed(env) };
}

/** The fast-check seed of combination `comboIndex` of property `propertyIndex`. */
export function comboSeed(base: number, propertyIndex: number, comboIndex: number): number {
  return (base + 1000 * propertyIndex + comboIndex) | 0;
}
