// How a rewrite obtains an RDB body (preamble or RDB BASE): an injectable encoder, by default the
// RDB module's encodeRdb (src/rdb, redis: rdbSaveRio).
//
// aux 'aof-preamble' (4.0-6.2: `aof-preamble`=1 in an RDB written at the head of the single AOF);
// aux 'aof-base' (7.0: `aof-base`=1 in a multi-part BASE file). The encoder yields byte strings or
// byte arrays in order; the concatenation is one complete RDB file (header ... EOF + CRC64).
// The redis-4.0 profile writes RDB version 8 with 4.0's encodings and redis-ver 4.0.14, as Redis 4.0
// does (it loads in redis-server 4.0.14), except for a keyspace with a stream (redis40RdbVersion);
// the redis-7.0 profile writes version 10.

import type { Profile } from '../../base/profile.ts';
import type { Keyspace } from '../../keyspace/keyspace.ts';
import type { Bytes } from '../../keyspace/types.ts';
import { encodeRdb, redis40RdbVersion } from '../../rdb/index.ts';

export type RdbAuxKind = 'aof-preamble' | 'aof-base';

/** `onKey` runs after each key written (a child's progress and rdb-key-save-delay). */
export type RdbBodyEncoder = (ks: Keyspace, aux: RdbAuxKind, nowMs: number, onKey?: () => void) => Iterable<Bytes | Uint8Array>;

/** encodeRdb with the profile's version and aux field. */
export function defaultRdbEncoder(profile: Profile): RdbBodyEncoder {
  return (ks, aux, nowMs, onKey) => [
    encodeRdb(ks, {
      nowMs,
      aofBase: aux === 'aof-base',
      aofPreamble: aux === 'aof-preamble',
      version: profile === 'redis-4.0' ? redis40RdbVersion(ks) : 10,
      redisVer: profile === 'redis-4.0' ? '4.0.14' : '7.0.15',
      onKey,
    }),
  ];
}
