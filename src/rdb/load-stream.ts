// Loading a stream value (redis: rdb.c rdbLoadObject, the RDB_TYPE_STREAM_LISTPACKS* branch, and
// t_stream.c's node layout as streamAppendItem writes it).
// A stream is a list of (16-byte big-endian master id, listpack) nodes. Each listpack starts with a
// master entry: count, deleted, #fields, field names..., 0; then each entry: flags, ms-diff,
// seq-diff, [#fields, field, value ... | values when flags has SAMEFIELDS], lp-count. Deleted
// entries (flag 1) are skipped. Then length, last id; for STREAM_LISTPACKS_2+ first id, max deleted
// id and entries-added; then consumer groups with their PEL (16-byte raw ids, delivery ms, delivery
// count) and consumers (name, seen-time, 7.2's active-time for type 21, and their PEL ids).
//
// Invariants: entries come out in node order (ascending ids as Redis keeps them); ids are uint64
// bigint (diffs wrap like C's unsigned arithmetic); every PEL entry ends up with a consumer.
// DIVERGENCE(redis): "Stream CG PEL entry without consumer" is checked always, not only under deep
// sanitization, because the data model cannot hold a consumer-less pending entry.

import type { Bytes, StreamConsumer, StreamEntry, StreamGroup, StreamId, StreamPendingEntry, StreamValue } from '../keyspace/types.ts';
import { BlobError } from './blob-error.ts';
import { decodeListpack } from './listpack.ts';
import * as rdbConstants from './rdb-constants.ts';
import type { RdbReader } from './rdb-reader.ts';
import { ZERO_ID, compareIds, decodeIdBytes } from '../keyspace/stream-id.ts';

// Local copies: module-namespace bindings compile to getters under tsx/vite, too slow for hot loops.
const { TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3 } = rdbConstants;

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;
/** SCG_INVALID_ENTRIES_READ */
const INVALID_ENTRIES_READ = -1;

function lpInt(el: string[], i: number): bigint {
  if (i >= el.length) throw new BlobError('Stream listpack integrity check failed: entry past end', i);
  const s = el[i];
  if (!/^-?\d+$/.test(s)) throw new BlobError(`Stream listpack integrity check failed: expected an integer, got ${JSON.stringify(s)}`, i);
  return BigInt(s);
}

function smallInt(el: string[], i: number, max: number): number {
  const v = lpInt(el, i);
  if (v < 0n || v > BigInt(max)) throw new BlobError(`Stream listpack integrity check failed: count ${v} out of range`, i);
  return Number(v);
}

/** Decodes one stream node's listpack into its live entries. */
function decodeStreamNode(master: StreamId, lp: Uint8Array, out: StreamEntry[], deep: boolean): void {
  const el = decodeListpack(lp, deep);
  if (el.length === 0) throw new BlobError('Empty listpack inside stream', 0);
  const masterFieldCount = smallInt(el, 2, el.length);
  const masterFields = el.slice(3, 3 + masterFieldCount);
  if (3 + masterFieldCount >= el.length || el[3 + masterFieldCount] !== '0') {
    throw new BlobError('Stream listpack integrity check failed: master entry not terminated by 0', 3 + masterFieldCount);
  }
  let i = 4 + masterFieldCount;
  while (i < el.length) {
    const flags = Number(lpInt(el, i));
    const ms = BigInt.asUintN(64, master.ms + lpInt(el, i + 1));
    const seq = BigInt.asUintN(64, master.seq + lpInt(el, i + 2));
    i += 3;
    let fields: Bytes[];
    if (flags & FLAG_SAMEFIELDS) {
      if (i + masterFieldCount > el.length) throw new BlobError('Stream listpack integrity check failed: values past end', i);
      fields = new Array<Bytes>(masterFieldCount * 2);
      for (let k = 0; k < masterFieldCount; k++) {
        fields[2 * k] = masterFields[k];
        fields[2 * k + 1] = el[i + k];
      }
      i += masterFieldCount;
    } else {
      const nf = smallInt(el, i, el.length);
      i += 1;
      if (i + 2 * nf > el.length) throw new BlobError('Stream listpack integrity check failed: fields past end', i);
      fields = el.slice(i, i + 2 * nf);
      i += 2 * nf;
    }
    lpInt(el, i); // lp-count, used by Redis to walk backwards
    i += 1;
    if (!(flags & FLAG_DELETED)) out.push({ id: { ms, seq }, fields });
  }
}

