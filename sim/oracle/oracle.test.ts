import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { StateHistory } from './state-history.ts';
import { checkRecovery, describeVerdict } from './oracle.ts';
import { testSeed } from '../campaign/suite-options.ts';

function set(ks: Keyspace, key: string, value: string, expireAtMs?: number): void {
  ks.db(0).dict.set(key, { type: 'string', value });
  if (expireAtMs === undefined) ks.db(0).expires.delete(key);
  else ks.db(0).expires.set(key, expireAtMs);
}

describe('oracle', () => {
  it('accepts exactly the prefix states within the bounds', () => {
    const live = new Keyspace(1);
    const h = new StateHistory(live);
    set(live, 'a', '1');
    h.recordWrite(live, [[0, 'a']]); // k=1
    set(live, 'b', '2');
    h.recordWrite(live, [[0, 'b']]); // k=2
    set(live, 'a', '3');
    h.recordWrite(live, [[0, 'a']]); // k=3

    const r = new Keyspace(1);
    set(r, 'a', '1');
    set(r, 'b', '2');
    const v = checkRecovery(h, r, { kMin: 0, atMs: 0 });
    expect(v.ok).toBe(true);
    expect(v.k).toBe(2);
    expect(checkRecovery(h, r, { kMin: 3, atMs: 0 }).ok).toBe(false);

    // A hole: b without a (a=1 came first) is no prefix.
    const hole = new Keyspace(1);
    set(hole, 'b', '2');
    const bad = checkRecovery(h, hole, { kMin: 0, atMs: 0 });
    expect(bad.ok).toBe(false);
    expect(describeVerdict(bad)).toContain('key "');
    // The empty keyspace is S_0.
    expect(checkRecovery(h, new Keyspace(1), { kMin: 0, atMs: 0 }).k).toBe(0);
  });

  it('compares logically at the crash time: expired keys are absent on both sides', () => {
    const live = new Keyspace(1);
    const h = new StateHistory(live);
    set(live, 'a', '1', 1000);
    h.recordWrite(live, [[0, 'a']]);
    const r = new Keyspace(1);
    expect(checkRecovery(h, r, { kMin: 1, atMs: 1000 }).ok).toBe(true);
    expect(checkRecovery(h, r, { kMin: 1, atMs: 999 }).ok).toBe(false);
    set(r, 'a', '1', 1000);
    expect(checkRecovery(h, r, { kMin: 1, atMs: 999 }).ok).toBe(true);
    set(r, 'a', '1', 2000); // wrong TTL
    expect(checkRecovery(h, r, { kMin: 1, atMs: 999 }).ok).toBe(false);
  });

  it('agrees with a brute-force comparison against full snapshots', () => {
    const op = fc.record({ key: fc.constantFrom('a', 'b', 'c'), value: fc.option(fc.constantFrom('1', '2'), { nil: null }), all: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2')), { maxLength: 3 }), fc.nat(12), (ops, rec, kMinRaw) => {
        const live = new Keyspace(1);
        const h = new StateHistory(live);
        const snaps: string[] = [JSON.stringify([])];
        for (const o of ops) {
          if (o.value === null) live.db(0).dict.delete(o.key);
          else set(live, o.key, o.value);
          h.recordWrite(live, o.all ? 'all' : [[0, o.key]]);
          snaps.push(JSON.stringify([...live.db(0).dict].map(([k, v]) => [k, v.type === 'string' ? v.value : '']).sort()));
        }
        const r = new Keyspace(1);
        for (const [k, v] of rec) set(r, k, v);
        const want = JSON.stringify([...r.db(0).dict].map(([k, v]) => [k, v.type === 'string' ? v.value : '']).sort());
        const kMin = Math.min(kMinRaw, ops.length);
        const brute = snaps.map((s, k) => (k >= kMin && s === want ? k : -1)).filter((k) => k >= 0);
        const v = checkRecovery(h, r, { kMin, atMs: 0 });
        expect(v.ok).toBe(brute.length > 0);
        if (v.ok) expect(v.k).toBe(brute[0]);
      }),
      { numRuns: Number(process.env.AOFSIM_RUNS ?? 300), seed: testSeed(process.env) },
    );
  });
});
