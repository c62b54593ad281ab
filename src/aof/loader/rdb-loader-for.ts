// The loader's RDB hook on top of src/rdb: loads an RDB preamble / RDB BASE into `keyspace` (the
// one the executor works on). redis: aof.c loadSingleAppendOnlyFile -> rdbLoadRio with
// RDBFLAGS_AOF_PREAMBLE. A bad or short RDB, or one newer than opts.maxVersion, throws AofError AOF_RDB_CORRUPT (always fatal).
//
// Small RDBs that hold no key and no function library (the BASE every fresh 7.0 start writes) are
// parsed once: loading one changes nothing, so the same bytes under the same limits give the same
// end offset every time. Module state, on purpose: a bounded memo of a pure function (bytes,
// maxVersion, db count -> end offset), invisible to every run; a failed load is never remembered.

import type { Keyspace } from '../../keyspace/keyspace.ts';
import { loadRdbInto } from '../../rdb/load-rdb.ts';
import type { RdbPreambleLoader } from './types.ts';

/** Files up to this size are looked up (an empty dataset's RDB is under 100 bytes). */
const MEMO_MAX_BYTES = 256;
/** Distinct files kept; past it the memo starts over. */
const MEMO_MAX_ENTRIES = 64;

const emptyRdbEnds = new Map<string, number>();

export function rdbLoaderFor(keyspace: Keyspace): RdbPreambleLoader {
  return (bytes, file, opts) => {
    const key = bytes.length <= MEMO_MAX_BYTES ? memoKey(bytes, opts?.maxVersion, keyspace.numDbs) : null;
    if (key !== null) {
      const end = emptyRdbEnds.get(key);
      if (end !== undefined) return end;
    }
    const keysBefore = key === null ? 0 : keyspace.size();
    const librariesBefore = keyspace.functions.size;
    const end = loadRdbInto(keyspace, bytes, { file, maxVersion: opts?.maxVersion }).endOffset;
    // Nothing added: no key, no library (a duplicate of either would have failed the load).
    if (key !== null && keyspace.size() === keysBefore && keyspace.functions.size === librariesBefore) {
      if (emptyRdbEnds.size >= MEMO_MAX_ENTRIES) emptyRdbEnds.clear();
      emptyRdbEnds.set(key, end);
    }
    return end;
  };
}

function memoKey(bytes: Uint8Array, maxVersion: number | undefined, numDbs: number): string {
  return `${maxVersion ?? ''}|${numDbs}|${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')}`;
}
