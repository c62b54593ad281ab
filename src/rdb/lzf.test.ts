// LZF: decompress(compress(x)) is x for any bytes; compressible input shrinks; the decompressor
// rejects malformed streams (back references before the start, overruns, wrong lengths) with null.

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
