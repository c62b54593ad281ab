// Bit-level access to string values (redis 7.0.15 bitops.c): bit numbering (bit 0 = the most
// significant bit of byte 0), getUnsignedBitfield / getSignedBitfield / setUnsignedBitfield, the
// overflow checks of BITFIELD (checkUnsignedBitfieldOverflow / checkSignedBitfieldOverflow, WRAP /
// SAT / FAIL), popcount and bit search.
//
// Invariants: values are exact bigints (no 2^53 rounding); a field never reaches beyond the buffer
// it is given (callers grow the string first, as lookupStringForBitCommand does).

export type Overflow = 'wrap' | 'sat' | 'fail';

/** The unsigned value of `bits` bits starting at bit `offset` (bytes beyond `b` read as 0). */
export function getBits(b: Uint8Array, offset: number, bits: number): bigint {
  let v = 0n;
  for (let j = 0; j < bits; j++) {
    const pos = offset + j;
    const byte = pos >>> 3;
    const bit = byte < b.length ? (b[byte] >> (7 - (pos & 7))) & 1 : 0;
    v = (v << 1n) | BigInt(bit);
  }
  return v;
}

/** Writes the low `bits` bits of v at bit `offset` (b must be long enough). */
export function setBits(b: Uint8Array, offset: number, bits: number, v: bigint): void {
  for (let j = bits - 1; j >= 0; j--) {
    const pos = offset + j;
    const byte = pos >>> 3;
    const mask = 1 << (7 - (pos & 7));
    if (v & 1n) b[byte] |= mask;
    else b[byte] &= ~mask;
    v >>= 1n;
  }
}

export function getField(b: Uint8Array, offset: number, bits: number, signed: boolean): bigint {
  const u = getBits(b, offset, bits);
  return signed ? BigInt.asIntN(bits, u) : u;
}

/**
 * redis: check{Signed,Unsigned}BitfieldOverflow for value + incr. Returns the value to store and
 * whether it overflowed (for FAIL the caller stores nothing).
 */
export function addWithOverflow(value: bigint, incr: bigint, bits: number, signed: boolean, ow: Overflow): { value: bigint; overflow: boolean } {
  const sum = value + incr;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -max - 1n : 0n;
  if (sum >= min && sum <= max) return { value: sum, overflow: false };
  if (ow === 'sat') return { value: sum > max ? max : min, overflow: true };
  return { value: signed ? BigInt.asIntN(bits, sum) : BigInt.asUintN(bits, sum), overflow: true };
}

const POP = new Uint8Array(256);
for (let i = 0; i < 256; i++) POP[i] = (i & 1) + POP[i >> 1];

/** Number of set bits in b[start..end] (inclusive byte range). */
export function popcount(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i <= end; i++) n += POP[b[i]];
  return n;
}

