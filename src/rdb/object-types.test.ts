// Which object type bytes each modelled release reads: a fixed table per release (redis: rdb.h
// rdbIsObjectType, 4.0.14: 0-7 and 9-14; 7.0.15: 0-7 and 9-19), not a gate on the file's RDB version.
// Observed on the real binaries (properties/conformance/rdb-object-types-vs-redis.test.ts): 7.0.15
// reads a stream (type 15) in an RDB 8 file, and refuses a set listpack (type 20, 7.2's) in any
// version; 4.0.14 refuses types 15 to 21 in an RDB 8 file.

import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { checkRdb } from './check-rdb.ts';
import { loadRdbInto } from './load-rdb.ts';
import { isObjectType } from './load-object.ts';
import { crc64 } from './crc64.ts';
import { dumpPayload, restorePayload } from './dump-payload.ts';
import { RDB_VERSION, RDB_VERSION_4 } from './rdb-constants.ts';

/** "REDIS<ver>", SELECTDB 0, one key `k` of type `type` whose value is the string "x", EOF, no checksum. */
function oneKey(version: number, type: number): Uint8Array {
  const head = Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1');
  return Buffer.concat([head, Buffer.from([0xfe, 0x00, type, 1, 0x6b, 1, 0x78, 0xff]), Buffer.alloc(version >= 5 ? 8 : 0)]);
}

function loadError(data: Uint8Array, maxVersion: number): string {
  try {
    loadRdbInto(new Keyspace(), data, { file: 'dump.rdb', maxVersion });
    return '';
  } catch (e) {
    if (!isAofError(e)) throw e;
    return e.reason;
  }
}

describe('RDB object types per release', () => {
  it('7.0.15 (RDB 10): 0-7 and 9-19; 4.0.14 (RDB 8): 0-7 and 9-14', () => {
    const known = (maxVersion: number): number[] => Array.from({ length: 256 }, (_, t) => t).filter((t) => isObjectType(t, maxVersion));
    const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(known(RDB_VERSION)).toEqual([...range(0, 7), ...range(9, 19)]);
    expect(known(RDB_VERSION_4)).toEqual([...range(0, 7), ...range(9, 14)]);
  });

  it('the loader refuses an unknown type in any file version the release reads (redis: rdbLoadObject "Unknown RDB encoding type")', () => {
    for (const version of [8, 9, 10]) {
      for (const type of [8, 20, 21, 22]) expect(loadError(oneKey(version, type), RDB_VERSION), `RDB ${version} type ${type}`).toBe(`Unknown RDB encoding type ${type}`);
    }
    for (const type of [15, 16, 17, 18, 19, 20, 21]) expect(loadError(oneKey(8, type), RDB_VERSION_4), `4.0 type ${type}`).toBe(`Unknown RDB encoding type ${type}`);
    // A type the release knows is decoded by its rule, whatever the file's version: here it fails on the value.
    expect(loadError(oneKey(8, 15), RDB_VERSION)).not.toMatch(/Unknown RDB encoding type/);
  });

  it('the checker names the type byte as redis-check-rdb does (its own rdbIsObjectType test, before the key)', () => {
    for (const [version, type, maxVersion] of [[10, 20, RDB_VERSION], [10, 21, RDB_VERSION], [8, 20, RDB_VERSION], [8, 15, RDB_VERSION_4], [8, 19, RDB_VERSION_4]] as const) {
      const r = checkRdb(oneKey(version, type), { file: 'dump.rdb', maxVersion });
      expect(r.ok, `RDB ${version} type ${type}`).toBe(false);
      expect(r.lines.slice(1, 6)).toEqual([
        '[offset 11] Selecting DB ID 0',
        '--- RDB ERROR DETECTED ---',
        `[offset 12] Invalid object type: ${type}`,
        '[additional info] While doing: read-type',
        '[additional info] Reading type 0 (string)',
      ]);
    }
  });

  it('RESTORE refuses a payload of a type the release does not know (redis: rdbLoadObjectType -1, "Bad data format")', () => {
    const payload = dumpPayload({ type: 'set', value: new Set(['1', '2']) }, RDB_VERSION);
    expect(payload.charCodeAt(0)).toBe(11); // an intset, known to both
    const back = restorePayload(relabel(payload, 8), RDB_VERSION_4);
    expect(back.type === 'set' ? [...back.value].sort() : back).toEqual(['1', '2']);
    // 4.0's table lacks 15-21: a 7.0 listpack hash payload, relabelled as an RDB 8 payload, is refused for its type.
    const hash = dumpPayload({ type: 'hash', value: new Map([['f', 'v']]) }, RDB_VERSION);
    expect(hash.charCodeAt(0)).toBe(16);
    expect(() => restorePayload(relabel(hash, 8), RDB_VERSION_4)).toThrow(/Bad data format/);
  });
});

/** The payload with its RDB version set to `version` and its CRC-64 recomputed. */
function relabel(payload: string, version: number): string {
  const b = Buffer.from(payload, 'latin1');
  b.writeUInt16LE(version, b.length - 10);
  b.writeBigUInt64LE(crc64(b, 0n, 0, b.length - 8), b.length - 8);
  return b.toString('latin1');
}
