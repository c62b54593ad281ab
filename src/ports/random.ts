// The randomness port: where Redis calls random() (SPOP, SRANDMEMBER, RANDOMKEY, HRANDFIELD, ...).
// In the simulator a seeded stream; in the node adapter a seeded or crypto-seeded generator.

export interface Random {
  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number;
}

/** Uniform integer in [0, n) without modulo bias (n <= 2^32). */
export function randomBelow(r: Random, n: number): number {
  if (n <= 0) throw new RangeError(`randomBelow: n must be positive, got ${n}`);
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (let i = 0; i < 64; i++) {
    const x = r.nextUint32();
    if (x < limit) return x % n;
  }
  return r.nextUint32() % n;
}

/** A small seeded generator (xorshift128+ style, 32-bit lanes) usable anywhere a Random is needed. */
export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    // splitmix32 to spread the seed over the state.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }
  /** xoshiro128** */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    return result;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
