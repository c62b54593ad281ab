// A cursor over RDB bytes with Redis's primitive loaders (redis: rdb.c rdbLoadType, rdbLoadLenByRef,
// rdbGenericLoadStringObject, rdbLoadIntegerObject, rdbLoadLzfStringObject, rdbLoadMillisecondTime,
// rdbLoadTime, rdbLoadDoubleValue, rdbLoadBinaryDoubleValue).
//
// Invariants: every read checks bounds first; running out of data throws AOF_RDB_CORRUPT with
// Redis's fatal "Short read or OOM ..." reason (a truncated RDB is never recoverable: docs/redis-behaviour.md#base-format);
// every other malformation throws AOF_RDB_CORRUPT with the file, the hex offset where the bad item
// starts, and what was expected and found. Byte strings are latin1 slices (no per-byte work).

import { AofError } from '../base/errors.ts';
import type { Bytes } from '../keyspace/types.ts';
import { isBlobError } from './blob-error.ts';
import * as rdbConstants from './rdb-constants.ts';
import { lzfDecompress } from './lzf.ts';
import { parseDoubleText } from './int-text.ts';

// Local copies: module-namespace bindings compile to getters under tsx/vite, too slow for hot loops.
const { RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_6BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF, RDB_ENCVAL, SHORT_READ_REASON } = rdbConstants;

/** Node's Buffer has latin1Slice (the fast path behind toString('latin1')); @types/node omits it. */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

export class RdbReader {
  readonly buf: Latin1Buffer;
  pos: number;
  /**
   * What Redis says when the read in progress comes up short, where it names the read
   * (rdbReportReadError in stream loading); null: the generic short read.
   */
  readContext: string | null = null;
  /** Validate packed encodings deeply, as redis-check-rdb does (sanitize-dump-payload yes). */
  deepIntegrity = false;

