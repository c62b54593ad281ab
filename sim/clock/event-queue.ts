// Timed events of the simulated world: a binary min-heap ordered by (atMs, seq). `seq` is the
// insertion counter, so equal times pop in insertion order unless the scheduler chooses otherwise
// (it pops every event due at the same instant and picks one from the seed's scheduler stream).
//
// Invariants: pop() returns events in non-decreasing atMs; seq is unique per queue.

export interface TimedEvent<T> {
  atMs: number;
  seq: number;
  value: T;
}

export class EventQueue<T> {
  private heap: TimedEvent<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(atMs: number, value: T): TimedEvent<T> {
    const ev = { atMs, seq: this.nextSeq++, value };
    this.pushEvent(ev);
    return ev;
  }

  /** Re-inserts an event popped earlier, keeping its original seq. */
  pushEvent(ev: TimedEvent<T>): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      const tmp = h[i];
      h[i] = h[p];
      h[p] = tmp;
      i = p;
    }
  }

  peek(): TimedEvent<T> | undefined {
    return this.heap[0];
  }

  pop(): TimedEvent<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        const tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
      }
    }
    return top;
  }

  /** Removes every event whose value matches. */
  removeWhere(pred: (value: T) => boolean): number {
    const keep = this.heap.filter((e) => !pred(e.value));
    const removed = this.heap.length - keep.length;
    if (removed > 0) {
      this.heap = [];
      for (const e of keep) this.pushEvent(e);
    }
    return removed;
  }

  clear(): void {
    this.heap = [];
  }
}

function less<T>(a: TimedEvent<T>, b: TimedEvent<T>): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
