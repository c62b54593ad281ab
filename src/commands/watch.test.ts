import { describe, expect, it } from 'vitest';
import { execAll, replyText } from './exec-all.ts';
import { rig } from '../../testing/commands/rig.ts';
import { newClient } from './types.ts';

describe('WATCH / UNWATCH', () => {
  it('aborts EXEC with a null array when another client touched a watched key', () => {
    const r = rig();
    const other = newClient(2);
    expect(r.run('WATCH k', 'MULTI', 'SET k mine')).toEqual(['OK', 'OK', 'QUEUED']);
    r.ex.call(other, ['SET', 'k', 'theirs']);
    expect(r.run('EXEC', 'GET k')).toEqual([null, 'theirs']);
  });
  it('runs EXEC when watched keys are untouched, and after UNWATCH', () => {
    const r = rig();
    const other = newClient(2);
    expect(r.run('WATCH k', 'MULTI', 'SET k 1', 'EXEC')).toEqual(['OK', 'OK', 'QUEUED', ['OK']]);
    r.run('WATCH k');
    r.ex.call(other, ['SET', 'k', '2']);
    expect(r.run('UNWATCH', 'MULTI', 'INCR k', 'EXEC')).toEqual(['OK', 'OK', 'QUEUED', [3]]);
  });
  it('a failed write (no change) does not invalidate; FLUSHDB of an existing key does', () => {
    const r = rig();
    const other = newClient(2);
    r.run('SET k v', 'WATCH k');
    r.ex.call(other, ['SET', 'k', 'x', 'NX']);
    expect(r.run('MULTI', 'GET k', 'EXEC')).toEqual(['OK', 'QUEUED', ['v']]);
    r.run('WATCH k');
    r.ex.call(other, ['FLUSHDB']);
    expect(r.run('MULTI', 'GET k', 'EXEC')).toEqual(['OK', 'QUEUED', null]);
  });
  it('a watched key that expires before EXEC aborts it', () => {
    const r = rig();
    r.run('SET k v PX 100', 'WATCH k', 'MULTI', 'PING');
    r.clock.t += 100;
    expect(execAll(r.ex, r.client, [['EXEC']]).replies.map(replyText)).toEqual([null]);
  });
});
