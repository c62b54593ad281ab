// The crash-cycle benchmark's full-state check: does the recovered keyspace hold exactly what the
// live one held before the kill? Compared in place, key by key, instead of formatting both as
// canonical dumps and comparing the texts (the dumps were a visible share of a short cycle).
//
// What it compares, as the canonical dump at atMs does: the live keys of every db (an expire time
// <= atMs hides a key), their expire times, their values (strings by their bytes, the workload's
// only type; other types by the oracle's encoding-independent digest), the 7.0 function
// libraries. The live keyspace must not change between the two reads (a dead server's does not).

import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Db } from '../../src/keyspace/types.ts';
import { valueDigest } from '../../sim/oracle/value-digest.ts';

export function sameState(a: Keyspace, b: Keyspace, atMs: number): boolean {
  if (a.dbs.length !== b.dbs.length || a.functions.size !== b.functions.size) return false;
  for (const [name, code] of a.functions) if (b.functions.get(name) !== code) return false;
  for (let i = 0; i < a.dbs.length; i++) if (!sameDb(a.dbs[i], b.dbs[i], atMs)) return false;
  return true;
}

/** Keys of `a` alive at atMs all in `b` with equal values and expires, and as many alive in `b`. */
function sameDb(a: Db, b: Db, atMs: number): boolean {
  let alive = 0;
  for (const [key, va] of a.dict) {
    const ea = a.expires.get(key);
    if (ea !== undefined && ea <= atMs) continue;
    alive++;
    const vb = b.dict.get(key);
    if (vb === undefined || b.expires.get(key) !== ea || vb.type !== va.type) return false;
    if (va.type === 'string' ? va.value !== vb.value : valueDigest(va) !== valueDigest(vb)) return false;
  }
  if (b.expires.size === 0) return alive === b.dict.size;
  let aliveB = 0;
  for (const key of b.dict.keys()) {
    const eb = b.expires.get(key);
    if (eb === undefined || eb > atMs) aliveB++;
  }
  return alive === aliveB;
}
