// Serializing one value (redis: rdb.c rdbSaveObjectType + rdbSaveObject, 7.0.15), choosing
// encodings that 7.0 loads and that are simple to get right:
//   string -> STRING; list -> LIST_QUICKLIST_2 of packed listpack nodes (v10) or plain LIST (v9);
//   set -> SET_INTSET when every member is a canonical int64 and there are <= 512, else SET;
//   zset -> ZSET_LISTPACK (v10) while the zset is listpack-encoded: one listpack of member, score
//           text pairs by (score, member), the score as zzlInsertAt stores it (d2string70); else
//           ZSET_2 (binary doubles, from the tail);
//   hash -> HASH_LISTPACK (v10) while the hash is listpack-encoded: one listpack of field, value
//           pairs in the hash's order (insertion order; HSET of an existing field keeps its place);
//           else HASH;
//   stream -> STREAM_LISTPACKS_2 (v10) or STREAM_LISTPACKS (v9; v8 has no streams), listpack nodes
//           of at most 100 entries with a master entry each.
// The encoding: the value's sticky `big` flag when the keyspace has fixed it (src/commands/encoding.ts
// keeps it as Redis converts), else its contents against 7.0's built-in limits (hash-max-listpack-*
// 512/64, zset-max-listpack-* 128/64), the rule the 4.0 ziplist path uses with 4.0's limits.
// At v9 (5.0/6.x, whose small encoding is the ziplist) hashes and zsets stay HASH/ZSET_2: those
// servers convert them to ziplists on load.
//
// Invariants: the output decodes (loadObject) to an equal value; no empty listpack is written.

import type { StreamValue, Value } from '../keyspace/types.ts';
import { encodeIntset } from './intset.ts';
import { encodeListpack } from './listpack.ts';
import { canonicalInt } from './int-text.ts';
import * as rdbConstants from './rdb-constants.ts';
import type { RdbWriter } from './rdb-writer.ts';
import { encodeIdKey } from '../keyspace/stream-id.ts';
import { formatScoreG17 } from '../keyspace/score-format.ts';

// Local copies: module-namespace bindings compile to getters under tsx/vite, too slow for hot loops.
const { QUICKLIST_NODE_CONTAINER_PACKED, TYPE_HASH, TYPE_HASH_LISTPACK, TYPE_LIST, TYPE_LIST_QUICKLIST_2, TYPE_SET, TYPE_SET_INTSET, TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STRING, TYPE_ZSET_2, TYPE_ZSET_LISTPACK } = rdbConstants;

/** 10: Redis 7.0; 9: Redis 5.0/6.x; 8: Redis 4.0 (written by save-object-v8.ts with 4.0's encodings). */
export type RdbSaveVersion = 8 | 9 | 10;

const LIST_NODE_MAX_ENTRIES = 128;
/** list-max-listpack-size -2 (8 kB) */
const LIST_NODE_MAX_BYTES = 8192;
const SET_MAX_INTSET_ENTRIES = 512;
const STREAM_NODE_MAX_ENTRIES = 100;
/** 7.0's built-in hash-max-listpack-entries / -value and zset-max-listpack-entries / -value. */
const HASH_MAX_LISTPACK_ENTRIES = 512;
const HASH_MAX_LISTPACK_VALUE = 64;
const ZSET_MAX_LISTPACK_ENTRIES = 128;
const ZSET_MAX_LISTPACK_VALUE = 64;

/** A score as a 4.0 ziplist zset stores it (zzlInsertAt: d2string, integers within 2^52 without a fraction). */
export function d2string(x: number): string {
  if (Number.isInteger(x) && x > -4503599627370495 && x < 4503599627370496) return Object.is(x, -0) ? '-0' : String(x);
  return formatScoreG17(x);
}

const TWO_62 = 2 ** 62;

/**
 * A score as a 7.0 listpack zset stores it (zzlInsertAt: d2string, which prints an integral value
 * within +-LLONG_MAX/2, i.e. [-2^62, 2^62], as an integer (double2ll): -0 becomes "0", 1e17
 * "100000000000000000"), else %.17g. BigInt gives every digit (String(2 ** 62) rounds them).
 */
