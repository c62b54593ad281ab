// A sorted set: member -> score, ordered by (score, member bytes) (redis: t_zset.c, the zset
// encoding: a dict for member -> score plus an ordered index with ranks).
//
// DIVERGENCE(redis): the ordered index is a counted B+tree instead of Redis's skiplist (zslInsert,
// zslDeleteNode, zslGetRank, zslGetElementByRank). Same complexity, O(log n) insert, delete, rank
// and access by rank, but entries sit in arrays of up to NODE_MAX, which a JS engine walks far
// faster than a chain of skiplist nodes (each one an object plus its level arrays). Nothing
// observable depends on the layout: only order and ranks are.
//
// Small sets (up to SMALL_MAX members, what most keys hold) have no member -> score dict: their
// entries sit in one leaf and a lookup scans it, as Redis scans a small zset's listpack; the dict is
// built when the set first grows past SMALL_MAX and kept from then on. A dict per small set cost
// about 200 bytes and a hash insert per member (measured: a third of the live heap of an AOF
// holding 100k small zsets).
//
// Invariants: no NaN score enters; -0 is stored as 0; `scores`, when built, and the tree hold the
// same members; without `scores` the root is a leaf of at most SMALL_MAX entries;
// leaves hold entries in ascending order; an inner node's counts[c] is the number of entries under
// children[c] and max[c] the last entry under it; no node is empty except a leaf root; nodes split
// above NODE_MAX entries and empty nodes are removed (underfull nodes are allowed: a delete never
// moves entries between nodes, so the height stays O(log of the largest size reached)).

import type { Bytes } from './types.ts';

export interface ZEntry {
  readonly member: Bytes;
  readonly score: number;
}

const NODE_MAX = 64;
/** Members a set holds without its member -> score dict (< NODE_MAX: the root stays one leaf). */
const SMALL_MAX = 16;

interface Leaf {
  leaf: true;
  items: ZEntry[];
}

interface Inner {
  leaf: false;
  children: TreeNode[];
  counts: number[];
  max: ZEntry[];
}

type TreeNode = Leaf | Inner;

/** (score, member) of e before (score, member)? */
function before(e: ZEntry, score: number, member: Bytes): boolean {
  return e.score < score || (e.score === score && e.member < member);
}

/** The first index whose entry is not before (score, member). */
function lowerBound(items: readonly ZEntry[], score: number, member: Bytes): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid], score, member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The child of an inner node that holds, or would hold, (score, member). */
function childFor(n: Inner, score: number, member: Bytes): number {
  const c = lowerBound(n.max, score, member);
  return c < n.children.length ? c : n.children.length - 1;
}

function sizeOf(n: TreeNode): number {
  if (n.leaf) return n.items.length;
  let s = 0;
  for (const c of n.counts) s += c;
  return s;
}

function lastOf(n: TreeNode): ZEntry {
  return n.leaf ? n.items[n.items.length - 1] : n.max[n.max.length - 1];
}

/** Splits an overfull node in two halves; returns the right half. */
function split(n: TreeNode): TreeNode {
  const half = n.leaf ? n.items.length >>> 1 : n.children.length >>> 1;
  if (n.leaf) return { leaf: true, items: n.items.splice(half) };
  return { leaf: false, children: n.children.splice(half), counts: n.counts.splice(half), max: n.max.splice(half) };
}

function insertInto(n: TreeNode, e: ZEntry): TreeNode | null {
  if (n.leaf) {
    // In place (splice would also allocate the array of removed entries on every insert).
    const items = n.items;
    const at = lowerBound(items, e.score, e.member);
    let i = items.length;
    items.push(e);
    for (; i > at; i--) items[i] = items[i - 1];
    items[at] = e;
    return items.length > NODE_MAX ? split(n) : null;
  }
  const c = childFor(n, e.score, e.member);
  const right = insertInto(n.children[c], e);
  n.counts[c]++;
  if (right === null) {
    if (!before(e, n.max[c].score, n.max[c].member)) n.max[c] = e;
    return null;
  }
  const left = n.children[c];
  n.counts[c] = sizeOf(left);
  n.max[c] = lastOf(left);
  n.children.splice(c + 1, 0, right);
  n.counts.splice(c + 1, 0, sizeOf(right));
  n.max.splice(c + 1, 0, lastOf(right));
  return n.children.length > NODE_MAX ? split(n) : null;
}

/** Removes the entry (known to be present); true when n became empty. */
function removeFrom(n: TreeNode, score: number, member: Bytes): boolean {
  if (n.leaf) {
    const i = lowerBound(n.items, score, member);
    if (i >= n.items.length || n.items[i].member !== member) throw new Error(`zset index lost member ${JSON.stringify(member)}`);
    n.items.splice(i, 1);
    return n.items.length === 0;
  }
  const c = childFor(n, score, member);
  const child = n.children[c];
  if (removeFrom(child, score, member)) {
    n.children.splice(c, 1);
    n.counts.splice(c, 1);
    n.max.splice(c, 1);
    return n.children.length === 0;
  }
  n.counts[c]--;
  if (n.max[c].member === member) n.max[c] = lastOf(child);
  return false;
}

function collect(n: TreeNode, from: number, to: number, out: ZEntry[]): void {
  if (n.leaf) {
    for (let i = from; i < to; i++) out.push(n.items[i]);
    return;
  }
  let offset = 0;
  for (let c = 0; c < n.children.length && offset < to; c++) {
    const next = offset + n.counts[c];
    if (next > from) collect(n.children[c], Math.max(0, from - offset), Math.min(n.counts[c], to - offset), out);
    offset = next;
  }
}

