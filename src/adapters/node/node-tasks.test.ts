import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../memory/memory-fs.ts';
import { NodeTasks } from './node-tasks.ts';
import type { ChildYield } from '../../ports/tasks.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('NodeTasks', () => {
  it('runs bio jobs after the current tick, FIFO per kind, reporting completions and errors by polling', async () => {
    const fs = createMemoryFs({ '/d/a': 'x', '/d/b': 'y' });
    const t = new NodeTasks(fs, 100);
    const h = fs.open('/d/a', 'append');
    t.submitBio({ kind: 'fsync', handle: h });
    t.submitBio({ kind: 'unlink', path: '/d/b' });
    t.submitBio({ kind: 'unlink', path: '/d/missing' });
    expect(t.pendingBio('fsync')).toBe(1);
    expect(t.pendingBio('unlink')).toBe(2);
    expect(t.takeBioCompletions()).toEqual([]);
    for (let i = 0; i < 5; i++) await tick();
    expect(t.pendingBio('fsync') + t.pendingBio('unlink')).toBe(0);
    const done = t.takeBioCompletions();
    // FIFO within a kind; kinds run independently.
    expect(done.filter((c) => c.job.kind === 'unlink').map((c) => c.error?.code ?? null)).toEqual([null, 'ENOENT']);
    expect(done.filter((c) => c.job.kind === 'fsync').map((c) => c.error)).toEqual([null]);
    expect(fs.tryStat('/d/b')).toBeUndefined();
  });

  it('steps a child to its exit code across sleeps, and kill stops it with the signal', async () => {
    const t = new NodeTasks(createMemoryFs(), 100);
    const seen: number[] = [];
    const pid = t.fork(function* (p): Generator<ChildYield, number, void> {
      seen.push(p);
      yield { kind: 'work' };
      yield { kind: 'sleep', ms: 5 };
      return 7;
    });
    expect(pid).toBe(100);
    expect(t.reap()).toBeNull();
    for (let i = 0; i < 50 && seen.length === 0; i++) await tick();
    await new Promise((r) => setTimeout(r, 30));
    expect(t.reap()).toEqual({ pid: 100, exitCode: 7, signal: null });

    const pid2 = t.fork(function* (): Generator<ChildYield, number, void> {
      for (;;) yield { kind: 'sleep', ms: 1 };
    });
    await tick();
    t.kill(pid2, 'SIGUSR1');
    expect(t.reap()).toEqual({ pid: pid2, exitCode: 1, signal: 'SIGUSR1' });
    t.close();
  });
});
