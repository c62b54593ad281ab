// Loading an RDB (a 7.x RDB BASE, a 4.0/5.0 AOF preamble, or a plain dump) into a Keyspace
// (redis: rdb.c rdbLoadRio with RDBFLAGS_AOF_PREAMBLE, as aof.c loadSingleAppendOnlyFile calls it).
//
// Invariants: keys already expired are loaded anyway (an AOF's INCR part assumes the exact state
// of its base, so Redis does not expire while loading an AOF's RDB part); empty collections are
// skipped; a duplicated key is fatal; any failure is an AofError (AOF_RDB_CORRUPT or
// AOF_RDB_UNSUPPORTED) and never a RangeError or TypeError, even on arbitrary garbage. The keyspace
// may hold the keys read before the failure (Redis aborts the process at that point).

import { AofError, isAofError } from '../base/errors.ts';
import type { Bytes } from '../keyspace/types.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import { newParseState, parseRdb } from './rdb-parse.ts';
import { parseLibraryCode } from '../keyspace/library-code.ts';

export interface LoadRdbOptions {
  /** The file name used in error messages. */
  file: string;
  /** Where the RDB starts inside `data` (default 0). */
  startOffset?: number;
  /** The newest RDB version accepted (default RDB_VERSION, 10; 8 for Redis 4.0). */
  maxVersion?: number;
  /** Told of what Redis logs as it loads (src/persistence/rdb-load-log.ts), in file order. */
  events?: RdbLoadEvents;
}

/** What a load meets that Redis logs: each aux field, each empty collection skipped, a key found twice, the end. */
export interface RdbLoadEvents {
  aux(key: Bytes, value: Bytes): void;
  emptyKey(key: Bytes): void;
  done(keysLoaded: number, emptySkipped: number): void;
  /** A key already loaded: the load fails right after (Redis dies there: logRdbDuplicateKey). */
  duplicateKey(key: Bytes, dbIndex: number): void;
}

export interface LoadRdbResult {
  /** Offset just after the EOF opcode and checksum: where a RESP tail would start. */
  endOffset: number;
  version: number;
  aux: Map<string, Bytes>;
  /** Keys added, and empty collections skipped (as events.done is told). */
  keysLoaded: number;
  emptySkipped: number;
}

/** The AofError reason of a key found twice (redis 7.0: serverPanic's message). */
export const DUPLICATED_KEY_REASON = 'Duplicated key found in RDB file';

/** True when the data starts like an RDB file (the AOF loader's 5-byte "REDIS" test). */
export function isRdbPrefix(data: Uint8Array, startOffset = 0): boolean {
  return (
    data.length - startOffset >= 5 &&
    data[startOffset] === 0x52 &&
    data[startOffset + 1] === 0x45 &&
    data[startOffset + 2] === 0x44 &&
    data[startOffset + 3] === 0x49 &&
    data[startOffset + 4] === 0x53
  );
}

/** Converts an unexpected exception into the corrupt-RDB error (never another exception type). */
export function asRdbError(e: unknown, file: string, offset: number): AofError {
  if (isAofError(e)) return e;
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new AofError('AOF_RDB_CORRUPT', 'Internal error decoding RDB data', { file, offset, expected: 'a decodable value', found: what });
}

/** redis: rdbLoadRio (loading an AOF's RDB part). */
export function loadRdbInto(keyspace: Keyspace, data: Uint8Array, opts: LoadRdbOptions): LoadRdbResult {
  const start = opts.startOffset ?? 0;
  const aux = new Map<string, Bytes>();
  const state = newParseState();
  const file = opts.file;
  const events = opts.events;
  let lastKeyAt = start;
  let loaded = 0;
  let emptySkipped = 0;
  try {
    const res = parseRdb(data, start, file, keyspace.numDbs, {
      aux(k, v) {
        aux.set(k, v);
        events?.aux(k, v);
      },
      selectDb() {},
      key(dbIndex, key, value, expireAtMs, keyOffset) {
        lastKeyAt = keyOffset;
        if (value === null) {
          emptySkipped++;
          events?.emptyKey(key);
          return;
        }
        loaded++;
        const db = keyspace.db(dbIndex);
        if (db.dict.has(key)) {
          events?.duplicateKey(key, dbIndex);
          throw new AofError('AOF_RDB_CORRUPT', DUPLICATED_KEY_REASON, {
            file,
            offset: keyOffset,
            expected: `a key not yet in DB ${dbIndex}`,
            found: `duplicated key ${JSON.stringify(key)}`,
          });
        }
        db.dict.set(key, value);
        if (expireAtMs !== null) db.expires.set(key, expireAtMs);
      },
      checksum() {},
      functionLibrary(code, opOffset) {
        // redis 7.0 rdbFunctionLoad -> functionsCreateWithLibraryCtx: a bad or duplicated library fails the load.
        const meta = parseLibraryCode(code);
        if ('error' in meta || keyspace.functions.has(meta.name)) {
          throw new AofError('AOF_RDB_CORRUPT', 'Failed loading library', {
            file,
            offset: opOffset,
            expected: 'a library with valid metadata, not yet loaded',
            found: 'error' in meta ? meta.error : `library '${meta.name}' again`,
          });
        }
        keyspace.functions.set(meta.name, code);
      },
    }, state, opts.maxVersion);
    events?.done(loaded, emptySkipped);
    return { endOffset: res.endOffset, version: res.version, aux, keysLoaded: loaded, emptySkipped };
  } catch (e) {
    throw asRdbError(e, file, lastKeyAt);
  }
}
