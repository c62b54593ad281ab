// A list value (redis: quicklist.c, the type behind LPUSH/RPOP/LRANGE): a double-ended queue with
// O(1) push and pop at both ends, as Redis's quicklist has.
//
// DIVERGENCE(redis): the layout is a ring buffer (one power-of-two array, a head index and a length)
// instead of a linked list of listpack nodes. Both ends stay O(1) (amortized over the doublings), an
// index is O(1) instead of Redis's O(n / node size) walk, and an insert or removal in the middle
// shifts the shorter side, O(min(i, n - i)). Nothing observable depends on the layout: the RDB
// writer builds Redis's node boundaries itself (save-object's saveList).
//
// Invariants: 0 <= length <= capacity, capacity is a power of two >= MIN_CAPACITY; slots outside
// [head, head + length) (mod capacity) hold undefined so popped elements can be collected; the
// buffer shrinks by half when it is less than a quarter full, so a drained list gives memory back.

import type { Bytes } from './types.ts';

const MIN_CAPACITY = 4;

export class List implements Iterable<Bytes> {
  private buf: (Bytes | undefined)[];
  private mask: number;
  private head = 0;
  private len = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<Bytes | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  /** A list holding items in order. */
  static from(items: Iterable<Bytes>): List {
    const arr = Array.isArray(items) ? (items as Bytes[]) : [...items];
    const l = new List(arr.length);
    for (let i = 0; i < arr.length; i++) l.buf[i] = arr[i];
    l.len = arr.length;
    return l;
  }

  get length(): number {
    return this.len;
  }

  /** The element at index i (0-based from the head), or undefined outside [0, length). */
  get(i: number): Bytes | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) & this.mask];
  }

  /** Replaces the element at index i; i must be inside [0, length). */
  set(i: number, v: Bytes): void {
    if (i < 0 || i >= this.len) throw new RangeError(`list index out of range: ${i}`);
    this.buf[(this.head + i) & this.mask] = v;
  }

  pushTail(v: Bytes): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.len) & this.mask] = v;
    this.len++;
  }

  pushHead(v: Bytes): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = v;
    this.len++;
  }

  popHead(): Bytes | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.len--;
    this.maybeShrink();
    return v;
  }

  popTail(): Bytes | undefined {
    if (this.len === 0) return undefined;
    const at = (this.head + this.len - 1) & this.mask;
    const v = this.buf[at];
    this.buf[at] = undefined;
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Inserts v so that it ends up at index i (0 <= i <= length), shifting the shorter side. */
  insertAt(i: number, v: Bytes): void {
    if (i < 0 || i > this.len) throw new RangeError(`list index out of range: ${i}`);
    if (i === 0) return this.pushHead(v);
    if (i === this.len) return this.pushTail(v);
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    const m = this.mask;
    if (i < this.len - i) {
      this.head = (this.head - 1) & m;
      for (let k = 0; k < i; k++) this.buf[(this.head + k) & m] = this.buf[(this.head + k + 1) & m];
    } else {
      for (let k = this.len; k > i; k--) this.buf[(this.head + k) & m] = this.buf[(this.head + k - 1) & m];
    }
    this.buf[(this.head + i) & m] = v;
    this.len++;
  }

  /** Removes the element at index i (inside [0, length)), shifting the shorter side. */
  removeAt(i: number): Bytes {
    if (i < 0 || i >= this.len) throw new RangeError(`list index out of range: ${i}`);
    const m = this.mask;
    const v = this.buf[(this.head + i) & m] as Bytes;
    if (i < this.len - 1 - i) {
      for (let k = i; k > 0; k--) this.buf[(this.head + k) & m] = this.buf[(this.head + k - 1) & m];
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & m;
    } else {
      for (let k = i; k < this.len - 1; k++) this.buf[(this.head + k) & m] = this.buf[(this.head + k + 1) & m];
      this.buf[(this.head + this.len - 1) & m] = undefined;
    }
    this.len--;
    this.maybeShrink();
    return v;
  }

  /**
   * Removes up to `limit` elements equal to v, scanning from the head (or from the tail) in one
   * pass (redis: lremCommand's listTypeDelete walk); returns how many were removed.
   */
  removeEqual(v: Bytes, limit: number, fromTail: boolean): number {
    const n = this.len;
    const m = this.mask;
    const keep: boolean[] = new Array<boolean>(n).fill(true);
    let removed = 0;
    for (let k = 0; k < n && removed < limit; k++) {
      const i = fromTail ? n - 1 - k : k;
      if (this.buf[(this.head + i) & m] === v) {
        keep[i] = false;
        removed++;
      }
    }
    if (removed === 0) return 0;
    let w = 0;
    for (let i = 0; i < n; i++) {
      if (keep[i]) this.buf[(this.head + w++) & m] = this.buf[(this.head + i) & m];
    }
    for (let i = w; i < n; i++) this.buf[(this.head + i) & m] = undefined;
    this.len = w;
    this.maybeShrink();
    return removed;
  }

  /** Drops n elements from the head and t from the tail (n + t <= length). */
  trim(n: number, t: number): void {
    for (let k = 0; k < t; k++) this.buf[(this.head + this.len - 1 - k) & this.mask] = undefined;
    this.len -= t;
    for (let k = 0; k < n; k++) this.buf[(this.head + k) & this.mask] = undefined;
    this.head = (this.head + n) & this.mask;
    this.len -= n;
    this.maybeShrink();
  }

  /** First index of v, or -1. */
  indexOf(v: Bytes): number {
    for (let i = 0; i < this.len; i++) if (this.buf[(this.head + i) & this.mask] === v) return i;
    return -1;
  }

  /** Elements [start, end) as an array (indexes clamped to the list). */
  slice(start = 0, end = this.len): Bytes[] {
    const s = Math.max(0, start);
    const e = Math.min(this.len, end);
    const out: Bytes[] = [];
    for (let i = s; i < e; i++) out.push(this.buf[(this.head + i) & this.mask] as Bytes);
    return out;
  }

  toArray(): Bytes[] {
    return this.slice();
  }

  clone(): List {
    const l = new List(this.len);
    for (let i = 0; i < this.len; i++) l.buf[i] = this.buf[(this.head + i) & this.mask];
    l.len = this.len;
    return l;
  }

  *[Symbol.iterator](): Iterator<Bytes> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) & this.mask] as Bytes;
  }

  /** Structural equality in tests and dumps: a list compares as its elements. */
  toJSON(): Bytes[] {
    return this.toArray();
  }

  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > MIN_CAPACITY && this.len < cap / 4) this.resize(cap / 2);
  }

  private resize(cap: number): void {
    const next = new Array<Bytes | undefined>(cap).fill(undefined);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) & this.mask];
    this.buf = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
