// key-load-delay slows a load by one debugDelay per command of an AOF part and per key of an RDB
// part (redis 7.0 loadSingleAppendOnlyFile / rdbLoadRioWithLoadingCtx), through the clock's sleep.
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../adapters/memory/manual-tasks.ts';
import { Server } from '../../server.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import type { PosixFs } from '../../adapters/posix-fs.ts';
import { debugDelay } from './key-load-delay.ts';

function server(fs: PosixFs, sleeps: number[], directives: [string, string][] = [], tasks = new ManualTasks(fs)): Server {
  const clock = { nowMs: () => 1_700_000_000_000, sleepMs: (ms: number) => void sleeps.push(ms) };
  const s = new Server(
    { fs, clock, tasks, log: new MemoryLog(), random: new SeededRandom(7) },
    { profile: 'redis-7.0', dir: '/d', appendonly: true, aofUseRdbPreamble: true },
    { directives: new Map(directives) },
  );
  s.start();
  return s;
}

describe('key-load-delay', () => {
  it('sleeps the delay once per loaded key of the RDB BASE and once per command of the INCR', () => {
    const fs = createMemoryFs();
    fs.mkdir('/d');
    const first = server(fs, []);
    const c = first.newClient();
    // The BASE written at the first start is empty: everything below is in the INCR.
    for (let i = 0; i < 5; i++) first.execute(c, ['SET', `k${i}`, 'v']);
    first.execute(c, ['RPUSH', 'l', 'a', 'b']);
    first.beforeSleep();

    const plain: number[] = [];
    expect(server(fs, plain).keyspace.size()).toBe(6);
    expect(plain).toEqual([]);

    const slowed: number[] = [];
    const s = server(fs, slowed, [['key-load-delay', '250']]);
    expect(s.keyspace.size()).toBe(6);
    // SELECT + 5 SET + RPUSH, each followed by a 250 µs sleep.
    expect(slowed).toEqual(Array(7).fill(0.25));
  });

  it('counts the keys of an RDB BASE too', () => {
    const fs = createMemoryFs();
    fs.mkdir('/d');
    const tasks = new ManualTasks(fs);
    const first = server(fs, [], [], tasks);
    const c = first.newClient();
    for (let i = 0; i < 4; i++) first.execute(c, ['SET', `k${i}`, 'v']);
    first.beforeSleep();
    first.execute(c, ['BGREWRITEAOF']);
    for (const pid of tasks.childPids) while (tasks.stepChild(pid));
    first.cron();
    first.execute(c, ['SET', 'tail', 'v']);
    first.beforeSleep();
    expect(fs.readdir('/d/appendonlydir')).toContain('appendonly.aof.2.base.rdb');

    const slowed: number[] = [];
    expect(server(fs, slowed, [['key-load-delay', '1000']]).keyspace.size()).toBe(5);
    // 4 keys of the BASE, then SELECT + SET of the INCR.
    expect(slowed).toEqual(Array(6).fill(1));
  });

  it('a negative delay sleeps 1 µs with probability 1/-n (redis: debugDelay)', () => {
    const sleeps: number[] = [];
    const clock = { nowMs: () => 0, sleepMs: (ms: number) => void sleeps.push(ms) };
    const random = new SeededRandom(3);
    for (let i = 0; i < 4000; i++) debugDelay(-4, clock, random);
    expect(new Set(sleeps)).toEqual(new Set([0.001]));
    expect(sleeps.length).toBeGreaterThan(800);
    expect(sleeps.length).toBeLessThan(1200);
    debugDelay(0, clock, random);
    expect(sleeps.length).toBeLessThan(1200);
  });
});
