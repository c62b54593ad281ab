// Budget and seed of the vitest property suites (properties/*.test.ts), from the environment:
// AOFSIM_RUNS scales the runs per profile/policy/preamble combination (default 10, small enough for
// `npm test` on 2 cores); AOFSIM_SEED pins the base seed (default 20261124; combination i of
// property p uses base + 1000 * p + i, so shards given disjoint bases never overlap).
// Plain functions over a record, so sim/ stays free of process access: callers pass process.env.

export interface SuiteOptions {
  runsPerCombo: number;
  baseSeed: number;
}

export const DEFAULT_RUNS_PER_COMBO = 10;
export const DEFAULT_BASE_SEED = 20261124;

export function suiteOptions(env: Record<string, string | undefined>): SuiteOptions {
  const runs = env.AOFSIM_RUNS !== undefined && env.AOFSIM_RUNS !== '' ? Number(env.AOFSIM_RUNS) : DEFAULT_RUNS_PER_COMBO;
  const seed = env.AOFSIM_SEED !== undefined && env.AOFSIM_SEED !== '' ? Number(env.AOFSIM_SEED) : DEFAULT_BASE_SEED;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`AOFSIM_RUNS must be a positive integer, got ${env.AOFSIM_RUNS}`);
  if (!Number.isInteger(seed)) throw new RangeError(`AOFSIM_SEED must be an integer, got ${env.AOFSIM_SEED}`);
  return { runsPerCombo: runs, baseSeed: seed };
}

/** The fast-check seed of combination `comboIndex` of property `propertyIndex`. */
export function comboSeed(base: number, propertyIndex: number, comboIndex: number): number {
  return (base + 1000 * propertyIndex + comboIndex) | 0;
}
