// Redis's own PRNG for scripts: rand48 with its fixed constants. Redis 4.0 reseeds it with 0 before
// every script; 7.0 never does (only math.randomseed), so its sequence runs on from the process's
// start, where rand.c's static state is X2:X1:X0 = 0x1234:0xABCD:0x330E (the first math.random() of
// a fresh redis-server 7.0.15 is 0.39646477363839).
// redis: rand.c redisSrand48 / redisLrand48 (4.0 and 7.0), and eval.c redis_math_random (the
// Lua 5.1 math.random body over redisLrand48). Invariant: no state outside the instance.

const A = 0x5deece66dn;
const C = 0xbn;
const MASK = (1n << 48n) - 1n;
/** redis: REDIS_LRAND48_MAX (INT32_MAX). */
const LRAND48_MAX = 0x7fffffff;

export class Rand48 {
  /** redis: rand.c's initial x[] (X0, X1, X2), before any redisSrand48. */
  private x = 0x1234abcd330en;

  /** redis: redisSrand48. */
  seed(s: number): void {
    this.x = ((BigInt(s >>> 0) << 16n) | 0x330en) & MASK;
  }

  /** redis: redisLrand48: the top 31 bits of the next state. */
  next(): number {
    this.x = (A * this.x + C) & MASK;
    return Number(this.x >> 17n);
  }

  /**
   * redis: redis_math_random: no argument -> [0,1); (m) -> [1,m]; (m,n) -> [m,n]. Returns an error
   * text for Lua to raise instead of a number when the interval is empty.
   */
  random(args: readonly number[]): number | string {
    const r = (this.next() % LRAND48_MAX) / LRAND48_MAX;
    if (args.length === 0) return r;
    if (args.length === 1) {
      const u = args[0];
      if (!(1 <= u)) return "bad argument #1 to 'random' (interval is empty)";
      return Math.floor(r * u) + 1;
    }
    if (args.length === 2) {
      const [l, u] = args;
      if (!(l <= u)) return "bad argument #2 to 'random' (interval is empty)";
      return Math.floor(r * (u - l + 1)) + l;
    }
    return 'wrong number of arguments';
  }
}