function build(items: ZEntry[]): TreeNode {
  if (items.length <= NODE_MAX) return { leaf: true, items };
  let level: TreeNode[] = [];
  const per = NODE_MAX >>> 1;
  for (let i = 0; i < items.length; i += per) level.push({ leaf: true, items: items.slice(i, i + per) });
  while (level.length > 1) {
    const up: TreeNode[] = [];
    for (let i = 0; i < level.length; i += per) {
      const children = level.slice(i, i + per);
      up.push({ leaf: false, children, counts: children.map(sizeOf), max: children.map(lastOf) });
    }
    level = up;
  }
  return level[0];
}

export class ZSet {
  /** member -> score; null while the set has never held more than SMALL_MAX members. */
  private scores: Map<Bytes, number> | null = null;
  private root: TreeNode = { leaf: true, items: [] };

  get size(): number {
    return this.scores !== null ? this.scores.size : (this.root as Leaf).items.length;
  }

  score(member: Bytes): number | undefined {
    if (this.scores !== null) return this.scores.get(member);
    const items = (this.root as Leaf).items;
    for (let i = 0; i < items.length; i++) if (items[i].member === member) return items[i].score;
    return undefined;
  }

  has(member: Bytes): boolean {
    return this.score(member) !== undefined;
  }

  /**
   * Sets member's score (insert or update). -0 is stored as 0: Redis's listpack encoding (every
   * small zset) keeps scores as text without the sign of zero. DIVERGENCE(redis): a skiplist-encoded
   * zset (over 128 members) would keep -0.
   */
  set(member: Bytes, score: number): void {
    if (score === 0) score = 0;
    const old = this.score(member);
    if (old !== undefined) {
      if (old === score) return;
      this.unlink(old, member);
    }
    this.insertAbsent(member, score);
  }

  /** Inserts a member that is not in the set (score already normalized). */
  private insertAbsent(member: Bytes, score: number): void {
    if (this.scores !== null) this.scores.set(member, score);
    else if (this.size >= SMALL_MAX) {
      // Growing past SMALL_MAX: from now on lookups go through the dict.
      const scores = new Map<Bytes, number>();
      for (const e of (this.root as Leaf).items) scores.set(e.member, e.score);
      scores.set(member, score);
      this.scores = scores;
    }
    const right = insertInto(this.root, { member, score });
    if (right !== null) {
      const left = this.root;
      this.root = { leaf: false, children: [left, right], counts: [sizeOf(left), sizeOf(right)], max: [lastOf(left), lastOf(right)] };
    }
  }

  /** set() for a member the caller found absent (score() returned undefined): no second search. */
  add(member: Bytes, score: number): void {
    this.insertAbsent(member, score === 0 ? 0 : score);
  }

  delete(member: Bytes): boolean {
    const old = this.score(member);
    if (old === undefined) return false;
    this.unlink(old, member);
    this.scores?.delete(member);
    return true;
  }

  /** 0-based rank in ascending order, or undefined (redis: zslGetRank). */
  rank(member: Bytes): number | undefined {
    const s = this.score(member);
    if (s === undefined) return undefined;
    let n = this.root;
    let rank = 0;
    while (!n.leaf) {
      const c = childFor(n, s, member);
      for (let k = 0; k < c; k++) rank += n.counts[k];
      n = n.children[c];
    }
    return rank + lowerBound(n.items, s, member);
  }

  /** Entry at ascending rank i, or undefined (redis: zslGetElementByRank). */
  at(i: number): ZEntry | undefined {
    if (i < 0 || i >= this.size) return undefined;
    let n = this.root;
    while (!n.leaf) {
      let c = 0;
      while (i >= n.counts[c]) i -= n.counts[c++];
      n = n.children[c];
    }
    return n.items[i];
  }

  /** The number of leading entries (in ascending order) for which `pred` holds; pred must hold
   *  on a prefix of the order and fail on the rest (a range bound). O(log n). */
  countWhile(pred: (e: ZEntry) => boolean): number {
    let n = this.root;
    let count = 0;
    while (!n.leaf) {
      let c = 0;
      while (c < n.children.length - 1 && pred(n.max[c])) count += n.counts[c++];
      n = n.children[c];
    }
    let lo = 0;
    let hi = n.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(n.items[mid])) lo = mid + 1;
      else hi = mid;
    }
    return count + lo;
  }

  /** Entries of ascending ranks [from, to) (clamped), in ascending order, or descending if reverse. */
  range(from: number, to: number, reverse = false): ZEntry[] {
    const lo = Math.max(0, from);
    const hi = Math.min(this.size, to);
    const out: ZEntry[] = [];
    if (lo >= hi) return out;
    collect(this.root, lo, hi, out);
    return reverse ? out.reverse() : out;
  }

  /** Entries in ascending (score, member) order, as a new array. */
  entries(): ZEntry[] {
    const out: ZEntry[] = [];
    collect(this.root, 0, this.size, out);
    return out;
  }

  /** Ascending iteration. Do not mutate the set while iterating. */
  [Symbol.iterator](): Iterator<ZEntry> {
    return this.entries()[Symbol.iterator]();
  }

  /** Last entry (highest score), or undefined. */
  last(): ZEntry | undefined {
    return this.size === 0 ? undefined : lastOf(this.root);
  }

  clone(): ZSet {
    const z = new ZSet();
    const items = this.entries();
    if (items.length > SMALL_MAX) {
      const scores = new Map<Bytes, number>();
      for (const e of items) scores.set(e.member, e.score);
      z.scores = scores;
    }
    z.root = build(items);
    return z;
  }

  private unlink(score: number, member: Bytes): void {
    if (removeFrom(this.root, score, member)) this.root = { leaf: true, items: [] };
    while (!this.root.leaf && this.root.children.length === 1) this.root = this.root.children[0];
  }
}
