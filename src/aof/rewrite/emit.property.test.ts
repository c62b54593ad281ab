// Property: for any keyspace (binary strings, collections across the 64-item batch boundary,
// any non-NaN score, expires), replaying the rewrite reproduces it, whatever the chunk size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../keyspace/keyspace.ts';
import type { Value } from '../../keyspace/types.ts';
import { ZSet } from '../../keyspace/zset.ts';
import { rewriteAppendOnlyFileRio } from './emit.ts';
import { parseCommands, replay, snapshotOf } from '../../../testing/aof/rewrite-support.ts';
import { List } from '../../keyspace/list.ts';
import { testSeed } from '../../base/test-seed.ts';

const NOW = 1_700_000_000_000;
const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const nonEmpty = (n: number) => fc.uniqueArray(bytes, { minLength: 1, maxLength: n });
const value: fc.Arbitrary<Value> = fc.oneof(
  bytes.map((v) => ({ type: 'string', value: v }) as Value),
  fc.array(bytes, { minLength: 1, maxLength: 150 }).map((v) => ({ type: 'list', value: List.from(v) }) as Value),
  nonEmpty(140).map((v) => ({ type: 'set', value: new Set(v) }) as Value),
  fc.uniqueArray(fc.tuple(bytes, fc.double({ noNaN: true })), { minLength: 1, maxLength: 140, selector: (t) => t[0] }).map((pairs) => {
    const z = new ZSet();
    for (const [m, sc] of pairs) z.set(m, sc);
    return { type: 'zset', value: z } as Value;
  }),
  fc.uniqueArray(fc.tuple(bytes, bytes), { minLength: 1, maxLength: 140, selector: (t) => t[0] }).map((pairs) => ({ type: 'hash', value: new Map(pairs) }) as Value),
);
const keyspace = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 3 }), bytes, value, fc.option(fc.integer({ min: 1, max: 1e9 }))), { maxLength: 25 })
  .map((entries) => {
    const ks = new Keyspace();
    for (const [db, key, v, exp] of entries) {
      ks.db(db).dict.set(key, v);
      if (exp !== null) ks.db(db).expires.set(key, NOW + exp);
      else ks.db(db).expires.delete(key);
    }
    return ks;
  });

describe('rewrite emission (property)', () => {
  it('replay(rewrite(ks)) == ks for both profiles and any chunk size', () => {
    fc.assert(
      fc.property(keyspace, fc.constantFrom('redis-4.0', 'redis-7.0' as const), fc.integer({ min: 1, max: 5000 }), (ks, profile, chunkBytes) => {
        let text = '';
        for (const c of rewriteAppendOnlyFileRio(ks, { profile: profile as 'redis-4.0' | 'redis-7.0', nowMs: NOW, chunkBytes })) text += c;
        expect(snapshotOf(replay(parseCommands(text)))).toEqual(snapshotOf(ks));
      }),
      { numRuns: 60, seed: testSeed(process.env) },
    );
  });
});
