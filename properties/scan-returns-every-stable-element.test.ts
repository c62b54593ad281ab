// Property: SCAN's guarantee (redis 7.0.15 SCAN documentation, "Scan guarantees"): a full iteration
// returns every element present from its start to its end at least once, whatever is added or
// removed between the calls; each call returns about COUNT elements; the iteration ends (cursor 0).
// Checked for SCAN over the keyspace and HSCAN/SSCAN/ZSCAN over big (hash-table) collections, with
// random adds, deletes and re-adds between the calls. Fixed seed (AOFSIM_SEED overrides).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rig } from '../testing/commands/rig.ts';

type Kind = 'scan' | 'hscan' | 'sscan' | 'zscan';

/** Between two calls: add element n (new or re-added), or delete element n. */
interface Step {
  count: number;
  ops: { add: boolean; n: number }[];
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  count: fc.integer({ min: 1, max: 40 }),
  ops: fc.array(fc.record({ add: fc.boolean(), n: fc.integer({ min: 0, max: 599 }) }), { maxLength: 12 }),
});

/** The command that adds / removes element `m` for the iteration kind. */
function addCmd(kind: Kind, m: string): string[] {
  if (kind === 'scan') return ['SET', m, 'v'];
  if (kind === 'hscan') return ['HSET', 'c', m, 'v'];
  if (kind === 'sscan') return ['SADD', 'c', m];
  return ['ZADD', 'c', String(m.length), m];
}

function delCmd(kind: Kind, m: string): string[] {
  if (kind === 'scan') return ['DEL', m];
  if (kind === 'hscan') return ['HDEL', 'c', m];
  if (kind === 'sscan') return ['SREM', 'c', m];
  return ['ZREM', 'c', m];
}

function checkIteration(kind: Kind, initial: number, steps: Step[]): void {
  const r = rig('redis-7.0');
  const name = (n: number) => `e:${n}`;
  // 600 members that are never removed keep the key and put hashes and zsets past their listpack
  // limits (512 and 128 entries; sets of non-integers are always hash tables in 7.0).
  const present = new Set<string>();
  for (let i = 0; i < initial + (kind === 'scan' ? 0 : 600); i++) present.add(name(1000 + i));
  for (const m of present) r.run(addCmd(kind, m));
  const stable = new Set(present);
  const seen = new Set<string>();
  let cursor = '0';
  let calls = 0;
  const maxCalls = 10_000;
  do {
    const step = steps[calls % steps.length];
    const argv = kind === 'scan' ? ['SCAN', cursor, 'COUNT', String(step.count)] : [kind.toUpperCase(), 'c', cursor, 'COUNT', String(step.count)];
    const [reply] = r.run(argv) as [[string, string[]]];
    const [next, items] = reply;
    const elems = kind === 'hscan' || kind === 'zscan' ? items.filter((_, i) => i % 2 === 0) : items;
    // "About COUNT": a collection walk may finish a group of equal hashes; never more than twice.
    expect(elems.length, `${argv.join(' ')} returned ${elems.length}`).toBeLessThanOrEqual(2 * step.count);
    for (const e of elems) seen.add(e);
    cursor = next;
    calls++;
    for (const op of step.ops) {
      const m = name(op.n);
      if (op.add) {
        r.run(addCmd(kind, m));
        present.add(m);
      } else if (present.has(m)) {
        r.run(delCmd(kind, m));
        present.delete(m);
        stable.delete(m);
      }
    }
  } while (cursor !== '0' && calls < maxCalls);
  expect(cursor, `${kind} did not finish in ${maxCalls} calls`).toBe('0');
  const missed = [...stable].filter((m) => !seen.has(m));
  expect(missed, `${kind}: elements present for the whole iteration but never returned`).toEqual([]);
}

describe('SCAN family: every element present for the whole iteration is returned', () => {
  for (const kind of ['scan', 'hscan', 'sscan', 'zscan'] as const) {
    it(`${kind.toUpperCase()} with adds and deletes between calls`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 300 }), fc.array(stepArb, { minLength: 1, maxLength: 20 }), (initial, steps) => {
          checkIteration(kind, initial, steps);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('SCAN COUNT n on a big keyspace returns n keys per call and a non-zero cursor until the end', () => {
    const r = rig('redis-7.0');
    for (let i = 0; i < 1000; i++) r.run(['SET', `k${i}`, 'v']);
    const [[cursor, keys]] = r.run(['SCAN', '0', 'COUNT', '100']) as [[string, string[]]];
    expect(keys.length).toBe(100);
    expect(cursor).not.toBe('0');
    // A small collection (listpack) answers everything at once with cursor 0, whatever COUNT says.
    r.run(['HSET', 'h', 'a', '1', 'b', '2', 'c', '3']);
    expect(r.run(['HSCAN', 'h', '0', 'COUNT', '1'])).toEqual([['0', ['a', '1', 'b', '2', 'c', '3']]]);
  });
});
