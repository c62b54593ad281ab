import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_SEED, comboSeed, resolveSeedEnv, suiteOptions, testSeed } from './suite-options.ts';

describe('suite seed', () => {
  it('defaults to the fixed seed; an integer overrides it', () => {
    expect(testSeed({})).toBe(DEFAULT_BASE_SEED);
    expect(testSeed({ AOFSIM_SEED: '' })).toBe(DEFAULT_BASE_SEED);
    expect(testSeed({ AOFSIM_SEED: '683034685' })).toBe(683034685);
    expect(testSeed({ AOFSIM_SEED: '-5' })).toBe(-5);
  });

  it('rejects anything else, and random until it is drawn', () => {
    expect(() => testSeed({ AOFSIM_SEED: 'x' })).toThrow(/integer or "random"/);
    expect(() => testSeed({ AOFSIM_SEED: '1.5' })).toThrow(/integer/);
    expect(() => testSeed({ AOFSIM_SEED: 'random' })).toThrow(/global setup/);
  });

  it('random is drawn by the caller and flagged for printing; anything else is kept', () => {
    expect(resolveSeedEnv({ AOFSIM_SEED: 'random' }, () => 77)).toEqual({ seed: 77, drawn: true });
    expect(resolveSeedEnv({ AOFSIM_SEED: '12' }, () => 77)).toEqual({ seed: 12, drawn: false });
    expect(resolveSeedEnv({}, () => 77)).toEqual({ seed: DEFAULT_BASE_SEED, drawn: false });
  });

  it('world property combinations: base + 1000 * property + combination', () => {
    expect(suiteOptions({ AOFSIM_SEED: '1000000', AOFSIM_RUNS: '5' })).toEqual({ baseSeed: 1000000, runsPerCombo: 5 });
    expect(comboSeed(1000000, 3, 7)).toBe(1003007);
  });
});
