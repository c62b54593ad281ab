// The memo of empty-dataset RDBs (server-empty-rdb.ts) and of their loads (aof/loader/rdb-loader-for.ts):
// a memo hit gives exactly what a fresh encode or load gives, and a dataset or file that is not
// empty never comes from the memo.

import { describe, expect, it } from 'vitest';
import { Keyspace } from './keyspace/keyspace.ts';
import { encodeRdb } from './rdb/index.ts';
import { encodeRdbMemoEmpty } from './server-empty-rdb.ts';
import { rdbLoaderFor } from './aof/loader/rdb-loader-for.ts';
import { isAofError } from './base/errors.ts';

const OPTS = { nowMs: 1_700_000_000_000, aofBase: true, redisVer: '7.0.15', version: 10 } as const;

describe('encodeRdbMemoEmpty', () => {
  it('gives encodeRdb bytes for an empty dataset, first call and memo hit alike, per option set', () => {
    const ks = new Keyspace();
    for (const opts of [OPTS, { ...OPTS, nowMs: OPTS.nowMs + 5000 }, { ...OPTS, aofBase: false, aofPreamble: true }, { ...OPTS, version: 8 as const, redisVer: '4.0.14' }]) {
      const fresh = encodeRdb(ks, opts);
      expect(encodeRdbMemoEmpty(ks, opts)).toEqual(fresh);
      expect(encodeRdbMemoEmpty(ks, opts)).toEqual(fresh);
    }
  });

  it('encodes a dataset with a key or a library afresh, never from the memo', () => {
    const ks = new Keyspace();
    const empty = encodeRdbMemoEmpty(ks, OPTS);
    ks.dbs[3].dict.set('k', { type: 'string', value: 'v' });
    expect(encodeRdbMemoEmpty(ks, OPTS)).toEqual(encodeRdb(ks, OPTS));
    expect(encodeRdbMemoEmpty(ks, OPTS)).not.toEqual(empty);
    const lib = new Keyspace();
    lib.functions.set('mylib', "#!lua name=mylib\nredis.register_function('f', function() return 1 end)");
    expect(encodeRdbMemoEmpty(lib, OPTS)).toEqual(encodeRdb(lib, OPTS));
    expect(encodeRdbMemoEmpty(lib, OPTS)).not.toEqual(empty);
  });
});

describe('rdbLoaderFor on small RDBs', () => {
  it('an empty RDB loads to the same end offset every time and changes nothing', () => {
    const bytes = encodeRdb(new Keyspace(), OPTS);
    const ks = new Keyspace();
    const load = rdbLoaderFor(ks);
    expect(load(bytes, 'base.rdb')).toBe(bytes.length);
    expect(load(bytes, 'base.rdb')).toBe(bytes.length);
    expect(ks.size()).toBe(0);
  });

  it('an RDB with keys is loaded every time (the second load into the same keyspace finds the duplicate)', () => {
    const src = new Keyspace();
    src.dbs[0].dict.set('a', { type: 'string', value: '1' });
    const bytes = encodeRdb(src, OPTS);
    const ks = new Keyspace();
    const load = rdbLoaderFor(ks);
    expect(load(bytes, 'base.rdb')).toBe(bytes.length);
    expect(ks.dbs[0].dict.get('a')).toEqual({ type: 'string', value: '1' });
    const again = (() => {
      try {
        load(bytes, 'base.rdb');
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(isAofError(again) && again.reason).toBe('Duplicated key found in RDB file');
    // A fresh keyspace loads it again, key included.
    const other = new Keyspace();
    rdbLoaderFor(other)(bytes, 'base.rdb');
    expect(other.size()).toBe(1);
  });

  it('a version limit is part of the memo: a memoized empty RDB 10 still fails under 4.0 (maxVersion 8)', () => {
    const bytes = encodeRdb(new Keyspace(), OPTS);
    const load = rdbLoaderFor(new Keyspace());
    expect(load(bytes, 'base.rdb')).toBe(bytes.length);
    expect(() => load(bytes, 'base.rdb', { maxVersion: 8 })).toThrow();
  });
});
