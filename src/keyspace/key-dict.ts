// A database's main dict (redis: db->dict) with what SCAN needs to resume: a cursor that keeps
// Redis's guarantee (redis 7.0.15: dict.c dictScan) without Redis's hash order.
//
// Redis's cursor walks the buckets of a power-of-two table in reverse-binary order, which survives
// rehashing. Here the cursor is an insertion sequence number: a Map keeps insertion order and
// set() on an existing key keeps its place, so every key has a fixed rank for as long as it is
// present; a key deleted and added again is a new key. SCAN returns keys in rank order from the
// cursor on and hands back the rank of the next one, so a key present for the whole iteration is
// returned exactly once, and a key added or removed meanwhile may or may not be, as in Redis.
//
// The index (rank -> key, ordered) is built only when the first SCAN needs to resume, so the load
// and command hot paths pay one null check per set/delete until then. Iteration order, and so the
// canonical dump, is the Map's own and never changes.
//
// Invariants: `seqs` is strictly increasing; `keys[i]` is the key of rank `seqs[i]`, or undefined
// once deleted (a tombstone); `rank` maps every present key to its rank; tombstones never outnumber
// live entries by more than the compaction slack; ranks are never reused (nextSeq only grows).

import type { Bytes } from './types.ts';

interface ScanIndex {
  seqs: number[];
  keys: (Bytes | undefined)[];
  rank: Map<Bytes, number>;
  tombstones: number;
}

export class KeyDict<V> extends Map<Bytes, V> {
  private index: ScanIndex | null = null;
  private nextSeq = 1;

  override set(key: Bytes, value: V): this {
    const ix = this.index;
    if (ix !== null && !ix.rank.has(key)) {
      const s = this.nextSeq++;
      ix.rank.set(key, s);
      ix.seqs.push(s);
      ix.keys.push(key);
    }
    return super.set(key, value);
  }

  override delete(key: Bytes): boolean {
    const ix = this.index;
    if (ix !== null) {
      const s = ix.rank.get(key);
      if (s !== undefined) {
        ix.rank.delete(key);
        ix.keys[lowerBound(ix.seqs, s)] = undefined;
        ix.tombstones++;
        this.compactIfSparse(ix);
      }
    }
    return super.delete(key);
  }

  override clear(): void {
    // nextSeq stays: a cursor handed out before the flush must not name a key added after it.
    this.index = null;
    super.clear();
  }

  /**
   * redis: dictScan for SCAN. Up to `count` keys from cursor `cursor` on (0 = the start), in rank
   * order, and the cursor of the next call (0 when the iteration is complete).
   */
  scan(cursor: bigint, count: number): { keys: Bytes[]; next: bigint } {
    if (cursor === 0n && this.size <= count) return { keys: [...this.keys()], next: 0n };
    const ix = this.ensureIndex();
    const out: Bytes[] = [];
    const from = cursor > BigInt(this.nextSeq) ? this.nextSeq : Number(cursor);
    let i = lowerBound(ix.seqs, from);
    for (; i < ix.keys.length && out.length < count; i++) {
      const k = ix.keys[i];
      if (k !== undefined) out.push(k);
    }
    while (i < ix.keys.length && ix.keys[i] === undefined) i++;
    return { keys: out, next: i < ix.keys.length ? BigInt(ix.seqs[i]) : 0n };
  }

  private ensureIndex(): ScanIndex {
    if (this.index !== null) return this.index;
    const ix: ScanIndex = { seqs: [], keys: [], rank: new Map(), tombstones: 0 };
    for (const k of this.keys()) {
      const s = this.nextSeq++;
      ix.rank.set(k, s);
      ix.seqs.push(s);
      ix.keys.push(k);
    }
    this.index = ix;
    return ix;
  }

  /** Drops tombstones once they outnumber live keys (ranks are kept, so cursors stay valid). */
  private compactIfSparse(ix: ScanIndex): void {
    if (ix.tombstones <= 64 || ix.tombstones <= ix.rank.size) return;
    const seqs: number[] = [];
    const keys: Bytes[] = [];
    for (let i = 0; i < ix.keys.length; i++) {
      const k = ix.keys[i];
      if (k === undefined) continue;
      seqs.push(ix.seqs[i]);
      keys.push(k);
    }
    ix.seqs = seqs;
    ix.keys = keys;
    ix.tombstones = 0;
  }
}

/** The first index i with a[i] >= x (a sorted ascending). */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