  constructor(
    data: Uint8Array,
    start: number,
    readonly file: string,
  ) {
    this.buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength) as Latin1Buffer;
    this.pos = start;
  }

  get end(): number {
    return this.buf.length;
  }

  /** FAULT: the data ended before the item at `at` did. */
  shortRead(at: number, needBytes: number): AofError {
    return new AofError('AOF_RDB_CORRUPT', SHORT_READ_REASON, {
      file: this.file,
      offset: at,
      expected: `${needBytes} more byte(s)`,
      found: `${Math.max(0, this.end - at)} byte(s) before end of data`,
    });
  }

  /** FAULT: a malformed item starting at `at`. */
  corrupt(reason: string, at: number, expected?: string, found?: string): AofError {
    const details: { file: string; offset: number; expected?: string; found?: string } = { file: this.file, offset: at };
    if (expected !== undefined) details.expected = expected;
    if (found !== undefined) details.found = found;
    return new AofError('AOF_RDB_CORRUPT', reason, details);
  }

  /**
   * Runs a packed-blob parser, turning its BlobError into a corrupt-RDB error located at the blob,
   * with Redis's reason for that type (e.g. "Hash ziplist integrity check failed.").
   */
  parseBlob<T>(blobAt: number, blob: Uint8Array, parse: (b: Uint8Array) => T, redisReason: string): T {
    try {
      return parse(blob);
    } catch (e) {
      if (isBlobError(e)) throw this.corrupt(redisReason, blobAt, 'a well-formed encoding', `${e.reason} at byte ${e.at} of the ${blob.length}-byte blob`);
      throw e;
    }
  }

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw this.shortRead(this.pos, n);
  }

  u8(): number {
    if (this.pos >= this.buf.length) throw this.shortRead(this.pos, 1);
    return this.buf[this.pos++];
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Set by lenOrEnc: whether the last prefix was an encoded-value marker (RDB_ENCVAL). */
  private lastEnc = false;
  /** Set by lenOrEnc: the full value of a 64-bit length above 2^53, else null. */
  private lastBig: bigint | null = null;

  /**
   * rdbLoadLenByRef: the length (or, when lastEnc is set, the encoding type). 64-bit lengths above
   * 2^53 saturate to MAX_SAFE_INTEGER with the exact value in lastBig. No allocation on this path.
   */
  private lenOrEnc(): number {
    const at = this.pos;
    const first = this.u8();
    this.lastBig = null;
    const type = first >> 6;
    if (type === RDB_ENCVAL) {
      this.lastEnc = true;
      return first & 0x3f;
    }
    this.lastEnc = false;
    if (type === RDB_6BITLEN) return first & 0x3f;
    if (type === RDB_14BITLEN) return ((first & 0x3f) << 8) | this.u8();
    if (first === RDB_32BITLEN) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (first === RDB_64BITLEN) {
      this.need(8);
      const hi = this.buf.readUInt32BE(this.pos);
      const lo = this.buf.readUInt32BE(this.pos + 4);
      this.pos += 8;
      if (hi < 0x200000) return hi * 4294967296 + lo;
      this.lastBig = (BigInt(hi) << 32n) | BigInt(lo);
      return Number.MAX_SAFE_INTEGER;
    }
    // Redis names the prefix's top two bits (the length type), not the whole byte.
    throw this.corrupt(`Unknown length encoding ${first >> 6} in rdbLoadLen()`, at, 'a length prefix', `byte 0x${first.toString(16)}`);
  }

  /**
   * rdbLoadLen for counts and sizes. Lengths above 2^53 saturate (they can never be satisfied). An
   * encoded-value marker is not an error here: rdbLoadLen(rdb, NULL) returns its low 6 bits as the
   * length, as Redis does.
   */
  len(): number {
    return this.lenOrEnc();
  }

  /** rdbLoadLen as a full unsigned 64-bit value (stream ids, counters); markers as in len(). */
  lenBig(): bigint {
    const n = this.lenOrEnc();
    return this.lastBig ?? BigInt(n);
  }

  /** A byte string from buf[start, end). */
  private slice(start: number, end: number): Bytes {
    return this.buf.latin1Slice(start, end);
  }

  /** rdbGenericLoadStringObject as a byte string. */
  string(): Bytes {
    const at = this.pos;
    const buf = this.buf;
    // Fast path: a 6-bit length (most keys, fields and small values).
    if (at < buf.length) {
      const first = buf[at];
      if (first < 0x40) {
        const end = at + 1 + first;
        if (end <= buf.length) {
          this.pos = end;
          return this.slice(at + 1, end);
        }
      }
    }
    const n = this.lenOrEnc();
    if (!this.lastEnc) {
      if (this.pos + n > buf.length) throw this.shortRead(this.pos, n);
      const s = this.slice(this.pos, this.pos + n);
      this.pos += n;
      return s;
    }
    switch (n) {
      case RDB_ENC_INT8:
        this.need(1);
        return String(buf.readInt8(this.pos++));
      case RDB_ENC_INT16: {
        this.need(2);
        const v = buf.readInt16LE(this.pos);
        this.pos += 2;
        return String(v);
      }
      case RDB_ENC_INT32: {
        this.need(4);
        const v = buf.readInt32LE(this.pos);
        this.pos += 4;
        return String(v);
      }
      case RDB_ENC_LZF: {
        const b = this.lzf(at);
        return (Buffer.from(b.buffer, b.byteOffset, b.byteLength) as Latin1Buffer).latin1Slice(0, b.length);
      }
      default:
        throw this.corrupt(`Unknown RDB string encoding type ${n}`, at, 'int8, int16, int32 or LZF', `encoding ${n}`);
    }
  }

  /** rdbGenericLoadStringObject(RDB_LOAD_PLAIN): the raw bytes (for packed blobs). */
  bytes(): Uint8Array {
    const at = this.pos;
    const n = this.lenOrEnc();
    if (!this.lastEnc) return this.raw(n);
    if (n === RDB_ENC_LZF) return this.lzf(at);
    this.pos = at;
    return Buffer.from(this.string(), 'latin1');
  }

  private lzf(at: number): Uint8Array {
    const clen = this.len();
    const len = this.len();
    this.need(clen);
    // Redis reads the compressed bytes before it judges them: they count as consumed.
    const from = this.pos;
    this.pos += clen;
    if (len > 512 * 1024 * 1024) throw this.corrupt('Invalid LZF compressed string', at, 'a plausible uncompressed length', `${len}`);
    const out = lzfDecompress(this.buf, from, from + clen, len);
    if (out === null) throw this.corrupt('Invalid LZF compressed string', at, `${clen} compressed bytes decoding to ${len} bytes`, 'a malformed LZF stream');
    return out;
  }

  /** rdbLoadMillisecondTime: int64 LE. */
  millis(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** rdbLoadTime: int32 LE seconds. */
  seconds(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadDoubleValue: length byte (253 nan, 254 +inf, 255 -inf) then %lg text. */
  textDouble(): number {
    const at = this.pos;
    const n = this.u8();
    if (n === 255) return -Infinity;
    if (n === 254) return Infinity;
    if (n === 253) return NaN;
    this.need(n);
    const text = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    const v = parseDoubleText(text);
    if (Number.isNaN(v)) throw this.corrupt('Invalid double value', at, 'a decimal number', JSON.stringify(text));
    return v;
  }
}
