// The seed every test suite uses, from the environment: AOFSIM_SEED, or a fixed default so that
// `npm test` gives the same result on every run. Here in src/base so that the unit tests beside the
// code use it without importing sim/ (sim/campaign/suite-options.ts re-exports it for the suites).
// A plain function over a record: callers pass process.env.

export const DEFAULT_BASE_SEED = 20261124;

/** The seed every suite uses (AOFSIM_SEED, or the default). Throws on anything but an integer. */
export function testSeed(env: Record<string, string | undefined>): number {
  const raw = env.AOFSIM_SEED;
  if (raw === undefined || raw === '') return DEFAULT_BASE_SEED;
  if (raw === 'random') throw new RangeError('AOFSIM_SEED=random is drawn by the vitest global setup (properties/setup/seed-global-setup.ts); outside vitest pass an integer');
  const seed = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(seed)) throw new RangeError(`AOFSIM_SEED must be an integer or "random", got ${raw}`);
  return seed | 0;
}
