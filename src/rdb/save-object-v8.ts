// Serializing one value as Redis 4.0 does at RDB version 8 (redis 4.0: rdb.c rdbSaveObjectType +
// rdbSaveObject, with the default encoding thresholds of redis.conf 4.0):
//   string -> STRING;
//   list   -> LIST_QUICKLIST: quicklist nodes, each a ziplist of at most 8 kB (list-max-ziplist-size
//             -2, judged as quicklist's _quicklistNodeAllowInsert does for tail pushes);
//   set    -> SET_INTSET when every member is a canonical int64 and there are <= 512
//             (set-max-intset-entries), else SET;
//   zset   -> ZSET_ZIPLIST (member, score text pairs by rank) when <= 128 entries and every member
//             <= 64 bytes (zset-max-ziplist-entries/value), else ZSET_2 (binary doubles, from the tail);
//   hash   -> HASH_ZIPLIST (field, value pairs) when <= 512 fields and every field and value <= 64
//             bytes (hash-max-ziplist-entries/value), else HASH;
//   stream -> none: Redis 4.0 has no streams (RDB 8 cannot hold one).
//
// DIVERGENCE(redis): Redis keeps an object in the encoding its history gave it (a hash that once
// grew past 512 fields stays a hashtable when it shrinks, a list built by LPUSH splits its nodes
// differently); aofsim's keyspace has no encodings, so the encoding follows the value's current
// size and lists are split as tail pushes would split them. Redis 4.0 loads either form.
//
// Invariant: the output decodes (loadObject) to an equal value, and loads in redis-server 4.0.14.

import type { Value } from '../keyspace/types.ts';
import { canonicalInt } from './int-text.ts';
import { encodeIntset } from './intset.ts';
import * as rdbConstants from './rdb-constants.ts';
import type { RdbWriter } from './rdb-writer.ts';
import { d2string, saveHashTable, saveZsetSkiplist } from './save-object.ts';
import { encodeZiplist, ziplistEntryBytes } from './ziplist-writer.ts';

const { TYPE_HASH, TYPE_HASH_ZIPLIST, TYPE_LIST_QUICKLIST, TYPE_SET, TYPE_SET_INTSET, TYPE_STRING, TYPE_ZSET_2, TYPE_ZSET_ZIPLIST } =
  rdbConstants;

/** redis.conf 4.0 defaults. */
const SET_MAX_INTSET_ENTRIES = 512;
const ZSET_MAX_ZIPLIST_ENTRIES = 128;
const ZSET_MAX_ZIPLIST_VALUE = 64;
const HASH_MAX_ZIPLIST_ENTRIES = 512;
const HASH_MAX_ZIPLIST_VALUE = 64;
/** list-max-ziplist-size -2: a quicklist node's ziplist stays within 8 kB. */
const LIST_NODE_MAX_BYTES = 8192;
/** ziplistNew: header (10 bytes) + end marker. */
const EMPTY_ZIPLIST_BYTES = 11;

function allIntegers(set: Set<string>): boolean {
  if (set.size > SET_MAX_INTSET_ENTRIES) return false;
  for (const m of set) if (canonicalInt(m) === null) return false;
  return true;
}

function zsetIsZiplist(v: Extract<Value, { type: 'zset' }>): boolean {
  const es = v.value.entries();
  if (es.length > ZSET_MAX_ZIPLIST_ENTRIES) return false;
  for (const e of es) if (e.member.length > ZSET_MAX_ZIPLIST_VALUE) return false;
  return true;
}

function hashIsZiplist(h: Map<string, string>): boolean {
  if (h.size > HASH_MAX_ZIPLIST_ENTRIES) return false;
  for (const [f, v] of h) if (f.length > HASH_MAX_ZIPLIST_VALUE || v.length > HASH_MAX_ZIPLIST_VALUE) return false;
  return true;
}

/** rdbSaveObjectType for redis 4.0. */
export function rdbTypeOfV8(v: Value): number {
  switch (v.type) {
    case 'string':
      return TYPE_STRING;
    case 'list':
      return TYPE_LIST_QUICKLIST;
    case 'set':
      return allIntegers(v.value) ? TYPE_SET_INTSET : TYPE_SET;
    case 'zset':
      return zsetIsZiplist(v) ? TYPE_ZSET_ZIPLIST : TYPE_ZSET_2;
    case 'hash':
      return hashIsZiplist(v.value) ? TYPE_HASH_ZIPLIST : TYPE_HASH;
    case 'stream':
      throw new RangeError('RDB version 8 (Redis 4.0) cannot hold a stream');
  }
}

/** Quicklist nodes as tail pushes fill them (quicklistPushTail + _quicklistNodeAllowInsert). */
function quicklistNodes(list: Iterable<string>): string[][] {
  const nodes: string[][] = [];
  let cur: string[] = [];
  let curBytes = EMPTY_ZIPLIST_BYTES;
  let prevLen = 0;
  for (const e of list) {
    const sz = e.length;
    const overhead = (sz < 254 ? 1 : 5) + (sz < 64 ? 1 : sz < 16384 ? 2 : 5);
    if (cur.length > 0 && curBytes + sz + overhead > LIST_NODE_MAX_BYTES) {
      nodes.push(cur);
      cur = [];
      curBytes = EMPTY_ZIPLIST_BYTES;
      prevLen = 0;
    }
    const grow = ziplistEntryBytes(e, prevLen);
    cur.push(e);
    curBytes += grow;
    prevLen = grow;
  }
  if (cur.length > 0) nodes.push(cur);
  return nodes;
}

/** rdbSaveObject (redis 4.0): the value body for the type byte rdbTypeOfV8(v) returned. */
export function saveObjectV8(w: RdbWriter, v: Value): void {
  switch (v.type) {
    case 'string':
      w.string(v.value);
      return;
    case 'list': {
      const nodes = quicklistNodes(v.value);
      w.len(nodes.length);
      for (const n of nodes) w.blob(encodeZiplist(n));
      return;
    }
    case 'set':
      if (allIntegers(v.value)) {
        w.blob(encodeIntset([...v.value].map((m) => canonicalInt(m) as bigint)));
      } else {
        w.len(v.value.size);
        for (const m of v.value) w.string(m);
      }
      return;
    case 'zset': {
      const es = v.value.entries();
      if (zsetIsZiplist(v)) {
        const items: string[] = [];
        for (const e of es) items.push(e.member, d2string(e.score));
        w.blob(encodeZiplist(items));
        return;
      }
      saveZsetSkiplist(w, es);
      return;
    }
    case 'hash':
      if (hashIsZiplist(v.value)) {
        const items: string[] = [];
        for (const [f, val] of v.value) items.push(f, val);
        w.blob(encodeZiplist(items));
        return;
      }
      saveHashTable(w, v.value);
      return;
    case 'stream':
      throw new RangeError('RDB version 8 (Redis 4.0) cannot hold a stream');
  }
}

/**
 * The RDB version the redis-4.0 profile writes for `ks`: 8, as Redis 4.0 does, unless it holds a
 * stream, which no 4.0 can hold (its commands are not in 4.0's table, but a 7.0 file or a RESTORE
 * can bring one in).
 * DIVERGENCE(redis): then the preamble is RDB 10 (with redis-ver 4.0.14), so the rewrite still
 * reproduces the state; Redis 4.0.14 cannot load such a file (neither could it load the XADDs).
 */
export function redis40RdbVersion(ks: { dbs: readonly { dict: ReadonlyMap<string, Value> }[] }): 8 | 10 {
  for (const db of ks.dbs) for (const v of db.dict.values()) if (v.type === 'stream') return 10;
  return 8;
}
