// How a rewrite obtains an RDB body (preamble or RDB BASE): an injectable encoder, by default the
// RDB module's encodeRdb (src/rdb, redis: rdbSaveRio).
//
// aux 'aof-preamble' (4.0-6.2: `aof-preamble`=1 in an RDB written at the head of the single AOF);
// aux 'aof-base' (7.0: `aof-base`=1 in a multi-part BASE file). The encoder yields byte strings or
// byte arrays in order; the concatenation is one complete RDB file (header ... EOF + CRC64).
// DIVERGENCE(redis): Redis 4.0 writes RDB version 8; the redis-4.0 profile writes version 10 with
// redis-ver 4.0.14 (the RDB module writes 9 or 10, and version 9 streams cannot hold 7.0's
// entries-added / max-deleted-id / entries-read, so a v9 preamble would not reproduce the state).

import type { Profile } from '../../base/profile.ts';
import type { Keyspace } from '../../keyspace/keyspace.ts';
import type { Bytes } from '../../keyspace/types.ts';
import { encodeRdb } from '../../rdb/index.ts';

export type RdbAuxKind = 'aof-preamble' | 'aof-base';

export type RdbBodyEncoder = (ks: Keyspace, aux: RdbAuxKind, nowMs: number) => Iterable<Bytes | Uint8Array>;

/** encodeRdb with the profile's version and aux field. */
export function defaultRdbEncoder(profile: Profile): RdbBodyEncoder {
  return (ks, aux, nowMs) => [
    encodeRdb(ks, {
      nowMs,
      aofBase: aux === 'aof-base',
      aofPreamble: aux === 'aof-preamble',
      version: 10,
      redisVer: profile === 'redis-4.0' ? '4.0.14' : '7.0.15',
    }),
  ];
}
