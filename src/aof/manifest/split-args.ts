// Shell-like tokenising of one manifest line. redis: sds.c sdssplitargs (7.0).
// Rules: blanks (isspace) separate tokens; "double quotes" understand \xHH, \n \r \t \b \a and
// \<any>; 'single quotes' understand only \'; a closing quote must be followed by a blank or the end;
// unbalanced quotes fail. Quotes may start inside a token (ab"cd" is abcd). An unquoted token ends
// at ' ', \n, \r, \t or the end (not at \v or \f, as in Redis).
// The input is a C string: the caller cuts it at the first NUL.

import type { Bytes } from '../../keyspace/types.ts';

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

/** The tokens, or null on unbalanced quotes / a closing quote followed by a non-blank. */
export function splitArgs(line: Bytes): Bytes[] | null {
  const n = line.length;
  const at = (i: number): number => (i < n ? line.charCodeAt(i) : 0);
  const tokens: Bytes[] = [];
  let p = 0;
  for (;;) {
    while (p < n && isSpace(at(p))) p++;
    if (p >= n) return tokens;
    let inq = false;
    let insq = false;
    let done = false;
    let current = '';
    while (!done) {
      const c = at(p);
      if (inq) {
        if (c === 0x5c && at(p + 1) === 0x78 && isHexDigit(at(p + 2)) && isHexDigit(at(p + 3))) {
          current += String.fromCharCode(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === 0x5c && at(p + 1) !== 0) {
          p++;
          const e = at(p);
          current +=
            e === 0x6e ? '\n' : e === 0x72 ? '\r' : e === 0x74 ? '\t' : e === 0x62 ? '\b' : e === 0x61 ? '\x07' : line[p];
        } else if (c === 0x22) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          current += line[p];
        }
      } else if (insq) {
        if (c === 0x5c && at(p + 1) === 0x27) {
          p++;
          current += "'";
        } else if (c === 0x27) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          current += line[p];
        }
      } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0) {
        done = true;
      } else if (c === 0x22) {
        inq = true;
      } else if (c === 0x27) {
        insq = true;
      } else {
        current += line[p];
      }
      if (c !== 0) p++;
    }
    tokens.push(current);
  }
}
