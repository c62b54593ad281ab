// The crash states ALICE-style exploration checks at one crash point: a bounded, deterministic list
// of crash decisions (sim/crash/crash-decision.ts, the simulator's own engine and models) built
// from what is pending, and the on-disk image each one leaves (files under root, relative paths).
//
// Enumeration per crash point (every other inode keeps all of its pending ops, so each state
// isolates one inode's misfortune; `cap` bounds the list):
//   process-kill  the visible state (SIGKILL: the page cache survives);
//   strict        nothing pending survives (directories: all entry changes kept, then none);
//   prefix        for each file, each proper prefix of its pending ops;
//   torn          for each file, its last pending writes cut at each inner sector boundary;
//   zero-fill     for each file, all size changes but only the first d writes' data, d < n;
//   reorder       for each file, every pending op but one (ALICE's "drop one");
//   dirs          for each directory, each proper prefix of its pending entry changes.
// Invariants: the list depends only on the SimFs state (deterministic); applyCrash never mutates
// the replayed SimFs; images are compared by content hash, so the same state is checked once.

import { createHash } from 'node:crypto';
import { applyCrash, innerBoundaries } from '../crash/apply-crash.ts';
import { describeCrashDecision, type CrashDecision, type PowerLossModelName } from '../crash/crash-decision.ts';
import type { SimFs } from '../fs/sim-fs.ts';
import { KEEP_FILE } from './trace-replay.ts';

export interface CrashStateOptions {
  /** Models to enumerate (default all power-loss models plus process-kill). */
  models?: readonly (PowerLossModelName | 'process-kill')[];
  sectorBytes?: number;
  /** At most this many decisions per crash point (default 40). */
  cap?: number;
  /** At most this many torn cuts per write (default 4, spread evenly). */
  tornCuts?: number;
}

export interface CrashState {
  decision: CrashDecision;
  description: string;
  /** relative path -> contents. */
  files: Map<string, Buffer>;
  hash: string;
}

const ALL: readonly (PowerLossModelName | 'process-kill')[] = ['process-kill', 'strict', 'prefix', 'torn', 'zero-fill', 'reorder'];

export function enumerateDecisions(fs: SimFs, options: CrashStateOptions = {}): CrashDecision[] {
  const models = new Set(options.models ?? ALL);
  const cap = options.cap ?? 40;
  const sectorBytes = options.sectorBytes ?? 512;
  const cuts = options.tornCuts ?? 4;
  const p = fs.pendingSummary();
  const dirsAll: Record<string, number> = {};
  for (const d of p.dirs) dirsAll[String(d.ino)] = d.ops.length;
  const out: CrashDecision[] = [];
  const push = (d: CrashDecision): void => {
    if (out.length < cap) out.push(d);
  };
  if (models.has('process-kill')) push({ model: 'process-kill' });
  if (models.has('strict')) {
    push({ model: 'strict', dirs: dirsAll });
    if (p.dirs.length > 0) push({ model: 'strict', dirs: {} });
  }
  const allPrefix = (): Record<string, number> => Object.fromEntries(p.files.map((f) => [String(f.ino), f.ops.length]));
  if (models.has('prefix')) {
    for (const f of p.files) {
      for (let k = f.ops.length - 1; k >= 0; k--) push({ model: 'prefix', files: { ...allPrefix(), [String(f.ino)]: k }, dirs: dirsAll });
    }
    for (const d of p.dirs) {
      for (let k = d.ops.length - 1; k >= 0; k--) push({ model: 'prefix', files: allPrefix(), dirs: { ...dirsAll, [String(d.ino)]: k } });
    }
  }
  if (models.has('torn')) {
    const allTorn = (): Record<string, { keep: number; sectors: number }> =>
      Object.fromEntries(p.files.map((f) => [String(f.ino), { keep: f.ops.length, sectors: 0 }]));
    for (const f of p.files) {
      for (let j = f.ops.length - 1; j >= Math.max(0, f.ops.length - 2); j--) {
        const op = f.ops[j];
        if (op.kind !== 'write') continue;
        const inner = innerBoundaries(op.offset, op.lengthBytes, sectorBytes);
        const n = Math.min(inner, cuts);
        for (let c = 0; c < n; c++) {
          const sectors = n === inner ? c + 1 : 1 + Math.floor((c * (inner - 1)) / Math.max(1, n - 1));
          push({ model: 'torn', sectorBytes, files: { ...allTorn(), [String(f.ino)]: { keep: j, sectors } }, dirs: dirsAll });
        }
      }
    }
  }
  if (models.has('zero-fill')) {
    const allZero = (): Record<string, { keep: number; data: number }> =>
      Object.fromEntries(p.files.map((f) => [String(f.ino), { keep: f.ops.length, data: f.ops.length }]));
    for (const f of p.files) {
      for (let d = f.ops.length - 1; d >= 0; d--) {
        if (f.ops[d].kind !== 'write') continue;
        push({ model: 'zero-fill', files: { ...allZero(), [String(f.ino)]: { keep: f.ops.length, data: d } }, dirs: dirsAll });
      }
    }
  }
  if (models.has('reorder')) {
    const allOrder = (): Record<string, number[]> => Object.fromEntries(p.files.map((f) => [String(f.ino), f.ops.map((_, i) => i)]));
    for (const f of p.files) {
      if (f.ops.length < 2) continue;
      for (let drop = 0; drop < f.ops.length - 1; drop++) {
        push({ model: 'reorder', files: { ...allOrder(), [String(f.ino)]: f.ops.map((_, i) => i).filter((i) => i !== drop) }, dirs: dirsAll });
      }
    }
  }
  return out;
}

/** The files under `root` that `decision` leaves (relative paths), and their content hash. */
export function crashImage(fs: SimFs, root: string, decision: CrashDecision): CrashState {
  const after = applyCrash(fs, decision);
  const files = new Map<string, Buffer>();
  const h = createHash('sha1');
  for (const f of after.listFiles('visible')) {
    if (!f.path.startsWith(root + '/')) continue;
    const rel = f.path.slice(root.length + 1);
    if (rel === KEEP_FILE) continue;
    const data = Buffer.from(f.data);
    files.set(rel, data);
    h.update(rel).update('\u0000').update(String(data.length)).update('\u0000').update(data);
  }
  return { decision, description: describeCrashDecision(decision), files, hash: h.digest('hex') };
}

export function crashStates(fs: SimFs, root: string, options: CrashStateOptions = {}): CrashState[] {
  return enumerateDecisions(fs, options).map((d) => crashImage(fs, root, d));
}
