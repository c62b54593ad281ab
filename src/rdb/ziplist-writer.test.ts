// encodeZiplist against the reader and against bytes Redis 4.0's ziplistPush produces.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeZiplist } from './ziplist.ts';
import { encodeZiplist } from './ziplist-writer.ts';
import { d2string } from './save-object.ts';
import { testSeed } from '../base/test-seed.ts';

/** The suite seed (AOFSIM_SEED, else fixed): the same runs every time. */
const SEED = testSeed(process.env);

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('encodeZiplist (redis 4.0 ziplistPush at the tail)', () => {
  it('empty: ziplistNew is 11 bytes, zltail at the header end', () => {
    expect(hex(encodeZiplist([]))).toBe('0b0000000a0000000000ff');
  });

  it('picks the smallest integer encoding and the string length forms', () => {
    // "a": prevlen 0, 00000001 'a'; "7": immediate 0xf8; "-100": int8; "1000": int16;
    // "100000": int24; "10000000": int32; 2^40: int64; "01" is not canonical: a string.
    const zl = encodeZiplist(['a', '7', '-100', '1000', '100000', '10000000', String(2 ** 40), '01']);
    const b = Buffer.from(zl);
    expect(b.readUInt32LE(0)).toBe(zl.length);
    expect(b.readUInt16LE(8)).toBe(8);
    expect(hex(zl.subarray(10, 10 + 3))).toBe('000161');
    expect(hex(zl.subarray(13, 15))).toBe('03f8');
    expect(hex(zl.subarray(15, 18))).toBe('02fe9c');
    expect(hex(zl.subarray(18, 22))).toBe('03c0e803');
    expect(hex(zl.subarray(22, 27))).toBe('04f0a08601');
    expect(decodeZiplist(zl)).toEqual(['a', '7', '-100', '1000', '100000', '10000000', String(2 ** 40), '01']);
    // zltail points at the last entry ("01"), whose prevlen is the int64 entry's 10 bytes.
    expect(zl[b.readUInt32LE(4)]).toBe(10);
  });

  it('long strings and long previous entries (0xfe prevlen, 14- and 32-bit lengths)', () => {
    const xs = ['x'.repeat(300), 'y', 'z'.repeat(20000), 'end'];
    const zl = encodeZiplist(xs);
    expect(decodeZiplist(zl)).toEqual(xs);
    const b = Buffer.from(zl);
    // the entry after the 300-byte string stores its length as 0xfe + u32 LE
    expect(b[10 + 1 + 2 + 300]).toBe(0xfe);
    expect(b.readUInt32LE(10 + 1 + 2 + 300 + 1)).toBe(303);
  });

  it('decodes to what was encoded, for any byte strings', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 300 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String))), (xs) => {
        const latin = xs.map((s) => Buffer.from(s, 'utf8').toString('latin1'));
        expect(decodeZiplist(encodeZiplist(latin))).toEqual(latin);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('d2string: integral scores as integers, others as %.17g', () => {
    expect([1, -0, 0, 1.5, 0.1, Infinity, -Infinity, 2 ** 53].map(d2string)).toEqual([
      '1', '-0', '0', '1.5', '0.10000000000000001', 'inf', '-inf', '9007199254740992',
    ]);
  });
});
