// byteOrder against the plain comparison sort it replaces: the same order for any set of byte
// strings, including the shapes that exercise its word ties (shared prefixes longer than a word,
// keys that are prefixes of others, NUL and 0xff bytes, keys ending inside a word).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteOrder } from './byte-order.ts';
import { testSeed } from '../base/test-seed.ts';

const seed = testSeed(process.env);

/** The reference: UTF-16 code unit order, byte order for byte strings. */
function sorted(keys: readonly string[]): string[] {
  return [...keys].sort();
}

function viaByteOrder(keys: readonly string[]): string[] {
  return Array.from(byteOrder(keys), (i) => keys[i]);
}

// Few distinct chars (so prefixes and ties are common), NUL and 0xff among them.
const char = fc.constantFrom('\u0000', 'a', 'b', '\u00ff', '0', '9');
const tail = fc.array(char, { maxLength: 12 }).map((cs) => cs.join(''));
const prefix = fc.constantFrom('', 'k', 'key:', 'user:session:', '\u0000\u0000\u0000\u0000\u0000\u0000');
const key = fc.tuple(prefix, tail).map(([p, t]) => p + t);

describe('byteOrder', () => {
  it('orders any set of byte strings as a comparison sort does', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 400 }), (keys) => {
        expect(viaByteOrder(keys)).toEqual(sorted(keys));
      }),
      { numRuns: 300, seed },
    );
  });

  it('gives a permutation of the indexes', () => {
    const keys = ['b', 'a', '', 'ab', 'a\u0000', 'a\u0000\u0000'];
    for (let i = 0; i < 40; i++) keys.push(`x${i}`);
    expect([...byteOrder(keys)].sort((x, y) => x - y)).toEqual(keys.map((_, i) => i));
    expect(viaByteOrder(keys)).toEqual(sorted(keys));
  });

  it('orders 200k keys in shuffled order, with long shared prefixes and ties past the first word', () => {
    const rnd = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: 1, seed })[0];
    let s = rnd;
    const keys: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const group = i % 3 === 0 ? 'user:session:' : i % 3 === 1 ? 'user:' : 'u';
      keys.push(`${group}${i % 7 === 0 ? '\u0000' : ''}${i}`);
    }
    for (let i = keys.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const j = s % (i + 1);
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    expect(viaByteOrder(keys)).toEqual(sorted(keys));
  });

  it('handles no keys and one key', () => {
    expect([...byteOrder([])]).toEqual([]);
    expect([...byteOrder([''])]).toEqual([0]);
  });
});
