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

/** The byte at `i`, or 0 past the end (the C string's terminating NUL). */
function at(line: Bytes, i: number): number {
  return i < line.length ? line.charCodeAt(i) : 0;
}

/** A byte that ends a run of plain bytes in an unquoted token: a blank, a quote or the NUL. */
function endsPlainRun(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0 || c === 0x22 || c === 0x27;
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

/** The tokens, or null on unbalanced quotes / a closing quote followed by a non-blank. */
export function splitArgs(line: Bytes): Bytes[] | null {
  const n = line.length;
  const tokens: Bytes[] = [];
  let p = 0;
  for (;;) {
    while (p < n && isSpace(at(line, p))) p++;
    if (p >= n) return tokens;
    let inq = false;
    let insq = false;
    let done = false;
    let current = '';
    while (!done) {
      const c = at(line, p);
      if (inq) {
        if (c === 0x5c && at(line, p + 1) === 0x78 && isHexDigit(at(line, p + 2)) && isHexDigit(at(line, p + 3))) {
          current += String.fromCharCode(hexValue(at(line, p + 2)) * 16 + hexValue(at(line, p + 3)));
          p += 3;
        } else if (c === 0x5c && at(line, p + 1) !== 0) {
          p++;
          const e = at(line, p);
          current +=
            e === 0x6e ? '\n' : e === 0x72 ? '\r' : e === 0x74 ? '\t' : e === 0x62 ? '\b' : e === 0x61 ? '\x07' : line[p];
        } else if (c === 0x22) {
          if (at(line, p + 1) !== 0 && !isSpace(at(line, p + 1))) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          current += line[p];
        }
      } else if (insq) {
        if (c === 0x5c && at(line, p + 1) === 0x27) {
          p++;
          current += "'";
        } else if (c === 0x27) {
          if (at(line, p + 1) !== 0 && !isSpace(at(line, p + 1))) return null;
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
        // A run of plain bytes in one piece rather than byte by byte (the common, unquoted case).
        let q = p + 1;
        while (q < n && !endsPlainRun(line.charCodeAt(q))) q++;
        current += line.slice(p, q);
        p = q - 1;
      }
      if (c !== 0) p++;
    }
    tokens.push(current);
  }
}
