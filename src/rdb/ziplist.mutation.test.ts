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

  // redis 7.0.15 ziplistValidateIntegrity: what the deep check refuses besides a bad encoding byte.
  it('refuses a prevlen that is not the previous entry size, a zltail not at the last entry, a wrong zllen', () => {
    const good = Buffer.from(encodeZiplist(['a', 'bc', '7']));
    expect(decodeZiplist(good)).toEqual(['a', 'bc', '7']);
    const prevlen = Buffer.from(good);
    prevlen[HEADER + 3] = 2; // the second entry's prevlen: the first entry is 3 bytes
    expect(() => decodeZiplist(prevlen)).toThrow('prevlen 2 != previous entry size 3');
    const tail = Buffer.from(good);
    tail.writeUInt32LE(HEADER, 4);
    expect(() => decodeZiplist(tail)).toThrow('is not the last entry');
    const count = Buffer.from(good);
    count.writeUInt16LE(2, 8);
    expect(() => decodeZiplist(count)).toThrow('header count 2 != 3 entries');
    count.writeUInt16LE(65535, 8); // unknown: not checked
    expect(decodeZiplist(count)).toEqual(['a', 'bc', '7']);
  });

  it('pairs: a field twice or an odd count is refused; integer and text fields compare as text', () => {
    expect(decodeZiplist(encodeZiplist(['f', '1', 'g', '1']), true)).toEqual(['f', '1', 'g', '1']);
    expect(() => decodeZiplist(encodeZiplist(['7', 'x', '7', 'y']), true)).toThrow('a field twice');
    expect(() => decodeZiplist(encodeZiplist(['f', '1', 'g']), true)).toThrow('an odd number of entries');
    expect(decodeZiplist(encodeZiplist(['f', '1', 'g']))).toEqual(['f', '1', 'g']);
  });
});
