// The seed setup is wired into this project: the global setup left an integer in AOFSIM_SEED (a
// `random` drawn once), and fast-check's global seed is that integer, so fc calls without their own
// seed are deterministic and follow AOFSIM_SEED.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testSeed } from '../../sim/campaign/suite-options.ts';

describe('suite seed setup', () => {
  it('AOFSIM_SEED is an integer in every worker and fast-check uses it', () => {
    expect(process.env.AOFSIM_SEED).toMatch(/^-?\d+$/);
    expect(fc.readConfigureGlobal().seed).toBe(testSeed(process.env));
  });

  it('two samples without a seed of their own are equal (no fresh randomness)', () => {
    const arb = fc.array(fc.integer(), { minLength: 5, maxLength: 5 });
    expect(fc.sample(arb, 3)).toEqual(fc.sample(arb, 3));
  });
});
