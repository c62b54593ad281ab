import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import { isProcessExit } from './server-types.ts';
import { Server } from './server.ts';
import type { AofConfigInput } from './aof/config.ts';
import { FaultyFs, TestClock } from '../testing/aof/writer-support.ts';
import { datasetDigest } from './keyspace/digest.ts';

/** A TestClock that also records DEBUG SLEEP / AOF-FLUSH-SLEEP requests (and moves by them). */
class SleepingClock extends TestClock {
  readonly slept: number[] = [];
  sleepMs(ms: number): void {
    this.slept.push(ms);
    this.advance(ms);
  }
}

function boot(config: AofConfigInput, clock = new SleepingClock()) {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  const log = new MemoryLog();
  const s = new Server({ fs, clock, tasks: new ManualTasks(fs), log, random: new SeededRandom(7) }, { dir: '/d', ...config });
  s.start();
  return { s, fs, log, clock, c: s.newClient() };
}

const text = (r: ReturnType<Server['call']>) => (r.kind === 'error' ? `-${r.value}` : r.kind === 'array' ? JSON.stringify(r.value) : String(r.value));

describe('DEBUG (redis 7.0.15 debug.c)', () => {
  it('DIGEST and DIGEST-VALUE answer from the data set (the algorithm is checked in keyspace/digest.test.ts)', () => {
    const { s, c } = boot({ profile: 'redis-7.0' });
    expect(text(s.call(c, ['DEBUG', 'DIGEST']))).toBe('0'.repeat(40));
    s.call(c, ['SET', 's', 'hello']);
    expect(text(s.call(c, ['DEBUG', 'DIGEST']))).toBe('a500c6b54937da22f2ac1167da1da852479c7339');
    expect(text(s.call(c, ['DEBUG', 'DIGEST-VALUE', 's', 'nokey']))).toBe(
      JSON.stringify([
        { kind: 'status', value: '36b23a1456b2dce2c3ed252c456761301dba8060' },
        { kind: 'status', value: '0'.repeat(40) },
      ]),
    );
  });

  it('7.0 LOADAOF with appendonly no: re-reads the manifest from disk and loads anyway', () => {
    const { s, c } = boot({ profile: 'redis-7.0', appendonly: true, appendfsync: 'always' });
    s.call(c, ['SET', 'a', '1']);
    s.call(c, ['RPUSH', 'l', 'x', 'y']);
    const before = datasetDigest(s.keyspace);
    expect(text(s.call(c, ['CONFIG', 'SET', 'appendonly', 'no']))).toBe('OK');
    s.call(c, ['SET', 'only-in-memory', '1']); // not in the AOF: LOADAOF drops it
    expect(text(s.call(c, ['DEBUG', 'LOADAOF']))).toBe('OK');
    expect(datasetDigest(s.keyspace)).toBe(before);
    expect(s.state.aofState).toBe('off');
  });

  it('7.0 LOADAOF without any AOF on disk ends the process (exit 1), as loadAppendOnlyFiles NOT_EXIST does', () => {
    const { s, c } = boot({ profile: 'redis-7.0' });
    let exit: unknown;
    try {
      s.call(c, ['DEBUG', 'LOADAOF']);
    } catch (e) {
      exit = e;
    }
    expect(isProcessExit(exit) && exit.exitCode).toBe(1);
  });

  it('4.0 LOADAOF keeps refusing while AOF is off', () => {
    const { s, c } = boot({ profile: 'redis-4.0' });
    expect(text(s.call(c, ['DEBUG', 'LOADAOF']))).toBe('-ERR AOF is not enabled');
  });

  it('SLEEP blocks through the clock; AOF-FLUSH-SLEEP sleeps before each non-empty AOF write only', () => {
    const { s, c, clock } = boot({ profile: 'redis-7.0', appendonly: true, appendfsync: 'always' });
    expect(text(s.call(c, ['DEBUG', 'SLEEP', '0.25']))).toBe('OK');
    expect(clock.slept).toEqual([250]);
    expect(text(s.call(c, ['DEBUG', 'AOF-FLUSH-SLEEP', '2000']))).toBe('OK'); // microseconds
    s.call(c, ['SET', 'k', 'v']);
    s.call(c, ['GET', 'k']);
    expect(clock.slept).toEqual([250, 2]);
    expect(text(s.call(c, ['DEBUG', 'AOF-FLUSH-SLEEP', '0']))).toBe('OK');
    s.call(c, ['SET', 'k', 'w']);
    expect(clock.slept).toEqual([250, 2]);
  });

  it('a clock without sleepMs (the simulator) makes SLEEP a no-op that still answers OK', () => {
    const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
    const clock = new TestClock();
    const s = new Server({ fs, clock, tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(7) }, { dir: '/d', profile: 'redis-7.0' });
    s.start();
    const before = clock.nowMs();
    expect(text(s.call(s.newClient(), ['DEBUG', 'SLEEP', '1']))).toBe('OK');
    expect(clock.nowMs()).toBe(before);
  });
});

