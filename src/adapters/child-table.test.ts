import { describe, expect, it } from 'vitest';
import type { ChildExit, ChildYield } from '../ports/tasks.ts';
import { ChildTable } from './child-table.ts';

function* program(log: string[], steps: number): Generator<ChildYield, number, void> {
  try {
    for (let i = 0; i < steps; i++) yield { kind: 'work' };
    return 0;
  } finally {
    log.push('cleanup');
  }
}

describe('ChildTable', () => {
  it('reaps exits once each, in exit order, and reports each through onExit', () => {
    const seen: ChildExit[] = [];
    const t = new ChildTable((e) => seen.push(e));
    const log: string[] = [];
    const a = { pid: 10, gen: program(log, 1) };
    const b = { pid: 11, gen: program(log, 1) };
    t.add(a);
    t.add(b);
    expect(t.pids).toEqual([10, 11]);
    t.exit(b, 0, null);
    t.exit(a, 2, null);
    expect(t.has(a)).toBe(false);
    expect(t.pids).toEqual([]);
    expect(t.reap()).toEqual({ pid: 11, exitCode: 0, signal: null });
    expect(t.reap()).toEqual({ pid: 10, exitCode: 2, signal: null });
    expect(t.reap()).toBeNull();
    expect(seen.map((e) => e.pid)).toEqual([11, 10]);
  });

  it('kill ends the generator (its cleanup runs) and exits with code 1 and the signal; unknown pids are ignored', () => {
    const t = new ChildTable();
    const log: string[] = [];
    const c = { pid: 7, gen: program(log, 5) };
    t.add(c);
    c.gen.next();
    t.kill(99, 'SIGKILL');
    t.kill(7, 'SIGUSR1');
    expect(log).toEqual(['cleanup']);
    expect(t.has(c)).toBe(false);
    expect(t.reap()).toEqual({ pid: 7, exitCode: 1, signal: 'SIGUSR1' });
    t.kill(7, 'SIGKILL');
    expect(t.reap()).toBeNull();
  });

  it('abandonAll ends every child without queueing exits (the parent is gone)', () => {
    const t = new ChildTable();
    const log: string[] = [];
    for (const pid of [1, 2]) {
      const c = { pid, gen: program(log, 3) };
      c.gen.next();
      t.add(c);
    }
    t.abandonAll();
    expect(log).toEqual(['cleanup', 'cleanup']);
    expect(t.pids).toEqual([]);
    expect(t.reap()).toBeNull();
  });
});
