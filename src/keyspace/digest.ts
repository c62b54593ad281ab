// DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis's order-insensitive SHA1 digest of a dataset.
// redis 7.0.15: debug.c xorDigest (digest ^= SHA1(data)), mixDigest (digest = SHA1(digest ^
// SHA1(data)), order-sensitive), xorObjectDigest (one value: its type as a big-endian uint32 mixed
// in, then strings and list elements mixed in order; set members xored; each hash field/value
// pair and each zset member/score pair ("%.17g") digested on its own and xored; stream entries
// mixed in id order as "ms.seq" then field, value...; "!!expire!!" xored when the key has a TTL)
// and computeDatasetDigest (per non-empty db: its index mixed into the result, then every key's
// digest (key mixed, then its value) xored in).
//
// Invariants: the digest depends only on the logical data (never on encodings or iteration order,
// except where Redis's does: list order and stream order); an empty dataset digests to 40 zeros;
// stream consumer groups and the expire's value do not count, as in Redis.

import { createHash } from 'node:crypto';
import type { Bytes, Db, Value } from './types.ts';
import type { Keyspace } from './keyspace.ts';
import { formatScoreG17 } from './score-format.ts';

const DIGEST_BYTES = 20;

function sha1(data: Uint8Array): Uint8Array {
  return createHash('sha1').update(data).digest();
}

const bytesOf = (s: Bytes): Uint8Array => Buffer.from(s, 'latin1');

/** redis: xorDigest. */
function xorDigest(digest: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let j = 0; j < DIGEST_BYTES; j++) digest[j] ^= h[j];
}

/** redis: mixDigest. */
function mixDigest(digest: Uint8Array, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

/** A uint32 in network byte order (redis: htonl before digesting a type or a db index). */
function u32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** redis: server.h OBJ_STRING..OBJ_STREAM. */
const OBJ_TYPE: Record<Value['type'], number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };

/** One pair digested on its own (a zero digest, both parts mixed in), as hash and zset elements are. */
function pairDigest(a: Bytes, b: Bytes): Uint8Array {
  const d = new Uint8Array(DIGEST_BYTES);
  mixDigest(d, bytesOf(a));
  mixDigest(d, bytesOf(b));
  return d;
}

/** redis: xorObjectDigest: mixes `v` (and whether the key expires) into `digest`. */
export function xorObjectDigest(digest: Uint8Array, v: Value, hasExpire: boolean): void {
  mixDigest(digest, u32be(OBJ_TYPE[v.type]));
  switch (v.type) {
    case 'string':
      mixDigest(digest, bytesOf(v.value));
      break;
    case 'list':
      for (const e of v.value) mixDigest(digest, bytesOf(e));
      break;
    case 'set':
      for (const m of v.value) xorDigest(digest, bytesOf(m));
      break;
    case 'zset':
      for (const e of v.value.entries()) xorDigest(digest, pairDigest(e.member, formatScoreG17(e.score)));
      break;
    case 'hash':
      for (const [f, val] of v.value) xorDigest(digest, pairDigest(f, val));
      break;
    case 'stream':
      for (const e of v.value.entries) {
        mixDigest(digest, bytesOf(`${e.id.ms}.${e.id.seq}`));
        for (const f of e.fields) mixDigest(digest, bytesOf(f));
      }
      break;
  }
  if (hasExpire) xorDigest(digest, bytesOf('!!expire!!'));
}

const hex = (d: Uint8Array): string => Buffer.from(d).toString('hex');

/** redis: DEBUG DIGEST-VALUE for one key of `db` (40 zeros when missing; expired keys still count). */
export function valueDigest(db: Db, key: Bytes): string {
  const d = new Uint8Array(DIGEST_BYTES);
  const v = db.dict.get(key);
  if (v !== undefined) xorObjectDigest(d, v, db.expires.has(key));
  return hex(d);
}

/**
 * redis: computeDatasetDigest, as DEBUG DIGEST prints it (40 lower-case hex digits). With
 * `liveAtMs`, keys whose expire time is <= it are left out (the digest once Redis expired them);
 * without it every key in the dicts counts, logically expired or not, as in Redis.
 */
export function datasetDigest(ks: Keyspace, liveAtMs?: number): string {
  const final = new Uint8Array(DIGEST_BYTES);
  ks.dbs.forEach((db, j) => {
    const live = (key: Bytes): boolean => liveAtMs === undefined || !((db.expires.get(key) ?? Infinity) <= liveAtMs);
    let any = false;
    for (const key of db.dict.keys()) if (live(key)) any = true;
    if (!any) return;
    mixDigest(final, u32be(j));
    for (const [key, v] of db.dict) {
      if (!live(key)) continue;
      const d = new Uint8Array(DIGEST_BYTES);
      mixDigest(d, bytesOf(key));
      xorObjectDigest(d, v, db.expires.has(key));
      xorDigest(final, d);
    }
  });
  return hex(final);
}
