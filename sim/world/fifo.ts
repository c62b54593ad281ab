// A first-in first-out queue for the event loop's arrived commands, each connection's requests
// awaiting a reply, and the loop turns' replies not yet sent. Array.shift moves every remaining
// element (a pipelined burst of N commands costs O(N^2)); this keeps a head index and empties the
// array when it drains.
//
// Invariants: items come out in push order; a drained queue holds no references.

export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.head === this.items.length ? undefined : this.items[this.head];
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head === this.items.length) this.clear();
    return item;
  }

  /** Calls `f` on every item, oldest first (the queue is unchanged). */
  forEach(f: (item: T) => void): void {
    for (let i = this.head; i < this.items.length; i++) f(this.items[i]);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
