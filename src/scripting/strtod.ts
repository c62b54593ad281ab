// C's strtod as glibc reads a number at the start of a string: decimal with optional fraction
// and exponent, hexadecimal ("0x1.8p3"), "inf"/"infinity" and "nan"/"nan(...)" in any case, with a
// sign. Used where Redis's Lua libraries call strtod (cjson's decoder through fpconv_strtod).
// Invariant: pure; `end` equals `start` when no number could be read (strtod's endptr == nptr).

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?/;
const INF = /^[+-]?inf(?:inity)?/i;
const NAN = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?/i;

/** strtod(s + start, &end): the value read and where reading stopped. */
export function strtod(s: string, start: number): { value: number; end: number } {
  const rest = s.slice(start, start + 400);
  const hex = HEX.exec(rest);
  if (hex !== null && (hex[2] !== '' || (hex[3] ?? '') !== '')) {
    const digits = hex[2] + (hex[3] ?? '');
    let mant = 0;
    for (const d of digits) mant = mant * 16 + parseInt(d, 16);
    const exp = Number(hex[4] ?? '0') - 4 * (hex[3] ?? '').length;
    const v = mant * 2 ** exp;
    // the exponent is consumed only when it has digits (the regex requires them)
    return { value: hex[1] === '-' ? -v : v, end: start + hex[0].length };
  }
  const inf = INF.exec(rest);
  if (inf !== null) return { value: inf[0].startsWith('-') ? -Infinity : Infinity, end: start + inf[0].length };
  const nan = NAN.exec(rest);
  if (nan !== null) return { value: NaN, end: start + nan[0].length };
  const dec = DECIMAL.exec(rest);
  if (dec !== null) return { value: Number(dec[0]), end: start + dec[0].length };
  return { value: 0, end: start };
}
