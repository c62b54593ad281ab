// Ziplist, the pre-7.0 packed encoding of small lists, hashes, zsets and quicklist nodes
// (redis: ziplist.c zipEntrySafe, zipStoreEntryEncoding). Read-only: 7.0 never writes ziplists.
// Layout: u32 LE zlbytes, u32 LE zltail, u16 LE zllen, entries, 0xff. Entry: prevlen (1 byte, or
// 0xfe + u32 LE), encoding (strings: 00pppppp | 01pppppp qqqqqqqq BE | 0x80 + u32 BE; integers:
// 0xc0 int16, 0xd0 int32, 0xe0 int64, 0xf0 int24, 0xfe int8, 0xf1..0xfd immediate 0..12), data.
//
// Invariants: never reads outside the blob; malformations are BlobErrors; integers as decimal text.

import { BlobError } from './blob-error.ts';

export function decodeZiplist(b: Uint8Array): string[] {
  const n = b.length;
  if (n < 11) throw new BlobError('Ziplist integrity check failed: header too short', 0);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const zlbytes = dv.getUint32(0, true);
  if (zlbytes !== n) throw new BlobError(`Ziplist integrity check failed: zlbytes ${zlbytes} != blob size ${n}`, 0);
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out: string[] = [];
  let p = 10;
  for (;;) {
    if (p >= n) throw new BlobError('Ziplist integrity check failed: missing end marker', p);
    if (b[p] === 0xff) {
      if (p !== n - 1) throw new BlobError('Ziplist integrity check failed: bytes after end marker', p);
      break;
    }
    p += b[p] < 254 ? 1 : 5;
    if (p >= n) throw new BlobError('Ziplist integrity check failed: entry past end', p);
    const enc = b[p];
    const top = enc >> 6;
    if (top < 3) {
      let len: number;
      if (top === 0) {
        len = enc & 0x3f;
        p += 1;
      } else if (top === 1) {
        if (p + 2 > n) throw new BlobError('Ziplist integrity check failed: entry past end', p);
        len = ((enc & 0x3f) << 8) | b[p + 1];
        p += 2;
      } else {
        if (p + 5 > n) throw new BlobError('Ziplist integrity check failed: entry past end', p);
        len = dv.getUint32(p + 1, false);
        p += 5;
      }
      if (p + len > n) throw new BlobError('Ziplist integrity check failed: string past end', p);
      out.push(buf.toString('latin1', p, p + len));
      p += len;
      continue;
    }
    let size: number;
    if (enc === 0xc0) size = 2;
    else if (enc === 0xd0) size = 4;
    else if (enc === 0xe0) size = 8;
    else if (enc === 0xf0) size = 3;
    else if (enc === 0xfe) size = 1;
    else if (enc >= 0xf1 && enc <= 0xfd) size = 0;
    else throw new BlobError(`Ziplist integrity check failed: invalid encoding byte 0x${enc.toString(16)}`, p);
    if (p + 1 + size > n) throw new BlobError('Ziplist integrity check failed: integer past end', p);
    const q = p + 1;
    let text: string;
    if (size === 0) text = String((enc & 0x0f) - 1);
    else if (size === 1) text = String(dv.getInt8(q));
    else if (size === 2) text = String(dv.getInt16(q, true));
    else if (size === 3) text = String(((b[q] | (b[q + 1] << 8) | (b[q + 2] << 16)) << 8) >> 8);
    else if (size === 4) text = String(dv.getInt32(q, true));
    else text = dv.getBigInt64(q, true).toString();
    out.push(text);
    p = q + size;
  }
  return out;
}
