// DUMP / RESTORE payloads (redis: cluster.c createDumpPayload, verifyDumpPayload, restoreCommand):
// the RDB type byte, the serialized value, the RDB version as 2 bytes little endian, and the CRC-64
// (little endian) of everything before it.
//
// Invariants: restorePayload(dumpPayload(v)) equals v; a payload whose version is newer than 10 (8
// for the 4.0 profile) or
// whose checksum does not match fails with Redis's "DUMP payload version or checksum are wrong";
// one that does not parse fails with "Bad data format". Both are AOF_RDB_CORRUPT errors whose
// `reason` is Redis's text (the command layer prefixes "ERR ").

import { AofError, isAofError } from '../base/errors.ts';
import type { Bytes, Value } from '../keyspace/types.ts';
import { crc64 } from './crc64.ts';
import { isObjectType, loadObject } from './load-object.ts';
import { RDB_VERSION } from './rdb-constants.ts';
import { RdbReader } from './rdb-reader.ts';
import { RdbWriter } from './rdb-writer.ts';
import { rdbTypeOf, saveObject } from './save-object.ts';
import { rdbTypeOfV8, saveObjectV8 } from './save-object-v8.ts';

const PAYLOAD_FILE = 'DUMP payload';

/** redis: createDumpPayload. `version` 8 is Redis 4.0's: its RDB version and its encodings. */
export function dumpPayload(value: Value, version: 8 | typeof RDB_VERSION = RDB_VERSION): Bytes {
  const w = new RdbWriter(true, 64);
  if (version === 8) {
    w.u8(rdbTypeOfV8(value));
    saveObjectV8(w, value);
  } else {
    w.u8(rdbTypeOf(value, version));
    saveObject(w, value, version);
  }
  w.u16le(version);
  const body = w.finish();
  const sum = crc64(body);
  const out = Buffer.allocUnsafe(body.length + 8);
  out.set(body, 0);
  out.writeBigUInt64LE(sum, body.length);
  return out.toString('latin1');
}

/**
 * redis: verifyDumpPayload + rdbLoadObjectType + rdbLoadObject. `maxVersion`: the newest payload
 * the modelled Redis takes (its RDB_VERSION: 8 for 4.0).
 */
export function restorePayload(payload: Bytes, maxVersion: number = RDB_VERSION): Value {
  const b = Buffer.from(payload, 'latin1');
  const n = b.length;
  if (n < 10) throw new AofError('AOF_RDB_CORRUPT', 'DUMP payload version or checksum are wrong', { file: PAYLOAD_FILE, offset: 0, expected: 'at least 10 bytes', found: `${n}` });
  const version = b.readUInt16LE(n - 10);
  if (version > maxVersion) {
    throw new AofError('AOF_RDB_CORRUPT', 'DUMP payload version or checksum are wrong', { file: PAYLOAD_FILE, offset: n - 10, expected: `RDB version <= ${maxVersion}`, found: `${version}` });
  }
  const stored = b.readBigUInt64LE(n - 8);
  const computed = crc64(b, 0n, 0, n - 8);
  if (stored !== computed) {
    throw new AofError('AOF_RDB_CORRUPT', 'DUMP payload version or checksum are wrong', { file: PAYLOAD_FILE, offset: n - 8, expected: computed.toString(16), found: stored.toString(16) });
  }
  const r = new RdbReader(b.subarray(0, n - 10), 0, PAYLOAD_FILE);
  try {
    const type = r.u8();
    if (!isObjectType(type, maxVersion)) throw r.corrupt('Bad data format', 0, 'an object type', `${type}`);
    const v = loadObject(r, type);
    if (v === null) throw r.corrupt('Bad data format', 1, 'a non-empty value', 'an empty collection');
    return v;
  } catch (e) {
    const details = isAofError(e) ? e.details : { file: PAYLOAD_FILE, offset: r.pos };
    throw new AofError('AOF_RDB_CORRUPT', 'Bad data format', details);
  }
}
