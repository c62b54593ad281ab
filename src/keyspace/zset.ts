// A sorted set: member -> score, ordered by (score, member bytes) (redis: t_zset.c, the zset
// encoding: a dict for member -> score plus a skiplist with spans for order and rank).
//
// Insert, delete, rank and access by rank are O(log n) expected (redis: zslInsert, zslDeleteNode,
// zslGetRank, zslGetElementByRank); the skiplist's node levels come from a xorshift generator held
// by the set and seeded with a constant, so two runs build the same shape (the shape is never
// observable anyway: only order and ranks are).
//
// Invariants: no NaN score enters; -0 is stored as 0; `scores` and the skiplist hold the same
// members; node.span[i] is the number of level-0 steps from node to node.next[i] (to the end of the
// list when next[i] is null, for the header only); `tail` is the last node or null.

import type { Bytes } from './types.ts';

export interface ZEntry {
  readonly member: Bytes;
  readonly score: number;
}

/** redis: ZSKIPLIST_MAXLEVEL, ZSKIPLIST_P (1/4 as a 16-bit threshold). */
const MAX_LEVEL = 32;
const P_THRESHOLD = 0xffff >>> 2;

class Node implements ZEntry {
  readonly next: (Node | null)[];
  readonly span: number[];
  prev: Node | null = null;
  constructor(
    readonly member: Bytes,
    readonly score: number,
    level: number,
  ) {
    this.next = new Array<Node | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** (score, member) of e before (score, member)? */
function before(e: ZEntry, score: number, member: Bytes): boolean {
  return e.score < score || (e.score === score && e.member < member);
}

export class ZSet {
  private readonly scores = new Map<Bytes, number>();
  private readonly header = new Node('', -Infinity, MAX_LEVEL);
  private tail: Node | null = null;
  private level = 1;
  private rand = 0x9e3779b9;
  // Scratch arrays for insert/delete, reused so a write allocates only its node.
  private readonly update: Node[] = new Array<Node>(MAX_LEVEL);
  private readonly rankAt: number[] = new Array<number>(MAX_LEVEL).fill(0);

  get size(): number {
    return this.scores.size;
  }

  score(member: Bytes): number | undefined {
    return this.scores.get(member);
  }

  has(member: Bytes): boolean {
    return this.scores.has(member);
  }

  /**
   * Sets member's score (insert or update). -0 is stored as 0: Redis's listpack encoding (every
   * small zset) keeps scores as text without the sign of zero. DIVERGENCE(redis): a skiplist-encoded
   * zset (over 128 members) would keep -0.
   */
  set(member: Bytes, score: number): void {
    if (score === 0) score = 0;
    const old = this.scores.get(member);
    if (old !== undefined) {
      if (old === score) return;
      this.unlink(old, member);
    }
    this.scores.set(member, score);
    this.insert(member, score);
  }

  delete(member: Bytes): boolean {
    const old = this.scores.get(member);
    if (old === undefined) return false;
    this.unlink(old, member);
    this.scores.delete(member);
    return true;
  }

  /** 0-based rank in ascending order, or undefined (redis: zslGetRank). */
  rank(member: Bytes): number | undefined {
    const s = this.scores.get(member);
    if (s === undefined) return undefined;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let y = x.next[i];
      while (y !== null && (before(y, s, member) || (y.score === s && y.member === member))) {
        rank += x.span[i];
        x = y;
        y = x.next[i];
      }
      if (x !== this.header && x.member === member) return rank - 1;
    }
    return undefined;
  }

  /** Entry at ascending rank i, or undefined (redis: zslGetElementByRank). */
  at(i: number): ZEntry | undefined {
    return i >= 0 && i < this.size ? this.nodeAt(i) : undefined;
  }

  /** The number of leading entries (in ascending order) for which `pred` holds; pred must hold
   *  on a prefix of the order and fail on the rest (a range bound). O(log n). */
  countWhile(pred: (e: ZEntry) => boolean): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let y = x.next[i];
      while (y !== null && pred(y)) {
        rank += x.span[i];
        x = y;
        y = x.next[i];
      }
    }
    return rank;
  }

  /** Entries of ascending ranks [from, to) (clamped), in ascending order, or descending if reverse. */
  range(from: number, to: number, reverse = false): ZEntry[] {
    const lo = Math.max(0, from);
    const hi = Math.min(this.size, to);
    const out: ZEntry[] = [];
    if (lo >= hi) return out;
    if (reverse) {
      for (let x: Node | null = this.nodeAt(hi - 1), n = hi - lo; x !== null && n > 0; x = x.prev, n--) out.push(x);
    } else {
      for (let x: Node | null = this.nodeAt(lo), n = hi - lo; x !== null && n > 0; x = x.next[0], n--) out.push(x);
    }
    return out;
  }

  /** Entries in ascending (score, member) order, as a new array. Do not mutate the set while
   *  holding them expecting them to follow. */
  entries(): ZEntry[] {
    const out: ZEntry[] = [];
    for (let x = this.header.next[0]; x !== null; x = x.next[0]) out.push(x);
    return out;
  }

  /** Ascending iteration without building an array. */
  *[Symbol.iterator](): Iterator<ZEntry> {
    for (let x = this.header.next[0]; x !== null; x = x.next[0]) yield x;
  }

  /** Last entry (highest score), or undefined. */
  last(): ZEntry | undefined {
    return this.tail ?? undefined;
  }

  clone(): ZSet {
    const z = new ZSet();
    for (let x = this.header.next[0]; x !== null; x = x.next[0]) {
      z.scores.set(x.member, x.score);
      z.insert(x.member, x.score);
    }
    return z;
  }

  private nodeAt(i: number): Node {
    const r = i + 1;
    let x = this.header;
    let traversed = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      let y = x.next[l];
      while (y !== null && traversed + x.span[l] <= r) {
        traversed += x.span[l];
        x = y;
        y = x.next[l];
      }
      if (traversed === r) return x;
    }
    throw new RangeError(`zset rank out of range: ${i}`);
  }

  /** redis: zslRandomLevel, from a xorshift32 stream instead of random(). */
  private randomLevel(): number {
    let level = 1;
    for (;;) {
      let r = this.rand;
      r ^= r << 13;
      r ^= r >>> 17;
      r ^= r << 5;
      this.rand = r >>> 0;
      if ((this.rand & 0xffff) >= P_THRESHOLD || level >= MAX_LEVEL) return level;
      level++;
    }
  }

  /** redis: zslInsert (the member is known to be absent from the skiplist). */
  private insert(member: Bytes, score: number): void {
    const update = this.update;
    const rank = this.rankAt;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let y = x.next[i];
      while (y !== null && before(y, score, member)) {
        rank[i] += x.span[i];
        x = y;
        y = x.next[i];
      }
      update[i] = x;
    }
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.size - 1; // size already counts the new member
      }
      this.level = level;
    }
    const node = new Node(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      node.next[i] = u.next[i];
      u.next[i] = node;
      node.span[i] = u.span[i] - (rank[0] - rank[i]);
      u.span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    node.prev = update[0] === this.header ? null : update[0];
    const after = node.next[0];
    if (after !== null) after.prev = node;
    else this.tail = node;
  }

  /** redis: zslDelete + zslDeleteNode (the member is known to be in the skiplist). */
  private unlink(score: number, member: Bytes): void {
    const update = this.update;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let y = x.next[i];
      while (y !== null && before(y, score, member)) {
        x = y;
        y = x.next[i];
      }
      update[i] = x;
    }
    const target = x.next[0];
    if (target === null || target.member !== member) throw new Error(`zset skiplist lost member ${JSON.stringify(member)}`);
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.next[i] === target) {
        u.span[i] += target.span[i] - 1;
        u.next[i] = target.next[i];
      } else {
        u.span[i] -= 1;
      }
    }
    const after = target.next[0];
    if (after !== null) after.prev = target.prev;
    else this.tail = target.prev;
    while (this.level > 1 && this.header.next[this.level - 1] === null) this.level--;
  }
}
