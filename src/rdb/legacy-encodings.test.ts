// The decoder reads the encodings and opcodes older Redis versions wrote (ziplist, zipmap, intset,
// quicklist v1, ZSET v1 text scores, EXPIRETIME in seconds, IDLE, FREQ, RDB < 5 without a checksum).
// The same sample is loaded by real redis-server in rdb-vs-redis.test.ts.

import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { decodeIntset } from './intset.ts';
import { decodeListpack, encodeListpack } from './listpack.ts';
import { loadRdbInto } from './load-rdb.ts';
import { checkRdb } from './check-rdb.ts';
import { decodeZiplist } from './ziplist.ts';
import { decodeZipmap } from './zipmap.ts';
import { encodeZiplist, encodeZipmap } from '../../testing/rdb/legacy-rdb.ts';
import { legacySample, LEGACY_LIST } from '../../testing/rdb/legacy-sample.ts';
import { keyspaceSnapshot } from '../../testing/rdb/snapshot.ts';

describe('legacy RDB encodings', () => {
  for (const version of [9, 7, 4]) {
    it(`RDB v${version} with ziplists, zipmap, intset, quicklist v1, text scores, EXPIRETIME decodes`, () => {
      const { bytes, expected } = legacySample(version);
      const ks = new Keyspace();
      const res = loadRdbInto(ks, bytes, { file: `v${version}.rdb` });
      expect(res.version).toBe(version);
      expect(res.endOffset).toBe(bytes.length);
      expect(keyspaceSnapshot(ks)).toEqual(keyspaceSnapshot(expected));
    });
  }

  it('RDB < 5 has no checksum: trailing bytes after EOF are not read', () => {
    const { bytes } = legacySample(4);
    const withTail = Buffer.concat([bytes, Buffer.from('*1\r\n$4\r\nPING\r\n')]);
    const res = loadRdbInto(new Keyspace(), withTail, { file: 'v4.aof' });
    expect(res.endOffset).toBe(bytes.length);
    const chk = checkRdb(withTail, { file: 'v4.aof' });
    expect(chk.ok && chk.lines.some((l) => l.includes('Checksum'))).toBe(false);
  });

  it('ziplist: every integer width and both string length forms', () => {
    expect(decodeZiplist(encodeZiplist(LEGACY_LIST))).toEqual(LEGACY_LIST);
    const big = ['s'.repeat(20000), '9223372036854775807', '-9223372036854775808', '8388608', '-32769'];
    expect(decodeZiplist(encodeZiplist(big))).toEqual(big);
  });

  it('ziplist: a hand-assembled blob (immediate 5, int16 -2, "ab")', () => {
    const body = [0x00, 0xf6, 0x02, 0xc0, 0xfe, 0xff, 0x04, 0x02, 0x61, 0x62]; // each prevlen: the entry before's size
    const b = Buffer.from([...[0, 0, 0, 0], ...[0, 0, 0, 0], 3, 0, ...body, 0xff]);
    b.writeUInt32LE(b.length, 0);
    b.writeUInt32LE(10 + 2 + 4, 4); // zltail: the last entry ("ab") starts after the first two
    expect(decodeZiplist(b)).toEqual(['5', '-2', 'ab']);
  });

  it('zipmap and intset', () => {
    expect(decodeZipmap(encodeZipmap([['a', 'b'], ['k'.repeat(260), 'v']]))).toEqual(['a', 'b', 'k'.repeat(260), 'v']);
    // intset: encoding 4, 2 elements: -1, 70000
    const is = Buffer.from([4, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x70, 0x11, 0x01, 0x00]);
    expect(decodeIntset(is)).toEqual(['-1', '70000']);
  });

  it('listpack: integers at every encoding boundary and strings of every length form', () => {
    const items = ['0', '127', '128', '-1', '4095', '-4096', '4096', '-4097', '32767', '-32768', '32768', '8388607', '-8388608', '8388608', '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '', 'a'.repeat(63), 'b'.repeat(64), 'c'.repeat(4095), 'd'.repeat(4096), 'e'.repeat(70000), '-0', '007'];
    const lp = encodeListpack(items);
    expect(decodeListpack(lp)).toEqual(items);
    // 7-bit uint 5 is one byte + backlen 1: [total u32][count u16] 05 01 ff
    expect([...encodeListpack(['5'])]).toEqual([9, 0, 0, 0, 1, 0, 5, 1, 0xff]);
  });

  it('malformed blobs inside an RDB are AOF_RDB_CORRUPT with Redis reasons', () => {
    const { bytes } = legacySample(9);
    const at = Buffer.from(bytes).indexOf(Buffer.from(encodeZiplist(['f1', 'v1', 'n', '5'])));
    expect(at).toBeGreaterThan(0);
    const copy = Buffer.from(bytes);
    copy[at] ^= 0x01; // zlbytes no longer matches the blob size
    copy.fill(0, copy.length - 8); // disable the checksum so the structure check is what fails
    try {
      loadRdbInto(new Keyspace(), copy, { file: 'bad.rdb' });
      expect.unreachable('should have failed');
    } catch (e) {
      expect(isAofError(e) && e.code).toBe('AOF_RDB_CORRUPT');
      expect(isAofError(e) && e.reason).toBe('Hash ziplist integrity check failed.');
      expect(isAofError(e) && e.details.offset).toBe(at - 1);
    }
  });
});
