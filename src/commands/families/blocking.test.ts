// Blocking commands with data act at once and propagate as their non-blocking twins; without data
// they return the timeout reply (nil array) at once and change nothing (the DIVERGENCE: no blocking).

import { describe, expect, it } from 'vitest';
import { rig } from '../../../testing/commands/rig.ts';

describe('blocking commands, non-blocking paths', () => {
  it('propagate as LPOP / RPOP / RPOPLPUSH / LMOVE / LPOP n / ZPOPMIN / ZPOPMAX n', () => {
    const r = rig();
    r.run('RPUSH l a b c d e', 'ZADD z 1 a 2 b 3 c');
    expect(r.run('BLPOP none l 0', 'BRPOP l 1.5', 'BZPOPMIN z 0')).toEqual([['l', 'a'], ['l', 'e'], ['z', 'a', '1']]);
    expect(r.prop('BRPOPLPUSH l l2 0', 'BLMOVE l l2 LEFT RIGHT 0', 'BLMPOP 0 2 none l RIGHT COUNT 5', 'BZMPOP 0 1 z MAX COUNT 2')).toEqual([
      'SELECT 0',
      'RPOPLPUSH l l2',
      'LMOVE l l2 LEFT RIGHT',
      'RPOP l 1',
      'ZPOPMAX z 2',
    ]);
    r.run('ZADD z 1 a');
    expect(r.prop('BLPOP l2 0', 'BZPOPMAX z 0')).toEqual(['SELECT 0', 'LPOP l2', 'ZPOPMAX z']);
  });

  it('return the timeout reply at once when nothing is there, whatever the timeout', () => {
    const r = rig();
    expect(r.run('BLPOP a b 0', 'BRPOPLPUSH a b 0', 'BLMOVE a b LEFT LEFT 100', 'BLMPOP 0 1 a LEFT', 'BZPOPMIN a 0', 'BZMPOP 0 1 a MIN')).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(r.prop('BLPOP a 0', 'BZPOPMAX a 0')).toEqual([]);
  });

  it('check the timeout and types like Redis', () => {
    const r = rig();
    r.run('SET s x');
    expect(r.run('BLPOP a -1', 'BLPOP a abc', 'BLPOP s 0', 'BLMOVE a b UP LEFT 0')).toEqual([
      '(error) ERR timeout is negative',
      '(error) ERR timeout is not a float or out of range',
      '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
      '(error) ERR syntax error',
    ]);
  });
});
