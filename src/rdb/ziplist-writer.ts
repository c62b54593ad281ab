// Writing a ziplist, Redis 4.0's packed encoding of small hashes, small sorted sets and quicklist
// nodes (redis 4.0: ziplist.c ziplistNew, ziplistPush, zipTryEncoding, zipStoreEntryEncoding,
// zipStorePrevEntryLength). The reader is ziplist.ts.
//
// Layout: u32 LE zlbytes, u32 LE zltail (offset of the last entry), u16 LE zllen (65535 when it
// does not fit), entries, 0xff. Entry: prevlen (1 byte when < 254, else 0xfe + u32 LE), then either
// an integer (the text is a canonical int64 of at most 32 bytes: zipTryEncoding) in the smallest of
// immediate 0..12 (0xf1..0xfd), int8 0xfe, int16 0xc0, int24 0xf0, int32 0xd0, int64 0xe0, all LE;
// or a string: 00pppppp (< 64 bytes), 01pppppp qqqqqqqq (< 16384, big endian), 0x80 + u32 BE.
//
// Invariant: decodeZiplist(encodeZiplist(xs)) equals xs; the bytes are those Redis 4.0 builds by
// pushing xs at the tail one by one.

import { ByteWriter } from './byte-writer.ts';
import { canonicalInt } from './int-text.ts';

const HEADER_BYTES = 10;

/** The integer a ziplist stores for `s`, or null when it stores the text (zipTryEncoding). */
function ziplistInt(s: string): bigint | null {
  return s.length === 0 || s.length > 32 ? null : canonicalInt(s);
}

/** Bytes of one entry after its prevlen field. */
function entryBody(s: string): Uint8Array {
  const w = new ByteWriter(s.length + 9);
  const v = ziplistInt(s);
  if (v !== null) {
    if (v >= 0n && v <= 12n) w.u8(0xf1 + Number(v));
    else if (v >= -128n && v <= 127n) {
      w.u8(0xfe);
      w.u8(Number(v) & 0xff);
    } else if (v >= -32768n && v <= 32767n) {
      w.u8(0xc0);
      w.i16le(Number(v));
    } else if (v >= -8388608n && v <= 8388607n) {
      const n = Number(v) & 0xffffff;
      w.u8(0xf0);
      w.u8(n & 0xff);
      w.u8((n >> 8) & 0xff);
      w.u8((n >> 16) & 0xff);
    } else if (v >= -2147483648n && v <= 2147483647n) {
      w.u8(0xd0);
      w.i32le(Number(v));
    } else {
      w.u8(0xe0);
      w.i64le(v);
    }
  } else {
    const n = s.length;
    if (n < 64) w.u8(n);
    else if (n < 16384) {
      w.u8(0x40 | (n >> 8));
      w.u8(n & 0xff);
    } else {
      w.u8(0x80);
      w.u32be(n);
    }
    w.latin1(s);
  }
  return w.finish();
}

/** The ziplist Redis 4.0 builds by pushing `entries` at the tail, in order. */
export function encodeZiplist(entries: readonly string[]): Uint8Array {
  const bodies = entries.map(entryBody);
  const w = new ByteWriter(HEADER_BYTES + 1 + bodies.reduce((n, b) => n + b.length + 5, 0));
  w.u32le(0); // zlbytes, patched below
  w.u32le(0); // zltail, patched below
  w.u16le(Math.min(entries.length, 0xffff));
  let prevLen = 0;
  let tail = HEADER_BYTES;
  let at = HEADER_BYTES;
  for (const b of bodies) {
    tail = at;
    let header: number;
    if (prevLen < 254) {
      w.u8(prevLen);
      header = 1;
    } else {
      w.u8(0xfe);
      w.u32le(prevLen);
      header = 5;
    }
    w.bytes(b);
    prevLen = header + b.length;
    at += prevLen;
  }
  w.u8(0xff);
  const out = w.finish();
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(0, out.length, true);
  dv.setUint32(4, tail, true);
  return out;
}

/** Bytes a ziplist grows by when `s` is pushed at its tail (quicklist's size estimate). */
export function ziplistEntryBytes(s: string, prevLen: number): number {
  return (prevLen < 254 ? 1 : 5) + entryBody(s).length;
}
