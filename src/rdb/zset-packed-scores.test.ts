// How a sorted set's packed encoding reads a score stored as text (redis 7.0.15: t_zset.c
// zzlGetScore -> zzlStrtod: strtod of the first 127 bytes, where it stopped unchecked). Observed on
// redis-server 7.0.15 with a ziplist sorted set loaded from an RDB 8 file: ZSCORE gives 0 for
// "abc", 12 for "12abc", 5 for " 5", 16 for "0x10". A NaN text is refused
// (docs/findings/zset-nan-score-aborts.md: 7.0.15 keeps it, or aborts on a large set).

import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { zzlStrtod } from './int-text.ts';
import { loadRdbInto } from './load-rdb.ts';
import { encodeZiplist } from './ziplist-writer.ts';

/** RDB 8: key `k`, a ZSET_ZIPLIST of member m with the text score `score`; no checksum. */
function zsetRdb(score: string): Uint8Array {
  const zl = Buffer.from(encodeZiplist(['m', score]));
  if (zl.length > 63) throw new Error('keep the ziplist under a 6-bit length');
  return Buffer.concat([Buffer.from('REDIS0008', 'latin1'), Buffer.from([0xfe, 0x00, 12, 1, 0x6b, zl.length]), zl, Buffer.from([0xff]), Buffer.alloc(8)]);
}

describe('packed sorted-set scores', () => {
  it('zzlStrtod: no number is 0, the rest after a number is ignored, 127 bytes at most', () => {
    expect([zzlStrtod('abc'), zzlStrtod('12abc'), zzlStrtod(' 5'), zzlStrtod('0x10'), zzlStrtod('-inf'), zzlStrtod('')]).toEqual([0, 12, 5, 16, -Infinity, 0]);
    expect(zzlStrtod('1'.repeat(127) + '9')).toBe(Number('1'.repeat(127)));
    expect(zzlStrtod('nan')).toBeNaN();
  });

  it('a ziplist sorted set loads its text scores as zzlStrtod reads them, and refuses a NaN', () => {
    for (const [text, score] of [['abc', 0], ['12abc', 12], [' 5', 5], ['0x10', 16]] as const) {
      const ks = new Keyspace();
      loadRdbInto(ks, zsetRdb(text), { file: 'dump.rdb', maxVersion: 8 });
      const v = ks.db(0).dict.get('k');
      expect(v?.type === 'zset' ? v.value.score('m') : v, text).toBe(score);
    }
    let reason = '';
    try {
      loadRdbInto(new Keyspace(), zsetRdb('nan'), { file: 'dump.rdb', maxVersion: 8 });
    } catch (e) {
      if (!isAofError(e)) throw e;
      reason = e.reason;
    }
    expect(reason).toBe('Zset ziplist integrity check failed.');
  });
});
