// Byte-level encodings and limits of the RDB writer and the DUMP payload reader that no other unit
// test pinned (mutation survivors): the intset's smallest encoding, the listpack's 24-bit integer,
// quicklist nodes split by size, and a DUMP payload from a newer RDB version refused even with a
// good checksum (redis: intsetAdd/_intsetValueEncoding, lpEncodeIntegerGetType, verifyDumpPayload).
import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { List } from '../keyspace/list.ts';
import { crc64 } from './crc64.ts';
import { dumpPayload, restorePayload } from './dump-payload.ts';
import { encodeIntset } from './intset.ts';
import { decodeListpack, encodeListpack } from './listpack.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('intset', () => {
  it('values that fit int16 are stored as int16 (encoding 2), sorted', () => {
    // encoding u32 = 2, length u32 = 2, then -5 and 1 as int16 little-endian.
    expect(hex(encodeIntset([1n, -5n]))).toBe('02000000' + '02000000' + 'fbff' + '0100');
    expect(hex(encodeIntset([40000n]))).toBe('04000000' + '01000000' + '409c0000');
  });
});

describe('listpack', () => {
  it('an integer between int16 and int24 takes the 24-bit encoding (0xf2)', () => {
    const lp = encodeListpack(['100000']);
    // 6-byte header, then the entry: 0xf2, 3 bytes little-endian, back-length 4; then 0xff.
    expect(hex(lp.subarray(6))).toBe('f2a08601' + '04' + 'ff');
    expect(decodeListpack(lp)).toEqual(['100000']);
  });
});

describe('quicklist nodes in a saved list (RDB 10)', () => {
  /** The node count: the payload is type 18, then the 6-bit length of the node list. */
  const nodes = (items: string[]): number => Buffer.from(dumpPayload({ type: 'list', value: List.from(items) }), 'latin1')[1]! & 0x3f;

  it('small elements share one node; elements of 5,000 bytes get one node each (8 KB per node)', () => {
    expect(nodes(Array.from({ length: 100 }, (_, i) => `e${i}`))).toBe(1);
    expect(nodes(['a'.repeat(5000), 'b'.repeat(5000), 'c'.repeat(5000)])).toBe(3);
  });
});

describe('DUMP payload version', () => {
  it('a payload of RDB version 11 is refused even with a valid checksum', () => {
    const b = Buffer.from(dumpPayload({ type: 'string', value: 'v' }), 'latin1');
    const n = b.length;
    b.writeUInt16LE(11, n - 10);
    b.writeBigUInt64LE(crc64(b, 0n, 0, n - 8), n - 8);
    let err: unknown;
    try {
      restorePayload(b.toString('latin1'));
    } catch (e) {
      err = e;
    }
    expect(isAofError(err) && err.reason).toBe('DUMP payload version or checksum are wrong');
    expect(isAofError(err) && err.details.expected).toBe('RDB version <= 10');
  });
});
