// Pending operations: what the page cache holds that the disk may not. For a file, the writes and
// truncates since its last successful fsync/fdatasync, in order; for a directory, the entry changes
// (create, rename, unlink) since its last fsyncDir, in order. Applying a file's pending list to its
// durable contents gives its visible contents; applying a directory's pending list to its durable
// entries gives its visible entries. Op data is copied at write time and never mutated afterwards,
// so lists and ops may be shared between a SimFs and its post-crash copies.

import type { ByteBuf } from './byte-buf.ts';

export type PendingFileOp =
  | { kind: 'write'; offset: number; data: Uint8Array }
  | { kind: 'truncate'; sizeBytes: number };

export type PendingDirOp =
  /** A new entry: open(O_CREAT) of a new file, mkdir, or the target half of a cross-directory rename. */
  | { kind: 'link'; name: string; ino: number }
  /** An entry removed: unlink, or the source half of a cross-directory rename. */
  | { kind: 'unlink'; name: string }
  /** A rename within this directory (atomic: one op). */
  | { kind: 'rename'; from: string; to: string; ino: number };

export function applyFileOp(buf: ByteBuf, op: PendingFileOp): void {
  if (op.kind === 'write') buf.write(op.offset, op.data);
  else buf.truncate(op.sizeBytes);
}

export function applyDirOp(entries: Map<string, number>, op: PendingDirOp): void {
  if (op.kind === 'link') entries.set(op.name, op.ino);
  else if (op.kind === 'unlink') entries.delete(op.name);
  else {
    entries.delete(op.from);
    entries.set(op.to, op.ino);
  }
}

/** What is pending, per inode, without the data: the input to crash decisions. */
export interface PendingSummary {
  /** Files with at least one pending op, by inode number. */
  files: { ino: number; path: string; ops: PendingFileOpSummary[] }[];
  /** Directories with at least one pending entry change, by inode number. */
  dirs: { ino: number; path: string; ops: PendingDirOp[] }[];
}

export type PendingFileOpSummary =
  | { kind: 'write'; offset: number; lengthBytes: number }
  | { kind: 'truncate'; sizeBytes: number };
