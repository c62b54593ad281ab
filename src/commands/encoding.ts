// OBJECT ENCODING as redis-server reports it for the same command history (redis 7.0.15: object.c
// strEncoding, tryObjectEncoding; t_hash.c hashTypeTryConversion/hashTypeConvert; t_set.c
// setTypeAdd's intset -> hashtable; t_zset.c zsetAdd's listpack -> skiplist; 4.0.14 names
// ziplist for listpack).
//
// Redis converts a small encoding to the big one when an insertion crosses a limit and never back,
// however small the collection gets; a fresh value (a *STORE result, RESTORE, an RDB load, DEBUG
// RELOAD) starts from its contents. A collection's `big` flag holds that state: undefined while the
// value is fresh (its encoding is then its contents'), fixed from the contents before the first
// command that modifies it (beforeWrite), then set when an insertion crosses a limit (noteWrite,
// which reads only the command's arguments, so each command costs O(argc)). Strings carry how they were made: tryObjectEncoding's int/embstr/raw from
// their contents by default; `enc: 'raw'` for APPEND, SETRANGE, SETBIT, BITFIELD, BITOP, PFADD,
// PFMERGE (Redis builds those as raw sds); `enc: 'noint'` for INCRBYFLOAT (createStringObject: no
// int encoding, embstr up to 44 bytes); `enc: 'unshared'` for a COPY (dupStringObject: the same
// encoding, but never one of the shared integers 0..9999 that OBJECT REFCOUNT reports).
// Lists are quicklist in both 4.0 and 7.0 (7.2 added listpack lists).
//
// Limits: hash-max-listpack-entries 512 and -value 64 (7.0's built-in defaults; redis.conf ships
// 128), zset-max-listpack-entries 128 and -value 64, set-max-intset-entries 512; CONFIG SET and
// the startup directives change them (applyEncodingDirective).

import type { Bytes, Value } from '../keyspace/types.ts';
import type { Profile } from '../base/profile.ts';
import { parseInt64 } from './args.ts';

/** The *-max-* limits in force (redis: server.hash_max_listpack_entries, ...). */
export interface EncodingLimits {
  hashEntries: number;
  hashValue: number;
  zsetEntries: number;
  zsetValue: number;
  intsetEntries: number;
}

export function defaultEncodingLimits(): EncodingLimits {
  return { hashEntries: 512, hashValue: 64, zsetEntries: 128, zsetValue: 64, intsetEntries: 512 };
}

const DIRECTIVE_FIELDS: Record<string, keyof EncodingLimits> = {
  'hash-max-listpack-entries': 'hashEntries',
  'hash-max-ziplist-entries': 'hashEntries',
  'hash-max-listpack-value': 'hashValue',
  'hash-max-ziplist-value': 'hashValue',
  'zset-max-listpack-entries': 'zsetEntries',
  'zset-max-ziplist-entries': 'zsetEntries',
  'zset-max-listpack-value': 'zsetValue',
  'zset-max-ziplist-value': 'zsetValue',
  'set-max-intset-entries': 'intsetEntries',
};

/** Applies a directive's (already validated) value when it is one of the limits. */
export function applyEncodingDirective(limits: EncodingLimits, name: string, value: string): void {
  const f = DIRECTIVE_FIELDS[name.toLowerCase()];
  const n = Number(value);
  if (f !== undefined && Number.isFinite(n)) limits[f] = n;
}

const isInt = (s: Bytes): boolean => s.length <= 20 && parseInt64(s) !== null;

/** True when the contents alone need the big encoding. */
function contentsBig(v: Value, lim: EncodingLimits): boolean {
  switch (v.type) {
    case 'set':
      if (v.value.size > lim.intsetEntries) return true;
      for (const m of v.value) if (!isInt(m)) return true;
      return false;
    case 'hash':
      if (v.value.size > lim.hashEntries) return true;
      for (const [f, x] of v.value) if (f.length > lim.hashValue || x.length > lim.hashValue) return true;
      return false;
    case 'zset':
      if (v.value.size > lim.zsetEntries) return true;
      for (const e of v.value.entries()) if (e.member.length > lim.zsetValue) return true;
      return false;
    default:
      return false;
  }
}

/** True when the collection has (or, fresh, would have) its big encoding. */
function isBig(v: Extract<Value, { type: 'hash' | 'set' | 'zset' }>, lim: EncodingLimits): boolean {
  return v.big ?? contentsBig(v, lim);
}

