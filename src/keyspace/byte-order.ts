// Sorting byte strings (src/keyspace/types.ts Bytes) by their bytes, fast on millions of keys: the
// key order of the canonical dump. Redis has no such step (its dump is the RDB, in dict order); the
// canonical dump needs it so two implementations compare byte for byte.
//
// Why not a comparator sort: it calls back into JavaScript about n log n times and reads both strings
// each time; on a million-key dict in random order every read is a cache miss (1.3-2.2 s for 1M
// shuffled keys on the project's 2-core machine, most of a dump's output time). Here each key gets one
// 64-bit sort word instead: the next bytes of the key after the prefix every key of the range shares
// (as many bytes as fit above the index bits), then the key's position in the range. One native
// BigUint64Array sort (no callbacks) orders the words; keys whose words tie on those bytes form short
// runs, sorted again the same way one word further on (or, when short, by comparing the strings).
//
// Invariants: the result is a permutation of 0..n-1 with keys[r[i]] <= keys[r[i+1]] in UTF-16 code
// unit order, which for byte strings (every char <= 0xff) is byte order; a byte past a key's end
// reads as 0 in a word, so a key that ends inside a word ties with its NUL-extended neighbours and
// such ties are settled by length (the shorter is a prefix of the longer, hence smaller).

import type { Bytes } from './types.ts';

/** Ranges up to this size are sorted by comparing the strings directly. */
const SMALL_RANGE = 16;

/** The indexes of `keys` in byte order of the keys. */
export function byteOrder(keys: readonly Bytes[]): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  sortRange(keys, order, 0, n, 0);
  return order;
}

const byBytes = (keys: readonly Bytes[]) => (a: number, b: number): number => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0);

/** Sorts order[from, to) by key, a comparison at a time (short ranges). */
function compareSort(keys: readonly Bytes[], order: Uint32Array, from: number, to: number): void {
  if (to - from <= SMALL_RANGE) {
    for (let i = from + 1; i < to; i++) {
      const x = order[i];
      const kx = keys[x];
      let j = i - 1;
      while (j >= from && keys[order[j]] > kx) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
    return;
  }
  order.subarray(from, to).sort(byBytes(keys));
}

/** The platform's byte order decides which Uint32 half of a 64-bit word is the high one. */
const HI = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/**
 * Sorts order[from, to) by key, given that the keys there are equal in their first `depth` bytes
 * (a byte past a key's end counting as 0).
 */
function sortRange(keys: readonly Bytes[], order: Uint32Array, from: number, to: number, depth: number): void {
  if (to - from <= SMALL_RANGE) {
    compareSort(keys, order, from, to);
    return;
  }
  // Keys that end within the shared bytes are prefixes of the others (whose next bytes are NULs):
  // they come first, shorter first. Moved to the front, in place.
  let longFrom = from;
  for (let i = from; i < to; i++) {
    if (keys[order[i]].length <= depth) {
      const t = order[longFrom];
      order[longFrom++] = order[i];
      order[i] = t;
    }
  }
  if (longFrom > from) {
    compareSort(keys, order, from, longFrom);
    if (to - longFrom <= SMALL_RANGE) {
      compareSort(keys, order, longFrom, to);
      return;
    }
  }
  const base = longFrom;
  const n = to - base;
  // The prefix every remaining key shares beyond `depth` (at most the shortest key's length).
  const k0 = keys[order[base]];
  let start = k0.length;
  for (let i = base + 1; i < to && start > depth; i++) {
    const k = keys[order[i]];
    const lim = k.length < start ? k.length : start;
    let p = depth;
    while (p < lim && k.charCodeAt(p) === k0.charCodeAt(p)) p++;
    start = p;
  }
  // Word layout: 4 bytes of the key in the high half; in the low half as many more bytes as fit
  // above the index bits, then zeros, then the index (position in the range).
  const idxBits = 32 - Math.clz32(n - 1);
  const loBytes = (32 - idxBits) >> 3;
  const idxMask = idxBits === 32 ? 0xffffffff : (1 << idxBits) - 1;
  const words = new BigUint64Array(n);
  const halves = new Uint32Array(words.buffer);
  for (let i = 0; i < n; i++) {
    const k = keys[order[base + i]];
    const len = k.length;
    let hi = 0;
    for (let b = 0, p = start; b < 4; b++, p++) hi = (hi << 8) | (p < len ? k.charCodeAt(p) : 0);
    let lo = 0;
    for (let b = 0, p = start + 4; b < loBytes; b++, p++) lo = (lo << 8) | (p < len ? k.charCodeAt(p) : 0);
    halves[2 * i + HI] = hi >>> 0;
    halves[2 * i + LO] = ((loBytes === 0 ? 0 : lo << (32 - 8 * loBytes)) | i) >>> 0;
  }
  words.sort();
  const slice = order.slice(base, to);
  for (let i = 0; i < n; i++) order[base + i] = slice[(halves[2 * i + LO] & idxMask) >>> 0];
  // Runs of equal key bytes in the word: sorted one word further on.
  const next = start + 4 + loBytes;
  let runFrom = 0;
  for (let i = 1; i <= n; i++) {
    if (
      i < n &&
      halves[2 * i + HI] === halves[2 * runFrom + HI] &&
      (halves[2 * i + LO] & ~idxMask) === (halves[2 * runFrom + LO] & ~idxMask)
    ) {
      continue;
    }
    if (i - runFrom > 1) sortRange(keys, order, base + runFrom, base + i, next);
    runFrom = i;
  }
}
