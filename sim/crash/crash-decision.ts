// Crash decisions as plain data: which pending operations survive a crash. A decision is what a
// fast-check arbitrary or the PRNG generates and what fast-check shrinks (towards "nothing pending
// survives"), so it is JSON, sparse, and every field is a small non-negative integer that
// applyCrash clamps into range: any value of the right shape is a valid decision.
//
// Keys of `files` and `dirs` are inode numbers (as strings, for JSON): decisions follow inodes,
// not paths, so a file renamed before the crash is still the same entry. A missing key means 0
// (nothing of that inode's pending list survives).
//
// Models (see sim/crash/apply-crash.ts for the exact semantics):
// - process-kill: the kernel survives; everything visible stays visible (pending stays pending).
// - strict:    power loss; no pending file op survives.
// - prefix:    the first files[ino] pending ops of each file survive (writes and truncates, in order).
// - torn:      like prefix, then the next pending write survives up to its `sectors`-th sector
//              boundary (sectorBytes, default 512); a write inside one sector is all-or-nothing.
// - zero-fill: the size changes of the first `keep` ops survive but only the data of the first
//              `data` of them landed: bytes the file grew by without their data read as zeros.
// - reorder:   files[ino] lists pending op indices that survive, applied in the listed order
//              (ALICE-style: any subset, any order); duplicates and out-of-range indices ignored.
// Every power-loss model also takes `dirs[ino]`: how many of a directory's pending entry changes
// (create, rename, unlink), in order, survive; the default 0 means "lost unless fsyncDir'd".

export type CrashModelName = 'process-kill' | 'strict' | 'prefix' | 'torn' | 'zero-fill' | 'reorder';
export type PowerLossModelName = Exclude<CrashModelName, 'process-kill'>;

export const CRASH_MODELS: readonly CrashModelName[] = ['process-kill', 'strict', 'prefix', 'torn', 'zero-fill', 'reorder'];
export const POWER_LOSS_MODELS: readonly PowerLossModelName[] = ['strict', 'prefix', 'torn', 'zero-fill', 'reorder'];

export const DEFAULT_SECTOR_BYTES = 512;

/** Per-directory surviving prefix of pending entry changes, keyed by directory inode. */
export type DirPrefixes = Record<string, number>;

export type CrashDecision =
  | { model: 'process-kill' }
  | { model: 'strict'; dirs?: DirPrefixes }
  | { model: 'prefix'; files: Record<string, number>; dirs?: DirPrefixes }
  | {
      model: 'torn';
      sectorBytes?: number;
      files: Record<string, { keep: number; sectors: number }>;
      dirs?: DirPrefixes;
    }
  | { model: 'zero-fill'; files: Record<string, { keep: number; data: number }>; dirs?: DirPrefixes }
  | { model: 'reorder'; files: Record<string, number[]>; dirs?: DirPrefixes };

/** One line, for traces and failure reports: `prefix files{3:2,5:0} dirs{1:1}`. */
export function describeCrashDecision(d: CrashDecision): string {
  if (d.model === 'process-kill') return 'process-kill';
  const parts: string[] = [d.model === 'strict' ? 'power-loss strict' : `power-loss ${d.model}`];
  if (d.model === 'torn') parts.push(`sector=${d.sectorBytes ?? DEFAULT_SECTOR_BYTES}`);
  if (d.model !== 'strict') {
    const files = Object.entries(d.files)
      .map(([ino, v]) => `${ino}:${typeof v === 'number' ? v : Array.isArray(v) ? `[${v.join(',')}]` : Object.values(v).join('/')}`)
      .join(',');
    parts.push(`files{${files}}`);
  }
  const dirs = Object.entries(d.dirs ?? {}).filter(([, n]) => n > 0);
  if (dirs.length > 0) parts.push(`dirs{${dirs.map(([ino, n]) => `${ino}:${n}`).join(',')}}`);
  return parts.join(' ');
}
