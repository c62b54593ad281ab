// Test support: writers for the pre-7.0 encodings aofsim only reads (ziplist, zipmap, quicklist v1
// of ziplists, ZSET v1 text scores, EXPIRETIME in seconds, IDLE/FREQ opcodes, RDB versions without
// a checksum), built from the format descriptions in redis's ziplist.c / zipmap.c / rdb.c. The
// interop test proves real redis-server 7.0 loads what these write, so the decoder tests that use
// them are not just checking the decoder against itself.

import { ByteWriter } from '../../src/rdb/byte-writer.ts';
import { crc64 } from '../../src/rdb/crc64.ts';
import { canonicalInt } from '../../src/rdb/int-text.ts';
import { RdbWriter } from '../../src/rdb/rdb-writer.ts';

/** redis: ziplist.c (zipStoreEntryEncoding / zipTryEncoding / zipStorePrevEntryLength). */
export function encodeZiplist(items: readonly string[]): Uint8Array {
  const entries: Uint8Array[] = [];
  let prevLen = 0;
  for (const s of items) {
    const w = new ByteWriter(16 + s.length);
    if (prevLen < 254) w.u8(prevLen);
    else {
      w.u8(0xfe);
      w.u32le(prevLen);
    }
    const v = s.length <= 32 ? canonicalInt(s) : null;
    if (v !== null && v >= 0n && v <= 12n) {
      w.u8(0xf1 + Number(v));
    } else if (v !== null && v >= -128n && v <= 127n) {
      w.u8(0xfe);
      w.u8(Number(v) & 0xff);
    } else if (v !== null && v >= -32768n && v <= 32767n) {
      w.u8(0xc0);
      w.i16le(Number(v));
    } else if (v !== null && v >= -8388608n && v <= 8388607n) {
      const u = Number(v) & 0xffffff;
      w.u8(0xf0);
      w.u8(u & 0xff);
      w.u8((u >> 8) & 0xff);
      w.u8((u >> 16) & 0xff);
    } else if (v !== null && v >= -2147483648n && v <= 2147483647n) {
      w.u8(0xd0);
      w.i32le(Number(v));
    } else if (v !== null) {
      w.u8(0xe0);
      w.i64le(v);
    } else if (s.length <= 63) {
      w.u8(s.length);
      w.latin1(s);
    } else if (s.length <= 16383) {
      w.u8(0x40 | (s.length >> 8));
      w.u8(s.length & 0xff);
      w.latin1(s);
    } else {
      w.u8(0x80);
      w.u32be(s.length);
      w.latin1(s);
    }
    const e = w.finish().slice();
    entries.push(e);
    prevLen = e.length;
  }
  const body = entries.reduce((n, e) => n + e.length, 0);
  const w = new ByteWriter(11 + body);
  w.u32le(10 + body + 1);
  w.u32le(entries.length === 0 ? 10 : 10 + body - entries[entries.length - 1].length);
  w.u16le(Math.min(entries.length, 65535));
  for (const e of entries) w.bytes(e);
  w.u8(0xff);
  return w.finish().slice();
}

/** redis: zipmap.c layout (zmlen, len key len free value ..., 0xff), no free space. */
export function encodeZipmap(pairs: readonly [string, string][]): Uint8Array {
  const w = new ByteWriter(64);
  w.u8(Math.min(pairs.length, 254));
  const len = (n: number): void => {
    if (n < 254) w.u8(n);
    else {
      w.u8(254);
      w.u32le(n);
    }
  };
  for (const [k, v] of pairs) {
    len(k.length);
    w.latin1(k);
    len(v.length);
    w.u8(0);
    w.latin1(v);
  }
  w.u8(0xff);
  return w.finish().slice();
}

/** A raw RDB builder: header, then whatever the caller writes, then EOF (+ CRC-64 for version >= 5). */
export class LegacyRdb {
  readonly w = new RdbWriter(true);
  constructor(readonly version: number) {
    this.w.latin1(`REDIS${String(version).padStart(4, '0')}`);
  }

  /** Writes a text double as rdbSaveDoubleValue does (253 nan, 254 +inf, 255 -inf, else %.17g). */
  textDouble(x: number): void {
    if (x === Infinity) this.w.u8(254);
    else if (x === -Infinity) this.w.u8(255);
    else {
      const s = Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : x.toPrecision(17);
      this.w.u8(s.length);
      this.w.latin1(s);
    }
  }

  finish(): Uint8Array {
    this.w.u8(0xff);
    const body = this.w.finish().slice();
    if (this.version < 5) return body;
    const out = Buffer.alloc(body.length + 8);
    out.set(body);
    out.writeBigUInt64LE(crc64(body), body.length);
    return out;
  }
}
