// The data model of the keyspace: what a Redis value is, independent of encodings.
//
// Strings are binary-safe "byte strings": a JS string with one char per byte (latin1, char codes
// 0..255). They are fast Map keys, compare by bytes with < and >, and convert to bytes with
// Buffer.from(s, 'latin1') / new TextDecoder('latin1'). Never put a char > 0xff in a Bytes.
//
// Invariants: collections are never empty in a database (a command that empties one deletes the key);
// expires are absolute Unix milliseconds; stream ids are unsigned 64-bit pairs (bigint).

import type { List } from './list.ts';
import type { ZSet } from './zset.ts';
import { KeyDict } from './key-dict.ts';

/**
 * The longest Bytes this model can hold: V8's string length limit on 64-bit (2^29 - 24), 24 bytes
 * under Redis's 512 MB proto-max-bulk-len. Commands that would grow a string beyond it refuse
 * (DIVERGENCE(redis): Redis would build the 512 MB string) instead of throwing a RangeError.
 */
export const MAX_BYTES_LENGTH = 0x1fffffe8;

/** A binary-safe Redis string, one char per byte. */
export type Bytes = string;

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export interface StreamEntry {
  id: StreamId;
  /** Flat field/value list: [f1, v1, f2, v2, ...]. */
  fields: Bytes[];
}

export interface StreamPendingEntry {
  id: StreamId;
  consumer: Bytes;
  deliveryTimeMs: number;
  deliveryCount: number;
}

export interface StreamConsumer {
  name: Bytes;
  seenTimeMs: number;
  /** 7.2+ only; undefined when not tracked. */
  activeTimeMs?: number;
}

export interface StreamGroup {
  name: Bytes;
  lastId: StreamId;
  /** Logical read counter (redis: entries_read); -1 when invalid (SCG_INVALID_ENTRIES_READ). */
  entriesRead: number;
  /** Pending entries list, ordered by id. */
  pel: StreamPendingEntry[];
  /** Consumers in creation order. */
  consumers: Map<Bytes, StreamConsumer>;
}

export interface StreamValue {
  /** Entries ordered by id. */
  entries: StreamEntry[];
  lastId: StreamId;
  entriesAdded: number;
  maxDeletedId: StreamId;
  firstId: StreamId;
  /** Groups in creation order. */
  groups: Map<Bytes, StreamGroup>;
}

/**
 * A value. The optional fields are encoding state (src/commands/encoding.ts): how a string was
 * made (`enc`), and whether a collection has its big encoding (`big`: undefined while fresh).
 */
export type Value =
  | { type: 'string'; value: Bytes; enc?: 'raw' | 'noint' | 'unshared' }
  | { type: 'list'; value: List }
  | { type: 'set'; value: Set<Bytes>; big?: boolean }
  | { type: 'zset'; value: ZSet; big?: boolean }
  | { type: 'hash'; value: Map<Bytes, Bytes>; big?: boolean }
  | { type: 'stream'; value: StreamValue };

/** One database: the main dict and the expires dict (redis: redisDb). */
export interface Db {
  /** A Map in insertion order that also resumes SCAN cursors (see key-dict.ts). */
  dict: KeyDict<Value>;
  /** key -> absolute expire time in Unix ms. */
  expires: Map<Bytes, number>;
}

export function newDb(): Db {
  return { dict: new KeyDict(), expires: new Map() };
}

/** Converts a byte string to bytes. */
export function toBytes(s: Bytes): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** Converts bytes to a byte string. */
export function fromBytes(b: Uint8Array): Bytes {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** A UTF-8 JS string (e.g. from the command line) as a byte string. */
export function fromUtf8(s: string): Bytes {
  return Buffer.from(s, 'utf8').toString('latin1');
}
