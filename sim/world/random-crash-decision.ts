// A crash decision for a named model drawn from a PRNG stream, over what is pending in a SimFs:
// used when a crash fault names only its model (e.g. a crash at a named point with model `torn`).
// fast-check properties generate their decisions themselves (so they shrink); this is the
// seed-driven equivalent. Each pending file gets a random surviving prefix/subset; each directory
// with pending entry changes a random surviving prefix (so renames may or may not survive).

import type { PendingSummary } from '../fs/pending.ts';
import type { PrngStream } from '../prng/prng.ts';
import type { CrashDecision, CrashModelName, DirPrefixes } from '../crash/crash-decision.ts';

export function randomCrashDecision(pending: PendingSummary, model: CrashModelName, random: PrngStream, sectorBytes?: number): CrashDecision {
  if (model === 'process-kill') return { model };
  const dirs: DirPrefixes = {};
  for (const d of pending.dirs) dirs[String(d.ino)] = random.below(d.ops.length + 1);
  switch (model) {
    case 'strict':
      return { model, dirs };
    case 'prefix': {
      const files: Record<string, number> = {};
      for (const f of pending.files) files[String(f.ino)] = random.below(f.ops.length + 1);
      return { model, files, dirs };
    }
    case 'torn': {
      const files: Record<string, { keep: number; sectors: number }> = {};
      for (const f of pending.files) files[String(f.ino)] = { keep: random.below(f.ops.length + 1), sectors: random.below(8) };
      return sectorBytes === undefined ? { model, files, dirs } : { model, sectorBytes, files, dirs };
    }
    case 'zero-fill': {
      const files: Record<string, { keep: number; data: number }> = {};
      for (const f of pending.files) {
        const keep = random.below(f.ops.length + 1);
        files[String(f.ino)] = { keep, data: random.below(keep + 1) };
      }
      return { model, files, dirs };
    }
    case 'reorder': {
      const files: Record<string, number[]> = {};
      for (const f of pending.files) files[String(f.ino)] = random.shuffle(f.ops.map((_, i) => i)).filter(() => random.chance(1, 2));
      return { model, files, dirs };
    }
  }
}
