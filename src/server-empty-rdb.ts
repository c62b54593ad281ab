// The RDB bytes of an empty dataset, encoded once per set of options. redis: rdb.c rdbSaveRio with
// no keys and no function libraries (what every fresh 7.0 start writes as its BASE: aofOpenIfNeeded-
// OnServerStart -> rewriteAppendOnlyFile). Such a file depends on its options alone (version,
// redis-ver, ctime, the aof-base / aof-preamble aux field), and encoding it (aux fields, CRC-64)
// was a visible share of a simulated crash-restart cycle.
//
// Module state, on purpose: a bounded memo of a pure function (options -> bytes), invisible to
// every run (same seed, same trace, whether the entry was there or not). The bytes are shared:
// callers only write them out (rewrite-file.ts copies them into the file), never change them.

import type { Keyspace } from './keyspace/keyspace.ts';
import { encodeRdb } from './rdb/index.ts';
import type { EncodeRdbOptions } from './rdb/encode-rdb.ts';

/** The options the key covers (onKey, a function, is excluded above). */
type Covered = 'nowMs' | 'aofBase' | 'aofPreamble' | 'redisVer' | 'version' | 'usedMemBytes' | 'compress' | 'onKey';
/** Does not compile once EncodeRdbOptions has a field the key does not cover: add it to the key. */
export const EMPTY_RDB_KEY_COVERS_ALL_OPTIONS: [Exclude<keyof EncodeRdbOptions, Covered>] extends [never] ? true : never = true;

/** Distinct option sets kept; past it the memo starts over (a campaign's clock moves on). */
const MAX_ENTRIES = 64;

const memo = new Map<string, Uint8Array>();

/** encodeRdb(keyspace, opts), from the memo when the dataset is empty and opts has no per-key hook. */
export function encodeRdbMemoEmpty(keyspace: Keyspace, opts: EncodeRdbOptions): Uint8Array {
  if (!isEmptyDataset(keyspace) || opts.onKey !== undefined) return encodeRdb(keyspace, opts);
  const key = `${opts.nowMs}|${opts.aofBase === true}|${opts.aofPreamble === true}|${opts.redisVer ?? ''}|${opts.version ?? ''}|${opts.usedMemBytes ?? 0}|${opts.compress !== false}`;
  let bytes = memo.get(key);
  if (bytes === undefined) {
    bytes = encodeRdb(keyspace, opts);
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(key, bytes);
  }
  return bytes;
}

/** No key in any db and no function library: the RDB holds aux fields only. */
function isEmptyDataset(keyspace: Keyspace): boolean {
  if (keyspace.functions.size !== 0) return false;
  for (const db of keyspace.dbs) if (db.dict.size !== 0) return false;
  return true;
}
