// The RDB file walk shared by the loader and the checker (redis: rdb.c rdbLoadRio, 7.0.15, and
// redis-check-rdb.c redis_check_rdb): header "REDIS" + 4-digit version, then opcodes (AUX,
// SELECTDB, RESIZEDB, EXPIRETIME, EXPIRETIME_MS, IDLE, FREQ, MODULE_AUX, FUNCTION*, EOF) and
// key/value records, then for version >= 5 an 8-byte little-endian CRC-64 of everything before it
// (0 = saved with checksum disabled, not checked).
//
// Invariants: the walk reports every event to a sink with the offset just after it (the offsets
// redis-check-rdb prints); `state` always says what was being read (for error reports); every
// failure is an AofError (AOF_RDB_CORRUPT, or AOF_RDB_UNSUPPORTED for modules and 7.0-RC functions).

import { AofError } from '../base/errors.ts';
import type { Bytes, Value } from '../keyspace/types.ts';
import { crc64 } from './crc64.ts';
import { isObjectType, loadObject } from './load-object.ts';
import * as rdbConstants from './rdb-constants.ts';
import { RdbReader } from './rdb-reader.ts';

// Local copies: module-namespace bindings compile to getters under tsx/vite, too slow for hot loops.
const { OPCODE_AUX, OPCODE_EOF, OPCODE_EXPIRETIME, OPCODE_EXPIRETIME_MS, OPCODE_FREQ, OPCODE_FUNCTION, OPCODE_FUNCTION2, OPCODE_IDLE, OPCODE_MODULE_AUX, OPCODE_RESIZEDB, OPCODE_SELECTDB, RDB_VERSION } = rdbConstants;

export type RdbDoing =
  | 'start'
  | 'read-type'
  | 'read-expire'
  | 'read-key'
  | 'read-object-value'
  | 'check-sum'
  | 'read-len'
  | 'read-aux'
  | 'read-module-aux'
  | 'read-functions';

/** What the walk was doing when it stopped (redis-check-rdb's rdbstate). */
export interface RdbParseState {
  doing: RdbDoing;
  key: Bytes | null;
  keyType: number;
  keys: number;
  /**
   * Bytes consumed when the walk stopped (rio's processed_bytes: a failed read consumes nothing, a
   * packed value is consumed whole before its integrity check): the offset redis-check-rdb prints.
   */
  readOffset: number;
  /** The reader's readContext when the walk stopped (the text of a short read that Redis names). */
  readError: string | null;
}

export type ChecksumOutcome = 'ok' | 'disabled' | 'absent';

export interface RdbSink {
  aux(key: Bytes, value: Bytes, offsetAfter: number): void;
  selectDb(db: number, offsetAfter: number): void;
  /** value null: an empty collection, which Redis skips. expireAtMs null: no expire. */
  key(db: number, key: Bytes, value: Value | null, expireAtMs: number | null, keyOffset: number): void;
  checksum(outcome: ChecksumOutcome, offsetAfter: number): void;
  /** A function library (RDB_OPCODE_FUNCTION2: its code); sinks without it skip libraries. */
  functionLibrary?(code: Bytes, opOffset: number): void;
}

export interface RdbParseResult {
  version: number;
  endOffset: number;
}

const MODULE_NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** redis: module.c moduleTypeNameByID: the 9-char name packed in the top 54 bits of a module id. */
export function moduleTypeNameById(id: bigint): string {
  let v = id >> 10n;
  const chars = new Array<string>(9);
  for (let j = 8; j >= 0; j--) {
    chars[j] = MODULE_NAME_CHARSET[Number(v & 63n)];
    v >>= 6n;
  }
  return chars.join('');
}

function hex64(v: bigint): string {
  return v.toString(16);
}

/**
 * Walks an RDB from `start`; throws AofError on any problem. `maxVersion` is the newest RDB version
 * the modelled Redis reads (redis: the RDB_VERSION test in rdbLoadRio): 10 for 7.x, 8 for 4.0.
 */
