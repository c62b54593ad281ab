// Quoting of manifest file names, as the manifest writer does it.
// redis: sds.c sdsneedsrepr, sdscatrepr (7.0), C locale (isprint = 0x20..0x7e, isspace = \t\n\v\f\r and ' ').
// Invariant: splitArgs(catRepr(s)) yields [s] for every s without NUL (sdssplitargs is the inverse).
// DIVERGENCE(redis): needsRepr is also true for a single quote. Redis writes such a name raw, and
// then its own sdssplitargs reads the quote as the start of a quoted token and rejects the manifest
// ("Invalid AOF manifest file format"); quoting it keeps the manifest readable by Redis and by us.

import type { Bytes } from '../../keyspace/types.ts';

/** True when `s` must be written quoted (redis: sdsneedsrepr). */
export function needsRepr(s: Bytes): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Covers '\\', '"', "'" and every non-printable or space byte.
    if (c === 0x5c || c === 0x22 || c === 0x27 || c <= 0x20 || c >= 0x7f) return true;
  }
  return false;
}

/** `s` as a double-quoted C-escaped string (redis: sdscatrepr). */
export function catRepr(s: Bytes): Bytes {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}
