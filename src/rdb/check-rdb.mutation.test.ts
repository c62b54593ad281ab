// checkRdb on values that fail their own checks (not the checksum): the lines are those
// redis-check-rdb 7.0.15 printed for the same bytes, except that its integrity-error line carries
// rdbReportCorruptRDB's prefix ("Internal error in RDB reading offset 0, function at rdb.c:2048 -> "),
// which aofsim's decoder does not reproduce. The offset is rio's processed bytes: past what was read
// when the check failed, not where the bad item starts.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../keyspace/keyspace.ts';
import { checkRdb } from './check-rdb.ts';
import { loadRdbInto } from './load-rdb.ts';

function check(body: string): string[] {
  const r = checkRdb(Buffer.from('REDIS0010' + body + '\xff' + '\0'.repeat(8), 'latin1'), { file: 'x.rdb', nowMs: 0 });
  expect(r.ok).toBe(false);
  return r.lines;
}

const tail = (type: string): string[] => [
  '[additional info] While doing: read-object-value',
  "[additional info] Reading key 'k'",
  `[additional info] Reading type ${type}`,
  '[info] 1 keys read',
  '[info] 0 expires',
  '[info] 0 already expired',
];

describe('checkRdb, a corrupt value', () => {
  it('a quicklist node with container 3: past the container, no CRC wording', () => {
    expect(check('\x12\x01k\x01\x03\x01x')).toEqual([
      '[offset 0] Checking RDB file x.rdb',
      '--- RDB ERROR DETECTED ---',
      '[offset 14] Quicklist integrity check failed.',
      ...tail('18 (quicklist-v2)'),
    ]);
  });

  it('an empty quicklist node is a short read, just past the node', () => {
    expect(check('\x12\x01k\x01\x02\x00')).toEqual(['[offset 0] Checking RDB file x.rdb', '--- RDB ERROR DETECTED ---', '[offset 15] Unexpected EOF reading RDB file', ...tail('18 (quicklist-v2)')]);
  });

  it('an empty collection is a short read for redis-check-rdb (the loader skips it)', () => {
    expect(check('\x04\x01k\x00')).toEqual(['[offset 0] Checking RDB file x.rdb', '--- RDB ERROR DETECTED ---', '[offset 13] Unexpected EOF reading RDB file', ...tail('4 (hash-hashtable)')]);
  });

  it('an encoded-value marker where a count is expected is its low 6 bits (rdbLoadLen(rdb, NULL))', () => {
    // 0xc1: a count of 1; the field then starts with 0xff, an unknown string encoding (63).
    expect(check('\x04\x01k\xc1')).toEqual(['[offset 0] Checking RDB file x.rdb', '--- RDB ERROR DETECTED ---', '[offset 14] Unknown RDB string encoding type 63', ...tail('4 (hash-hashtable)')]);
  });

  it('an unknown length prefix names its top two bits; an unknown type byte is an invalid object type', () => {
    const len = check('\x02\x01k\x82');
    expect(len[2]).toBe('[offset 13] Unknown length encoding 2 in rdbLoadLen()');
    const r = checkRdb(Buffer.from('REDIS0010\x7a\x01k\x00\xff' + '\0'.repeat(8), 'latin1'), { file: 'x.rdb', nowMs: 0 });
    expect(r.lines.slice(1, 4)).toEqual(['--- RDB ERROR DETECTED ---', '[offset 10] Invalid object type: 122', '[additional info] While doing: read-type']);
  });

  it('a NaN score is reported as its pair is read, not after the whole zset', () => {
    // ZSET_2: member "a" score NaN, then member "b" score 1.
    const nan = Buffer.alloc(8);
    nan.writeDoubleLE(Number.NaN);
    const one = Buffer.alloc(8);
    one.writeDoubleLE(1);
    expect(check('\x05\x01k\x02\x01a' + nan.toString('latin1') + '\x01b' + one.toString('latin1'))[2]).toBe('[offset 23] Zset with NAN score detected');
  });
});

describe('checkRdb, found by the property against redis-check-rdb 7.0.15', () => {
  it('a SELECTDB past 16 is printed, not refused (redis-check-rdb has no database limit)', () => {
    const r = checkRdb(Buffer.from('REDIS0010\xfe\x31\xff' + '\0'.repeat(8), 'latin1'), { file: 'x.rdb', nowMs: 0 });
    expect(r.lines.slice(1, 3)).toEqual(['[offset 11] Selecting DB ID 49', '[offset 20] RDB file was saved with checksum disabled: no check performed.']);
    expect(r.ok).toBe(true);
  });

  it('a truncated stream names the read that came up short, as rdbReportReadError does', () => {
    // STREAM_LISTPACKS_2, one node whose master id string is cut short.
    expect(check('\x13\x01k\x01\x10\x00\x00')[2]).toBe('[offset 14] Stream master ID loading failed: invalid encoding or I/O error.');
  });

  it('a listpack whose header count or backlen disagrees with its entries fails deep integrity', () => {
    // quicklist-v2, one packed node: the listpack ["a"] (total 10, count 1, 0x81 'a', backlen 2, 0xff).
    const lp = (count: number, backlen: number): string => '\x0a\x00\x00\x00' + String.fromCharCode(count) + '\x00\x81a' + String.fromCharCode(backlen) + '\xff';
    expect(checkRdb(Buffer.from('REDIS0010\x12\x01k\x01\x02\x0a' + lp(1, 2) + '\xff' + '\0'.repeat(8), 'latin1'), { file: 'x.rdb' }).ok).toBe(true);
    expect(check('\x12\x01k\x01\x02\x0a' + lp(2, 2))[2]).toBe('[offset 25] Listpack integrity check failed.');
    expect(check('\x12\x01k\x01\x02\x0a' + lp(1, 3))[2]).toBe('[offset 25] Listpack integrity check failed.');
    // A loading server validates only the header and the walk (sanitize-dump-payload no): it loads them.
    for (const bad of [lp(2, 2), lp(1, 3)]) {
      const ks = new Keyspace();
      loadRdbInto(ks, Buffer.from('REDIS0010\x12\x01k\x01\x02\x0a' + bad + '\xff' + '\0'.repeat(8), 'latin1'), { file: 'x.rdb' });
      expect(ks.db(0).dict.get('k')?.type).toBe('list');
    }
  });
});
