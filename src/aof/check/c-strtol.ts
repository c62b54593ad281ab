// strtol(3) on a C string, base 10, 64-bit long, as glibc does it: leading isspace, optional sign,
// digits; no digits -> value 0 and end = start; overflow saturates at LONG_MIN/LONG_MAX with
// `overflow` set (errno = ERANGE). The C string ends at the first NUL or at `limit`.
// Used by the checker, which must reproduce redis-check-aof's parsing exactly.

export const LONG_MAX = 9223372036854775807n;
export const LONG_MIN = -9223372036854775808n;

export interface StrtolResult {
  /** Exact only while |value| < 2^53; see `big`. */
  value: number;
  /** The exact value when more than 15 digits were read, else null. */
  big: bigint | null;
  /** Index just after the last digit, or `start` when there were no digits. */
  end: number;
  overflow: boolean;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

export function cStrtol(data: Uint8Array, start: number, limit: number): StrtolResult {
  let i = start;
  while (i < limit && isSpace(data[i]!)) i++;
  let neg = false;
  if (i < limit && (data[i] === 0x2b || data[i] === 0x2d)) {
    neg = data[i] === 0x2d;
    i++;
  }
  const digitsStart = i;
  let v = 0;
  while (i < limit) {
    const c = data[i]!;
    if (c < 0x30 || c > 0x39) break;
    if (i - digitsStart < 15) v = v * 10 + (c - 0x30);
    i++;
  }
  const nDigits = i - digitsStart;
  if (nDigits === 0) return { value: 0, big: null, end: start, overflow: false };
  if (nDigits <= 15) return { value: neg ? -v : v, big: null, end: i, overflow: false };
  let big = 0n;
  for (let k = digitsStart; k < i; k++) big = big * 10n + BigInt(data[k]! - 0x30);
  if (neg) big = -big;
  let overflow = false;
  if (big > LONG_MAX) {
    big = LONG_MAX;
    overflow = true;
  } else if (big < LONG_MIN) {
    big = LONG_MIN;
    overflow = true;
  }
  return { value: Number(big), big, end: i, overflow };
}

/** strtol over a JS string (e.g. a command-line argument); `end` is an index into `s`. */
export function cStrtolString(s: string): StrtolResult {
  const bytes = Buffer.from(s, 'latin1');
  const nul = bytes.indexOf(0);
  return cStrtol(bytes, 0, nul < 0 ? bytes.length : nul);
}

/** The exact decimal text of a strtol result. */
export function strtolText(r: StrtolResult): string {
  return r.big !== null ? r.big.toString() : String(r.value);
}
