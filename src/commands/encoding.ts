// OBJECT ENCODING as Redis 7.0 reports it with default thresholds (redis: object.c
// strEncoding; list: quicklist; set: intset <= 512 integer members (set-max-intset-entries);
// hash/zset: listpack <= 128 entries of <= 64 bytes (hash-/zset-max-listpack-*)).
// DIVERGENCE(redis): computed from the current contents; Redis never converts a big encoding
// back to a small one after deletions, and APPEND/SETRANGE results are always "raw" there.

import type { Value } from '../keyspace/types.ts';
import { parseInt64 } from './args.ts';

export function objectEncoding(v: Value): string {
  switch (v.type) {
    case 'string':
      if (v.value.length <= 20 && parseInt64(v.value) !== null) return 'int';
      return v.value.length <= 44 ? 'embstr' : 'raw';
    case 'list':
      return 'quicklist';
    case 'set': {
      if (v.value.size > 512) return 'hashtable';
      for (const m of v.value) if (parseInt64(m) === null) return 'hashtable';
      return 'intset';
    }
    case 'hash': {
      if (v.value.size > 128) return 'hashtable';
      for (const [f, x] of v.value) if (f.length > 64 || x.length > 64) return 'hashtable';
      return 'listpack';
    }
    case 'zset': {
      if (v.value.size > 128) return 'skiplist';
      for (const e of v.value.entries()) if (e.member.length > 64) return 'skiplist';
      return 'listpack';
    }
    case 'stream':
      return 'stream';
  }
}

/** True for the encodings Redis scans in one call (listpack, intset: not a hash table). */
export function isSmallEncoding(v: Value): boolean {
  const e = objectEncoding(v);
  return e === 'listpack' || e === 'intset';
}
