import { describe, expect, it } from 'vitest';
import { SimTasks, type SimTasksHooks } from './sim-tasks.ts';
import { Scheduler, type ActorName } from '../scheduler/scheduler.ts';
import { VirtualClock } from '../clock/virtual-clock.ts';
import { Prng } from '../prng/prng.ts';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { ForkError, type ChildExit } from '../../src/ports/tasks.ts';
import { FsError, type FileHandle } from '../../src/ports/fs.ts';
import type { Signal } from '../../src/ports/tasks.ts';

function setup(opts: { fsyncMs?: number; forkFails?: string; killAt?: number; signal?: Signal } = {}) {
  const clock = new VirtualClock(0);
  const sched = new Scheduler(clock, Prng.fromSeed(1).stream('scheduler'));
  const charges = new Map<ActorName, number>();
  const log: string[] = [];
  const fs = createMemoryFs({ '/d/f': 'x' });
  const hooks: SimTasksHooks = {
    schedule: (at, actor, label, run) => sched.at(at, actor, label, run),
    nowMs: () => clock.nowMs(),
    onBioStart: (job, until) => log.push(`start ${job.kind} until ${until}`),
    onBioDone: (job, err) => log.push(`done ${job.kind} ${err ?? 'ok'} @${clock.nowMs()}`),
    forkFailure: () => opts.forkFails ?? null,
    childSignal: (_pid, step) => (opts.killAt === step ? (opts.signal ?? 'SIGKILL') : null),
    takeCharge: (actor) => {
      const c = charges.get(actor) ?? 0;
      charges.set(actor, 0);
      return c;
    },
    onFork: (pid) => log.push(`fork ${pid}`),
    onChildExit: (e: ChildExit) => log.push(`exit ${e.pid} ${e.exitCode} ${e.signal ?? ''}`.trim()),
    onPipeWrite: () => log.push(`pipe-write by ${sched.current}`),
    currentActor: () => sched.current,
  };
  const tasks = new SimTasks(fs, hooks, { childWorkMs: 2 });
  /** A handle whose fsync costs `fsyncMs` of virtual time to the calling actor. */
  const handle = (fail = false): FileHandle => {
    const h = fs.open('/d/f', 'append');
    return Object.assign(Object.create(h) as FileHandle, {
      fdatasync: () => {
        charges.set(sched.current, (charges.get(sched.current) ?? 0) + (opts.fsyncMs ?? 0));
        if (fail) throw new FsError('EIO', 'fdatasync', '/d/f');
      },
      close: () => h.close(),
    });
  };
  return { clock, sched, tasks, log, handle, fs };
}

describe('SimTasks', () => {
  it('runs bio jobs FIFO per kind on their own actor; a job stays pending for its fsync latency', () => {
    const { sched, tasks, log, handle } = setup({ fsyncMs: 40 });
    const h = handle();
    tasks.submitBio({ kind: 'fsync', handle: h });
    tasks.submitBio({ kind: 'fsync', handle: h });
    tasks.submitBio({ kind: 'unlink', path: '/d/f' });
    expect(tasks.pendingBio('fsync')).toBe(2);
    sched.runUntilTime(39);
    expect(tasks.pendingBio('fsync')).toBe(2);
    expect(tasks.pendingBio('unlink')).toBe(0); // its own thread, no latency
    sched.runUntilTime(40);
    expect(tasks.pendingBio('fsync')).toBe(1);
    sched.runUntilTime(200);
    expect(tasks.pendingBio('fsync')).toBe(0);
    expect(log.filter((l) => l.startsWith('done'))).toEqual(['done unlink ok @0', 'done fsync ok @40', 'done fsync ok @80']);
    expect(tasks.takeBioCompletions().map((c) => c.job.kind)).toEqual(['unlink', 'fsync', 'fsync']);
    expect(tasks.takeBioCompletions()).toEqual([]);
  });

  it('reports bio fsync errors as completions (FAULT path)', () => {
    const { sched, tasks, handle } = setup();
    tasks.submitBio({ kind: 'fsync', handle: handle(true) });
    sched.runUntilTime(10);
    const [c] = tasks.takeBioCompletions();
    expect(c.error?.code).toBe('EIO');
  });

  it('steps the child generator: sleeps advance virtual time, the exit is reaped once', () => {
    const { clock, sched, tasks, log } = setup();
    const steps: number[] = [];
    const pid = tasks.fork(function* () {
      steps.push(clock.nowMs());
      yield { kind: 'sleep', ms: 100 };
      steps.push(clock.nowMs());
      yield { kind: 'work' };
      steps.push(clock.nowMs());
      return 7;
    });
    expect(tasks.reap()).toBeNull();
    sched.runUntilTime(1000);
    expect(steps).toEqual([0, 100, 102]);
    expect(tasks.reap()).toEqual({ pid, exitCode: 7, signal: null });
    expect(tasks.reap()).toBeNull();
    expect(log).toContain(`fork ${pid}`);
  });

  it('fork failure and child killed at a step come from the hooks (FAULT paths)', () => {
    expect(() => setup({ forkFails: 'Cannot allocate memory' }).tasks.fork(function* () {
      return 0;
    })).toThrow(ForkError);
    const { sched, tasks } = setup({ killAt: 1, signal: 'SIGUSR1' });
    let ran = 0;
    const pid = tasks.fork(function* () {
      for (;;) {
        ran++;
        yield { kind: 'work' };
      }
    });
    sched.runUntilTime(100);
    expect(ran).toBe(1);
    expect(tasks.reap()).toEqual({ pid, exitCode: 1, signal: 'SIGUSR1' });
  });

  it('pipes wake the event loop when a non-main actor writes; abort() drops everything', () => {
    const { sched, tasks, log, handle } = setup({ fsyncMs: 10 });
    const p = tasks.pipe(4);
    sched.current = 'main';
    expect(p.write(new Uint8Array([1, 2, 3, 4, 5]))).toBe(4);
    sched.current = 'child';
    p.read(4);
    p.write(new Uint8Array([9]));
    sched.current = 'world';
    expect(log).toEqual(['pipe-write by child']);
    tasks.submitBio({ kind: 'fsync', handle: handle() });
    tasks.fork(function* () {
      yield { kind: 'sleep', ms: 5 };
      return 0;
    });
    tasks.abort();
    sched.runUntilTime(100);
    expect(tasks.pendingBio('fsync')).toBe(0);
    expect(tasks.takeBioCompletions()).toEqual([]);
    expect(tasks.reap()).toBeNull();
    expect(() => tasks.fork(function* () {
      return 0;
    })).toThrow(ForkError);
  });
});
