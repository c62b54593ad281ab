// decideCrash: a crash decision drawn from a PRNG stream (the seeded simulator's path; properties
// use crashDecisionArbitrary instead so fast-check can shrink). The decision is plain data and is
// logged, so a failing run names exactly which pending operations survived.
//
// Distribution: every surviving count is uniform over its whole range (0 = strict for that inode),
// so both "everything survived" and "nothing survived" are likely for short pending lists.
// Torn with sectorBytes 1 cuts at any byte; when the caller can show the bytes of the write being
// torn (`writeData`), three cuts in four land exactly on a RESP record boundary inside it
// (recordBoundaries), so a file ending between the records of one MULTI/EXEC block is common
// instead of a 1-in-100-bytes accident.

import type { PrngStream } from '../prng/prng.ts';
import type { PendingSummary } from '../fs/pending.ts';
import { innerBoundaries } from './apply-crash.ts';
import { DEFAULT_SECTOR_BYTES, type CrashDecision, type CrashModelName, type DirPrefixes } from './crash-decision.ts';

export interface CrashDecisionOptions {
  /** Sector size for the torn model (default 512). */
  sectorBytes?: number;
  /**
   * Whether a prefix of each directory's unsynced entry changes may survive power loss (journaled
   * metadata committed in order). Default true; false means they are always lost.
   */
  dirPrefixes?: boolean;
  /** The bytes of pending write `opIndex` of inode `ino`, for record-boundary cuts (sectorBytes 1). */
  writeData?: (ino: number, opIndex: number) => Uint8Array | undefined;
}

/**
 * Offsets p (0 < p < length) where a RESP record (`*<n>\r\n` then n `$<len>\r\n<bytes>\r\n`)
 * starts inside `data`, walking the records from offset 0; stops at the first bytes that are not a
 * whole record (an RDB body, a record cut short), so a CR LF inside a value is never taken for one.
 */
export function recordBoundaries(data: Uint8Array): number[] {
  const out: number[] = [];
  let p = 0;
  while (p < data.length) {
    const end = recordEnd(data, p);
    if (end < 0) break;
    if (end < data.length) out.push(end);
    p = end;
  }
  return out;
}

/** The end of the RESP record at `p`, or -1. */
function recordEnd(data: Uint8Array, p: number): number {
  const head = lineNumber(data, p, 0x2a);
  if (head === null) return -1;
  let q = head.next;
  for (let i = 0; i < head.n; i++) {
    const bulk = lineNumber(data, q, 0x24);
    if (bulk === null) return -1;
    q = bulk.next + bulk.n + 2;
    if (q > data.length || data[q - 2] !== 0x0d || data[q - 1] !== 0x0a) return -1;
  }
  return q;
}

/** `<lead><digits>\r\n` at `p`: the number and the offset after the line, or null. */
function lineNumber(data: Uint8Array, p: number, lead: number): { n: number; next: number } | null {
  if (data[p] !== lead) return null;
  let n = 0;
  let q = p + 1;
  for (; q < data.length && data[q] >= 0x30 && data[q] <= 0x39; q++) n = n * 10 + (data[q] - 0x30);
  if (q === p + 1 || q + 1 >= data.length || data[q] !== 0x0d || data[q + 1] !== 0x0a) return null;
  return { n, next: q + 2 };
}

export function decideCrash(
  prng: PrngStream,
  model: CrashModelName,
  pending: PendingSummary,
  options: CrashDecisionOptions = {},
): CrashDecision {
  if (model === 'process-kill') return { model };
  const dirs: DirPrefixes = {};
  if (options.dirPrefixes !== false) {
    for (const d of pending.dirs) {
      const n = prng.below(d.ops.length + 1);
      if (n > 0) dirs[d.ino] = n;
    }
  }
  const sectorBytes = options.sectorBytes ?? DEFAULT_SECTOR_BYTES;
  switch (model) {
    case 'strict':
      return { model, dirs };
    case 'prefix': {
      const files: Record<string, number> = {};
      for (const f of pending.files) files[f.ino] = prng.below(f.ops.length + 1);
      return { model, files, dirs };
    }
    case 'torn': {
      const files: Record<string, { keep: number; sectors: number }> = {};
      for (const f of pending.files) {
        const keep = prng.below(f.ops.length + 1);
        const next = f.ops[keep];
        const inner = next !== undefined && next.kind === 'write' ? innerBoundaries(next.offset, next.lengthBytes, sectorBytes) : 0;
        let sectors = inner > 0 ? prng.below(inner + 1) : 0;
        const data = sectorBytes === 1 && inner > 0 ? options.writeData?.(f.ino, keep) : undefined;
        if (data !== undefined && prng.below(4) > 0) {
          // With 1-byte sectors, `sectors` is the number of bytes kept.
          const records = recordBoundaries(data);
          if (records.length > 0) sectors = records[prng.below(records.length)];
        }
        files[f.ino] = { keep, sectors };
      }
      return { model, sectorBytes, files, dirs };
    }
    case 'zero-fill': {
      const files: Record<string, { keep: number; data: number }> = {};
      for (const f of pending.files) {
        const keep = prng.below(f.ops.length + 1);
        files[f.ino] = { keep, data: prng.below(keep + 1) };
      }
      return { model, files, dirs };
    }
    case 'reorder': {
      const files: Record<string, number[]> = {};
      for (const f of pending.files) {
        const order = prng.shuffle(f.ops.map((_, i) => i));
        files[f.ino] = order.slice(0, prng.below(order.length + 1));
      }
      return { model, files, dirs };
    }
  }
}
