// Writing a whole RDB file from a Keyspace (redis: rdb.c rdbSaveRio + rdbSaveInfoAuxFields +
// rdbSaveDb, 7.0.15; 4.0.14 at version 8): "REDIS0010" (or "REDIS0008"), aux fields (redis-ver, redis-bits, ctime, used-mem, then
// aof-base for a 7.x BASE or aof-preamble for a 4.0/5.0 preamble), function libraries (RDB 10),
// per non-empty db SELECTDB +
// RESIZEDB, each key as [EXPIRETIME_MS] type key value, EOF, and the CRC-64 of everything before.
//
// Invariants: deterministic for a given keyspace and options (time only from opts.nowMs; iteration
// in Map insertion order); the result loads in redis-server 7.0.15 (tested when installed) and in
// loadRdbInto to an equal keyspace. Expired keys are written too, as Redis's rdbSaveKeyValuePair does.

import type { Keyspace } from '../keyspace/keyspace.ts';
import { crc64 } from './crc64.ts';
import * as rdbConstants from './rdb-constants.ts';
import { RdbWriter } from './rdb-writer.ts';
import { type RdbSaveVersion, rdbTypeOf, saveObject } from './save-object.ts';
import { rdbTypeOfV8, saveObjectV8 } from './save-object-v8.ts';

// Local copies: module-namespace bindings compile to getters under tsx/vite, too slow for hot loops.
const { OPCODE_AUX, OPCODE_EOF, OPCODE_EXPIRETIME_MS, OPCODE_FUNCTION2, OPCODE_RESIZEDB, OPCODE_SELECTDB } = rdbConstants;

export interface EncodeRdbOptions {
  /** Wall-clock "now" for the ctime aux field (ms). */
  nowMs: number;
  /** Write aux aof-base=1 (a 7.x RDB BASE). */
  aofBase?: boolean;
  /** Write aux aof-preamble=1 instead of aof-base (a 4.0/5.0 AOF preamble). */
  aofPreamble?: boolean;
  /** redis-ver aux field; default "7.0.15". */
  redisVer?: string;
  /**
   * RDB version; default 10. 9 (Redis 5.0/6.x readers) avoids the 7.0-only types: plain LIST
   * instead of quicklist-2, STREAM_LISTPACKS. 8 is what Redis 4.0 writes, with 4.0's encodings
   * (save-object-v8.ts: quicklists and ziplists, no streams) and its aux fields (aof-preamble 0|1,
   * never aof-base).
   */
  version?: RdbSaveVersion;
  /** used-mem aux field; default 0. */
  usedMemBytes?: number;
  /** rdbcompression: LZF for strings over 20 bytes; default true. */
  compress?: boolean;
  /** Called after each key written (redis: rdbSaveKeyValuePair's rdb-key-save-delay, the child's progress). */
  onKey?: () => void;
}

function aux(w: RdbWriter, key: string, value: string): void {
  w.u8(OPCODE_AUX);
  // The keys are fixed names: never integer-like, never over 20 bytes, so rdbSaveRawString writes
  // them as length byte + text (what w.string would find, without its integer and LZF checks).
  w.u8(key.length);
  w.latin1(key);
  w.string(value);
}

/** redis: rdbSaveRio. */
export function encodeRdb(keyspace: Keyspace, opts: EncodeRdbOptions): Uint8Array {
  const version = opts.version ?? 10;
  // An empty keyspace (every fresh 7.0 start writes one as its BASE) fits in a pooled 256-byte
  // buffer; 4096 would allocate a fresh ArrayBuffer each time.
  const w = new RdbWriter(opts.compress ?? true, keyspace.dbs.some((db) => db.dict.size > 0) ? 4096 : 256);
  w.latin1(`REDIS${String(version).padStart(4, '0')}`);
  aux(w, 'redis-ver', opts.redisVer ?? '7.0.15');
  aux(w, 'redis-bits', '64');
  aux(w, 'ctime', String(Math.floor(opts.nowMs / 1000)));
  aux(w, 'used-mem', String(opts.usedMemBytes ?? 0));
  // redis 4.0 rdbSaveInfoAuxFields always writes aof-preamble; 7.0 writes aof-base instead.
  if (opts.aofPreamble || version === 8) aux(w, 'aof-preamble', opts.aofPreamble ? '1' : '0');
  else aux(w, 'aof-base', opts.aofBase ? '1' : '0');
  // redis 7.0 rdbSaveFunctions: every library's code, before the databases (RDB 10 only).
  if (version >= 10) {
    for (const code of keyspace.functions.values()) {
      w.u8(OPCODE_FUNCTION2);
      w.string(code);
    }
  }
  keyspace.dbs.forEach((db, index) => {
    if (db.dict.size === 0) return;
    w.u8(OPCODE_SELECTDB);
    w.len(index);
    w.u8(OPCODE_RESIZEDB);
    w.len(db.dict.size);
    let expires = 0;
    for (const k of db.expires.keys()) if (db.dict.has(k)) expires++;
    w.len(expires);
    for (const [key, value] of db.dict) {
      const at = db.expires.get(key);
      if (at !== undefined) {
        w.u8(OPCODE_EXPIRETIME_MS);
        w.millis(at);
      }
      if (version === 8) {
        w.u8(rdbTypeOfV8(value));
        w.string(key);
        saveObjectV8(w, value);
      } else {
        w.u8(rdbTypeOf(value, version));
        w.string(key);
        saveObject(w, value, version);
      }
      opts.onKey?.();
    }
  });
  w.u8(OPCODE_EOF);
  const body = w.finish();
  const sum = crc64(body);
  // Small results come from Node's Buffer pool (a fresh ArrayBuffer costs more than encoding an
  // empty keyspace); the CRC is written little-endian as two 32-bit halves.
  const n = body.length;
  const pooled = Buffer.allocUnsafe(n + 8);
  const out = new Uint8Array(pooled.buffer, pooled.byteOffset, n + 8);
  out.set(body, 0);
  pooled.writeUInt32LE(Number(sum & 0xffffffffn), n);
  pooled.writeUInt32LE(Number(sum >> 32n), n + 4);
  return out;
}
