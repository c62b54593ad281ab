// Zipmap, the pre-2.6 encoding of small hashes (redis: zipmap.c; RDB type HASH_ZIPMAP). Read-only.
// Layout: 1 byte zmlen, then entries: len, key, len, 1 byte free, value, free unused bytes; 0xff end.
// A length is 1 byte (< 254) or 254 followed by a u32 (little-endian, as x86 Redis wrote it).
//
// Invariants: never reads outside the blob; malformations are BlobErrors.

import { BlobError } from './blob-error.ts';

export function decodeZipmap(b: Uint8Array): string[] {
  const n = b.length;
  if (n < 2) throw new BlobError('Zipmap integrity check failed: too short', 0);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out: string[] = [];
  let p = 1;
  const readLen = (): number => {
    if (p >= n) throw new BlobError('Zipmap integrity check failed: entry past end', p);
    const c = b[p];
    if (c < 254) {
      p += 1;
      return c;
    }
    if (c === 254 && p + 5 <= n) {
      const v = dv.getUint32(p + 1, true);
      p += 5;
      return v;
    }
    throw new BlobError('Zipmap integrity check failed: bad length', p);
  };
  for (;;) {
    if (p >= n) throw new BlobError('Zipmap integrity check failed: missing end marker', p);
    if (b[p] === 0xff) {
      if (p !== n - 1) throw new BlobError('Zipmap integrity check failed: bytes after end marker', p);
      break;
    }
    const klen = readLen();
    if (p + klen > n) throw new BlobError('Zipmap integrity check failed: key past end', p);
    out.push(buf.toString('latin1', p, p + klen));
    p += klen;
    const vlen = readLen();
    if (p >= n) throw new BlobError('Zipmap integrity check failed: entry past end', p);
    const free = b[p++];
    if (p + vlen + free > n) throw new BlobError('Zipmap integrity check failed: value past end', p);
    out.push(buf.toString('latin1', p, p + vlen));
    p += vlen + free;
  }
  return out;
}
