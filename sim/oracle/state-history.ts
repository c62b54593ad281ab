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
    const digest = value === undefined ? null : valueDigest(value);
    const expireAtMs = value === undefined ? undefined : db.expires.get(key);
    const list = this.versions.get(slot);
    if (list === undefined) {
      if (digest !== null) this.versions.set(slot, [{ k: 0, digest: null, expireAtMs: undefined }, { k, digest, expireAtMs }]);
      return;
    }
    const last = list[list.length - 1];
    if (last.digest === digest && last.expireAtMs === expireAtMs) return;
    if (last.k === k) {
      last.digest = digest;
      last.expireAtMs = expireAtMs;
    } else list.push({ k, digest, expireAtMs });
  }
}