/** redis: streamEstimateDistanceFromFirstEverEntry, for groups loaded from STREAM_LISTPACKS (v1). */
function estimateEntriesRead(s: StreamValue, length: number, id: StreamId): number {
  if (s.entriesAdded === 0) return 0;
  if (length === 0 && compareIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const cmpFirst = compareIds(id, s.firstId);
  const noFragmentation = compareIds(s.maxDeletedId, ZERO_ID) === 0 || compareIds(s.maxDeletedId, s.firstId) < 0;
  if (noFragmentation) {
    if (cmpFirst < 0) return s.entriesAdded - length;
    if (cmpFirst === 0) return s.entriesAdded - length + 1;
  }
  return INVALID_ENTRIES_READ;
}

function idPair(r: RdbReader): StreamId {
  const ms = r.lenBig();
  const seq = r.lenBig();
  return { ms, seq };
}

export function loadStream(r: RdbReader, type: number): StreamValue {
  const value = loadStreamReads(r, type);
  r.readContext = null;
  return value;
}

/**
 * The reads of loadStream, each under the text rdbLoadObject's rdbReportReadError gives when it
 * comes up short (r.readContext: redis-check-rdb prints it instead of "Unexpected EOF").
 */
function loadStreamReads(r: RdbReader, type: number): StreamValue {
  const entries: StreamEntry[] = [];
  r.readContext = 'Stream listpacks len loading failed.';
  const nodes = r.len();
  const seenNodes = new Set<string>();
  for (let n = 0; n < nodes; n++) {
    const keyAt = r.pos;
    r.readContext = 'Stream master ID loading failed: invalid encoding or I/O error.';
    const nodeKey = r.string();
    if (nodeKey.length !== 16) {
      throw r.corrupt('Stream node key entry is not the size of a stream ID', keyAt, '16 bytes', `${nodeKey.length} bytes`);
    }
    if (seenNodes.has(nodeKey)) throw r.corrupt('Listpack re-added with existing key', keyAt);
    seenNodes.add(nodeKey);
    const lpAt = r.pos;
    r.readContext = 'Stream listpacks loading failed.';
    const lp = r.bytes();
    const master = decodeIdBytes(Buffer.from(nodeKey, 'latin1'));
    r.parseBlob(lpAt, lp, (b) => decodeStreamNode(master, b, entries, r.deepIntegrity), 'Stream listpack integrity check failed.');
  }
  const lengthAt = r.pos;
  r.readContext = 'Stream object metadata loading failed.';
  const length = Number(r.lenBig());
  const lastId = idPair(r);
  let firstId: StreamId;
  let maxDeletedId: StreamId;
  let entriesAdded: number;
  if (type === TYPE_STREAM_LISTPACKS_2 || type === TYPE_STREAM_LISTPACKS_3) {
    firstId = idPair(r);
    maxDeletedId = idPair(r);
    entriesAdded = Number(r.lenBig());
  } else {
    maxDeletedId = ZERO_ID;
    entriesAdded = length;
    firstId = entries.length > 0 ? entries[0].id : ZERO_ID;
  }
  if (length > 0 && nodes === 0) throw r.corrupt('Stream length inconsistent with rax entries', lengthAt, 'at least one node', '0 nodes');
  const value: StreamValue = { entries, lastId, entriesAdded, maxDeletedId, firstId, groups: new Map() };

  r.readContext = 'Stream cgroup count loading failed.';
  const groupCount = r.len();
  for (let g = 0; g < groupCount; g++) {
    const nameAt = r.pos;
    r.readContext = 'Error reading the consumer group name from Stream';
    const name = r.string();
    r.readContext = 'Stream cgroup ID loading failed.';
    const groupLastId = idPair(r);
    let entriesRead: number;
    if (type === TYPE_STREAM_LISTPACKS_2 || type === TYPE_STREAM_LISTPACKS_3) {
      r.readContext = 'Stream cgroup offset loading failed.';
      entriesRead = Number(BigInt.asIntN(64, r.lenBig()));
    } else {
      entriesRead = estimateEntriesRead(value, length, groupLastId);
    }
    if (value.groups.has(name)) throw r.corrupt(`Duplicated consumer group name ${name}`, nameAt);
    const pelById = new Map<string, StreamPendingEntry>();
    r.readContext = 'Stream PEL size loading failed.';
    const pelCount = r.len();
    for (let p = 0; p < pelCount; p++) {
      const idAt = r.pos;
      r.readContext = 'Stream PEL ID loading failed.';
      const raw = r.raw(16);
      const key = Buffer.from(raw.buffer, raw.byteOffset, 16).toString('latin1', 0, 16);
      r.readContext = 'Stream PEL NACK loading failed.';
      const deliveryTimeMs = r.millis();
      const deliveryCount = r.len();
      if (pelById.has(key)) throw r.corrupt('Duplicated global PEL entry loading stream consumer group', idAt);
      pelById.set(key, { id: decodeIdBytes(raw), consumer: '', deliveryTimeMs, deliveryCount });
    }
    const consumers = new Map<Bytes, StreamConsumer>();
    const owned = new Set<string>();
    r.readContext = 'Stream consumers num loading failed.';
    const consumerCount = r.len();
    for (let c = 0; c < consumerCount; c++) {
      const cAt = r.pos;
      r.readContext = 'Error reading the consumer name from Stream group.';
      const cname = r.string();
      if (consumers.has(cname)) throw r.corrupt('Duplicate stream consumer detected.', cAt);
      r.readContext = 'Stream short read reading seen time.';
      const seenTimeMs = r.millis();
      const consumer: StreamConsumer = { name: cname, seenTimeMs };
      if (type === TYPE_STREAM_LISTPACKS_3) consumer.activeTimeMs = r.millis();
      consumers.set(cname, consumer);
      r.readContext = 'Stream consumer PEL num loading failed.';
      const own = r.len();
      const ownSeen = new Set<string>();
      for (let p = 0; p < own; p++) {
        const idAt = r.pos;
        r.readContext = 'Stream short read reading PEL streamID.';
        const raw = r.raw(16);
        const key = Buffer.from(raw.buffer, raw.byteOffset, 16).toString('latin1', 0, 16);
        const nack = pelById.get(key);
        if (nack === undefined) throw r.corrupt('Consumer entry not found in group global PEL', idAt);
        if (ownSeen.has(key)) throw r.corrupt('Duplicated consumer PEL entry  loading a stream consumer group', idAt);
        ownSeen.add(key);
        owned.add(key);
        nack.consumer = cname;
      }
    }
    for (const [key, nack] of pelById) {
      if (!owned.has(key)) {
        throw r.corrupt('Stream CG PEL entry without consumer', nameAt, 'every pending entry owned by a consumer', `pending ${nack.id.ms}-${nack.id.seq} has none`);
      }
    }
    const pel = [...pelById.values()].sort((a, b) => compareIds(a.id, b.id));
    const group: StreamGroup = { name, lastId: groupLastId, entriesRead, pel, consumers };
    value.groups.set(name, group);
  }
  return value;
}

