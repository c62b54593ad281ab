// Intset, the encoding of small all-integer sets (redis: intset.c; RDB type SET_INTSET).
// Layout: u32 LE encoding (2, 4 or 8 bytes per element), u32 LE length, sorted LE signed integers.
//
// Invariants: decode never reads outside the blob (size must be exactly 8 + length * encoding);
// encode picks the smallest width that fits every element and sorts ascending, as intsetAdd keeps it.

import { BlobError } from './blob-error.ts';
import { ByteWriter } from './byte-writer.ts';

export function decodeIntset(b: Uint8Array): string[] {
  if (b.length < 8) throw new BlobError('Intset integrity check failed: header too short', 0);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const enc = dv.getUint32(0, true);
  const count = dv.getUint32(4, true);
  if (enc !== 2 && enc !== 4 && enc !== 8) throw new BlobError(`Intset integrity check failed: encoding ${enc}`, 0);
  if (8 + count * enc !== b.length) {
    throw new BlobError(`Intset integrity check failed: ${count} x ${enc} bytes != blob size ${b.length} - 8`, 4);
  }
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const q = 8 + i * enc;
    out[i] = enc === 2 ? String(dv.getInt16(q, true)) : enc === 4 ? String(dv.getInt32(q, true)) : dv.getBigInt64(q, true).toString();
  }
  return out;
}

/** Encodes int64 values (already validated) as an intset. */
export function encodeIntset(values: readonly bigint[]): Uint8Array {
  const sorted = values.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let enc = 2;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) enc = 8;
    else if ((v < -32768n || v > 32767n) && enc < 4) enc = 4;
  }
  const w = new ByteWriter(8 + sorted.length * enc);
  w.u32le(enc);
  w.u32le(sorted.length);
  for (const v of sorted) {
    if (enc === 2) w.i16le(Number(v));
    else if (enc === 4) w.i32le(Number(v));
    else w.i64le(v);
  }
  return w.finish();
}
