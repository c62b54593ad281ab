// Executor edges no other unit test reaches (mutation survivors of executor.ts): an empty argv,
// two clients watching one key,
// and 4.0's option checks that look at the key's type, which must see a logically expired key as
// missing (4.0.14's lookupKeyRead expires it first). Replies checked against redis-server 4.0.14.
import { describe, expect, it } from 'vitest';
import { rig } from '../../testing/commands/rig.ts';
import { newClient } from './types.ts';

describe('Executor.call', () => {
  it('an empty argv is an error reply, with nothing propagated', () => {
    const r = rig();
    const out = r.ex.call(newClient(2), []);
    expect(out.reply).toEqual({ kind: 'error', value: 'ERR empty command' });
    expect(out.propagate).toEqual([]);
  });
});

describe('WATCH by two clients on one key', () => {
  it('a write by a third client aborts both transactions', () => {
    const r = rig();
    const a = newClient(2);
    const b = newClient(3);
    for (const c of [a, b]) for (const argv of [['WATCH', 'k'], ['MULTI'], ['SET', 'k', 'mine']]) r.ex.call(c, argv);
    r.ex.call(newClient(4), ['SET', 'k', 'theirs']);
    expect(r.ex.call(a, ['EXEC']).reply).toEqual({ kind: 'array', value: null });
    expect(r.ex.call(b, ['EXEC']).reply).toEqual({ kind: 'array', value: null });
    expect(r.run('GET k')).toEqual(['theirs']);
  });
});

describe("redis-4.0: BITCOUNT's argument count is checked after the key's type", () => {
  it('a string: syntax error; no key, or an expired one: 0; another type: WRONGTYPE', () => {
    const r = rig('redis-4.0');
    expect(r.run('SET k v', 'BITCOUNT k 0', 'BITCOUNT nokey 0', 'LPUSH l a', 'BITCOUNT l 0')).toEqual([
      'OK',
      '(error) ERR syntax error',
      0,
      1,
      '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
    ]);
    expect(r.run('SET e v PX 100')).toEqual(['OK']);
    r.clock.t += 100;
    expect(r.run('BITCOUNT e 0')).toEqual([0]);
  });
});
