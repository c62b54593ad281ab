// How a rewrite obtains an RDB body (preamble or RDB BASE) without depending on the RDB module's
// internals: the host injects an encoder (helper H4's encodeRdb from src/rdb/ when wired in).
//
// aux 'aof-preamble' (4.0-6.2: `aof-preamble`=1 in an RDB written at the head of the single AOF);
// aux 'aof-base' (7.0: `aof-base`=1 in a multi-part BASE file). The encoder yields byte strings or
// byte arrays in order; the concatenation is one complete RDB file (header ... EOF + CRC64).

import type { Keyspace } from '../../keyspace/keyspace.ts';
import type { Bytes } from '../../keyspace/types.ts';

export type RdbAuxKind = 'aof-preamble' | 'aof-base';

export type RdbBodyEncoder = (ks: Keyspace, aux: RdbAuxKind, nowMs: number) => Iterable<Bytes | Uint8Array>;
