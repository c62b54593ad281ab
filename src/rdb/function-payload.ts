// FUNCTION DUMP / FUNCTION RESTORE payloads (redis 7.0.15 functions.c functionDumpCommand /
// functionRestoreCommand): every library as RDB_OPCODE_FUNCTION2 + its code (rdbSaveFunctions),
// then the RDB version (2 bytes LE) and the CRC-64 (LE) of everything before, like a DUMP payload.
// Invariant: restoreFunctionsPayload(dumpFunctionsPayload(codes)) equals codes; a bad payload
// throws AofError AOF_RDB_CORRUPT with Redis's reason.

import { AofError } from '../base/errors.ts';
import type { Bytes } from '../keyspace/types.ts';
import { crc64 } from './crc64.ts';
import { OPCODE_FUNCTION2, RDB_VERSION } from './rdb-constants.ts';
import { RdbReader } from './rdb-reader.ts';
import { RdbWriter } from './rdb-writer.ts';

const FILE = 'FUNCTION RESTORE payload';

export function dumpFunctionsPayload(codes: Iterable<Bytes>): Bytes {
  const w = new RdbWriter(true, 256);
  for (const c of codes) {
    w.u8(OPCODE_FUNCTION2);
    w.string(c);
  }
  w.u16le(RDB_VERSION);
  const body = w.finish();
  const out = Buffer.allocUnsafe(body.length + 8);
  out.set(body, 0);
  out.writeBigUInt64LE(crc64(body), body.length);
  return out.toString('latin1');
}

export function restoreFunctionsPayload(payload: Bytes): Bytes[] {
  const b = Buffer.from(payload, 'latin1');
  const n = b.length;
  const bad = (offset: number, expected: string, found: string): AofError =>
    new AofError('AOF_RDB_CORRUPT', 'DUMP payload version or checksum are wrong', { file: FILE, offset, expected, found });
  if (n < 10) throw bad(0, 'at least 10 bytes', `${n}`);
  const version = b.readUInt16LE(n - 10);
  if (version > RDB_VERSION) throw bad(n - 10, `RDB version <= ${RDB_VERSION}`, `${version}`);
  if (b.readBigUInt64LE(n - 8) !== crc64(b, 0n, 0, n - 8)) throw bad(n - 8, 'a matching CRC-64', 'another');
  const r = new RdbReader(b.subarray(0, n - 10), 0, FILE);
  const codes: Bytes[] = [];
  while (r.pos < n - 10) {
    const op = r.u8();
    if (op !== OPCODE_FUNCTION2) {
      throw new AofError('AOF_RDB_CORRUPT', 'given type is not a function', { file: FILE, offset: r.pos - 1, expected: 'RDB_OPCODE_FUNCTION2', found: `${op}` });
    }
    codes.push(r.string());
  }
  return codes;
}