describe('DEBUG POPULATE (redis 7.0.15 / 4.0.14 debug.c; checked against both in properties/conformance/shutdown-vs-redis.test.ts)', () => {
  it('adds prefix:j = value:j, cut or NUL-padded to the size, names cut at 127 bytes, existing names kept; nothing reaches the AOF', () => {
    const { s, c, fs } = boot({ profile: 'redis-7.0', appendonly: true, appendfsync: 'always' });
    s.call(c, ['SET', 'p:1', 'mine']);
    const aofBefore = fs.calls.filter((x) => x.startsWith('write')).length;
    expect(text(s.call(c, ['DEBUG', 'POPULATE', '3', 'p', '10']))).toBe('OK');
    expect(text(s.call(c, ['GET', 'p:0']))).toBe('value:0\0\0\0');
    expect(text(s.call(c, ['GET', 'p:1']))).toBe('mine');
    expect(text(s.call(c, ['DEBUG', 'POPULATE', '1', 'q', '3']))).toBe('OK');
    expect(text(s.call(c, ['GET', 'q:0']))).toBe('val');
    expect(text(s.call(c, ['DEBUG', 'POPULATE', '1', 'x'.repeat(200)]))).toBe('OK');
    expect(text(s.call(c, ['EXISTS', 'x'.repeat(127)]))).toBe('1');
    expect(text(s.call(c, ['DEBUG', 'POPULATE', '2']))).toBe('OK');
    expect(text(s.call(c, ['GET', 'key:1']))).toBe('value:1');
    expect(fs.calls.filter((x) => x.startsWith('write')).length).toBe(aofBefore);
  });

  it('bad counts and sizes: 7.0 "must be positive" for junk and negatives; 4.0.14 reads the size only when it adds a key', () => {
    const v7 = boot({ profile: 'redis-7.0' });
    expect(text(v7.s.call(v7.c, ['DEBUG', 'POPULATE', 'abc']))).toBe('-ERR value is out of range, must be positive');
    expect(text(v7.s.call(v7.c, ['DEBUG', 'POPULATE', '-1']))).toBe('-ERR value is out of range, must be positive');
    expect(text(v7.s.call(v7.c, ['DEBUG', 'POPULATE', '0', 'p', 'x']))).toBe('-ERR value is out of range, must be positive');
    const v4 = boot({ profile: 'redis-4.0' });
    expect(text(v4.s.call(v4.c, ['DEBUG', 'POPULATE', 'abc']))).toBe('-ERR value is not an integer or out of range');
    expect(text(v4.s.call(v4.c, ['DEBUG', 'POPULATE', '-1', 'p', 'x']))).toBe('OK');
    expect(text(v4.s.call(v4.c, ['DEBUG', 'POPULATE', '2', 'p', 'x']))).toBe('-ERR value is not an integer or out of range');
    expect(text(v4.s.call(v4.c, ['DEBUG', 'POPULATE', '2', 'p', '-1']))).toMatch(/^-ERR aofsim cannot reproduce DEBUG POPULATE with size -1/);
    expect(text(v4.s.call(v4.c, ['DBSIZE']))).toBe('0');
  });
});
