// Lua 5.1's string escapes on a 5.3 lexer: in a quoted string 5.1 knows \a \b \f \n \r \t \v \\
// \" \' \<newline> and \ddd, and reads any other escaped character as the character itself
// ("x\u00e9" is "xu00e9", "\q" is "q"); 5.3 gives \x, \z and \u{...} a meaning and rejects the rest.
// redis: deps/lua/src/llex.c read_string (Lua 5.1). fengari's lexer cannot be patched from
// outside, so the source is rewritten before it is compiled: inside short strings only, the
// backslash of an escape 5.1 does not know is dropped. Comments and long brackets are skipped.
// Invariant: only backslashes are removed, never a line break, so line numbers stay the same.

const KNOWN = new Set(['a', 'b', 'f', 'n', 'r', 't', 'v', '\\', '"', "'", '\n', '\r']);

/** The source with 5.3-only or unknown escapes in quoted strings made literal, as 5.1 reads them. */
export function lua51Escapes(src: string): string {
  if (!src.includes('\\')) return src;
  let out = '';
  let i = 0;
  const longBracket = (at: number): number => {
    // "[" "="* "[" -> the level, or -1
    let j = at + 1;
    while (src[j] === '=') j++;
    return src[j] === '[' ? j - at - 1 : -1;
  };
  const skipLong = (at: number, level: number): number => {
    const close = ']' + '='.repeat(level) + ']';
    const end = src.indexOf(close, at + level + 2);
    return end < 0 ? src.length : end + close.length;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '-' && src[i + 1] === '-') {
      const level = src[i + 2] === '[' ? longBracket(i + 2) : -1;
      const end = level >= 0 ? skipLong(i + 2, level) : (src.indexOf('\n', i) + 1 || src.length);
      out += src.slice(i, end);
      i = end;
    } else if (c === '[' && longBracket(i) >= 0) {
      const end = skipLong(i, longBracket(i));
      out += src.slice(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      out += c;
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\' && i + 1 < src.length) {
          const e = src[i + 1];
          out += KNOWN.has(e) || (e >= '0' && e <= '9') ? '\\' + e : e;
          i += 2;
        } else {
          out += src[i++];
        }
      }
      if (i < src.length && src[i] === c) out += src[i++];
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
