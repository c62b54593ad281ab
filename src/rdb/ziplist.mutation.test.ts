// Ziplist details no other unit test pinned (mutation survivors): -128 is an int8 entry (0xfe),
// ziplistEntryBytes is exactly what an entry adds to an encoded ziplist, and an encoding byte no
// entry type uses is refused (redis: zipTryEncoding, zipStorePrevEntryLength, zipEntrySafe).
import { describe, expect, it } from 'vitest';
import { encodeZiplist, ziplistEntryBytes } from './ziplist-writer.ts';
import { decodeZiplist } from './ziplist.ts';

const HEADER = 10;

describe('ziplist', () => {
  it('-128 and 127 are int8 entries; -129 is not', () => {
    // header, then prevlen 0, encoding 0xfe, the byte; then 0xff.
    expect(Buffer.from(encodeZiplist(['-128'])).subarray(HEADER).toString('hex')).toBe('00fe80ff');
    expect(Buffer.from(encodeZiplist(['127'])).subarray(HEADER).toString('hex')).toBe('00fe7fff');
    expect(Buffer.from(encodeZiplist(['-129'])).subarray(HEADER).toString('hex')).toBe('00c07fffff');
  });

  it('ziplistEntryBytes is what pushing the entry adds to the encoded ziplist', () => {
    const before = ['a'.repeat(300)];
    for (const s of ['x', '12', '-128', '100000', 'b'.repeat(70)]) {
      const grown = encodeZiplist([...before, s]).length - encodeZiplist(before).length;
      expect(ziplistEntryBytes(s, 303), s).toBe(grown);
      expect(ziplistEntryBytes(s, 0), s).toBe(encodeZiplist([s]).length - encodeZiplist([]).length);
    }
  });

  it('an entry encoding byte no type uses (0xc5) is refused', () => {
    const zl = Buffer.from(encodeZiplist(['-128']));
    zl[HEADER + 1] = 0xc5;
    expect(() => decodeZiplist(zl)).toThrow('Ziplist integrity check failed: invalid encoding byte 0xc5');
  });
});
