// Loading dump.rdb into the live dataset: at startup with appendonly no, and for DEBUG RELOAD.
// redis 7.0.15 rdb.c rdbLoad -> rdbLoadRio (RDBFLAGS_NONE: not an AOF preamble) and the RDB branch
// of server.c loadDataFromDisk; 4.0.14 alike.
//
// What a plain RDB load does that an AOF's RDB part does not: keys whose expire time has passed are
// dropped (a master loading its own snapshot; "keys expired: N"); aux fields are logged as Redis
// logs them (src/persistence/rdb-load-log.ts: 7.0's "Loading RDB produced by version ...", ...,
// "Done loading RDB ..."; 4.0.14 logs only the '%' fields); a key already present is fatal, unless MERGE (DEBUG RELOAD) lets the file's value
// replace it. Function libraries load as in the AOF's RDB part.
//
// FAULT: a truncated file, a bad checksum or a corrupt value -> Redis's warning lines, then the
// result 'failed' with the AofError (file and hex offset); the startup path turns it into exit(1).
// A missing file -> 'not-exist' (startup goes on with an empty dataset).

import { AofError } from '../base/errors.ts';
import { inRedisDir, isFsError } from '../ports/fs.ts';
import { unixtimeS } from '../ports/clock.ts';
import { SHORT_READ_REASON } from '../rdb/index.ts';
import { newParseState, parseRdb } from '../rdb/rdb-parse.ts';
import { asRdbError } from '../rdb/load-rdb.ts';
import { parseLibraryCode } from '../keyspace/library-code.ts';
import type { RdbHost } from './rdb-host.ts';
import { logRdbAux, logRdbDone, logRdbDuplicateKey, logRdbEmptyKey } from './rdb-load-log.ts';
import { DUPLICATED_KEY_REASON } from '../rdb/load-rdb.ts';

export type RdbLoadResult =
  | { status: 'ok'; keysLoaded: number; keysExpired: number }
  | { status: 'not-exist' }
  | { status: 'open-err'; strerror: string }
  /** `aborts`: Redis ends the process inside the loader (corrupt data); else rdbLoad returns C_ERR (EINVAL). */
  | { status: 'failed'; error: AofError; aborts: boolean };

/** redis: loading_process_events_interval_bytes (the granularity of loading_loaded_bytes). */
const LOADED_BYTES_STEP = 2 * 1024 * 1024;

/** redis: rdbLoad(dbfilename, rdbflags) into host.keyspace. `merge`: RDBFLAGS_ALLOW_DUP. */
export function rdbLoad(host: RdbHost, opts: { merge?: boolean } = {}): RdbLoadResult {
  const name = host.rdbConfig.dbfilename;
  const path = inRedisDir(host.config.dir, name);
  const log = host.log;
  let data: Uint8Array;
  try {
    data = host.fs.readFile(path);
  } catch (e) {
    if (!isFsError(e)) throw e;
    if (e.code === 'ENOENT') return { status: 'not-exist' };
    return { status: 'open-err', strerror: e.strerror };
  }
  const ks = host.keyspace;
  const nowMs = host.clock.nowMs();
  const v7 = host.config.profile === 'redis-7.0';
  let loaded = 0;
  let expired = 0;
  let emptySkipped = 0;
  let lastKeyAt = 0;
  const state = newParseState();
  try {
    parseRdb(
      data,
      0,
      name,
      ks.numDbs,
      {
        aux(k, v) {
          logRdbAux(log, host.config.profile, k, v, unixtimeS(host.clock));
        },
        selectDb() {},
        key(dbIndex, key, value, expireAtMs, keyOffset) {
          lastKeyAt = keyOffset;
          if (value === null) {
            logRdbEmptyKey(log, host.config.profile, key);
            emptySkipped++;
            return;
          }
          const db = ks.db(dbIndex);
          if (expireAtMs !== null && expireAtMs < nowMs) {
            // A master drops what expired while the server was down (redis: rdbLoadRio, iAmMaster).
            log.mark('rdb.load.expired-skipped');
            expired++;
            return;
          }
          loaded++;
          if (db.dict.has(key)) {
            if (opts.merge !== true) {
              logRdbDuplicateKey(log, host.config.profile, key, dbIndex);
              throw new AofError('AOF_RDB_CORRUPT', DUPLICATED_KEY_REASON, {
                file: name,
                offset: keyOffset,
                expected: `a key not yet in DB ${dbIndex}`,
                found: `duplicated key ${JSON.stringify(key)}`,
              });
            }
            db.dict.delete(key);
            db.expires.delete(key);
          }
          db.dict.set(key, value);
          if (expireAtMs !== null) db.expires.set(key, expireAtMs);
        },
        checksum(outcome) {
          if (outcome === 'disabled') log.log('warning', 'RDB file was saved with checksum disabled: no check performed.');
        },
        functionLibrary(code, opOffset) {
          const meta = parseLibraryCode(code);
          if ('error' in meta) {
            log.log('warning', `Failed loading library, ${meta.error}`);
            throw new AofError('AOF_RDB_CORRUPT', 'Failed loading library', { file: name, offset: opOffset, expected: 'a library with valid metadata', found: meta.error });
          }
          // DEBUG RELOAD NOFLUSH keeps the libraries already there; the file's copy replaces them.
          ks.functions.set(meta.name, code);
        },
      },
      state,
      v7 ? undefined : 8,
    );
  } catch (e) {
    const err = asRdbError(e, name, lastKeyAt);
    return { status: 'failed', error: err, aborts: reportLoadError(host, err, data.length) };
  }
  host.rdb.lastLoadKeysLoaded = loaded;
  host.rdb.lastLoadKeysExpired = expired;
  logRdbDone(log, host.config.profile, loaded, expired, emptySkipped);
  host.events?.({ kind: 'rdb-loaded' });
  return { status: 'ok', keysLoaded: loaded, keysExpired: expired };
}

/**
 * redis: the eoferr path and rdbReportError (the rdb.c line numbers are 7.0.15's). Returns whether
 * Redis aborts there (a bad header only makes rdbLoad fail with EINVAL).
 */
function reportLoadError(host: RdbHost, err: AofError, sizeBytes: number): boolean {
  const log = host.log;
  host.log.mark('rdb.load.failed');
  const at = err.details.offset ?? 0;
  // loading_loaded_bytes advances in steps of loading-process-events-interval-bytes.
  const loadedBytes = Math.min(sizeBytes, Math.floor(at / LOADED_BYTES_STEP) * LOADED_BYTES_STEP);
  if (err.reason === SHORT_READ_REASON) {
    log.log('warning', SHORT_READ_REASON);
    log.log('warning', `Internal error in RDB reading offset ${loadedBytes}, function at rdb.c:3249 -> Unexpected EOF reading RDB file`);
  } else if (err.reason.startsWith('Wrong RDB checksum')) {
    log.log('warning', err.reason);
    log.log('warning', `Internal error in RDB reading offset ${loadedBytes}, function at rdb.c:3225 -> RDB CRC error`);
  } else if (err.reason.startsWith("Can't handle RDB format version") || err.reason.startsWith('Wrong signature')) {
    log.log('warning', err.reason);
    return false;
  } else if (err.reason !== DUPLICATED_KEY_REASON) {
    // DIVERGENCE(redis): Redis names the rdb.c line of the failing check; aofsim gives its reason.
    log.log('warning', `Internal error in RDB reading offset ${loadedBytes}, function at rdb.c -> ${err.reason}`);
  }
  return true;
}
