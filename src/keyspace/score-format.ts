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

import { formatG } from '../base/number-format.ts';

export type ScoreFormat = 'g17' | 'shortest';

/** snprintf("%.17g", x) as glibc prints it (exact ties round to even: 1234567890123456.25 -> ...56.2). */
export function formatScoreG17(x: number): string {
  return formatG(x, 17);
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
