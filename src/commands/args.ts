// Argument parsing exactly as Redis validates it (redis: util.c string2ll, string2l, string2d;
// object.c getLongLongFromObject, getDoubleFromObject) and the shared error texts.
//
// Invariants: integer parsers accept only canonical decimal text of a signed 64-bit value (no '+',
// no spaces, no leading zeros, "-0" rejected as Redis's string2ll rejects it); the double parser
// follows strtod as Redis wraps it (no leading space, nothing after the number, no NaN, overflow and
// total underflow rejected, "inf"/"infinity" and hex floats accepted).

import type { Bytes } from '../keyspace/types.ts';
import { formatScoreG17 } from '../keyspace/score-format.ts';
import { strtod } from '../base/strtod.ts';

export const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_INDEX = 'ERR index out of range';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_DB_RANGE = 'ERR DB index is out of range';
export const ERR_NOT_POSITIVE = 'ERR value is out of range, must be positive';

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

const CANONICAL_INT = /^-?[1-9][0-9]*$/;

/** redis: string2ll. The value as a bigint, or null when s is not a canonical int64. */
export function parseInt64(s: Bytes): bigint | null {
  if (s.length === 0 || s.length > 20) return null;
  if (s === '0') return 0n;
  if (!CANONICAL_INT.test(s)) return null;
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) return null;
  return v;
}

/**
 * redis: string2ll for counts and indexes, as a JS number (values beyond 2^53 lose precision, which
 * no count or index of an in-memory keyspace can reach). null when not a canonical int64.
 */
export function parseInteger(s: Bytes): number | null {
  if (s.length > 0 && s.length <= 15) {
    if (s === '0') return 0;
    if (!CANONICAL_INT.test(s)) return null;
    return Number(s);
  }
  const v = parseInt64(s);
  return v === null ? null : Number(v);
}

/** redis: string2d / getDoubleFromObject (strtod). null when not a valid float. */
export function parseDouble(s: Bytes): number | null {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  if (c === 32 || (c >= 9 && c <= 13)) return null; // isspace(buf[0])
  const r = strtod(s, 0);
  if (r.end !== s.length || r.erange || Number.isNaN(r.value)) return null;
  return r.value;
}

/** A double as Redis 7.0 replies it (RESP2 addReplyDouble: "%.17g", "inf", "-inf"). */
export function formatDouble(x: number): Bytes {
  return formatScoreG17(x);
}

/** ASCII case-insensitive option match. */
export function isOpt(arg: Bytes, upper: string): boolean {
  return arg.length === upper.length && arg.toUpperCase() === upper;
}
