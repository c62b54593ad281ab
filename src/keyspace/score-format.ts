// Text of a sorted-set score in a rewritten AOF (redis: rio.c rioWriteBulkDouble). Lives with the
// keyspace because the command layer (replies), the rewrite and the RDB writer (4.0 ziplist scores)
// all print scores this way.
//
// Redis 4.0 through 7.0 print the score with snprintf("%.17g"): 17 significant digits, trailing
// zeros dropped, exponent form when the decimal exponent is < -4 or >= 17, and "inf"/"-inf"
// (observed in the 7.0.15 fixture preamble-no/3-after-bgrewriteaof: `ZADD fz -inf c
// 0.10000000000000001 b 1.5 a 3.0000000000000004 d`). Later versions (7.2+, fpconv_dtoa) print the
// shortest text that round-trips. Both parse back to the same double with strtod, so rewrite
// equivalence holds either way; only the bytes differ.
//
// Invariant: formatScore*(x) parsed as a double gives back x exactly (NaN never reaches a zset).

export type ScoreFormat = 'g17' | 'shortest';

/** snprintf("%.17g", x) as glibc prints it. */
export function formatScoreG17(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  // toExponential(16) rounds the exact binary value to 17 significant digits, as printf does.
  const e = Math.abs(x).toExponential(16);
  const ePos = e.indexOf('e');
  const digits = e[0] + e.slice(2, ePos);
  const exp = Number(e.slice(ePos + 1));
  let out: string;
  if (exp < -4 || exp >= 17) {
    let mant = digits[0];
    const frac = stripZeros(digits.slice(1));
    if (frac.length > 0) mant += '.' + frac;
    const absExp = Math.abs(exp);
    out = mant + 'e' + (exp < 0 ? '-' : '+') + (absExp < 10 ? '0' + absExp : String(absExp));
  } else if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1);
    const frac = stripZeros(digits.slice(exp + 1));
    out = frac.length > 0 ? intPart + '.' + frac : intPart;
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + stripZeros(digits);
  }
  return neg ? '-' + out : out;
}

/** Shortest round-trip text (7.2+ fpconv_dtoa style; JS Number#toString agrees on the digits). */
export function formatScoreShortest(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

export function formatScore(x: number, format: ScoreFormat): string {
  return format === 'g17' ? formatScoreG17(x) : formatScoreShortest(x);
}

function stripZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end);
}
