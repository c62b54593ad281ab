// Stream operations on the StreamValue data model (redis 7.0.15 t_stream.c: streamParseID,
// streamIncrID, streamAppendItem, streamTrim, streamDeleteItem, streamEstimateDistanceFromFirstEverEntry,
// streamRangeHasTombstones, streamCreateCG / streamCreateConsumer / streamCreateNACK).
//
// Invariants: `entries` stays sorted by id; `firstId` is the first entry's id (0-0 when empty);
// `lastId` never decreases except through XSETID; every pending entry's consumer exists in its group
// and each id is pending at most once per group. Ids are uint64 pairs (bigint).
// DIVERGENCE(redis): Redis keeps entries in radix-tree nodes of <= 100 entries (stream-node-max-entries)
// and approximate trims (`~`) remove whole nodes only. We keep no nodes: an approximate trim treats
// the current entries as blocks of 100 from the head, which matches Redis for streams built by
// appends alone; after XDEL/exact trims node boundaries may differ, so `~` may trim differently.

import { ZERO_ID, compareIds } from './stream-id.ts';
import type { Bytes, StreamEntry, StreamGroup, StreamId, StreamValue } from './types.ts';

export { ZERO_ID, compareIds };

export const UINT64_MAX = 0xffffffffffffffffn;
export const MAX_ID: StreamId = { ms: UINT64_MAX, seq: UINT64_MAX };
/** redis: SCG_INVALID_ENTRIES_READ */
export const INVALID_ENTRIES_READ = -1;
/** redis: stream-node-max-entries default. */
export const NODE_MAX_ENTRIES = 100;


export function newStream(): StreamValue {
  return { entries: [], lastId: ZERO_ID, entriesAdded: 0, maxDeletedId: ZERO_ID, firstId: ZERO_ID, groups: new Map() };
}

/** "ms-seq" text of an id. */
export function idText(id: StreamId): Bytes {
  return `${id.ms}-${id.seq}`;
}

const STRTOULL = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;
const STRING2LL_NEGATIVE = /^-[1-9][0-9]*$/;

/**
 * redis: util.c string2ull. string2ll first (so "-5" is refused as negative), then
 * strtoull(s, 10) consuming the whole string: leading whitespace, a '+', leading zeros and a '-'
 * that negates modulo 2^64 ("-01" is 18446744073709551615) are accepted; ERANGE is refused.
 */
function parseU64(s: string): bigint | null {
  if (STRING2LL_NEGATIVE.test(s) && BigInt(s) >= -(1n << 63n)) return null;
  const m = STRTOULL.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]);
  if (v > UINT64_MAX) return null;
  return m[1] === '-' && v !== 0n ? UINT64_MAX + 1n - v : v;
}

export interface ParsedId {
  id: StreamId;
  /** False for "ms-*" (XADD auto sequence). */
  seqGiven: boolean;
}

/**
 * redis: streamGenericParseIDOrReply. "-" / "+" when `strict` is false; "ms" alone takes
 * `missingSeq`; "ms-*" only when `allowSeqStar`. null on a syntax error.
 */
