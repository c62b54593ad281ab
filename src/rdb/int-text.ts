// Integer and double text rules Redis uses when it decides how to store a string
// (redis: util.c string2ll / ll2string, object.c tryObjectEncoding, rdbTryIntegerEncoding) and when
// it parses a text score (rdbLoadDoubleValue's %lg, zzlStrtod).
//
// Invariant: canonicalInt(s) !== null exactly when s is the decimal form Redis would print for a
// signed 64-bit integer (no '+', no leading zeros, no "-0"), so re-printing it gives s back.

import { strtod } from '../base/strtod.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isCanonicalIntShape(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1; // "0" only; "-0" and "01" are not canonical
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The int64 value of s when s is a canonical int64 decimal, else null. */
export function canonicalInt(s: string): bigint | null {
  if (!isCanonicalIntShape(s)) return null;
  if (s.length < 16) return BigInt(Number(s));
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

/** Like canonicalInt but as a number when |v| fits 32 bits signed, else null (rdbTryIntegerEncoding). */
export function canonicalInt32(s: string): number | null {
  if (s.length > 11 || !isCanonicalIntShape(s)) return null;
  const v = Number(s);
  return v >= -2147483648 && v <= 2147483647 ? v : null;
}

/**
 * sscanf("%lg") as rdbLoadDoubleValue and zzlStrtod read a text double: leading space skipped, a
 * strtod prefix read, the rest ignored. NaN when no number could be read (and for "nan" itself).
 */
export function parseDoubleText(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  const r = strtod(s, i);
  return r.end === i ? NaN : r.value;
}

/**
 * redis: t_zset.c zzlStrtod, how a sorted set's packed encoding (ziplist, listpack) reads a score
 * stored as text: the first 127 bytes, strtod with no check of where it stopped, so a text with no
 * number is 0 and "12abc" is 12. NaN only for a NaN text ("nan", "-nan(...)").
 */
export function zzlStrtod(s: string): number {
  const t = s.length > 127 ? s.slice(0, 127) : s;
  let i = 0;
  while (i < t.length && (t.charCodeAt(i) === 32 || (t.charCodeAt(i) >= 9 && t.charCodeAt(i) <= 13))) i++;
  const r = strtod(t, i);
  return r.end === i ? 0 : r.value;
}
