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

  it('reads each part as string2ull does: string2ll, else a whole-string strtoull (checked on redis-server 7.0.15)', () => {
    const ok = (s: string) => parseId(s, 0n, true)?.id;
    expect(ok(' 6')).toEqual(id(6, 0));
    expect(ok('+7')).toEqual(id(7, 0));
    expect(ok('\t8-\n1')).toEqual(id(8, 1));
    expect(ok('10-+3')).toEqual(id(10, 3));
    expect(ok('00000000000000000000000011')).toEqual(id(11, 0));
    expect(ok('12- 5')).toEqual(id(12, 5));
    expect(ok('13--01')).toEqual({ ms: 13n, seq: 0xffffffffffffffffn });
    expect(ok('14- -18446744073709551615')).toEqual(id(14, 1));
    expect(ok('17--0')).toEqual(id(17, 0));
    for (const bad of ['13--1', '14-18446744073709551616', '15-', '15-*x', '16-+', '17 ', '17-0x1', '-0', '']) expect(ok(bad)).toBeUndefined();
  });

  it('stops at the first NUL, as the C buffer Redis copies the argument into', () => {
    expect(parseId('9\0zz', 0n, true)?.id).toEqual(id(9, 0));
    expect(parseId('-\0x', 0n, false)?.id).toEqual(id(0, 0));
    expect(parseId('-\0x', 0n, true)).toBeNull();
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
