// checkRdb on a value that fails its own integrity check (not the checksum): the offset and the
// error stay the value's, the "RDB CRC error" wording is only for the checksum (mutation survivor).
// redis-check-rdb 7.0.15 printed these lines for the same bytes, except that its error line reads
// "Internal error in RDB reading offset 0, function at rdb.c:2048 -> Quicklist integrity check
// failed." (rdbReportCorruptRDB's prefix, which aofsim's decoder does not reproduce) and its offset
// is 14, past the container, where aofsim says 13, at the container: the offset is left unpinned.
import { describe, expect, it } from 'vitest';
import { checkRdb } from './check-rdb.ts';

describe('checkRdb, a corrupt value', () => {
  it('a quicklist node with container 3: the error at the container, no CRC wording', () => {
    const rdb = Buffer.from('REDIS0010\x12\x01k\x01\x03\x01x\xff' + '\0'.repeat(8), 'latin1');
    const r = checkRdb(rdb, { file: 'qc.rdb', nowMs: 0 });
    expect(r.ok).toBe(false);
    expect(r.lines[2]).toMatch(/^\[offset 1[34]\] Quicklist integrity check failed\.$/);
    expect(r.lines.toSpliced(2, 1)).toEqual([
      '[offset 0] Checking RDB file qc.rdb',
      '--- RDB ERROR DETECTED ---',
      '[additional info] While doing: read-object-value',
      "[additional info] Reading key 'k'",
      '[additional info] Reading type 18 (quicklist-v2)',
      '[info] 1 keys read',
      '[info] 0 expires',
      '[info] 0 already expired',
    ]);
  });
});