/** redis: strEncoding(o->encoding). */
export function objectEncoding(v: Value, lim: EncodingLimits, profile: Profile = 'redis-7.0'): string {
  const small = profile === 'redis-4.0' ? 'ziplist' : 'listpack';
  switch (v.type) {
    case 'string':
      if (v.enc === 'raw') return 'raw';
      if ((v.enc === undefined || v.enc === 'unshared') && isInt(v.value)) return 'int';
      return v.value.length <= 44 ? 'embstr' : 'raw';
    case 'list':
      return 'quicklist';
    case 'set':
      return isBig(v, lim) ? 'hashtable' : 'intset';
    case 'hash':
      return isBig(v, lim) ? 'hashtable' : small;
    case 'zset':
      return isBig(v, lim) ? 'skiplist' : small;
    case 'stream':
      return 'stream';
  }
}

/** True for the encodings Redis scans in one call (listpack/ziplist, intset: not a hash table). */
export function isSmallEncoding(v: Value, lim: EncodingLimits): boolean {
  const e = objectEncoding(v, lim);
  return e === 'listpack' || e === 'intset';
}

/**
 * The commands that insert elements into an existing collection, the argv index of their key and
 * of the first inserted element (every later argument counts: scores and coordinates are short).
 */
const INSERTS = new Map<string, { key: number; from: number }>([
  ['hset', { key: 1, from: 2 }],
  ['hmset', { key: 1, from: 2 }],
  ['hsetnx', { key: 1, from: 2 }],
  ['hincrby', { key: 1, from: 2 }],
  ['hincrbyfloat', { key: 1, from: 2 }],
  ['sadd', { key: 1, from: 2 }],
  ['smove', { key: 2, from: 3 }],
  ['zadd', { key: 1, from: 2 }],
  ['zincrby', { key: 1, from: 3 }],
  ['geoadd', { key: 1, from: 2 }],
]);

/** The write commands that modify an existing hash, set or zset in place (removals included). */
const MODIFIES = new Set([
  ...INSERTS.keys(),
  'hdel',
  'srem',
  'spop',
  'zrem',
  'zpopmin',
  'zpopmax',
  'bzpopmin',
  'bzpopmax',
  'zmpop',
  'bzmpop',
  'zremrangebyscore',
  'zremrangebyrank',
  'zremrangebylex',
]);

/** True when `name` may modify a collection in place: the executor then calls beforeWrite. */
export function modifiesInPlace(name: string): boolean {
  return MODIFIES.has(name);
}

/** Before such a command: a fresh collection's encoding is fixed from its contents (once per value). */
export function beforeWrite(keys: readonly Bytes[], dict: ReadonlyMap<Bytes, Value>, lim: EncodingLimits): void {
  for (const k of keys) {
    const v = dict.get(k);
    if (v !== undefined) beforeWriteValue(v, lim);
  }
}

/** beforeWrite for the value of one key (the executor's single-key path, which has the value at hand). */
export function beforeWriteValue(v: Value, lim: EncodingLimits): void {
  if ((v.type === 'hash' || v.type === 'set' || v.type === 'zset') && v.big === undefined) v.big = contentsBig(v, lim);
}

/**
 * After a command that wrote (executor: call()'s bookkeeping): sets the sticky `big` flag when its
 * insertion crossed a limit, as the conversion Redis does in the middle of the command. A value the
 * command created is judged on its contents (as many as the command's arguments). `knownKey`, when
 * not null, is a key whose entry the caller knows to be `knownValue` (no second dict probe for it).
 */
export function noteWrite(
  name: string,
  argv: readonly Bytes[],
  dict: ReadonlyMap<Bytes, Value>,
  lim: EncodingLimits,
  knownKey: Bytes | null = null,
  knownValue?: Value,
): void {
  const at = INSERTS.get(name);
  if (at === undefined || argv.length <= at.key) return;
  const key = argv[at.key];
  const v = knownKey !== null && key === knownKey ? knownValue : dict.get(key);
  if (v === undefined || v.type === 'string' || v.type === 'list' || v.type === 'stream' || v.big === true) return;
  // Created by this command: its contents, then its arguments (a long value overwritten in the
  // same HSET still converted the hash: hashTypeTryConversion reads the arguments first).
  if (v.big === undefined) v.big = contentsBig(v, lim);
  if (v.type === 'hash') {
    if (v.value.size > lim.hashEntries) v.big = true;
    else for (let i = at.from; i < argv.length && !v.big; i++) if (argv[i].length > lim.hashValue) v.big = true;
  } else if (v.type === 'set') {
    if (v.value.size > lim.intsetEntries) v.big = true;
    else for (let i = at.from; i < argv.length && !v.big; i++) if (!isInt(argv[i])) v.big = true;
  } else if (v.type === 'zset') {
    if (v.value.size > lim.zsetEntries) v.big = true;
    else for (let i = at.from; i < argv.length && !v.big; i++) if (argv[i].length > lim.zsetValue) v.big = true;
  }
}
