// The zset's ordered index against a sorted-array model: order, ranks, access by rank, range bounds and
// clones agree after any sequence of inserts, score updates and deletes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZSet } from './zset.ts';
import { testSeed } from '../base/test-seed.ts';

const seed = testSeed(process.env);

type Op = { del: false; member: string; score: number } | { del: true; member: string };

const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '', 'aa', '\u00ff');
const score = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(Infinity, -Infinity, -0, 0.5));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ del: fc.constant(false as const), member, score }) },
  { weight: 1, arbitrary: fc.record({ del: fc.constant(true as const), member }) },
);

function sortedModel(m: Map<string, number>): { member: string; score: number }[] {
  return [...m]
    .map(([member, score]) => ({ member, score }))
    .sort((a, b) => (a.score !== b.score ? (a.score < b.score ? -1 : 1) : a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
}

// Hundreds of members: the index splits nodes, empties and drops them, and collapses its root.
const wideMember = fc.integer({ min: 0, max: 299 }).map((i) => `m${i}`);
const wideOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ del: fc.constant(false as const), member: wideMember, score }) },
  { weight: 2, arbitrary: fc.record({ del: fc.constant(true as const), member: wideMember }) },
);

describe('ZSet (counted B+tree)', () => {
  it.each([
    ['a few members', fc.array(opArb, { maxLength: 120 }), 300],
    ['hundreds of members', fc.array(wideOpArb, { minLength: 200, maxLength: 2000 }), 40],
  ] as const)('matches a sorted-array model with %s: entries, rank, at, range, countWhile, clone (inserts by set and add)', (_name, opsArb, numRuns) => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const z = new ZSet();
        const model = new Map<string, number>();
        ops.forEach((o, i) => {
          if (o.del) expect(z.delete(o.member)).toBe(model.delete(o.member));
          else {
            // Every other insert of an absent member goes through add() (ZADD's path), the rest through set().
            if (!model.has(o.member) && i % 2 === 0) z.add(o.member, o.score);
            else z.set(o.member, o.score);
            model.set(o.member, o.score === 0 ? 0 : o.score);
          }
        });
        const want = sortedModel(model);
        expect(z.size).toBe(want.length);
        expect(z.entries().map((e) => [e.member, e.score])).toEqual(want.map((e) => [e.member, e.score]));
        expect(z.clone().entries().map((e) => e.member)).toEqual(want.map((e) => e.member));
        want.forEach((e, i) => {
          expect(z.rank(e.member)).toBe(i);
          expect(z.at(i)?.member).toBe(e.member);
        });
        expect(z.rank('zz-missing')).toBeUndefined();
        expect(z.at(want.length)).toBeUndefined();
        expect(z.last()?.member).toBe(want.at(-1)?.member);
        expect(z.range(1, 4).map((e) => e.member)).toEqual(want.slice(1, 4).map((e) => e.member));
        expect(z.range(1, 4, true).map((e) => e.member)).toEqual(want.slice(1, 4).reverse().map((e) => e.member));
        for (const bound of [-Infinity, -1, 0, 0.5, 2, Infinity]) {
          expect(z.countWhile((e) => e.score < bound)).toBe(want.filter((e) => e.score < bound).length);
        }
      }),
      { numRuns, seed },
    );
  });

  it('keeps ranks exact on 100k members inserted in shuffled order', () => {
    const z = new ZSet();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const k = (i * 7919) % n; // 7919 is prime to n: a permutation of 0..n-1
      z.set(`m${k}`, k);
    }
    expect(z.size).toBe(n);
    for (const k of [0, 1, 4242, 50_000, n - 1]) {
      expect(z.rank(`m${k}`)).toBe(k);
      expect(z.at(k)?.member).toBe(`m${k}`);
    }
    for (let k = 0; k < n; k += 2) z.delete(`m${k}`);
    expect(z.size).toBe(n / 2);
    expect(z.rank('m4243')).toBe(2121);
    expect(z.at(2121)?.member).toBe('m4243');
  });
});
