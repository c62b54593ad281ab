// Ziplist, the pre-7.0 packed encoding of small lists, hashes, zsets and quicklist nodes
// (redis 7.0.15: ziplist.c ziplistValidateIntegrity, zipEntrySafe, zipEncodingLenSize; rdb.c
// _ziplistPairsEntryConvertAndValidate). Read-only: 7.0 never writes ziplists.
// Layout: u32 LE zlbytes, u32 LE zltail (offset of the last entry), u16 LE zllen (65535: unknown),
// entries, 0xff. Entry: prevlen (1 byte below 254, else 0xfe + u32 LE) = the previous entry's size,
// encoding (strings: 00pppppp | 01pppppp qqqqqqqq BE | 10______ + u32 BE; integers: 0xc0 int16,
// 0xd0 int32, 0xe0 int64, 0xf0 int24, 0xfe int8, 0xf1..0xfd immediate 0..12), data.
//
// Invariants: never reads outside the blob; malformations are BlobErrors; integers as decimal text.
// A blob is accepted exactly when 7.0.15's deep validation accepts it (7.0 validates every
// ziplist it loads, deep, whatever sanitize-dump-payload says): zlbytes is the blob's size, the last
// byte is 0xff, zltail points inside and at the last entry, every entry fits and its prevlen is the
// previous entry's size, the walk ends at the last byte, and zllen (unless 65535) is the count.
// `pairs` adds the callback of the hash and sorted-set types: an even count, no field twice.
// DIVERGENCE(redis): 4.0.14 validates no ziplist: its loader and redis-check-rdb keep the blob as
// it is (a broken prevlen chain "looks OK" to its checker, observed) and may crash on it later;
// aofsim judges it by 7.0.15's rule under both profiles.

import { BlobError } from './blob-error.ts';

/** zipEncodingLenSize: the size of an entry's encoding header, or 0 for a byte no encoding uses. */
function encodingLenSize(enc: number): number {
  if (enc < 0xc0) return enc < 0x40 ? 1 : enc < 0x80 ? 2 : 5;
  if (enc === 0xc0 || enc === 0xd0 || enc === 0xe0 || enc === 0xf0 || enc === 0xfe) return 1;
  if (enc >= 0xf1 && enc <= 0xfd) return 1;
  return 0;
}

export function decodeZiplist(b: Uint8Array, pairs = false): string[] {
  const n = b.length;
  if (n < 11) throw new BlobError('Ziplist integrity check failed: header too short', 0);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const zlbytes = dv.getUint32(0, true);
  if (zlbytes !== n) throw new BlobError(`Ziplist integrity check failed: zlbytes ${zlbytes} != blob size ${n}`, 0);
  if (b[n - 1] !== 0xff) throw new BlobError('Ziplist integrity check failed: missing end marker', n - 1);
  const zltail = dv.getUint32(4, true);
  if (zltail > n - 1) throw new BlobError(`Ziplist integrity check failed: zltail ${zltail} past the end`, 4);
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out: string[] = [];
  // zipEntrySafe's OUT_OF_RANGE: an entry may reach the end marker's position, not past it.
  const last = n - 1;
  let p = 10;
  let prevRaw = 0;
  let prev = -1;
  const fields = pairs ? new Set<string>() : null;
  while (b[p] !== 0xff) {
    const prevlenSize = b[p] < 254 ? 1 : 5;
    if (p + prevlenSize > last) throw new BlobError('Ziplist integrity check failed: entry past end', p);
    const encAt = p + prevlenSize;
    const enc = b[encAt];
    const lenSize = encodingLenSize(enc);
    if (lenSize === 0) throw new BlobError(`Ziplist integrity check failed: invalid encoding byte 0x${enc.toString(16)}`, encAt);
    if (encAt + lenSize > last) throw new BlobError('Ziplist integrity check failed: entry past end', p);
    const prevRawLen = prevlenSize === 1 ? b[p] : dv.getUint32(p + 1, true);
    let len: number;
    if (enc < 0x40) len = enc & 0x3f;
    else if (enc < 0x80) len = ((enc & 0x3f) << 8) | b[encAt + 1];
    else if (enc < 0xc0) len = dv.getUint32(encAt + 1, false);
    else len = enc === 0xc0 ? 2 : enc === 0xd0 ? 4 : enc === 0xe0 ? 8 : enc === 0xf0 ? 3 : enc === 0xfe ? 1 : 0;
    const dataAt = encAt + lenSize;
    if (dataAt + len > last) throw new BlobError('Ziplist integrity check failed: entry past end', p);
    if (p - prevRawLen < 10) throw new BlobError('Ziplist integrity check failed: prevlen reaches before the first entry', p);
    if (prevRawLen !== prevRaw) throw new BlobError(`Ziplist integrity check failed: prevlen ${prevRawLen} != previous entry size ${prevRaw}`, p);
    let text: string;
    if (enc < 0xc0) text = buf.toString('latin1', dataAt, dataAt + len);
    else if (len === 0) text = String((enc & 0x0f) - 1);
    else if (len === 1) text = String(dv.getInt8(dataAt));
    else if (len === 2) text = String(dv.getInt16(dataAt, true));
    else if (len === 3) text = String(((b[dataAt] | (b[dataAt + 1] << 8) | (b[dataAt + 2] << 16)) << 8) >> 8);
    else if (len === 4) text = String(dv.getInt32(dataAt, true));
    else text = dv.getBigInt64(dataAt, true).toString();
    // rdb.c _ziplistPairsEntryConvertAndValidate: the even entries are fields, none twice.
    if (fields !== null && out.length % 2 === 0) {
      if (fields.has(text)) throw new BlobError('Ziplist integrity check failed: a field twice', p);
      fields.add(text);
    }
    out.push(text);
    prevRaw = dataAt + len - p;
    prev = p;
    p = dataAt + len;
  }
  if (p !== last) throw new BlobError('Ziplist integrity check failed: bytes after end marker', p);
  if (prev !== -1 && prev !== zltail) throw new BlobError(`Ziplist integrity check failed: zltail ${zltail} is not the last entry (${prev})`, 4);
  const count = dv.getUint16(8, true);
  if (count !== 65535 && count !== out.length) throw new BlobError(`Ziplist integrity check failed: header count ${count} != ${out.length} entries`, 8);
  if (pairs && out.length % 2 !== 0) throw new BlobError('Ziplist integrity check failed: an odd number of entries', p);
  return out;
}
