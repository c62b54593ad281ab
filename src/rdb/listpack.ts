// Listpack, the packed encoding of small hashes, zsets, lists (quicklist nodes) and stream nodes
// (redis: listpack.c lpFirst/lpNext/lpGet, lpEncodeBacklen, lpEncodeIntegerGetType, lpAppend).
// Layout: u32 LE total bytes, u16 LE element count (65535 = unknown), entries, 0xff. Entry: encoding
// byte(s) + data + "backlen" (1..5 bytes holding the size of encoding+data, read right to left).
//
// Invariants: decodeListpack never reads outside the blob and reports every malformation as a
// BlobError; integers come back as their decimal text (what lpGet gives a caller that wants a
// string); encodeListpack stores canonical int64 texts as integers, like lpAppend does.

import { BlobError } from './blob-error.ts';
import { ByteWriter } from './byte-writer.ts';
import { canonicalInt } from './int-text.ts';

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/**
 * lpDecodeBacklen: the backlen ending at `last`, read right to left (7 bits a byte, the high bit
 * says another byte follows); -1 past 5 bytes or the blob's start.
 */
function decodeBacklen(b: Uint8Array, last: number, first: number): number {
  let val = 0;
  let shift = 0;
  for (let p = last; p >= first; p--) {
    val += (b[p] & 127) * 2 ** shift;
    if ((b[p] & 128) === 0) return val;
    shift += 7;
    if (shift > 28) return -1;
  }
  return -1;
}

/**
 * Decodes a listpack into its elements, integers as decimal text. `deep`: validate as
 * lpValidateIntegrity's deep check does (redis-check-rdb; a server only under
 * sanitize-dump-payload yes): each entry's backlen gives its size, and the header's count (unless
 * 65535, unknown) is the entry count. Without it, as a loading server: the header and the walk.
 */
export function decodeListpack(b: Uint8Array, deep = false): string[] {
  const n = b.length;
  if (n < 7) throw new BlobError('Listpack integrity check failed: header too short', 0);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const total = dv.getUint32(0, true);
  if (total !== n) throw new BlobError(`Listpack integrity check failed: total bytes ${total} != blob size ${n}`, 0);
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out: string[] = [];
  let p = 6;
  for (;;) {
    if (p >= n) throw new BlobError('Listpack integrity check failed: missing end marker', p);
    const c = b[p];
    if (c === 0xff) {
      if (p !== n - 1) throw new BlobError('Listpack integrity check failed: bytes after end marker', p);
      const count = dv.getUint16(4, true);
      if (deep && count !== 65535 && count !== out.length) throw new BlobError(`Listpack integrity check failed: header count ${count} != ${out.length} entries`, 4);
      break;
    }
    let encLen: number;
    if ((c & 0x80) === 0) {
      out.push(String(c & 0x7f));
      encLen = 1;
    } else if ((c & 0xc0) === 0x80) {
      const len = c & 0x3f;
      encLen = 1 + len;
      if (p + encLen > n) throw new BlobError('Listpack integrity check failed: string past end', p);
      out.push(buf.toString('latin1', p + 1, p + 1 + len));
    } else if ((c & 0xe0) === 0xc0) {
      if (p + 2 > n) throw new BlobError('Listpack integrity check failed: integer past end', p);
      let v = ((c & 0x1f) << 8) | b[p + 1];
      if (v >= 4096) v -= 8192;
      out.push(String(v));
      encLen = 2;
    } else if ((c & 0xf0) === 0xe0) {
      if (p + 2 > n) throw new BlobError('Listpack integrity check failed: length past end', p);
      const len = ((c & 0x0f) << 8) | b[p + 1];
      encLen = 2 + len;
      if (p + encLen > n) throw new BlobError('Listpack integrity check failed: string past end', p);
      out.push(buf.toString('latin1', p + 2, p + 2 + len));
    } else if (c === 0xf0) {
      if (p + 5 > n) throw new BlobError('Listpack integrity check failed: length past end', p);
      const len = dv.getUint32(p + 1, true);
      encLen = 5 + len;
      if (p + encLen > n) throw new BlobError('Listpack integrity check failed: string past end', p);
      out.push(buf.toString('latin1', p + 5, p + 5 + len));
    } else if (c === 0xf1) {
      if (p + 3 > n) throw new BlobError('Listpack integrity check failed: integer past end', p);
      out.push(String(dv.getInt16(p + 1, true)));
      encLen = 3;
    } else if (c === 0xf2) {
      if (p + 4 > n) throw new BlobError('Listpack integrity check failed: integer past end', p);
      out.push(String((b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16)) << 8 >> 8));
      encLen = 4;
    } else if (c === 0xf3) {
      if (p + 5 > n) throw new BlobError('Listpack integrity check failed: integer past end', p);
      out.push(String(dv.getInt32(p + 1, true)));
      encLen = 5;
    } else if (c === 0xf4) {
      if (p + 9 > n) throw new BlobError('Listpack integrity check failed: integer past end', p);
      out.push(dv.getBigInt64(p + 1, true).toString());
      encLen = 9;
    } else {
      throw new BlobError(`Listpack integrity check failed: invalid encoding byte 0x${c.toString(16)}`, p);
    }
    const next = p + encLen + backlenSize(encLen);
    if (next > n) throw new BlobError('Listpack integrity check failed: backlen past end', p);
    if (deep && decodeBacklen(b, next - 1, p) !== encLen) throw new BlobError(`Listpack integrity check failed: backlen does not give the entry size ${encLen}`, next - 1);
    p = next;
  }
  return out;
}

