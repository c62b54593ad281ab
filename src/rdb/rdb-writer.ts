// Redis's primitive RDB savers over a ByteWriter (redis: rdb.c rdbSaveLen, rdbSaveType,
// rdbTryIntegerEncoding, rdbSaveLzfStringObject, rdbSaveRawString, rdbSaveMillisecondTime,
// rdbSaveBinaryDoubleValue).
//
// Invariants: lengths use the shortest form (6, 14, 32 or 64 bits); strings that are canonical
// 32-bit integers are stored int-encoded, as rdbSaveRawString does; strings longer than 20 bytes are
// LZF-compressed when `compress` is on and compression saves at least 4 bytes (rdbcompression yes).

import { ByteWriter } from './byte-writer.ts';
import { canonicalInt32 } from './int-text.ts';
import { lzfCompress, newLzfTable } from './lzf.ts';
import * as rdbConstants from './rdb-constants.ts';

// Local copies: module-namespace bindings compile to getters under tsx/vite, too slow for hot loops.
const { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } = rdbConstants;

export class RdbWriter extends ByteWriter {
  private lzfTable: Int32Array | null = null;

  constructor(
    readonly compress: boolean,
    initialBytes = 1024,
  ) {
    super(initialBytes);
  }

  /** rdbSaveLen. */
  len(n: number | bigint): void {
    if (typeof n === 'number' && n < 64) {
      this.u8(n);
    } else if (typeof n === 'number' && n < 16384) {
      this.u8(0x40 | (n >> 8));
      this.u8(n & 0xff);
    } else if (typeof n === 'bigint' && n < 16384n) {
      this.len(Number(n));
    } else if (n <= 0xffffffff) {
      this.u8(RDB_32BITLEN);
      this.u32be(Number(n));
    } else {
      this.u8(RDB_64BITLEN);
      this.u64be(BigInt(n));
    }
  }

  /** rdbSaveRawString for a byte string. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11) {
      const v = canonicalInt32(s);
      if (v !== null) {
        if (v >= -128 && v <= 127) {
          this.u8(0xc0 | RDB_ENC_INT8);
          this.u8(v & 0xff);
        } else if (v >= -32768 && v <= 32767) {
          this.u8(0xc0 | RDB_ENC_INT16);
          this.i16le(v);
        } else {
          this.u8(0xc0 | RDB_ENC_INT32);
          this.i32le(v);
        }
        return;
      }
    }
    if (this.compress && n > 20) {
      const raw = Buffer.from(s, 'latin1');
      if (this.lzf(raw)) return;
    }
    this.len(n);
    this.latin1(s);
  }

  /** rdbSaveRawString for a packed blob (listpack, intset). */
  blob(b: Uint8Array): void {
    if (this.compress && b.length > 20 && this.lzf(b)) return;
    this.len(b.length);
    this.bytes(b);
  }

  /** rdbSaveLzfStringObject; false when compression does not pay. */
  private lzf(raw: Uint8Array): boolean {
    this.lzfTable ??= newLzfTable();
    const c = lzfCompress(raw, raw.length - 4, this.lzfTable);
    if (c === null) return false;
    this.u8(0xc0 | RDB_ENC_LZF);
    this.len(c.length);
    this.len(raw.length);
    this.bytes(c);
    return true;
  }

  /** rdbSaveMillisecondTime. */
  millis(ms: number): void {
    this.i64le(BigInt(ms));
  }
}
