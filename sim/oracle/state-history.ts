// Per-key version histories of the live server's keyspace: S_k, the state after its first k
// executed writes (an execution unit, e.g. a MULTI/EXEC block, counts as one), without storing k
// full copies. Each key keeps the list of (k, digest, expireAtMs) at which it changed; the state of a
// key at any k is the last entry at or before k. Recording a write costs O(keys it touched), so
// thousands of oracle checks per second stay cheap.
//
// Invariant: entries of one key are in strictly increasing k; k = 0 is the initial state.

import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Bytes } from '../../src/keyspace/types.ts';
import { valueDigest } from './value-digest.ts';

export interface KeyVersion {
  k: number;
  /** null: the key does not exist at this version. */
  digest: string | null;
  expireAtMs: number | undefined;
  /** A string value's bytes the digest was made from: an unchanged string is the same JS string, found equal without reading it. */
  raw?: Bytes;
}

/** Which keys a write may have changed: explicit (db, key) pairs, or every key (FLUSHALL, SWAPDB...). */
export type Touched = 'all' | ReadonlyArray<readonly [db: number, key: Bytes]>;

export function slotOf(db: number, key: Bytes): string {
  return db + ':' + key;
}

export class StateHistory {
  /** slot -> versions, increasing k. */
  readonly versions = new Map<string, KeyVersion[]>();
  private writes = 0;

  constructor(initial: Keyspace) {
    initial.dbs.forEach((db, i) => {
      for (const [key, value] of db.dict) {
        this.versions.set(slotOf(i, key), [{ k: 0, digest: valueDigest(value), expireAtMs: db.expires.get(key) }]);
      }
    });
  }

  /** Number of writes recorded so far (kExecuted). */
  get executed(): number {
    return this.writes;
  }

  /** Records write number k = executed + 1 given the keyspace right after it. */
  recordWrite(ks: Keyspace, touched: Touched): number {
    const k = ++this.writes;
    if (touched === 'all') {
      const seen = new Set<string>();
      ks.dbs.forEach((db, i) => {
        for (const key of db.dict.keys()) {
          const slot = slotOf(i, key);
          seen.add(slot);
          this.update(ks, k, i, key, slot);
        }
      });
      for (const [slot, list] of this.versions) {
        if (!seen.has(slot) && list[list.length - 1].digest !== null) list.push({ k, digest: null, expireAtMs: undefined });
      }
    } else {
      for (const [db, key] of touched) {
        if (db >= 0 && db < ks.numDbs) this.update(ks, k, db, key, slotOf(db, key));
      }
    }
    return k;
  }

  private update(ks: Keyspace, k: number, dbIndex: number, key: Bytes, slot: string): void {
    const db = ks.dbs[dbIndex];
    const value = db.dict.get(key);
    const expireAtMs = value === undefined ? undefined : db.expires.get(key);
    const list = this.versions.get(slot);
    const last = list === undefined ? undefined : list[list.length - 1];
    // Every write re-reads every key ('all'): comparing a multi-MB string's digest each time would
    // make runs with large values quadratic; the same string object is the same value.
    const raw = value?.type === 'string' ? value.value : undefined;
    if (last !== undefined && raw !== undefined && last.raw === raw && last.expireAtMs === expireAtMs) return;
    const digest = value === undefined ? null : valueDigest(value);
    if (list === undefined || last === undefined) {
      if (digest !== null) this.versions.set(slot, [{ k: 0, digest: null, expireAtMs: undefined }, { k, digest, expireAtMs, raw }]);
      return;
    }
    if (last.digest === digest && last.expireAtMs === expireAtMs) {
      last.raw = raw;
      return;
    }
    if (last.k === k) {
      last.digest = digest;
      last.expireAtMs = expireAtMs;
      last.raw = raw;
    } else list.push({ k, digest, expireAtMs, raw });
  }
}
