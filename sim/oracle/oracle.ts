// The recovery oracle (ARCHITECTURE.md#the-oracle). After a crash at virtual time Tc and a restart, the
// recovered keyspace R is correct iff R = S_k for some k with kMin <= k <= kExecuted, comparing
// logically at a time T >= Tc (the restart, when R is first seen): a key whose expire time is <= T
// is absent on both sides. S_k comes from the live
// server's own states (StateHistory), never from replaying its AOF, so propagation bugs are caught.
//
// Method: for every key, the set of k where the live key equals the recovered key is a union of
// intervals (a key's value is constant between two of its versions); R is a valid recovery iff the
// intersection over all keys, clipped to [kMin, kExecuted], is not empty.

import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import { valueDigest } from './value-digest.ts';
import { slotOf, type KeyVersion, type StateHistory } from './state-history.ts';

export interface OracleBounds {
  /** Every write up to kMin was promised to survive. */
  kMin: number;
  /** Writes executed by the live server (defaults to history.executed). */
  kMax?: number;
  /** The time the states are compared at (the crash, or the restart after it): keys whose expire time is <= atMs count as absent. */
  atMs: number;
}

export interface OracleMismatch {
  db: number;
  key: string;
  recovered: string | null;
  /** The key's live versions (k and digest) inside the bounds. */
  live: { k: number; digest: string | null }[];
}

export interface OracleVerdict {
  ok: boolean;
  /** Feasible k values as inclusive intervals (empty when !ok). */
  feasible: [number, number][];
  /** The smallest feasible k (when ok). */
  k?: number;
  kMin: number;
  kMax: number;
  /** When !ok: the key that made the feasible set empty. */
  mismatch?: OracleMismatch;
  /** When ok is false because the bounds themselves are empty. */
  reason?: string;
}

type Interval = [number, number];

function logical(digest: string | null, expireAtMs: number | undefined, atMs: number): string | null {
  if (digest === null) return null;
  if (expireAtMs !== undefined && expireAtMs <= atMs) return null;
  return expireAtMs === undefined ? digest : digest + '\u0002' + expireAtMs;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

/** Intervals of k in [lo, hi] where the key's logical value equals `want`. */
function matching(list: readonly KeyVersion[] | undefined, want: string | null, atMs: number, lo: number, hi: number): Interval[] {
  if (list === undefined) return want === null ? [[lo, hi]] : [];
  const out: Interval[] = [];
  for (let i = 0; i < list.length; i++) {
    const from = Math.max(list[i].k, lo);
    const to = Math.min(i + 1 < list.length ? list[i + 1].k - 1 : hi, hi);
    if (from > to) continue;
    if (logical(list[i].digest, list[i].expireAtMs, atMs) === want) {
      const last = out[out.length - 1];
      if (last && last[1] + 1 === from) last[1] = to;
      else out.push([from, to]);
    }
  }
  // Versions before the first recorded one: the key did not exist.
  if (list.length > 0 && list[0].k > lo && want === null) {
    out.unshift([lo, Math.min(list[0].k - 1, hi)]);
  }
  return out;
}

export function checkRecovery(history: StateHistory, recovered: Keyspace, bounds: OracleBounds): OracleVerdict {
  const kMin = bounds.kMin;
  const kMax = bounds.kMax ?? history.executed;
  if (kMin > kMax) return { ok: false, feasible: [], kMin, kMax, reason: `empty bounds: kMin ${kMin} > kMax ${kMax}` };
  let feasible: Interval[] = [[kMin, kMax]];
  const seen = new Set<string>();
  const visit = (db: number, key: string, want: string | null): OracleMismatch | undefined => {
    const slot = slotOf(db, key);
    seen.add(slot);
    const list = history.versions.get(slot);
    const next = intersect(feasible, matching(list, want, bounds.atMs, kMin, kMax));
    if (next.length === 0) {
      const live = (list ?? [])
        .filter((v, i, all) => v.k <= kMax && (i + 1 >= all.length || all[i + 1].k > kMin))
        .map((v) => ({ k: v.k, digest: logical(v.digest, v.expireAtMs, bounds.atMs) }));
      return { db, key, recovered: want, live };
    }
    feasible = next;
    return undefined;
  };
  for (let i = 0; i < recovered.numDbs; i++) {
    const db = recovered.dbs[i];
    for (const [key, value] of db.dict) {
      const mismatch = visit(i, key, logical(valueDigest(value), db.expires.get(key), bounds.atMs));
      if (mismatch) return { ok: false, feasible: [], kMin, kMax, mismatch };
    }
  }
  for (const slot of history.versions.keys()) {
    if (seen.has(slot)) continue;
    const sep = slot.indexOf(':');
    const mismatch = visit(Number(slot.slice(0, sep)), slot.slice(sep + 1), null);
    if (mismatch) return { ok: false, feasible: [], kMin, kMax, mismatch };
  }
  return { ok: true, feasible, k: feasible[0][0], kMin, kMax };
}

/** A one-paragraph explanation of a verdict, for failure messages and scenario timelines. */
export function describeVerdict(v: OracleVerdict): string {
  if (v.ok) return `recovered state = S_${v.k} (feasible k: ${v.feasible.map(([a, b]) => (a === b ? `${a}` : `${a}..${b}`)).join(', ')}; bounds ${v.kMin}..${v.kMax})`;
  if (v.reason) return `oracle: ${v.reason}`;
  const m = v.mismatch!;
  const show = (d: string | null) => (d === null ? '(absent)' : JSON.stringify(d.length > 80 ? d.slice(0, 77) + '...' : d));
  const live = m.live.map((x) => `k>=${x.k}: ${show(x.digest)}`).join('; ');
  return `no live state S_k with ${v.kMin} <= k <= ${v.kMax} matches the recovery: key ${JSON.stringify(m.key)} in db ${m.db} was recovered as ${show(m.recovered)}, live versions: ${live || '(never existed)'}`;
}
