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
