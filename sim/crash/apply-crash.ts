// applyCrash: the filesystem a crash leaves behind, as a NEW SimFs with no open handles.
//
// Fault model (what each decision means; decisions are plain data, see crash-decision.ts):
// - process-kill: the processes die, the kernel lives. Everything visible stays visible and what
//   was pending stays pending (a later power loss can still lose it). Unlinked files that were
//   only kept alive by open handles disappear.
// - power loss (strict, prefix, torn, zero-fill, reorder): each surviving inode starts from its
//   durable version, then the decision picks which of its pending ops also reached the disk:
//     strict    none;
//     prefix    the first files[ino] ops (writes and truncates, in order);
//     torn      the first `keep` ops, then the next op if it is a write, cut at its `sectors`-th
//               sector boundary (absolute offsets multiple of sectorBytes, strictly inside the
//               write; clamped to the last one; a write within one sector survives whole or not);
//     zero-fill the first `keep` ops change the size, but only the first `data` (<= keep) of them
//               wrote their bytes: a write without its data only extends the file with zeros;
//     reorder   the listed op indices, applied in the listed order.
//   Directories: durable entries plus the first dirs[ino] pending entry changes (default 0:
//   creates, renames and unlinks not made durable by fsyncDir are lost). Files and directories
//   not reachable from the root in the resulting tree are gone.
// Invariants: the old SimFs is not modified; applyCrash is a pure function of (old fs, decision);
// integers in the decision are clamped, so any decision of the right shape is valid.

import type { SimFsOptions } from '../fs/sim-fs.ts';
import { ROOT_INO, type SimFileNode, type SimImage } from '../fs/fs-core.ts';
import { SimFs } from '../fs/sim-fs.ts';
import type { ByteBuf } from '../fs/byte-buf.ts';
import { applyDirOp, applyFileOp, type PendingFileOp } from '../fs/pending.ts';
import { DEFAULT_SECTOR_BYTES, type CrashDecision } from './crash-decision.ts';

/**
 * The post-crash filesystem. `options` default to the old fs's injector and hooks (fault counts
 * and the trace continue across the restart); pass others to change them.
 */
export function applyCrash(fs: SimFs, decision: CrashDecision, options: SimFsOptions = {}): SimFs {
  const opts: SimFsOptions = { injector: fs.injector, hooks: fs.hooks, cwd: fs.cwd, ...options };
  if (decision.model === 'process-kill') return fs.afterProcessKill(opts);
  const { nodes, nextIno } = fs.internals();
  const dirPrefix = decision.dirs ?? {};
  const image: SimImage = new Map();
  const stack = [ROOT_INO];
  // Directories first: the surviving tree decides which files exist at all.
  while (stack.length > 0) {
    const ino = stack.pop()!;
    if (image.has(ino)) continue;
    const node = nodes.get(ino);
    if (node === undefined) continue;
    if (node.kind === 'file') {
      image.set(ino, { kind: 'file', data: survivingData(node, decision) });
      continue;
    }
    const entries = new Map(node.durable);
    const keep = clamp(dirPrefix[ino], node.pending.length);
    for (let i = 0; i < keep; i++) applyDirOp(entries, node.pending[i]);
    for (const [name, child] of entries) if (!nodes.has(child)) entries.delete(name);
    image.set(ino, { kind: 'dir', entries });
    for (const child of entries.values()) stack.push(child);
  }
  return SimFs.fromImage(image, nextIno, opts);
}

function clamp(n: number | undefined, max: number): number {
  if (n === undefined || !Number.isFinite(n) || n <= 0) return 0;
  return Math.min(Math.floor(n), max);
}

/** The contents of one file after power loss under `decision`. */
function survivingData(node: SimFileNode, decision: Exclude<CrashDecision, { model: 'process-kill' }>): ByteBuf {
  const out = node.durable.clone();
  const ops = node.pending;
  if (ops.length === 0) return out;
  const key = String(node.ino);
  switch (decision.model) {
    case 'strict':
      return out;
    case 'prefix': {
      const keep = clamp(decision.files[key], ops.length);
      for (let i = 0; i < keep; i++) applyFileOp(out, ops[i]);
      return out;
    }
    case 'torn': {
      const d = decision.files[key];
      if (d === undefined) return out;
      const keep = clamp(d.keep, ops.length);
      for (let i = 0; i < keep; i++) applyFileOp(out, ops[i]);
      const next = ops[keep];
      const sectors = clamp(d.sectors, Number.MAX_SAFE_INTEGER);
      if (next !== undefined && next.kind === 'write' && sectors > 0) {
        const cut = tornLength(next, decision.sectorBytes ?? DEFAULT_SECTOR_BYTES, sectors);
        if (cut > 0) out.write(next.offset, next.data, 0, cut);
      }
      return out;
    }
    case 'zero-fill': {
      const d = decision.files[key];
      if (d === undefined) return out;
      const keep = clamp(d.keep, ops.length);
      const data = clamp(d.data, keep);
      for (let i = 0; i < keep; i++) {
        const op = ops[i];
        if (i < data || op.kind === 'truncate') applyFileOp(out, op);
        else out.extend(op.offset + op.data.length);
      }
      return out;
    }
    case 'reorder': {
      const order = decision.files[key];
      if (order === undefined) return out;
      const seen = new Set<number>();
      for (const i of order) {
        if (!Number.isInteger(i) || i < 0 || i >= ops.length || seen.has(i)) continue;
        seen.add(i);
        applyFileOp(out, ops[i]);
      }
      return out;
    }
  }
}

/** Bytes of `op` that survive when it is torn at its `sectors`-th inner sector boundary. */
export function tornLength(op: Extract<PendingFileOp, { kind: 'write' }>, sectorBytes: number, sectors: number): number {
  const sector = Math.max(1, Math.floor(sectorBytes));
  const end = op.offset + op.data.length;
  const first = (Math.floor(op.offset / sector) + 1) * sector; // first boundary strictly after offset
  if (first >= end) return 0;
  const last = Math.floor((end - 1) / sector) * sector; // last boundary strictly before end
  const boundary = Math.min(first + (sectors - 1) * sector, last);
  return boundary - op.offset;
}

/** Number of sector boundaries strictly inside a pending write (0: it cannot be torn). */
export function innerBoundaries(offset: number, lengthBytes: number, sectorBytes: number): number {
  const sector = Math.max(1, Math.floor(sectorBytes));
  const end = offset + lengthBytes;
  const first = (Math.floor(offset / sector) + 1) * sector;
  if (first >= end) return 0;
  return Math.floor((end - 1 - first) / sector) + 1;
}
