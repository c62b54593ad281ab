// Glob-style pattern matching as KEYS, SCAN MATCH and friends use it (redis: util.c
// stringmatchlen): `*` any run, `?` one byte, `[abc]`, `[^a-z]` classes (ranges in either order),
// `\x` escapes x. Works on byte strings. Invariant: no recursion depth beyond the number of `*`
// in the pattern; pathological patterns are bounded by a step cap, as Redis 7.0 bounds them
// (stringmatchlen_impl's skipLongerMatches).

import type { Bytes } from '../keyspace/types.ts';

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** True when `str` matches the glob `pattern` (redis: stringmatchlen). */
export function stringMatch(pattern: Bytes, str: Bytes, nocase: boolean): boolean {
  return matchAt(pattern, 0, str, 0, nocase, { skipLonger: false });
}

function matchAt(p: Bytes, pi: number, s: Bytes, si: number, nocase: boolean, st: { skipLonger: boolean }): boolean {
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const c = p.charCodeAt(pi);
    if (c === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (let k = si; k < slen; k++) {
        if (matchAt(p, pi + 1, s, k, nocase, st)) return true;
        if (st.skipLonger) return false;
      }
      st.skipLonger = true;
      return false;
    }
    if (c === 63 /* ? */) {
      si++;
      pi++;
      continue;
    }
    if (c === 91 /* [ */) {
      pi++;
      const not = pi < plen && p.charCodeAt(pi) === 94;
      if (not) pi++;
      let match = false;
      const sc = nocase ? lower(s.charCodeAt(si)) : s.charCodeAt(si);
      for (;;) {
        if (pi >= plen) {
          pi--;
          break;
        }
        const pc = p.charCodeAt(pi);
        if (pc === 92 /* \ */ && pi + 2 < plen) {
          pi++;
          if (p.charCodeAt(pi) === s.charCodeAt(si)) match = true;
        } else if (pc === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = p.charCodeAt(pi);
          let end = p.charCodeAt(pi + 2);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
          }
          pi += 2;
          if (sc >= start && sc <= end) match = true;
        } else {
          const x = nocase ? lower(pc) : pc;
          if (x === sc) match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
      pi++;
      continue;
    }
    let pc = c;
    if (c === 92 /* \ */ && pi + 1 < plen) {
      pi++;
      pc = p.charCodeAt(pi);
    }
    const sc = s.charCodeAt(si);
    if (nocase ? lower(pc) !== lower(sc) : pc !== sc) return false;
    si++;
    pi++;
  }
  if (si === slen) {
    while (pi < plen && p.charCodeAt(pi) === 42) pi++;
  }
  return pi === plen && si === slen;
}
