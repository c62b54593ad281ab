// The redis-4.0 profile's SCAN options: 4.0.14's scanGenericCommand knows COUNT and MATCH only
// (TYPE came in 6.0). Replies observed on redis-server 4.0.14 (the cases below, sent by redis-cli).

import { describe, expect, it } from 'vitest';
import { rig } from '../../testing/commands/rig.ts';

describe('SCAN in the redis-4.0 profile', () => {
  it("answers 4.0.14's replies to TYPE and keeps the shared handler's earlier errors", () => {
    const r = rig('redis-4.0');
    r.run('set a 1');
    expect(
      r.run('scan 0 TYPE string', 'scan 0 COUNT 10 TYPE string', 'scan 0 COUNT x TYPE string', 'scan x TYPE string', 'scan 0 COUNT 0 TYPE s', 'scan 0 MATCH * TYPE'),
    ).toEqual([
      '(error) ERR syntax error',
      '(error) ERR syntax error',
      '(error) ERR value is not an integer or out of range',
      '(error) ERR invalid cursor',
      '(error) ERR syntax error',
      '(error) ERR syntax error',
    ]);
  });

  it('still scans with COUNT and MATCH, and the 7.0 profile still takes TYPE', () => {
    const r40 = rig('redis-4.0');
    r40.run('set a 1');
    expect(r40.run('scan 0 COUNT 10 MATCH a')).toEqual([['0', ['a']]]);
    const r70 = rig('redis-7.0');
    r70.run('set a 1');
    expect(r70.run('scan 0 TYPE string')).toEqual([['0', ['a']]]);
  });
});
