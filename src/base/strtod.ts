// C's strtod as glibc reads a number at the start of a string: decimal with optional fraction
// and exponent, hexadecimal ("0x1.8p3"), "inf"/"infinity" and "nan"/"nan(...)" in any case, with a
// sign. The one reader of C doubles: command arguments (string2d), score ranges (zslParseRange),
// RDB text doubles (%lg) and Lua's cjson decoder (fpconv_strtod) all call it.
// Invariant: pure; `end` equals `start` when no number could be read (strtod's endptr == nptr);
// `erange` is set where glibc sets errno to ERANGE and Redis looks at it: a finite text whose value
// overflows to +-inf, or non-zero digits that underflow to 0.

// Sticky patterns read at `start` in place: no copy of the rest of the text per number, and no
// length cap (glibc reads a number of any length).
const DECIMAL = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const HEX = /([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?/y;
const INF = /[+-]?inf(?:inity)?/iy;
const NAN = /[+-]?nan(?:\([0-9A-Za-z_]*\))?/iy;

function readAt(re: RegExp, s: string, start: number): RegExpExecArray | null {
  re.lastIndex = start;
  return re.exec(s);
}

export interface Strtod {
  value: number;
  end: number;
  erange: boolean;
}

/** Overflow to +-inf or total underflow to 0 of a finite numeral (errno ERANGE). */
function rangeError(text: string, value: number, hex: boolean): boolean {
  if (!Number.isFinite(value)) return true;
  if (value !== 0) return false;
  // underflow: the mantissa (before the exponent) holds a non-zero digit
  return hex ? /^[+-]?0[xX][^pP]*[1-9a-fA-F]/.test(text) : /^[^eE]*[1-9]/.test(text);
}

/** strtod(s + start, &end): the value read, where reading stopped, and ERANGE. */
export function strtod(s: string, start: number): Strtod {
  const hex = readAt(HEX, s, start);
  if (hex !== null && (hex[2] !== '' || (hex[3] ?? '') !== '')) {
    const digits = hex[2] + (hex[3] ?? '');
    let mant = 0;
    for (const d of digits) mant = mant * 16 + parseInt(d, 16);
    const exp = Number(hex[4] ?? '0') - 4 * (hex[3] ?? '').length;
    const v = mant * 2 ** exp;
    // the exponent is consumed only when it has digits (the regex requires them)
    return { value: hex[1] === '-' ? -v : v, end: start + hex[0].length, erange: rangeError(hex[0], v, true) };
  }
  const inf = readAt(INF, s, start);
  if (inf !== null) return { value: inf[0].startsWith('-') ? -Infinity : Infinity, end: start + inf[0].length, erange: false };
  const nan = readAt(NAN, s, start);
  if (nan !== null) return { value: NaN, end: start + nan[0].length, erange: false };
  const dec = readAt(DECIMAL, s, start);
  if (dec !== null) {
    const value = Number(dec[0]);
    return { value, end: start + dec[0].length, erange: rangeError(dec[0], value, false) };
  }
  return { value: 0, end: start, erange: false };
}