export function parseId(s: Bytes, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  if (s.length > 127) return null;
  // Redis copies the argument into a C buffer: parsing stops at the first NUL.
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (!strict && s === '-') return { id: ZERO_ID, seqGiven: true };
  if (!strict && s === '+') return { id: MAX_ID, seqGiven: true };
  const dash = s.indexOf('-');
  if (dash < 0) {
    const ms = parseU64(s);
    return ms === null ? null : { id: { ms, seq: missingSeq }, seqGiven: true };
  }
  const ms = parseU64(s.slice(0, dash));
  if (ms === null) return null;
  const rest = s.slice(dash + 1);
  if (allowSeqStar && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseU64(rest);
  return seq === null ? null : { id: { ms, seq }, seqGiven: true };
}

/** redis: streamIncrID; null when id is the maximum. */
export function incrId(id: StreamId): StreamId | null {
  if (id.seq === UINT64_MAX) {
    if (id.ms === UINT64_MAX) return null;
    return { ms: id.ms + 1n, seq: 0n };
  }
  return { ms: id.ms, seq: id.seq + 1n };
}

/** redis: streamDecrID; null when id is 0-0. */
export function decrId(id: StreamId): StreamId | null {
  if (id.seq === 0n) {
    if (id.ms === 0n) return null;
    return { ms: id.ms - 1n, seq: UINT64_MAX };
  }
  return { ms: id.ms, seq: id.seq - 1n };
}

/** Index of the first entry with id >= `id`. */
export function lowerBound(s: StreamValue, id: StreamId): number {
  let lo = 0;
  let hi = s.entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareIds(s.entries[mid].id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function findEntry(s: StreamValue, id: StreamId): StreamEntry | undefined {
  const i = lowerBound(s, id);
  const e = s.entries[i];
  return e !== undefined && compareIds(e.id, id) === 0 ? e : undefined;
}

function refreshFirst(s: StreamValue): void {
  s.firstId = s.entries.length > 0 ? s.entries[0].id : ZERO_ID;
}

/** Appends an entry whose id is greater than lastId (redis: streamAppendItem). */
export function appendEntry(s: StreamValue, id: StreamId, fields: Bytes[]): void {
  s.entries.push({ id, fields });
  s.lastId = id;
  s.entriesAdded++;
  if (s.entries.length === 1) s.firstId = id;
}

/** Deletes one entry; true when it existed (redis: streamDeleteItem + xdelCommand bookkeeping). */
export function deleteEntry(s: StreamValue, id: StreamId): boolean {
  const i = lowerBound(s, id);
  const e = s.entries[i];
  if (e === undefined || compareIds(e.id, id) !== 0) return false;
  s.entries.splice(i, 1);
  if (compareIds(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
  if (i === 0) refreshFirst(s);
  return true;
}

export type TrimStrategy = 'maxlen' | 'minid';

/**
 * redis: streamTrim. Exact trims remove entries one by one; approximate ones remove whole nodes
 * only, nodes being modelled as consecutive blocks of NODE_MAX_ENTRIES entries from the head (see
 * the DIVERGENCE note above), and stop at the first node that cannot go entirely or that would
 * exceed `limit` (0 = no limit). Returns the number of entries removed.
 */
export function trimStream(s: StreamValue, strategy: TrimStrategy, maxlen: number, minid: StreamId, approx: boolean, limit: number): number {
  const len = s.entries.length;
  let count = 0;
  if (!approx) {
    count = strategy === 'maxlen' ? Math.max(0, len - maxlen) : lowerBound(s, minid);
  } else {
    while (count < len) {
      const node = Math.min(NODE_MAX_ENTRIES, len - count);
      if (limit > 0 && count + node > limit) break;
      const removable =
        strategy === 'maxlen' ? len - count - node >= maxlen : compareIds(s.entries[count + node - 1].id, minid) < 0;
      if (!removable) break;
      count += node;
    }
  }
  if (count <= 0) return 0;
  s.entries.splice(0, count);
  refreshFirst(s);
  return count;
}

/** redis: streamRangeHasTombstones (7.0): a deleted id may lie within [start, end]. */
export function rangeHasTombstones(s: StreamValue, start: StreamId | null, end: StreamId | null): boolean {
  if (s.entries.length === 0 || compareIds(s.maxDeletedId, ZERO_ID) === 0) return false;
  if (compareIds(s.firstId, s.maxDeletedId) > 0) return false;
  const startId = start ?? ZERO_ID;
  const endId = end ?? MAX_ID;
  return compareIds(startId, s.maxDeletedId) <= 0 && compareIds(endId, s.maxDeletedId) >= 0;
}

/** redis: streamEstimateDistanceFromFirstEverEntry. */
export function estimateDistance(s: StreamValue, id: StreamId): number {
  if (s.entriesAdded === 0) return 0;
  if (s.entries.length === 0 && compareIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const cmpFirst = compareIds(id, s.firstId);
  if (compareIds(s.maxDeletedId, ZERO_ID) === 0 || compareIds(s.maxDeletedId, s.firstId) < 0) {
    if (cmpFirst < 0) return s.entriesAdded - s.entries.length;
    if (cmpFirst === 0) return s.entriesAdded - s.entries.length + 1;
  }
  return INVALID_ENTRIES_READ;
}

export function newGroup(name: Bytes, lastId: StreamId, entriesRead: number): StreamGroup {
  return { name, lastId, entriesRead, pel: [], consumers: new Map() };
}

/** Index of the first pending entry with id >= `id` in the group PEL. */
export function pelLowerBound(g: StreamGroup, id: StreamId): number {
  let lo = 0;
  let hi = g.pel.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareIds(g.pel[mid].id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function pelFind(g: StreamGroup, id: StreamId): number {
  const i = pelLowerBound(g, id);
  return i < g.pel.length && compareIds(g.pel[i].id, id) === 0 ? i : -1;
}