export function d2string70(x: number): string {
  if (Number.isInteger(x) && x >= -TWO_62 && x <= TWO_62) return BigInt(x).toString();
  return formatScoreG17(x);
}

/** True while a 7.0 hash is listpack-encoded: its sticky flag, else its contents. */
function hashIsListpack(v: Extract<Value, { type: 'hash' }>): boolean {
  if (v.big !== undefined) return !v.big;
  if (v.value.size > HASH_MAX_LISTPACK_ENTRIES) return false;
  for (const [f, x] of v.value) if (f.length > HASH_MAX_LISTPACK_VALUE || x.length > HASH_MAX_LISTPACK_VALUE) return false;
  return true;
}

/** True while a 7.0 zset is listpack-encoded: its sticky flag, else its contents. */
function zsetIsListpack(v: Extract<Value, { type: 'zset' }>): boolean {
  if (v.big !== undefined) return !v.big;
  if (v.value.size > ZSET_MAX_LISTPACK_ENTRIES) return false;
  for (const e of v.value.entries()) if (e.member.length > ZSET_MAX_LISTPACK_VALUE) return false;
  return true;
}

/** The RDB type byte for a value (rdbSaveObjectType). */
export function rdbTypeOf(v: Value, version: RdbSaveVersion): number {
  switch (v.type) {
    case 'string':
      return TYPE_STRING;
    case 'list':
      return version >= 10 ? TYPE_LIST_QUICKLIST_2 : TYPE_LIST;
    case 'set':
      return intsetMembers(v.value) !== null ? TYPE_SET_INTSET : TYPE_SET;
    case 'zset':
      return version >= 10 && zsetIsListpack(v) ? TYPE_ZSET_LISTPACK : TYPE_ZSET_2;
    case 'hash':
      return version >= 10 && hashIsListpack(v) ? TYPE_HASH_LISTPACK : TYPE_HASH;
    case 'stream':
      if (version < 9) throw new RangeError(`RDB version ${version} (Redis 4.0) cannot hold a stream`);
      return version >= 10 ? TYPE_STREAM_LISTPACKS_2 : TYPE_STREAM_LISTPACKS;
  }
}

