// What Redis logs while it loads an RDB (dump.rdb, or an AOF's RDB base / preamble), per profile.
// redis 7.0.15 rdb.c rdbLoadRioWithLoadingCtx, aux fields (names compared with strcasecmp):
//   '%'-prefixed -> "RDB '%s': %s"; redis-ver -> "Loading RDB produced by version %s"; ctime ->
//   "RDB age %ld seconds" (now - ctime, at least 0); used-mem -> "RDB memory usage when created
//   %.2f Mb"; aof-preamble != 0 -> "RDB has an AOF tail"; aof-base != 0 -> "RDB is base AOF"; the
//   rest silently. An empty collection: "rdbLoadObject skipping empty key: %s". At the end "Done
//   loading RDB, keys loaded: %lld, keys expired: %lld." (a warning with ", empty keys skipped: %lld"
//   when some were).
//   A key found twice: "RDB has duplicated key '%s' in DB %d", then serverPanic (the process dies).
// redis 4.0.14 rdb.c rdbLoadRio: '%'-prefixed fields alike; repl-stream-db, repl-id, repl-offset
//   and lua are used; any other field -> "Unrecognized RDB AUX field: '%s'" at debug level. No line
//   for empty keys and no end line. A key found twice fails dbAdd's assertion (the process dies).

import type { Profile } from '../base/profile.ts';
import type { Bytes } from '../keyspace/types.ts';
import type { Log } from '../ports/log.ts';
import { cString } from '../base/c-string.ts';

/** The aux fields 4.0.14's rdbLoadRio knows (it logs the others at debug level). */
const KNOWN_40 = new Set(['repl-stream-db', 'repl-id', 'repl-offset', 'lua']);

/** strtol / strtoll(s, NULL, 10) as Redis reads these fields (0 without digits). */
const strtol = (s: Bytes): number => Number.parseInt(s, 10) || 0;

/** One aux field as rdbLoadRio logs it; `nowS` is time(NULL) for the RDB's age. */
export function logRdbAux(log: Log, profile: Profile, key: Bytes, value: Bytes, nowS: number): void {
  if (key.startsWith('%')) {
    log.log('notice', `RDB '${cString(key)}': ${cString(value)}`);
    return;
  }
  const k = key.toLowerCase();
  if (profile === 'redis-4.0') {
    if (!KNOWN_40.has(k)) log.log('debug', `Unrecognized RDB AUX field: '${cString(key)}'`);
    return;
  }
  if (k === 'redis-ver') log.log('notice', `Loading RDB produced by version ${cString(value)}`);
  else if (k === 'ctime') log.log('notice', `RDB age ${Math.max(0, nowS - strtol(value))} seconds`);
  else if (k === 'used-mem') log.log('notice', `RDB memory usage when created ${(strtol(value) / (1024 * 1024)).toFixed(2)} Mb`);
  else if (k === 'aof-preamble' && strtol(value) !== 0) log.log('notice', 'RDB has an AOF tail');
  else if (k === 'aof-base' && strtol(value) !== 0) log.log('notice', 'RDB is base AOF');
}

/** An empty collection skipped (7.0 only). */
export function logRdbEmptyKey(log: Log, profile: Profile, key: Bytes): void {
  if (profile === 'redis-7.0') log.log('warning', `rdbLoadObject skipping empty key: ${key}`);
}

/**
 * A key found twice (no MERGE): the lines before the process dies, observed on the binaries:
 * 7.0.15's serverPanic (Debian's build names rdb.c:3184), 4.0.14's failed assertion in dbAdd.
 */
export function logRdbDuplicateKey(log: Log, profile: Profile, key: Bytes, dbIndex: number): void {
  if (profile === 'redis-7.0') {
    log.log('warning', `RDB has duplicated key '${cString(key)}' in DB ${dbIndex}`);
    log.log('warning', 'Guru Meditation: Duplicated key found in RDB file #rdb.c:3184');
  } else {
    log.log('warning', '=== ASSERTION FAILED ===');
    log.log('warning', "==> db.c:171 'retval == DICT_OK' is not true");
  }
}

/** The end of a successful load (7.0 only). */
export function logRdbDone(log: Log, profile: Profile, loaded: number, expired: number, emptySkipped: number): void {
  if (profile !== 'redis-7.0') return;
  if (emptySkipped > 0) log.log('warning', `Done loading RDB, keys loaded: ${loaded}, keys expired: ${expired}, empty keys skipped: ${emptySkipped}.`);
  else log.log('notice', `Done loading RDB, keys loaded: ${loaded}, keys expired: ${expired}.`);
}
