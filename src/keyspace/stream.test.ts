// Stream id parsing and the trim model (redis 7.0.15 streamParseID / streamTrim with whole-node
// approximate trims).

import { describe, expect, it } from 'vitest';
import { appendEntry, deleteEntry, estimateDistance, newStream, parseId, trimStream } from './stream.ts';

const id = (ms: number, seq: number) => ({ ms: BigInt(ms), seq: BigInt(seq) });

describe('stream ids', () => {
  it('parses ms-seq, ms alone (missing seq), - and + (non-strict), ms-* (XADD)', () => {
    expect(parseId('5-3', 0n, true)).toEqual({ id: id(5, 3), seqGiven: true });
    expect(parseId('5', 7n, true)).toEqual({ id: id(5, 7), seqGiven: true });
    expect(parseId('-', 0n, true)).toBeNull();
    expect(parseId('+', 0n, false)?.id).toEqual({ ms: 0xffffffffffffffffn, seq: 0xffffffffffffffffn });
    expect(parseId('5-*', 0n, true, true)).toEqual({ id: id(5, 0), seqGiven: false });
    expect(parseId('5-*', 0n, true)).toBeNull();
    expect(parseId('18446744073709551616-0', 0n, true)).toBeNull();
    expect(parseId('-1-0', 0n, true)).toBeNull();
    expect(parseId('1-2-3', 0n, true)).toBeNull();
  });
});

describe('trimming', () => {
  function stream(n: number) {
    const s = newStream();
    for (let i = 1; i <= n; i++) appendEntry(s, id(i, 0), ['f', 'v']);
    return s;
  }

  it('exact trims remove entries one by one; approximate ones whole 100-entry nodes only', () => {
    expect(trimStream(stream(250), 'maxlen', 10, id(0, 0), false, 0)).toBe(240);
    expect(trimStream(stream(250), 'maxlen', 10, id(0, 0), true, 10000)).toBe(200);
    expect(trimStream(stream(250), 'maxlen', 10, id(0, 0), true, 100)).toBe(100);
    expect(trimStream(stream(250), 'maxlen', 0, id(0, 0), true, 0)).toBe(250);
    expect(trimStream(stream(250), 'minid', 0, id(150, 0), false, 0)).toBe(149);
    expect(trimStream(stream(250), 'minid', 0, id(150, 0), true, 0)).toBe(100);
  });

  it('XDEL bookkeeping: max deleted id, first id, and the entries-read estimate', () => {
    const s = stream(3);
    expect(deleteEntry(s, id(1, 0))).toBe(true);
    expect(deleteEntry(s, id(1, 0))).toBe(false);
    expect(s.maxDeletedId).toEqual(id(1, 0));
    expect(s.firstId).toEqual(id(2, 0));
    expect(estimateDistance(s, id(2, 0))).toBe(2);
    expect(estimateDistance(s, id(3, 0))).toBe(3);
    expect(estimateDistance(s, id(9, 0))).toBe(-1);
  });
});