function intsetMembers(set: Set<string>): bigint[] | null {
  if (set.size > SET_MAX_INTSET_ENTRIES) return null;
  const out: bigint[] = [];
  for (const m of set) {
    const v = canonicalInt(m);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

function saveList(w: RdbWriter, list: Iterable<string>): void {
  const nodes: string[][] = [];
  let cur: string[] = [];
  let curBytes = 0;
  for (const e of list) {
    if (cur.length > 0 && (cur.length >= LIST_NODE_MAX_ENTRIES || curBytes + e.length > LIST_NODE_MAX_BYTES)) {
      nodes.push(cur);
      cur = [];
      curBytes = 0;
    }
    cur.push(e);
    curBytes += e.length + 2;
  }
  if (cur.length > 0) nodes.push(cur);
  w.len(nodes.length);
  for (const n of nodes) {
    w.len(QUICKLIST_NODE_CONTAINER_PACKED);
    w.blob(encodeListpack(n));
  }
}

function sameFields(a: readonly string[], masterFields: readonly string[]): boolean {
  if (a.length !== masterFields.length * 2) return false;
  for (let i = 0; i < masterFields.length; i++) if (a[2 * i] !== masterFields[i]) return false;
  return true;
}

function saveStream(w: RdbWriter, s: StreamValue, version: RdbSaveVersion): void {
  const entries = s.entries;
  const nodeCount = Math.ceil(entries.length / STREAM_NODE_MAX_ENTRIES);
  w.len(nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    const chunk = entries.slice(n * STREAM_NODE_MAX_ENTRIES, (n + 1) * STREAM_NODE_MAX_ENTRIES);
    const master = chunk[0].id;
    const masterFields: string[] = [];
    for (let i = 0; i < chunk[0].fields.length; i += 2) masterFields.push(chunk[0].fields[i]);
    const items: string[] = [String(chunk.length), '0', String(masterFields.length), ...masterFields, '0'];
    for (const e of chunk) {
      const same = sameFields(e.fields, masterFields);
      items.push(same ? '2' : '0');
      items.push(BigInt.asIntN(64, e.id.ms - master.ms).toString());
      items.push(BigInt.asIntN(64, e.id.seq - master.seq).toString());
      const nf = e.fields.length / 2;
      if (same) {
        for (let i = 1; i < e.fields.length; i += 2) items.push(e.fields[i]);
        items.push(String(nf + 3));
      } else {
        items.push(String(nf));
        for (const f of e.fields) items.push(f);
        items.push(String(2 * nf + 4));
      }
    }
    w.string(encodeIdKey(master));
    w.blob(encodeListpack(items));
  }
  w.len(entries.length);
  w.len(s.lastId.ms);
  w.len(s.lastId.seq);
  if (version >= 10) {
    w.len(s.firstId.ms);
    w.len(s.firstId.seq);
    w.len(s.maxDeletedId.ms);
    w.len(s.maxDeletedId.seq);
    w.len(BigInt(s.entriesAdded));
  }
  w.len(s.groups.size);
  for (const g of s.groups.values()) {
    w.string(g.name);
    w.len(g.lastId.ms);
    w.len(g.lastId.seq);
    if (version >= 10) w.len(BigInt.asUintN(64, BigInt(g.entriesRead)));
    w.len(g.pel.length);
    for (const p of g.pel) {
      w.latin1(encodeIdKey(p.id));
      w.millis(p.deliveryTimeMs);
      w.len(p.deliveryCount);
    }
    w.len(g.consumers.size);
    for (const c of g.consumers.values()) {
      w.string(c.name);
      w.millis(c.seenTimeMs);
      const own = g.pel.filter((p) => p.consumer === c.name);
      w.len(own.length);
      for (const p of own) w.latin1(encodeIdKey(p.id));
    }
  }
}

/** ZSET_2 body: member + binary double pairs. */
export function saveZsetSkiplist(w: RdbWriter, es: readonly { member: string; score: number }[]): void {
  w.len(es.length);
  // Redis writes from the tail (highest score first) so loading inserts at the skiplist head.
  for (let i = es.length - 1; i >= 0; i--) {
    w.string(es[i].member);
    w.f64le(es[i].score);
  }
}

/** HASH body: field + value pairs. */
export function saveHashTable(w: RdbWriter, h: ReadonlyMap<string, string>): void {
  w.len(h.size);
  for (const [f, val] of h) {
    w.string(f);
    w.string(val);
  }
}

/** rdbSaveObject: the value body for the type byte rdbTypeOf(v) returned. */
export function saveObject(w: RdbWriter, v: Value, version: RdbSaveVersion): void {
  switch (v.type) {
    case 'string':
      w.string(v.value);
      return;
    case 'list':
      if (version >= 10) {
        saveList(w, v.value);
      } else {
        w.len(v.value.length);
        for (const e of v.value) w.string(e);
      }
      return;
    case 'set': {
      const ints = intsetMembers(v.value);
      if (ints !== null) {
        w.blob(encodeIntset(ints));
      } else {
        w.len(v.value.size);
        for (const m of v.value) w.string(m);
      }
      return;
    }
    case 'zset': {
      const es = v.value.entries();
      if (version >= 10 && zsetIsListpack(v)) {
        const items: string[] = [];
        for (const e of es) items.push(e.member, d2string70(e.score));
        w.blob(encodeListpack(items));
        return;
      }
      saveZsetSkiplist(w, es);
      return;
    }
    case 'hash':
      if (version >= 10 && hashIsListpack(v)) {
        const items: string[] = [];
        for (const [f, val] of v.value) items.push(f, val);
        w.blob(encodeListpack(items));
        return;
      }
      saveHashTable(w, v.value);
      return;
    case 'stream':
      saveStream(w, v.value, version);
      return;
  }
}
