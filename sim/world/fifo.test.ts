import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.ts';

describe('Fifo', () => {
  it('gives items back in push order across drains and refills, and forgets them once drained', () => {
    const q = new Fifo<number>();
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
    for (let i = 0; i < 5; i++) q.push(i);
    expect([q.shift(), q.peek(), q.shift()]).toEqual([0, 1, 1]);
    q.push(5);
    const seen: number[] = [];
    q.forEach((x) => seen.push(x));
    expect(seen).toEqual([2, 3, 4, 5]);
    expect(q.size).toBe(4);
    const out: number[] = [];
    for (let x = q.shift(); x !== undefined; x = q.shift()) out.push(x);
    expect(out).toEqual([2, 3, 4, 5]);
    expect(q.size).toBe(0);
    q.push(6);
    expect(q.peek()).toBe(6);
    expect(q.shift()).toBe(6);
    expect(q.peek()).toBeUndefined();
    expect((q as unknown as { items: number[] }).items).toEqual([]);
  });
});
