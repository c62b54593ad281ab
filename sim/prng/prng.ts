// The simulator's seeded randomness: one seed per run, split into named, independent streams
// (`Prng.fromSeed(seed).stream('fs-faults')`). Mirrors no Redis source; it is the simulator's
// equivalent of TigerBeetle's per-run PRNG and turmoil's per-host random streams.
//
// Invariants:
// - A stream's sequence depends only on (seed, its name path). Creating, drawing from or adding
//   another stream never changes it, so adding a knob in one place does not reorder another.
// - Only 32-bit integer arithmetic (Math.imul, >>> 0): the same numbers on every platform.
// - Probabilities are integer ratios (`chance(num, den)`), never floats.
// - Seeds are non-negative safe integers (up to 2^53 - 1); both 32-bit halves feed the streams.

import type { Random } from '../../src/ports/random.ts';

const TWO_32 = 0x1_0000_0000;

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, then mixed with `basis` (a parent key). */
function hashName(name: string, basis: number): number {
  let h = (0x811c9dc5 ^ basis) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h ^ Math.imul(name.length, 0x9e3779b9));
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A stream key: two 32-bit words that fully determine the stream (and its child streams). */
interface StreamKey {
  readonly k0: number;
  readonly k1: number;
}

/**
 * One named stream: xoshiro128** over four 32-bit lanes, seeded from its key with splitmix32.
 * Implements the Random port, so it can be handed to src/ wherever randomness is needed.
 */
export class PrngStream implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Use `Prng.fromSeed(seed).stream(name)`; the constructor trusts its key. */
  constructor(
    private readonly key: StreamKey,
    readonly name: string,
  ) {
    // splitmix32 from k0, four steps (unrolled: no closure per stream, and worlds make several).
    const k0 = key.k0;
    const k1 = key.k1;
    this.a = fmix32(((k0 + 0x9e3779b9) >>> 0) ^ k1);
    this.b = fmix32(((k0 + 2 * 0x9e3779b9) >>> 0) ^ k1);
    this.c = fmix32(((k0 + 3 * 0x9e3779b9) >>> 0) ^ k1);
    this.d = fmix32(((k0 + 4 * 0x9e3779b9) >>> 0) ^ k1);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1; // xoshiro's one forbidden state
  }

  /** A uniformly distributed integer in [0, 2^32) (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c = (this.c ^ this.a) >>> 0;
    this.d = (this.d ^ this.b) >>> 0;
    this.b = (this.b ^ this.c) >>> 0;
    this.a = (this.a ^ this.d) >>> 0;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform integer in [0, n), 1 <= n <= 2^32, without modulo bias (rejection sampling). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new RangeError(`PrngStream.below: n must be an integer in [1, 2^32], got ${n}`);
    }
    if (n === 1) return 0;
    const limit = TWO_32 - (TWO_32 % n);
    // Each draw is accepted with probability > 1/2, so the cap is never reached in practice; it
    // exists because every loop here has a step cap.
    for (let i = 0; i < 64; i++) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
    return this.nextUint32() % n;
  }

  /** Uniform integer in [lo, hi] (inclusive), hi - lo < 2^32. */
  intBetween(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`PrngStream.intBetween: need integers lo <= hi, got ${lo}, ${hi}`);
    }
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability num/den (integers, 0 <= num <= den, den >= 1). */
  chance(num: number, den: number): boolean {
    if (!Number.isInteger(num) || !Number.isInteger(den) || den < 1 || num < 0 || num > den) {
      throw new RangeError(`PrngStream.chance: need integers 0 <= num <= den, den >= 1, got ${num}/${den}`);
    }
    if (num === 0) return false;
    if (num === den) return true;
    return this.below(den) < num;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('PrngStream.pick: empty list');
    return items[this.below(items.length)];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /**
   * A child stream named `name` under this one. Derived from this stream's key, not from its
   * current state: it is the same whether or not this stream has been drawn from.
   */
  stream(name: string): PrngStream {
    return new PrngStream(childKey(this.key, name), `${this.name}/${name}`);
  }
}

function childKey(parent: StreamKey, name: string): StreamKey {
  return { k0: hashName(name, parent.k0), k1: hashName(name, fmix32(parent.k1 ^ 0x27d4eb2f)) };
}

/** The root of a run's randomness: holds the seed and hands out named streams. */
export class Prng {
  private constructor(
    readonly seed: number,
    private readonly key: StreamKey,
  ) {}

  /** `seed`: a non-negative safe integer (the run's seed, printed on failure). */
  static fromSeed(seed: number): Prng {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`Prng.fromSeed: seed must be a non-negative safe integer, got ${seed}`);
    }
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_32) >>> 0;
    return new Prng(seed, { k0: fmix32(lo ^ 0x5bd1e995), k1: fmix32((hi + 0x68e31da4) >>> 0) ^ lo });
  }

  /** The stream `name` of this seed. Same (seed, name), same sequence, whatever else exists. */
  stream(name: string): PrngStream {
    return new PrngStream(childKey(this.key, name), name);
  }
}
