import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.ts';
import { VirtualClock } from '../clock/virtual-clock.ts';
import { Prng } from '../prng/prng.ts';

function order(seed: number): string[] {
  const clock = new VirtualClock(0);
  const s = new Scheduler(clock, Prng.fromSeed(seed).stream('scheduler'));
  const ran: string[] = [];
  for (const name of ['a', 'b', 'c', 'd']) s.at(10, 'main', name, () => ran.push(`${name}@${clock.nowMs()}`));
  s.at(5, 'client', 'first', () => ran.push(`first@${clock.nowMs()}`));
  s.runUntilTime(100);
  expect(clock.nowMs()).toBe(100);
  return ran;
}

describe('Scheduler', () => {
  it('runs events in time order and breaks ties from the scheduler stream, reproducibly', () => {
    const a = order(1);
    expect(a[0]).toBe('first@5');
    expect(a.slice(1).sort()).toEqual(['a@10', 'b@10', 'c@10', 'd@10']);
    expect(order(1)).toEqual(a);
    const orders = new Set(Array.from({ length: 20 }, (_, i) => order(i).join(',')));
    expect(orders.size).toBeGreaterThan(3);
  });

  it('attributes the running event to its actor and never runs past a deadline', () => {
    const clock = new VirtualClock(0);
    const s = new Scheduler(clock, Prng.fromSeed(0).stream('scheduler'));
    const seen: string[] = [];
    s.at(1, 'bio-fsync', 'job', () => seen.push(s.current));
    s.at(50, 'child', 'late', () => seen.push(s.current));
    expect(s.runUntil(() => false, 10)).toBe(false);
    expect(seen).toEqual(['bio-fsync']);
    expect(s.current).toBe('world');
    s.cancel(['child']);
    expect(s.pending).toBe(0);
  });

  it('has a step cap', () => {
    const clock = new VirtualClock(0);
    const s = new Scheduler(clock, Prng.fromSeed(0).stream('scheduler'));
    const loop = (): void => s.after(0, 'main', 'spin', loop);
    loop();
    expect(() => s.runUntilTime(1, 1000)).toThrow(/more than 1000 steps/);
  });
});
