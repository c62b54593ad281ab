// CRC-64/Jones as Redis computes it for RDB trailers and DUMP payloads (redis: crc64.c, crc64(0, p, n)).
// Parameters: polynomial 0xad93d23594c935a9, reflected input and output, init 0, no final xor
// (check value for "123456789" is 0xe9c6d914c4b8d9ca). The table is the reflected form, split into
// two 32-bit halves so the inner loop stays in small-integer arithmetic (no BigInt per byte).
//
// Invariants: pure; crc64(b, crc64(a)) === crc64(a ++ b) (incremental use).

export interface Crc64Table {
  lo: Uint32Array;
  hi: Uint32Array;
}

function buildTable(): Crc64Table {
  // Reflected polynomial: bit-reverse of 0xad93d23594c935a9.
  const polyLo = 0xac4bc9b5;
  const polyHi = 0x95ac9329;
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let l = i;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        l = (l ^ polyLo) >>> 0;
        h = (h ^ polyHi) >>> 0;
      }
    }
    lo[i] = l;
    hi[i] = h;
  }
  return { lo, hi };
}

/** The table is immutable after construction, so sharing it is not mutable module state. */
const TABLE: Readonly<Crc64Table> = buildTable();

/** CRC-64/Jones of data[start, end), continuing from `crc` (default 0). */
export function crc64(data: Uint8Array, crc: bigint = 0n, start = 0, end = data.length): bigint {
  const tlo = TABLE.lo;
  const thi = TABLE.hi;
  let l = Number(crc & 0xffffffffn) >>> 0;
  let h = Number((crc >> 32n) & 0xffffffffn) >>> 0;
  for (let i = start; i < end; i++) {
    const idx = (l ^ data[i]) & 0xff;
    l = (((l >>> 8) | (h << 24)) ^ tlo[idx]) >>> 0;
    h = ((h >>> 8) ^ thi[idx]) >>> 0;
  }
  return (BigInt(h) << 32n) | BigInt(l);
}