export function parseRdb(
  data: Uint8Array,
  start: number,
  file: string,
  numDbs: number,
  sink: RdbSink,
  state: RdbParseState,
  maxVersion: number = RDB_VERSION,
  deepIntegrity = false,
): RdbParseResult {
  const r = new RdbReader(data, start, file);
  r.deepIntegrity = deepIntegrity;
  try {
    state.doing = 'start';
    const header = r.raw(9);
    const sig = Buffer.from(header.buffer, header.byteOffset, 5).toString('latin1', 0, 5);
    if (sig !== 'REDIS') throw r.corrupt('Wrong signature trying to load DB from file', start, '"REDIS"', JSON.stringify(sig));
    const verText = Buffer.from(header.buffer, header.byteOffset + 5, 4).toString('latin1', 0, 4);
    const m = /^\d+/.exec(verText);
    const version = m ? Number(m[0]) : 0; // atoi
    if (version < 1 || version > maxVersion) {
      throw new AofError('AOF_RDB_UNSUPPORTED', `Can't handle RDB format version ${version}`, {
        file,
        offset: start + 5,
        expected: `a version between 1 and ${maxVersion}`,
        found: JSON.stringify(verText),
      });
    }
    let db = 0;
    let expireAtMs: number | null = null;
    for (;;) {
      state.doing = 'read-type';
      const opAt = r.pos;
      const type = r.u8();
      if (type === OPCODE_EXPIRETIME) {
        state.doing = 'read-expire';
        expireAtMs = r.seconds() * 1000;
        continue;
      }
      if (type === OPCODE_EXPIRETIME_MS) {
        state.doing = 'read-expire';
        expireAtMs = r.millis();
        continue;
      }
      if (type === OPCODE_FREQ) {
        r.u8();
        continue;
      }
      if (type === OPCODE_IDLE) {
        r.lenBig();
        continue;
      }
      if (type === OPCODE_EOF) break;
      if (type === OPCODE_SELECTDB) {
        state.doing = 'read-len';
        const id = r.len();
        if (id >= numDbs) {
          throw r.corrupt(
            `FATAL: Data file was created with a Redis server configured to handle more than ${numDbs} databases. Exiting`,
            opAt,
            `a db index below ${numDbs}`,
            `${id}`,
          );
        }
        db = id;
        sink.selectDb(db, r.pos);
        continue;
      }
      if (type === OPCODE_RESIZEDB) {
        state.doing = 'read-len';
        r.lenBig();
        r.lenBig();
        continue;
      }
      if (type === OPCODE_AUX) {
        state.doing = 'read-aux';
        const k = r.string();
        const v = r.string();
        sink.aux(k, v, r.pos);
        continue;
      }
      if (type === OPCODE_MODULE_AUX) {
        state.doing = 'read-module-aux';
        const moduleId = r.lenBig();
        const name = moduleTypeNameById(moduleId);
        throw new AofError('AOF_RDB_UNSUPPORTED', `The RDB file contains AUX module data I can't load: no matching module '${name}'`, {
          file,
          offset: opAt,
          expected: 'no module data (aofsim loads no modules)',
          found: `module AUX for ${name}`,
        });
      }
      if (type === OPCODE_FUNCTION2) {
        // redis 7.0 rdbFunctionLoad: the library's code, shebang included.
        state.doing = 'read-functions';
        const code = r.string();
        sink.functionLibrary?.(code, opAt);
        continue;
      }
      if (type === OPCODE_FUNCTION) {
        state.doing = 'read-functions';
        throw new AofError('AOF_RDB_UNSUPPORTED', 'Pre-GA function format (RDB_OPCODE_FUNCTION) is not supported by aofsim', {
          file,
          offset: opAt,
          expected: 'RDB_OPCODE_FUNCTION2 (245) libraries',
          found: 'RDB_OPCODE_FUNCTION (246)',
        });
      }
      if (!isObjectType(type, maxVersion)) throw r.corrupt(`Unknown RDB encoding type ${type}`, opAt, 'an opcode or object type', `byte ${type}`);
      state.keyType = type;
      state.doing = 'read-key';
      const key = r.string();
      state.key = key;
      state.keys++;
      state.doing = 'read-object-value';
      const value = loadObject(r, type);
      sink.key(db, key, value, expireAtMs, opAt);
      state.key = null;
      state.keyType = -1;
      expireAtMs = null;
    }
    if (version >= 5) {
      state.doing = 'check-sum';
      const sumAt = r.pos;
      const raw = r.raw(8);
      const stored = Buffer.from(raw.buffer, raw.byteOffset, 8).readBigUInt64LE(0);
      if (stored === 0n) {
        sink.checksum('disabled', r.pos);
      } else {
        const expected = crc64(data, 0n, start, sumAt);
        if (expected !== stored) {
          throw r.corrupt(
            `Wrong RDB checksum expected: (${hex64(expected)}) but got (${hex64(stored)}). Aborting now.`,
            sumAt,
            hex64(expected),
            hex64(stored),
          );
        }
        sink.checksum('ok', r.pos);
      }
    } else {
      sink.checksum('absent', r.pos);
    }
    return { version, endOffset: r.pos };
  } finally {
    // Where the walk stopped, however it stopped: the offset and short-read text redis-check-rdb prints.
    state.readOffset = r.pos;
    state.readError = r.readContext;
  }
}

export function newParseState(): RdbParseState {
  return { doing: 'start', key: null, keyType: -1, keys: 0, readOffset: 0, readError: null };
}
