import { describe, expect, it } from 'vitest';
import { randomBelow } from '../../src/ports/random.ts';
import { Prng } from './prng.ts';

function draw(n: number, next: () => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(next());
  return out;
}

describe('Prng', () => {
  it('gives the same sequence for the same seed and stream name', () => {
    const a = Prng.fromSeed(42).stream('fs-faults');
    const b = Prng.fromSeed(42).stream('fs-faults');
    expect(draw(50, () => a.nextUint32())).toEqual(draw(50, () => b.nextUint32()));
  });

  it('keeps a stream independent of other streams being created or drawn from', () => {
    const alone = Prng.fromSeed(7).stream('scheduler');
    const expected = draw(20, () => alone.nextUint32());
    const root = Prng.fromSeed(7);
    const other = root.stream('workload');
    draw(100, () => other.nextUint32());
    root.stream('a-new-knob');
    const s = root.stream('scheduler');
    expect(draw(20, () => s.nextUint32())).toEqual(expected);
  });

  it('derives child streams from the key, not from the parent state', () => {
    const p1 = Prng.fromSeed(3).stream('fs');
    const c1 = p1.stream('host-1');
    const p2 = Prng.fromSeed(3).stream('fs');
    draw(10, () => p2.nextUint32());
    const c2 = p2.stream('host-1');
    expect(draw(10, () => c1.nextUint32())).toEqual(draw(10, () => c2.nextUint32()));
    expect(c1.name).toBe('fs/host-1');
  });

  it('gives different sequences for different names and seeds (including the high 32 bits)', () => {
    const seqs = [
      Prng.fromSeed(1).stream('a'),
      Prng.fromSeed(1).stream('b'),
      Prng.fromSeed(2).stream('a'),
      Prng.fromSeed(1 + 2 ** 32).stream('a'),
      Prng.fromSeed(0).stream(''),
    ].map((s) => draw(4, () => s.nextUint32()).join(','));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('is pinned: these values must not change across platforms or refactors', () => {
    // A regression pin: traces and scenario files reproduce from seeds only while this holds.
    const s = Prng.fromSeed(12345).stream('pin');
    const values = draw(4, () => s.nextUint32());
    for (const v of values) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    expect(values).toEqual(PIN);
  });

  it('draws below(n) in range and roughly uniform', () => {
    const s = Prng.fromSeed(9).stream('uniform');
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[s.below(6)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(s.below(1)).toBe(0);
    expect(() => s.below(0)).toThrow(/integer in \[1, 2\^32\]/);
    expect(() => s.below(1.5)).toThrow(RangeError);
    const big = s.below(2 ** 32);
    expect(big).toBeGreaterThanOrEqual(0);
  });

  it('implements the Random port', () => {
    const s = Prng.fromSeed(5).stream('port');
    const v = randomBelow(s, 10);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(10);
  });

  it('chance(num, den) uses integer ratios with exact edges', () => {
    const s = Prng.fromSeed(11).stream('chance');
    let hits = 0;
    for (let i = 0; i < 4000; i++) if (s.chance(1, 4)) hits++;
    expect(hits).toBeGreaterThan(850);
    expect(hits).toBeLessThan(1150);
    for (let i = 0; i < 50; i++) {
      expect(s.chance(0, 7)).toBe(false);
      expect(s.chance(7, 7)).toBe(true);
    }
    expect(() => s.chance(0.5, 1)).toThrow(/integers/);
    expect(() => s.chance(2, 1)).toThrow(RangeError);
  });

  it('intBetween, pick and shuffle stay in range and keep elements', () => {
    const s = Prng.fromSeed(13).stream('misc');
    for (let i = 0; i < 100; i++) {
      const v = s.intBetween(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
    }
    expect(['x', 'y']).toContain(s.pick(['x', 'y']));
    const shuffled = s.shuffle([1, 2, 3, 4, 5]);
    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => s.pick([])).toThrow(/empty/);
  });

  it('rejects bad seeds with an actionable message', () => {
    expect(() => Prng.fromSeed(-1)).toThrow(/non-negative safe integer/);
    expect(() => Prng.fromSeed(1.5)).toThrow(/got 1.5/);
  });
});

const PIN: number[] = [1770091059, 464719965, 328866586, 3439840816];
