// A decode-only RDB check with redis-check-rdb's report (redis: redis-check-rdb.c redis_check_rdb,
// rdbCheckInfo, rdbCheckError, rdbShowGenericInfo, 7.0.15):
//   [offset 0] Checking RDB file <file>
//   [offset N] AUX FIELD <key> = '<value>'      (N = offset just after the field)
//   [offset N] Selecting DB ID <n>
//   [offset N] Checksum OK | RDB file was saved with checksum disabled: no check performed.
//   (a mismatch: "[offset N] RDB CRC error", N just past the checksum)
//   [offset N] \o/ RDB looks OK! \o/
//   [info] K keys read / [info] E expires / [info] X already expired
// and on failure "--- RDB ERROR DETECTED ---", the offset and message, "[additional info] While
// doing: ...", the key and type being read, then the [info] lines.
//
// Invariants: never throws for bad data (the error is in the result); "already expired" counts
// expires < opts.nowMs (0 when not given, so none). Offsets are absolute positions in `data`.
// DIVERGENCE(redis): messages for bad data are aofsim's decoder's (Redis's rdbLoadObject wording
// where it has one); a truncated file reports Redis's "Unexpected EOF reading RDB file".

import { AofError } from '../base/errors.ts';
import { asRdbError } from './load-rdb.ts';
import { RDB_TYPE_NAMES, SHORT_READ_REASON } from './rdb-constants.ts';
import { newParseState, parseRdb } from './rdb-parse.ts';
import { cString } from '../base/c-string.ts';

export interface CheckRdbOptions {
  file: string;
  startOffset?: number;
  /** "now" for the already-expired count (redis-check-rdb uses mstime()). */
  nowMs?: number;
  /** Databases allowed by SELECTDB (default: any; redis-check-rdb prints the id and goes on). */
  numDbs?: number;
  /** The newest RDB version accepted (default RDB_VERSION, 10; 8 for redis-check-aof 4.0). */
  maxVersion?: number;
}

export type CheckRdbResult =
  | { ok: true; endOffset: number; version: number; lines: string[] }
  | { ok: false; error: AofError; lines: string[] };


export function checkRdb(data: Uint8Array, opts: CheckRdbOptions): CheckRdbResult {
  const start = opts.startOffset ?? 0;
  const now = opts.nowMs ?? 0;
  const lines: string[] = [`[offset ${start}] Checking RDB file ${opts.file}`];
  const state = newParseState();
  let expires = 0;
  let alreadyExpired = 0;
  let lastOffset = start;
  const info = (): void => {
    lines.push(`[info] ${state.keys} keys read`, `[info] ${expires} expires`, `[info] ${alreadyExpired} already expired`);
  };
  try {
    const res = parseRdb(data, start, opts.file, opts.numDbs ?? Number.POSITIVE_INFINITY, {
      aux(k, v, at) {
        lastOffset = at;
        lines.push(`[offset ${at}] AUX FIELD ${cString(k)} = '${cString(v)}'`);
      },
      selectDb(db, at) {
        lastOffset = at;
        lines.push(`[offset ${at}] Selecting DB ID ${db}`);
      },
      key(_db, _key, value, expireAtMs) {
        // redis-check-rdb passes no error pointer to rdbLoadObject: an empty collection comes back
        // as NULL, which it reports as a short read (the loader skips such keys instead).
        if (value === null) throw new AofError('AOF_RDB_CORRUPT', SHORT_READ_REASON, { file: opts.file, expected: 'a non-empty collection', found: 'an empty one' });
        if (expireAtMs !== null) {
          expires++;
          if (expireAtMs < now) alreadyExpired++;
        }
      },
      checksum(outcome, at) {
        lastOffset = at;
        if (outcome === 'ok') lines.push(`[offset ${at}] Checksum OK`);
        else if (outcome === 'disabled') lines.push(`[offset ${at}] RDB file was saved with checksum disabled: no check performed.`);
      },
    }, state, opts.maxVersion, true); // redis-check-rdb sets sanitize-dump-payload to yes
    lines.push(`[offset ${res.endOffset}] \\o/ RDB looks OK! \\o/`);
    info();
    return { ok: true, endOffset: res.endOffset, version: res.version, lines };
  } catch (e) {
    const error = asRdbError(e, opts.file, lastOffset);
    // rdbCheckError prints rio's processed bytes, not where the bad item starts (the error's offset).
    let offset = error.code === 'AOF_RDB_CORRUPT' || error.code === 'AOF_RDB_UNSUPPORTED' ? state.readOffset : (error.details.offset ?? lastOffset);
    let msg = error.reason === SHORT_READ_REASON ? (state.readError ?? 'Unexpected EOF reading RDB file') : error.reason;
    // redis-check-rdb reads the 9-byte header, then tests the version: its offset is past it.
    if (msg.startsWith("Can't handle RDB format version")) offset = start + 9;
    if (state.doing === 'check-sum' && error.reason !== SHORT_READ_REASON && error.details.expected !== undefined) {
      // redis-check-rdb reads the 8-byte checksum, then compares (its offset is past the checksum),
      // in its own words, not rdbLoadRio's "Wrong RDB checksum ...".
      msg = 'RDB CRC error';
    }
    // redis-check-rdb tests the type byte itself, in its own words, before reading the key.
    if (state.doing === 'read-type' && msg.startsWith('Unknown RDB encoding type ')) msg = `Invalid object type: ${msg.slice(26)}`;
    lines.push('--- RDB ERROR DETECTED ---', `[offset ${offset}] ${msg}`, `[additional info] While doing: ${state.doing}`);
    if (state.key !== null) lines.push(`[additional info] Reading key '${cString(state.key)}'`);
    // rdbstate is a zeroed static: key_type is 0 until the first key is done, -1 after each key
    // (observed on 4.0.14 and 7.0.15), so errors before the first key say "type 0 (string)".
    const keyType = state.keyType === -1 && state.keys === 0 ? 0 : state.keyType;
    if (keyType !== -1) lines.push(`[additional info] Reading type ${keyType} (${RDB_TYPE_NAMES[keyType] ?? 'unknown'})`);
    info();
    return { ok: false, error, lines };
  }
}
