// A sorted set: member -> score, ordered by (score, member bytes) as Redis's skiplist orders it.
// This first version keeps a Map plus a sorted array (binary search); O(n) insert is fine for the
// sizes a simulator uses and keeps iteration order obvious. Scores are IEEE doubles; NaN never enters.

import type { Bytes } from './types.ts';

export interface ZEntry {
  member: Bytes;
  score: number;
}

function cmp(aScore: number, aMember: Bytes, bScore: number, bMember: Bytes): number {
  if (aScore < bScore) return -1;
  if (aScore > bScore) return 1;
  return aMember < bMember ? -1 : aMember > bMember ? 1 : 0;
}

export class ZSet {
  private readonly scores = new Map<Bytes, number>();
  private readonly sorted: ZEntry[] = [];

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
      this.sorted.splice(this.indexOf(old, member), 1);
    }
    this.scores.set(member, score);
    this.sorted.splice(this.lowerBound(score, member), 0, { member, score });
  }

  delete(member: Bytes): boolean {
    const old = this.scores.get(member);
    if (old === undefined) return false;
    this.sorted.splice(this.indexOf(old, member), 1);
    this.scores.delete(member);
    return true;
  }

  /** 0-based rank in ascending order, or undefined. */
  rank(member: Bytes): number | undefined {
    const s = this.scores.get(member);
    return s === undefined ? undefined : this.indexOf(s, member);
  }

  /** Entry at ascending rank i. */
  at(i: number): ZEntry | undefined {
    return this.sorted[i];
  }

  /** Entries in ascending (score, member) order. Do not mutate the set while iterating. */
  entries(): readonly ZEntry[] {
    return this.sorted;
  }

  clone(): ZSet {
    const z = new ZSet();
    for (const e of this.sorted) {
      z.scores.set(e.member, e.score);
      z.sorted.push({ member: e.member, score: e.score });
    }
    return z;
  }

  /** First index whose entry is >= (score, member). */
  lowerBound(score: number, member: Bytes): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.sorted[mid];
      if (cmp(e.score, e.member, score, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(score: number, member: Bytes): number {
    const i = this.lowerBound(score, member);
    return i;
  }
}
