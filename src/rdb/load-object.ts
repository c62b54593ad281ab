// Loading one value of a given RDB object type (redis: rdb.c rdbLoadObject, 7.0.15).
// Plain encodings are read element by element; packed ones (ziplist, listpack, intset, zipmap,
// quicklist nodes) are read as one string and decoded by their parser. The result is the
// encoding-free data model of src/keyspace/types.ts.
//
// Invariants: returns null for an empty collection (Redis skips such keys: "rdbLoadObject skipping
// empty key"); duplicates inside a set, zset or hash, NaN scores and unknown types are
// AOF_RDB_CORRUPT with Redis's wording; modules are AOF_RDB_UNSUPPORTED.
// Which type bytes are read at all is a fixed table per release, whatever the file's RDB version
// (isObjectType): SET_LISTPACK (20) and STREAM_LISTPACKS_3 (21) are decoded only for 7.2's table
// (maxVersion 11), which no profile selects.

import { AofError } from '../base/errors.ts';
import type { Bytes, Value } from '../keyspace/types.ts';
import { ZSet } from '../keyspace/zset.ts';
import { decodeIntset } from './intset.ts';
import { decodeListpack } from './listpack.ts';
import { loadStream } from './load-stream.ts';
import { zzlStrtod } from './int-text.ts';
import * as rdbConstants from './rdb-constants.ts';
import type { RdbReader } from './rdb-reader.ts';
import { decodeZiplist } from './ziplist.ts';
import { decodeZipmap } from './zipmap.ts';
import { List } from '../keyspace/list.ts';

// Local copies: module-namespace bindings compile to getters under tsx/vite, too slow for hot loops.
const { RDB_VERSION, RDB_VERSION_4, SHORT_READ_REASON, QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, TYPE_HASH, TYPE_HASH_LISTPACK, TYPE_HASH_ZIPLIST, TYPE_HASH_ZIPMAP, TYPE_LIST, TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2, TYPE_LIST_ZIPLIST, TYPE_MODULE, TYPE_MODULE_2, TYPE_SET, TYPE_SET_INTSET, TYPE_SET_LISTPACK, TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3, TYPE_STRING, TYPE_ZSET, TYPE_ZSET_2, TYPE_ZSET_LISTPACK, TYPE_ZSET_ZIPLIST } = rdbConstants;

/** A hash's or sorted set's ziplist: fields and members once each, an even count (rdb.c ziplistPairsConvertAndValidateIntegrity). */
const decodeZiplistPairs = (b: Uint8Array): string[] => decodeZiplist(b, true);

/**
 * True for the type bytes the release that reads up to RDB `maxVersion` knows (redis: rdb.h
 * rdbIsObjectType: 4.0.14 (RDB 8) 0-7 and 9-14; 7.0.15 (RDB 10) 0-7 and 9-19; 7.2 / Valkey 8
 * (RDB 11) 0-7 and 9-21). A fixed table of the reader, not a gate on the file's version: 7.0.15
 * reads a stream in an RDB 8 file and refuses type 20 in any file.
 */
export function isObjectType(t: number, maxVersion: number): boolean {
  const last = maxVersion <= RDB_VERSION_4 ? TYPE_LIST_QUICKLIST : maxVersion <= RDB_VERSION ? TYPE_STREAM_LISTPACKS_2 : TYPE_STREAM_LISTPACKS_3;
  return (t >= 0 && t <= 7) || (t >= 9 && t <= last);
}

function buildZSet(r: RdbReader, at: number, members: Bytes[], scores: number[]): ZSet {
  const seen = new Set<Bytes>();
  const order = members.map((_, i) => i);
  for (let i = 0; i < members.length; i++) {
    if (Number.isNaN(scores[i])) throw r.corrupt('Zset with NAN score detected', at);
    if (seen.has(members[i])) throw r.corrupt('Duplicate zset fields detected', at, 'unique members', JSON.stringify(members[i]));
    seen.add(members[i]);
  }
  // Insert in ascending order so every ZSet.set appends at the end (no O(n) shifting).
  order.sort((a, b) => (scores[a] - scores[b]) || (members[a] < members[b] ? -1 : members[a] > members[b] ? 1 : 0));
  const z = new ZSet();
  for (const i of order) z.set(members[i], scores[i]);
  return z;
}

