import { describe, expect, it } from 'vitest';
import { DEFAULT_START_MS, VirtualClock } from './virtual-clock.ts';
import { EventQueue } from './event-queue.ts';

describe('VirtualClock', () => {
  it('starts at a fixed epoch, moves only forward, and touches no globals', () => {
    const before = Date.now;
    const c = new VirtualClock();
    expect(c.nowMs()).toBe(DEFAULT_START_MS);
    c.advanceBy(250);
    c.advanceTo(DEFAULT_START_MS + 1000);
    expect(c.elapsedMs()).toBe(1000);
    expect(() => c.advanceTo(DEFAULT_START_MS)).toThrow(/backwards/);
    expect(() => c.advanceBy(-1)).toThrow(RangeError);
    expect(Date.now).toBe(before);
    expect(Math.abs(Date.now() - c.nowMs())).toBeGreaterThan(0);
  });

  it('reset starts a new run (for reuse across worlds)', () => {
    const c = new VirtualClock(5000);
    c.advanceBy(10);
    c.reset(100);
    expect(c.nowMs()).toBe(100);
    expect(c.startMs).toBe(100);
    expect(() => new VirtualClock(-1)).toThrow(/non-negative integer/);
  });
});

describe('EventQueue', () => {
  it('pops by time, then insertion order, and can remove', () => {
    const q = new EventQueue<string>();
    q.push(30, 'c');
    q.push(10, 'a1');
    q.push(20, 'b');
    q.push(10, 'a2');
    q.push(5, 'x');
    expect(q.removeWhere((v) => v === 'x')).toBe(1);
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.value);
    expect(out).toEqual(['a1', 'a2', 'b', 'c']);
    expect(q.size).toBe(0);
  });
});
