// The vitest suite of one offline property (sim/campaign/offline/index.ts): it holds with no bug
// switch (fcParams budget: AOFSIM_RUNS, AOFSIM_SEED and AOFSIM_PATH apply), and it fails with each
// switch of its `catches` on within `powerRuns` runs at seed 1 (the suite's power, tested).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from '../loader-arbitraries.ts';
import { offlineProperty } from '../../sim/campaign/offline/index.ts';

export function describeOfflineProperty(name: string, title: string, holds: string, powerRuns: number): void {
  const p = offlineProperty(name);
  describe(title, () => {
    it(holds, () => {
      fc.assert(p.property([]), fcParams(p.baseRuns));
    });
    it('catches at least one bug switch', () => {
      expect(p.catches.length).toBeGreaterThan(0);
    });
    for (const bug of p.catches) {
      it(`fails with the bug switch ${bug} on (seed 1, ${powerRuns} runs)`, () => {
        const r = fc.check(p.property([bug]), { seed: 1, numRuns: powerRuns, endOnFailure: true });
        expect(r.failed, `not caught in ${r.numRuns} runs`).toBe(true);
      });
    }
  });
}
