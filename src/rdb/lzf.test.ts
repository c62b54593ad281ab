// LZF: decompress(compress(x)) is x for any bytes; compressible input shrinks; the compressor gives
// liblzf's bytes as Redis builds it (vectors taken from redis-server 7.0.15's DUMP payloads; the
// differential property properties/conformance/dump-bytes-vs-redis.test.ts checks many more); the
// decompressor rejects malformed streams (back references before the start, overruns, wrong
// lengths) with null.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lzfCompress, lzfDecompress } from './lzf.ts';
import { testSeed } from '../base/test-seed.ts';

/** The suite seed (AOFSIM_SEED, else fixed): the same runs every time. */
const SEED = testSeed(process.env);

describe('lzf', () => {
  it('round-trips random and repetitive data', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 3000 }),
          fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 2000 })).map(([u, n]) => {
            const out = new Uint8Array(u.length * n);
            for (let i = 0; i < n; i++) out.set(u, i * u.length);
            return out;
          }),
        ),
        (src) => {
          const c = lzfCompress(src, src.length + 64);
          expect(c).not.toBeNull();
          const d = lzfDecompress(c!, 0, c!.length, src.length);
          expect(d).not.toBeNull();
          expect(Buffer.from(d!).equals(Buffer.from(src))).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('compresses repetitive data and gives up (null) when output would exceed the limit', () => {
    const src = Buffer.from('abc'.repeat(1000), 'latin1');
    const c = lzfCompress(src, src.length - 4);
    expect(c!.length).toBeLessThan(60);
    const random = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 7919 + 13) & 0xff));
    expect(lzfCompress(random, random.length - 4)).toBeNull();
  });

  // Each vector is what redis-server 7.0.15 stored after its 0xc3 LZF marker for SET k <input>.
  it.each([
    // position 0 is never a match source (liblzf: ref > in_data), so "thet" is literal; the match
    // then stops 1 byte short of the end (maxlen = remaining - 2) and "e" is a literal.
    ['thethethethethethethethe', '0374686574e00a020065'],
    // 19 bytes remain at the match, nominal limit 17: the unrolled compare takes all 19.
    ['a'.repeat(21), '016161e00a00'],
    // literal runs around two matches at distances 26 and 36.
    ['abcdefghijklmnopqrstuvwxyz'.repeat(2) + '0123456789abcdefghijklmnopqrstu', '1a6162636465666768696a6b6c6d6e6f707172737475767778797a61e010190930313233343536373839e00a23017475'],
    // a 264-byte match (the cap), then one cut by the end-of-input limit, then 2 literals.
    ['x'.repeat(300), '017878e0ff00e01700017878'],
  ])('compresses %j to the bytes redis-server 7.0.15 stores', (text, hex) => {
    const src = Buffer.from(text, 'latin1');
    const c = lzfCompress(src, src.length - 4);
    expect(Buffer.from(c!).toString('hex')).toBe(hex);
  });

  it('decodes a hand-assembled stream: literal "ab", back reference 4 bytes at distance 2', () => {
    // 0x01 'a' 'b' = literal of 2; 0x40 0x01 = len (2)+2 = 4, distance 1+1 = 2
    const d = lzfDecompress(Uint8Array.from([0x01, 0x61, 0x62, 0x40, 0x01]), 0, 5, 6);
    expect(Buffer.from(d!).toString('latin1')).toBe('ababab');
  });

  it('rejects malformed input', () => {
    expect(lzfDecompress(Uint8Array.from([0x20, 0x05]), 0, 2, 3)).toBeNull(); // reference before start
    expect(lzfDecompress(Uint8Array.from([0x05, 0x61]), 0, 2, 6)).toBeNull(); // literal past input end
    expect(lzfDecompress(Uint8Array.from([0x00, 0x61]), 0, 2, 2)).toBeNull(); // too short output
    expect(lzfDecompress(Uint8Array.from([0x01, 0x61, 0x62]), 0, 3, 1)).toBeNull(); // output overrun
    expect(lzfDecompress(Uint8Array.from([0xe0]), 0, 1, 9)).toBeNull(); // truncated length byte
  });
});
