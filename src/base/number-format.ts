// C's printf "%.<P>g" for doubles, as glibc prints them: the number formats Redis's Lua uses, and
// the "%.17g" of sorted-set scores (keyspace/score-format.ts).
// Lua 5.1 (Redis's VM) formats numbers with LUA_NUMBER_FMT "%.14g" (tostring, `..`), cjson with
// fpconv_g_fmt "%.14g"; Redis converts a number argument of redis.call with "%.17g" (4.0.14 and
// 7.0.15: redis.call('set','f',1/3) stores 0.33333333333333331).
// glibc rounds the exact binary value of the double, and an exact tie to even (123456789012345
// prints as 1.2345678901234e+14); JS's toExponential rounds ties up, so ties are found and
// corrected here.
// Invariant: pure; NaN prints as "-nan" (0/0 on x86-64 yields the negative default NaN, which glibc
// prints with its sign; observed: EVAL "return tostring(0/0)" 0 -> -nan on 7.0.15).

/** printf("%.<precision>g", x). */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return '-nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const { digits, exp } = roundedDigits(Math.abs(x), p);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= p) {
    const frac = digits.slice(1).replace(/0+$/, '');
    const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${frac === '' ? '' : '.' + frac}e${e}`;
  }
  // fixed notation with p significant digits: exp + 1 integer digits (or "0." and zeros)
  let s: string;
  if (exp >= 0) {
    const int = digits.slice(0, exp + 1);
    const frac = digits.slice(exp + 1).replace(/0+$/, '');
    s = frac === '' ? int : `${int}.${frac}`;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`.replace(/0+$/, '');
  }
  return sign + s;
}

/** The p significant digits of a > 0 rounded as glibc does, and the decimal exponent of the first. */
function roundedDigits(a: number, p: number): { digits: string; exp: number } {
  const split = (s: string): { digits: string; exp: number } => {
    const [m, e] = s.split('e');
    return { digits: m.replace('.', ''), exp: Number(e) };
  };
  const longer = split(a.toExponential(Math.min(p, 100)));
  if (p <= 100 && longer.digits.endsWith('5') && exactly(a, BigInt(longer.digits), longer.exp - p)) {
    const kept = longer.digits.slice(0, p);
    if (Number(kept[kept.length - 1]) % 2 === 0) return { digits: kept, exp: longer.exp };
  }
  return split(a.toExponential(p - 1));
}

/** Whether a == n * 10^k exactly (a finite positive double). */
function exactly(a: number, n: bigint, k: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  // m * 2^e == n * 10^k, both sides scaled to integers
  const lhs = m * (e > 0 ? 1n << BigInt(e) : 1n) * (k < 0 ? 10n ** BigInt(-k) : 1n);
  const rhs = n * (k > 0 ? 10n ** BigInt(k) : 1n) * (e < 0 ? 1n << BigInt(-e) : 1n);
  return lhs === rhs;
}
