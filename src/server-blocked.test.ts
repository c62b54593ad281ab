import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import { Server } from './server.ts';
import { replyText } from './commands/exec-all.ts';
import { FaultyFs, TestClock } from '../testing/aof/writer-support.ts';

function boot() {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  const clock = new TestClock();
  const s = new Server({ fs, clock, tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(7) }, { dir: '/d', profile: 'redis-7.0', appendonly: true, appendfsync: 'always' });
  s.start();
  return { s, clock, fs };
}

/** One event-loop iteration: beforeSleep, then the replies released, as "client id: reply". */
function loop(s: Server): string[] {
  s.beforeSleep();
  return s.takeReplies().map((r) => `${r.clientId}: ${JSON.stringify(replyText(r.reply))}`);
}

describe('blocked clients in the Server (virtual time, the simulator path)', () => {
  it('BLMPOP 0 blocks; a later RPUSH serves it; the AOF gets RPUSH then LPOP key 3', () => {
    const { s } = boot();
    const a = s.newClient();
    const b = s.newClient();
    s.execute(a, ['BLMPOP', '0', '2', 'x', 'y', 'LEFT', 'COUNT', '3']);
    expect(loop(s)).toEqual([]);
    expect(s.isBlocked(a)).toBe(true);
    expect(() => s.execute(a, ['PING'])).toThrow(/blocked/);
    s.execute(b, ['RPUSH', 'y', '1', '2', '3', '4', '5']);
    expect(loop(s)).toEqual([`${b.id}: 5`, `${a.id}: ["y",["1","2","3"]]`]);
    expect(s.isBlocked(a)).toBe(false);
    // The served client's LPOP y 3 follows the RPUSH in the AOF (the differential suite compares bytes with Redis).
    expect(s.state.aofFdPath).not.toBeNull();
    expect(JSON.stringify(replyText(s.call(b, ['LRANGE', 'y', '0', '-1'])))).toBe('["4","5"]');
  });

  it('a timeout in virtual time answers a nil array at the first beforeSleep after the deadline', () => {
    const { s, clock } = boot();
    const a = s.newClient();
    s.execute(a, ['BLPOP', 'k', '1.5']);
    clock.advance(1499);
    expect(loop(s)).toEqual([]);
    // At the deadline itself Redis still waits (timeout < now).
    clock.advance(1);
    expect(loop(s)).toEqual([]);
    clock.advance(1);
    expect(loop(s)).toEqual([`${a.id}: null`]);
    s.execute(a, ['RPUSH', 'k', 'v']);
    expect(loop(s)).toEqual([`${a.id}: 1`]);
  });

  it('the timeout is ceil(seconds * 1000) ms: 0.0001 waits 1 ms, -0.0005 rounds to 0 and waits forever (redis 7.0.15)', () => {
    const { s, clock } = boot();
    const a = s.newClient();
    const b = s.newClient();
    s.execute(a, ['BLPOP', 'k', '0.0001']);
    s.execute(b, ['BRPOP', 'q', '-0.0005']);
    clock.advance(1);
    expect(loop(s)).toEqual([]);
    clock.advance(1);
    expect(loop(s)).toEqual([`${a.id}: null`]);
    clock.advance(1_000_000);
    expect(loop(s)).toEqual([]);
    expect(s.isBlocked(b)).toBe(true);
  });

  it('a closed client stops waiting; the next waiter gets the data', () => {
    const { s } = boot();
    const a = s.newClient();
    const b = s.newClient();
    const c = s.newClient();
    s.execute(a, ['BLPOP', 'k', '0']);
    s.execute(b, ['BRPOP', 'k', '0']);
    s.clientClosed(a);
    s.execute(c, ['RPUSH', 'k', 'x', 'y']);
    expect(loop(s)).toEqual([`${c.id}: 2`, `${b.id}: ["k","y"]`]);
    expect(s.info('clients')).toContain('blocked_clients:0');
  });
});

describe('XREAD / XREADGROUP BLOCK (redis 7.0.15 serveClientsBlockedOnStreamKey)', () => {
  it('XREAD BLOCK $ waits for entries after the last ID at block time; clients on the same stream are all served', () => {
    const { s } = boot();
    const a = s.newClient();
    const b = s.newClient();
    const w = s.newClient();
    s.call(w, ['XADD', 'x', '1-1', 'f', 'old']);
    s.execute(a, ['XREAD', 'BLOCK', '0', 'STREAMS', 'y', 'x', '$', '$']);
    s.execute(b, ['XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'x', '0-0']);
    // b's ID is before the existing entry: it is answered at once.
    expect(loop(s)).toEqual([`${b.id}: [["x",[["1-1",["f","old"]]]]]`]);
    expect(s.isBlocked(a)).toBe(true);
    s.execute(b, ['XREAD', 'BLOCK', '0', 'STREAMS', 'x', '$']);
    s.execute(w, ['XADD', 'x', '2-1', 'f', 'new']);
    expect(loop(s)).toEqual([`${w.id}: "2-1"`, `${a.id}: [["x",[["2-1",["f","new"]]]]]`, `${b.id}: [["x",[["2-1",["f","new"]]]]]`]);
  });

  it('XREAD BLOCK times out with a nil array; inside MULTI it answers nil at once', () => {
    const { s, clock } = boot();
    const a = s.newClient();
    s.execute(a, ['XREAD', 'BLOCK', '100', 'STREAMS', 'x', '$']);
    clock.advance(101);
    expect(loop(s)).toEqual([`${a.id}: null`]);
    s.call(a, ['MULTI']);
    s.call(a, ['XREAD', 'BLOCK', '0', 'STREAMS', 'x', '$']);
    expect(JSON.stringify(replyText(s.call(a, ['EXEC'])))).toBe('[null]');
  });

  it('XREADGROUP BLOCK >: one consumer gets each new entry, the next waiter of the group keeps waiting', () => {
    const { s } = boot();
    const a = s.newClient();
    const b = s.newClient();
    const w = s.newClient();
    s.call(w, ['XGROUP', 'CREATE', 'x', 'g', '$', 'MKSTREAM']);
    s.execute(a, ['XREADGROUP', 'GROUP', 'g', 'ca', 'BLOCK', '0', 'STREAMS', 'x', '>']);
    s.execute(b, ['XREADGROUP', 'GROUP', 'g', 'cb', 'COUNT', '5', 'BLOCK', '0', 'STREAMS', 'x', '>']);
    s.execute(w, ['XADD', 'x', '5-1', 'f', 'v']);
    expect(loop(s)).toEqual([`${w.id}: "5-1"`, `${a.id}: [["x",[["5-1",["f","v"]]]]]`]);
    expect(s.isBlocked(b)).toBe(true);
    s.execute(w, ['XADD', 'x', '6-1', 'f', 'v']);
    expect(loop(s)).toEqual([`${w.id}: "6-1"`, `${b.id}: [["x",[["6-1",["f","v"]]]]]`]);
    expect(JSON.stringify(replyText(s.call(w, ['XPENDING', 'x', 'g'])))).toBe('[2,"5-1","6-1",[["ca","1"],["cb","1"]]]');
  });
});