function pairsToHash(r: RdbReader, at: number, flat: string[]): Map<Bytes, Bytes> {
  if (flat.length % 2 !== 0) throw r.corrupt('Hash integrity check failed.', at, 'an even number of elements', `${flat.length}`);
  const h = new Map<Bytes, Bytes>();
  for (let i = 0; i < flat.length; i += 2) {
    if (h.has(flat[i])) throw r.corrupt('Hash with dup elements', at, 'unique fields', JSON.stringify(flat[i]));
    h.set(flat[i], flat[i + 1]);
  }
  return h;
}

function toSet(r: RdbReader, at: number, items: string[]): Set<Bytes> {
  const s = new Set<Bytes>(items);
  if (s.size !== items.length) throw r.corrupt('Duplicate set members detected', at);
  return s;
}

/** rdbLoadObject: reads a value of `type`; null when the collection is empty. */
export function loadObject(r: RdbReader, type: number): Value | null {
  const at = r.pos;
  const decodeLp = (b: Uint8Array): string[] => decodeListpack(b, r.deepIntegrity);
  switch (type) {
    case TYPE_STRING:
      return { type: 'string', value: r.string() };
    case TYPE_LIST: {
      const n = r.len();
      const list: Bytes[] = [];
      for (let i = 0; i < n; i++) list.push(r.string());
      return list.length === 0 ? null : { type: 'list', value: List.from(list) };
    }
    case TYPE_SET: {
      const n = r.len();
      const set = new Set<Bytes>();
      for (let i = 0; i < n; i++) {
        const mAt = r.pos;
        const m = r.string();
        if (set.has(m)) throw r.corrupt('Duplicate set members detected', mAt, 'unique members', JSON.stringify(m));
        set.add(m);
      }
      return set.size === 0 ? null : { type: 'set', value: set };
    }
    case TYPE_ZSET:
    case TYPE_ZSET_2: {
      const n = r.len();
      const members: Bytes[] = [];
      const scores: number[] = [];
      const seen = new Set<Bytes>();
      for (let i = 0; i < n; i++) {
        const mAt = r.pos;
        const m = r.string();
        const score = type === TYPE_ZSET_2 ? r.binaryDouble() : r.textDouble();
        // Judged as each pair is read, as rdbLoadObject does: the error's position is the pair's.
        if (Number.isNaN(score)) throw r.corrupt('Zset with NAN score detected', mAt, 'a score', 'NaN');
        if (seen.has(m)) throw r.corrupt('Duplicate zset fields detected', mAt, 'unique members', JSON.stringify(m));
        seen.add(m);
        members.push(m);
        scores.push(score);
      }
      return n === 0 ? null : { type: 'zset', value: buildZSet(r, at, members, scores) };
    }
    case TYPE_HASH: {
      const n = r.len();
      const h = new Map<Bytes, Bytes>();
      for (let i = 0; i < n; i++) {
        const fAt = r.pos;
        const f = r.string();
        const v = r.string();
        if (h.has(f)) throw r.corrupt('Duplicate hash fields detected', fAt, 'unique fields', JSON.stringify(f));
        h.set(f, v);
      }
      return h.size === 0 ? null : { type: 'hash', value: h };
    }
    case TYPE_LIST_QUICKLIST:
    case TYPE_LIST_QUICKLIST_2: {
      const nodes = r.len();
      const list: Bytes[] = [];
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === TYPE_LIST_QUICKLIST_2) {
          const cAt = r.pos;
          container = r.len();
          if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
            throw r.corrupt('Quicklist integrity check failed.', cAt, 'container 1 (plain) or 2 (packed)', `${container}`);
          }
        }
        const blobAt = r.pos;
        const blob = r.bytes();
        // rdbLoadObject returns NULL on an empty node without a report: rdbLoad takes it for a
        // short read ("Unexpected EOF" in redis-check-rdb, just past the node).
        if (blob.length === 0) throw r.corrupt(SHORT_READ_REASON, r.pos, 'a non-empty node', 'an empty string');
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          list.push(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('latin1', 0, blob.length));
          continue;
        }
        const items = r.parseBlob(blobAt, blob, type === TYPE_LIST_QUICKLIST_2 ? decodeLp : decodeZiplist, type === TYPE_LIST_QUICKLIST_2 ? 'Listpack integrity check failed.' : 'Ziplist integrity check failed.');
        for (const it of items) list.push(it);
      }
      return list.length === 0 ? null : { type: 'list', value: List.from(list) };
    }
    case TYPE_HASH_ZIPMAP: {
      const blob = r.bytes();
      const flat = r.parseBlob(at, blob, decodeZipmap, 'Zipmap integrity check failed.');
      return flat.length === 0 ? null : { type: 'hash', value: pairsToHash(r, at, flat) };
    }
    case TYPE_LIST_ZIPLIST: {
      const blob = r.bytes();
      const items = r.parseBlob(at, blob, decodeZiplist, 'List ziplist integrity check failed.');
      return items.length === 0 ? null : { type: 'list', value: List.from(items) };
    }
    case TYPE_SET_INTSET:
    case TYPE_SET_LISTPACK: {
      const blob = r.bytes();
      const items = r.parseBlob(at, blob, type === TYPE_SET_INTSET ? decodeIntset : decodeLp, type === TYPE_SET_INTSET ? 'Intset integrity check failed.' : 'Set listpack integrity check failed.');
      return items.length === 0 ? null : { type: 'set', value: toSet(r, at, items) };
    }
    case TYPE_ZSET_ZIPLIST:
    case TYPE_ZSET_LISTPACK: {
      const blob = r.bytes();
      const reason = type === TYPE_ZSET_ZIPLIST ? 'Zset ziplist integrity check failed.' : 'Zset listpack integrity check failed.';
      const flat = r.parseBlob(at, blob, type === TYPE_ZSET_ZIPLIST ? decodeZiplistPairs : decodeLp, reason);
      if (flat.length % 2 !== 0) throw r.corrupt(reason, at, 'member/score pairs', `${flat.length} elements`);
      if (flat.length === 0) return null;
      const members: Bytes[] = [];
      const scores: number[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        members.push(flat[i]);
        // zzlGetScore: a text score is read by zzlStrtod (no number is 0).
        const sc = zzlStrtod(flat[i + 1]);
        // DIVERGENCE(redis): 7.0.15 checks no score here: it keeps a NaN in a set of up to
        // zset-max-listpack-entries members and aborts (zslInsert's assertion) converting a larger one
        // (docs/findings/zset-nan-score-aborts.md); aofsim refuses the value, as the fix does.
        if (Number.isNaN(sc)) throw r.corrupt(reason, at, 'a score that is a number', JSON.stringify(flat[i + 1]));
        scores.push(sc);
      }
      return { type: 'zset', value: buildZSet(r, at, members, scores) };
    }
    case TYPE_HASH_ZIPLIST:
    case TYPE_HASH_LISTPACK: {
      const blob = r.bytes();
      const flat = r.parseBlob(at, blob, type === TYPE_HASH_ZIPLIST ? decodeZiplistPairs : decodeLp, type === TYPE_HASH_ZIPLIST ? 'Hash ziplist integrity check failed.' : 'Hash listpack integrity check failed.');
      return flat.length === 0 ? null : { type: 'hash', value: pairsToHash(r, at, flat) };
    }
    case TYPE_STREAM_LISTPACKS:
    case TYPE_STREAM_LISTPACKS_2:
    case TYPE_STREAM_LISTPACKS_3:
      return { type: 'stream', value: loadStream(r, type) };
    case TYPE_MODULE:
    case TYPE_MODULE_2:
      throw new AofError('AOF_RDB_UNSUPPORTED', 'The RDB file contains module data I can\'t load: no matching module type', {
        file: r.file,
        offset: at,
        expected: 'a core Redis type',
        found: `module value (type ${type})`,
      });
    default:
      throw r.corrupt(`Unknown RDB encoding type ${type}`, at - 1, 'an object type', `type ${type}`);
  }
}
