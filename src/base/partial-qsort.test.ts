import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partialQsort } from './partial-qsort.ts';

describe('partialQsort (redis pqsort)', () => {
  it('puts in positions l..r what a full sort puts there, and keeps every element', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 120 }).chain((xs) =>
          fc.tuple(fc.constant(xs), fc.nat({ max: Math.max(0, xs.length - 1) }), fc.nat({ max: Math.max(0, xs.length - 1) })),
        ),
        ([xs, i, j]) => {
          const [l, r] = i <= j ? [i, j] : [j, i];
          // Tagged so equal keys stay distinct objects: the multiset must be kept.
          const items = xs.map((k, at) => ({ k, at }));
          const got = items.slice();
          partialQsort(got, (a, b) => (a.k === b.k ? 0 : a.k > b.k ? 1 : -1), l, r);
          const want = xs.slice().sort((a, b) => a - b);
          if (xs.length > 0) expect(got.slice(l, r + 1).map((x) => x.k)).toEqual(want.slice(l, r + 1));
          expect(got.map((x) => x.at).sort((a, b) => a - b)).toEqual(items.map((x) => x.at));
        },
      ),
      { seed: 1, numRuns: 300 },
    );
  });

  it('orders equal keys as pqsort does, not stably (5 equal distances, COUNT 5 of 7: 7.0.15 replied m3 m1 m2 m0 m4)', () => {
    const got = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'];
    partialQsort(got, () => 0, 0, 4);
    expect(got.slice(0, 5)).toEqual(['m3', 'm1', 'm2', 'm0', 'm4']);
  });
});
