// x87 80-bit `long double` arithmetic as INCRBYFLOAT and HINCRBYFLOAT use it on x86-64 Linux
// (redis: util.c string2ld = strtold, ld2string(LD_STR_HUMAN) = "%.17Lf" with trailing zeros
// removed and "-0" printed as "0"). JS numbers are doubles, so the 64-bit-mantissa arithmetic is
// emulated exactly with bigints: a value is sign * m * 2^e with m < 2^64, rounded half-to-even,
// as strtold and the x87 adder round. This reproduces replies such as `301.60000000000000001`
// (1.6 + 300 in long double, observed in the redis 7.0.15 fixture).
//
// DIVERGENCE(redis): subnormal long doubles (below 2^-16382) are flushed to zero and rejected as an
// underflow; Redis would accept them. No realistic counter reaches that range.

import type { Bytes } from '../keyspace/types.ts';

/** A finite long double: (-1)^neg * m * 2^e, m normalised to < 2^64 (m = 0 for zero). */
export interface LongDouble {
  neg: boolean;
  m: bigint;
  e: number;
}

const MANT_BITS = 64;
const MAX_EXP = 16384; // values >= 2^16384 overflow
const MIN_EXP = -16382; // smallest normal exponent (of the leading bit)

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Rounds the exact value (-1)^neg * x * 2^e to 64 significant bits; null on overflow/underflow. */
function round(neg: boolean, x: bigint, e: number): LongDouble | null {
  if (x === 0n) return { neg, m: 0n, e: 0 };
  const len = bitLength(x);
  if (len > MANT_BITS) {
    const shift = len - MANT_BITS;
    let q = x >> BigInt(shift);
    const rem = x - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    x = q;
    e += shift;
    if (bitLength(x) > MANT_BITS) {
      x >>= 1n;
      e += 1;
    }
  }
  const top = e + bitLength(x) - 1;
  if (top >= MAX_EXP) return null;
  if (top < MIN_EXP) return null;
  return { neg, m: x, e };
}

const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;

export type ParsedLongDouble = LongDouble | 'inf' | '-inf';

/**
 * redis: string2ld (strtold + Redis's checks): no leading space, the whole string consumed, no NaN,
 * overflow and underflow to zero rejected. Returns null when Redis says "not a valid float".
 * Hexadecimal forms ("0x10", "0x1.8p3") are exact, as strtold reads them.
 */
export function parseLongDouble(s: Bytes): ParsedLongDouble | null {
  if (s.length === 0 || s.length >= 5 * 1024) return null;
  if (INFINITY.test(s)) return s.charCodeAt(0) === 45 ? '-inf' : 'inf';
  const h = HEX.exec(s);
  if (h) {
    const frac = h[3] ?? '';
    if (h[2].length === 0 && frac.length === 0) return null;
    const p = h[4] === undefined ? 0 : Number(h[4]);
    if (Math.abs(p) > 100_000) return null;
    return round(h[1] === '-', BigInt('0x' + (h[2] + frac || '0')), p - 4 * frac.length);
  }
  const m = DECIMAL.exec(s);
  if (!m) return null;
  const intDigits = m[2];
  const fracDigits = m[3] ?? '';
  if (intDigits.length === 0 && fracDigits.length === 0) return null;
  const neg = m[1] === '-';
  let digits = (intDigits + fracDigits).replace(/^0+/, '');
  if (digits.length === 0) return { neg, m: 0n, e: 0 };
  let exp10 = (m[4] === undefined ? 0 : Number(m[4])) - fracDigits.length;
  if (!Number.isFinite(exp10) || Math.abs(exp10) > 100_000) {
    return exp10 > 0 ? null : null; // beyond any long double: overflow or total underflow
  }
  // Trailing zeros move into the exponent (keeps the bigints small).
  let tz = 0;
  while (tz < digits.length - 1 && digits.charCodeAt(digits.length - 1 - tz) === 48) tz++;
  if (tz > 0) {
    digits = digits.slice(0, digits.length - tz);
    exp10 += tz;
  }
  const d = BigInt(digits);
  if (exp10 >= 0) return round(neg, d * 10n ** BigInt(exp10), 0);
  const den = 10n ** BigInt(-exp10);
  // Scale so the quotient has at least MANT_BITS + 2 bits; the remainder is the sticky bit.
  const k = Math.max(0, MANT_BITS + 2 + bitLength(den) - bitLength(d));
  const num = d << BigInt(k);
  let q = num / den;
  const r = num - q * den;
  // Fold the sticky remainder into one extra low bit so round() sees "above half" correctly.
  q = (q << 1n) | (r === 0n ? 0n : 1n);
  return round(neg, q, -k - 1);
}

/** a + b rounded to long double; null when the sum overflows (redis: "would produce ... Infinity"). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.m === 0n) return b.m === 0n ? { neg: a.neg && b.neg, m: 0n, e: 0 } : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const sa = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const sb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const s = sa + sb;
  if (s === 0n) return { neg: false, m: 0n, e: 0 };
  return round(s < 0n, s < 0n ? -s : s, e);
}

/** a * b rounded to long double (x87 extended precision); null when the product overflows. */
export function mulLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  return round(a.neg !== b.neg, a.m * b.m, a.e + b.e);
}

/** ceill(v) as an exact integer (redis: timeout.c uses `(long long) ceill(ftval * 1000.0)`). */
export function ceilLongDouble(v: LongDouble): bigint {
  if (v.m === 0n) return 0n;
  if (v.e >= 0) return (v.neg ? -1n : 1n) * (v.m << BigInt(v.e));
  const sh = BigInt(-v.e);
  const whole = v.m >> sh;
  const fractional = whole << sh !== v.m;
  return v.neg ? -whole : fractional ? whole + 1n : whole;
}

/** printf("%.17Lf") of the exact value (round half to even), then Redis's LD_STR_HUMAN trimming. */
export function formatLongDoubleHuman(v: LongDouble): Bytes {
  const SCALE = 10n ** 17n;
  let q: bigint;
  if (v.e >= 0) {
    q = (v.m << BigInt(v.e)) * SCALE;
  } else {
    const sh = BigInt(-v.e);
    const num = v.m * SCALE;
    q = num >> sh;
    const rem = num - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const intPart = (q / SCALE).toString();
  let frac = (q % SCALE).toString().padStart(17, '0');
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  let out = frac.length > 0 ? intPart + '.' + frac : intPart;
  if (v.neg) out = '-' + out;
  return out === '-0' ? '0' : out;
}

/**
 * current + increment as INCRBYFLOAT computes it. Returns the new text, 'nan-or-inf' when the
 * result is not finite, or 'not-float' when either operand does not parse.
 */
export function incrByFloatText(current: Bytes, increment: Bytes): Bytes | { error: 'not-float' | 'nan-or-inf' } {
  const a = parseLongDouble(current);
  const b = parseLongDouble(increment);
  if (a === null || b === null) return { error: 'not-float' };
  if (typeof a === 'string' || typeof b === 'string') return { error: 'nan-or-inf' };
  const s = addLongDouble(a, b);
  if (s === null) return { error: 'nan-or-inf' };
  return formatLongDoubleHuman(s);
}
