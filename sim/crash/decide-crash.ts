// decideCrash: a crash decision drawn from a PRNG stream (the seeded simulator's path; properties
// use crashDecisionArbitrary instead so fast-check can shrink). The decision is plain data and is
// logged, so a failing run names exactly which pending operations survived.
//
// Distribution: every surviving count is uniform over its whole range (0 = strict for that inode),
// so both "everything survived" and "nothing survived" are likely for short pending lists.

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
        files[f.ino] = { keep, sectors: inner > 0 ? prng.below(inner + 1) : 0 };
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
