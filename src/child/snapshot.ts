// The fork-time dataset shipped to a child that runs in another OS process (redis: what fork()'s
// copy-on-write memory gives the rewrite and BGSAVE children for free). The bytes are an RDB of
// version 10 written by the project's own RDB writer, uncompressed (the child reads them at once;
// LZF would only cost the parent time), and read back by the RDB loader.
//
// Invariants: decodeSnapshot(encodeSnapshot(ks)) holds the same keys in the same iteration order
// (dict order: the writer walks each db in order, the loader inserts in order), the same values,
// expires (expired keys included: the loader never expires) and function libraries, so a child on
// the decoded copy writes the same bytes as one on Keyspace.clone().
// DIVERGENCE(redis): what does not survive an RDB (e.g. an object's encoding history) is not in the
// child's copy; the AOF and RDB bodies do not depend on it.

import { Keyspace } from '../keyspace/keyspace.ts';
import { encodeRdb, loadRdbInto } from '../rdb/index.ts';

export function encodeSnapshot(ks: Keyspace): Uint8Array {
  return encodeRdb(ks, { nowMs: 0, version: 10, compress: false });
}

/** The dataset of `bytes` in a keyspace of `numDbs` databases. Throws an AofError on bad bytes. */
export function decodeSnapshot(bytes: Uint8Array, numDbs: number): Keyspace {
  const ks = new Keyspace(numDbs);
  loadRdbInto(ks, bytes, { file: 'fork snapshot' });
  return ks;
}
