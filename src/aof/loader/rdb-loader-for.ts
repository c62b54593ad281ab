// The loader's RDB hook on top of src/rdb: loads an RDB preamble / RDB BASE into `keyspace` (the
// one the executor works on). redis: aof.c loadSingleAppendOnlyFile -> rdbLoadRio with
// RDBFLAGS_AOF_PREAMBLE. A bad or short RDB, or one newer than opts.maxVersion, throws AofError AOF_RDB_CORRUPT (always fatal).
//
// Small RDBs that hold no key and no function library (the BASE every fresh 7.0 start writes) are
// parsed once: loading one changes nothing, so the same bytes under the same limits give the same
// end offset and aux fields every time (the fields are replayed to the caller's events). Module state, on purpose: a bounded memo of a pure function (bytes,
// maxVersion, db count -> end offset), invisible to every run; a failed load is never remembered.

import type { Keyspace } from '../../keyspace/keyspace.ts';
import { loadRdbInto } from '../../rdb/load-rdb.ts';
import type { RdbPreambleLoader } from './types.ts';

/** Files up to this size are looked up (an empty dataset's RDB is under 100 bytes). */
const MEMO_MAX_BYTES = 256;
/** Distinct files kept; past it the memo starts over. */
const MEMO_MAX_ENTRIES = 64;

/** An empty RDB's end offset and its aux fields (replayed to the caller's events). */
interface EmptyRdb {
  end: number;
  aux: [string, string][];
}

const emptyRdbs = new Map<string, EmptyRdb>();

export function rdbLoaderFor(keyspace: Keyspace): RdbPreambleLoader {
  return (bytes, file, opts) => {
    const key = bytes.length <= MEMO_MAX_BYTES ? memoKey(bytes, opts?.maxVersion, keyspace.numDbs) : null;
    const events = opts?.events;
    if (key !== null) {
      const memo = emptyRdbs.get(key);
      if (memo !== undefined) {
        if (events !== undefined) {
          for (const [k, v] of memo.aux) events.aux(k, v);
          events.done(0, 0);
        }
        return memo.end;
      }
    }
    const librariesBefore = keyspace.functions.size;
    const res = loadRdbInto(keyspace, bytes, { file, maxVersion: opts?.maxVersion, events });
    // Nothing added and nothing skipped: no key, no library (a duplicate of either would have failed the load).
    if (key !== null && res.keysLoaded === 0 && res.emptySkipped === 0 && keyspace.functions.size === librariesBefore) {
      if (emptyRdbs.size >= MEMO_MAX_ENTRIES) emptyRdbs.clear();
      emptyRdbs.set(key, { end: res.endOffset, aux: [...res.aux] });
    }
    return res.endOffset;
  };
}

function memoKey(bytes: Uint8Array, maxVersion: number | undefined, numDbs: number): string {
  return `${maxVersion ?? ''}|${numDbs}|${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')}`;
}
