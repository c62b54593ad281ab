// The catalogue of offline loader properties (sim/campaign/offline/index.ts) that bench/detect runs
// against each bug switch: names are unique, every switch a property claims to catch is a real
// switch of src/aof/bugs.ts, and the loader switches it was built for are each caught by one.

import { describe, expect, it } from 'vitest';
import { isBugSwitch } from '../src/aof/bugs.ts';
import { OFFLINE_PROPERTIES, offlineProperty } from '../sim/campaign/offline/index.ts';

describe('OFFLINE_PROPERTIES', () => {
  it('has unique names, one-sentence invariants and known switches', () => {
    const names = OFFLINE_PROPERTIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of OFFLINE_PROPERTIES) {
      expect(p.invariant.length, p.name).toBeGreaterThan(20);
      expect(p.baseRuns, p.name).toBeGreaterThan(0);
      for (const bug of p.catches) expect(isBugSwitch(bug), `${p.name}: ${bug}`).toBe(true);
    }
  });

  it('covers the loader switches incomplete-multi-applied, truncate-non-last-file, truncated-rdb-as-short-read, empty-last-incr, preamble-cut-to-zero', () => {
    const caught = new Set(OFFLINE_PROPERTIES.flatMap((p) => p.catches));
    for (const bug of ['incomplete-multi-applied', 'truncate-non-last-file', 'truncated-rdb-as-short-read', 'empty-last-incr', 'preamble-cut-to-zero']) {
      expect(caught.has(bug), bug).toBe(true);
    }
  });

  it('offlineProperty names the known properties when asked for an unknown one', () => {
    expect(() => offlineProperty('nope')).toThrow(/known: loader-truncated-prefix,/);
  });
});
