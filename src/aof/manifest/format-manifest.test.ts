import { describe, expect, it } from 'vitest';
import { formatManifest, formatAofInfo } from './format-manifest.ts';
import { emptyManifest } from './types.ts';

describe('formatManifest (redis getAofManifestAsString)', () => {
  it('writes BASE, then HISTORY, then INCR, one line each', () => {
    const m = emptyManifest();
    m.incrs.push({ name: 'appendonly.aof.3.incr.aof', seq: 3, type: 'i' });
    m.history.push({ name: 'appendonly.aof.1.base.rdb', seq: 1, type: 'h' });
    m.base = { name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' };
    expect(formatManifest(m)).toBe(
      'file appendonly.aof.2.base.rdb seq 2 type b\n' +
        'file appendonly.aof.1.base.rdb seq 1 type h\n' +
        'file appendonly.aof.3.incr.aof seq 3 type i\n',
    );
  });

  it('writes an empty manifest as nothing', () => {
    expect(formatManifest(emptyManifest())).toBe('');
  });

  it('quotes names that need repr, C-escaped like sdscatrepr', () => {
    expect(formatAofInfo({ name: 'a b', seq: 1, type: 'b' })).toBe('file "a b" seq 1 type b\n');
    expect(formatAofInfo({ name: 'q"\\\n\r\t\x07\x08\x01\xff~', seq: 2, type: 'i' })).toBe(
      'file "q\\"\\\\\\n\\r\\t\\a\\b\\x01\\xff~" seq 2 type i\n',
    );
    // DIVERGENCE(redis): Redis writes it's raw and cannot read it back; we quote it.
    expect(formatAofInfo({ name: "it's", seq: 3, type: 'h' })).toBe('file "it\'s" seq 3 type h\n');
  });
});
