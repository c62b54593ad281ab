// The in-memory AOF manifest of Redis 7.x multi-part AOF: which BASE, INCR and HISTORY files make up
// the data set, and the sequence counters used to name new files.
// redis: aof.c aofInfo / aofManifest, aofManifestCreate, aofManifestDup, aofInfoDup (7.0).
//
// Invariants (kept by parseManifest and by the code that edits a manifest):
// - at most one BASE; every INCR seq is strictly greater than the previous INCR seq;
// - currBaseSeq is the BASE's seq (0 if none), currIncrSeq the last INCR's seq (0 if none); new
//   files are named with ++counter;
// - names are Bytes (latin1, one char per byte) and never contain '/' or '\\'.
// DIVERGENCE(redis): seqs are JS numbers, exact up to 2^53 (Redis: long long).

import type { Bytes } from '../../keyspace/types.ts';

/** 'b' = BASE, 'h' = HISTORY, 'i' = INCR (redis: AOF_FILE_TYPE_BASE/HIST/INCR). */
export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  name: Bytes;
  seq: number;
  type: AofFileType;
}

export interface Manifest {
  base: AofInfo | null;
  /** In load order (ascending seq). */
  incrs: AofInfo[];
  /** Former BASE/INCR files awaiting deletion, head first. */
  history: AofInfo[];
  currBaseSeq: number;
  currIncrSeq: number;
  /** True when the in-memory manifest differs from the one on disk (redis: am->dirty). */
  dirty?: boolean;
}

/** redis: aofManifestCreate. */
export function emptyManifest(): Manifest {
  return { base: null, incrs: [], history: [], currBaseSeq: 0, currIncrSeq: 0, dirty: false };
}

/** A deep copy: edits to the copy never reach the original (redis: aofManifestDup). */
export function dupManifest(m: Manifest): Manifest {
  const copy: Manifest = {
    base: m.base ? { ...m.base } : null,
    incrs: m.incrs.map((i) => ({ ...i })),
    history: m.history.map((i) => ({ ...i })),
    currBaseSeq: m.currBaseSeq,
    currIncrSeq: m.currIncrSeq,
  };
  if (m.dirty !== undefined) copy.dirty = m.dirty;
  return copy;
}