function writeBacklen(w: ByteWriter, l: number): void {
  if (l <= 127) {
    w.u8(l);
  } else if (l < 16383) {
    w.u8(l >>> 7);
    w.u8((l & 127) | 128);
  } else if (l < 2097151) {
    w.u8(l >>> 14);
    w.u8(((l >>> 7) & 127) | 128);
    w.u8((l & 127) | 128);
  } else if (l < 268435455) {
    w.u8(l >>> 21);
    w.u8(((l >>> 14) & 127) | 128);
    w.u8(((l >>> 7) & 127) | 128);
    w.u8((l & 127) | 128);
  } else {
    w.u8(Math.floor(l / 2 ** 28));
    w.u8(((l >>> 21) & 127) | 128);
    w.u8(((l >>> 14) & 127) | 128);
    w.u8(((l >>> 7) & 127) | 128);
    w.u8((l & 127) | 128);
  }
}

function appendInt(w: ByteWriter, v: bigint): void {
  if (v >= 0n && v <= 127n) {
    w.u8(Number(v));
    w.u8(1);
  } else if (v >= -4096n && v <= 4095n) {
    const u = Number(v) & 0x1fff;
    w.u8(0xc0 | (u >> 8));
    w.u8(u & 0xff);
    w.u8(2);
  } else if (v >= -32768n && v <= 32767n) {
    w.u8(0xf1);
    w.i16le(Number(v));
    w.u8(3);
  } else if (v >= -8388608n && v <= 8388607n) {
    const u = Number(v) & 0xffffff;
    w.u8(0xf2);
    w.u8(u & 0xff);
    w.u8((u >> 8) & 0xff);
    w.u8((u >> 16) & 0xff);
    w.u8(4);
  } else if (v >= -2147483648n && v <= 2147483647n) {
    w.u8(0xf3);
    w.i32le(Number(v));
    w.u8(5);
  } else {
    w.u8(0xf4);
    w.i64le(v);
    w.u8(9);
  }
}

function appendString(w: ByteWriter, s: string): void {
  const len = s.length;
  let encLen: number;
  if (len < 64) {
    w.u8(0x80 | len);
    encLen = 1 + len;
  } else if (len < 4096) {
    w.u8(0xe0 | (len >> 8));
    w.u8(len & 0xff);
    encLen = 2 + len;
  } else {
    w.u8(0xf0);
    w.u32le(len);
    encLen = 5 + len;
  }
  w.latin1(s);
  writeBacklen(w, encLen);
}

/** Encodes elements as a listpack (redis: lpAppend per element). */
export function encodeListpack(items: readonly string[]): Uint8Array {
  const w = new ByteWriter(16 + items.length * 4);
  w.u32le(0);
  w.u16le(items.length < 65535 ? items.length : 65535);
  for (const s of items) {
    const v = canonicalInt(s);
    if (v !== null) appendInt(w, v);
    else appendString(w, s);
  }
  w.u8(0xff);
  const out = w.finish();
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(0, out.length, true);
  return out;
}
