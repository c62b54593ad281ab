// Replays the file operations of a recorded strace (strace-parse.ts) into a SimFs, starting from the
// directory's initial contents, so the simulator's crash engine (sim/crash applyCrash) can rebuild
// every on-disk state a power loss could leave at each point of a real server's run (ALICE-style:
// Pillai et al., OSDI 2014, "All File Systems Are Not Created Equal").
//
// Mapping: paths stay absolute (the SimFs mirrors the real tree under `root`); only ops on paths
// under root are replayed; fds are tracked per (fd, path) and follow renames, because -f traces mix
// processes (fork children have their own fd tables) and the bio threads that close or fsync the
// main thread's fds. fsync/fdatasync of a directory fd is SimFs.fsyncDir.
// pwrite64 (what Node's fs writes with, e.g. `aofsim serve`'s manifest) is replayed where the Fs
// port's write() does the same: on an O_APPEND fd (Linux appends whatever the offset), or at the
// offset where the SimFs handle stands (its own offset, moved by each write). The real fd's offset,
// which pwrite leaves alone, is tracked too, so a later write() on a diverged fd is skipped, not
// misplaced; any other pwrite is skipped.
//
// Invariants: replay never throws on a trace it does not understand; it counts `skipped` ops
// instead (an fd never opened, a SimFs error), so a partial trace degrades the search, never
// crashes it; after op i the SimFs's visible tree equals what the real server saw.

import { isFsError, type FileHandle, type OpenMode } from '../../src/ports/fs.ts';
import { SimFs } from '../fs/sim-fs.ts';
import type { TracedOp } from './strace-parse.ts';

export const KEEP_FILE = '.aofsim-keep';

/** Op kinds that can change what a crash leaves (the crash points). */
const MUTATING = new Set(['open', 'write', 'pwrite', 'sync', 'ftruncate', 'truncate', 'rename', 'unlink', 'mkdir', 'rmdir']);

export interface ReplayStep {
  index: number;
  op: TracedOp;
  /** The op changed the file system or its durability (a crash point follows it). */
  crashPoint: boolean;
}

export class TraceReplay {
  readonly fs: SimFs;
  skipped: { op: TracedOp; why: string }[] = [];
  private readonly handles = new Map<string, FileHandle | 'dir'>();
  /** Per handle key: the SimFs handle's offset and the real fd's (they differ after a pwrite). */
  private readonly offsets = new Map<string, { sim: number; real: number; append: boolean }>();

  /** `initial`: files under root before the run (absolute path -> bytes). */
  constructor(
    readonly root: string,
    initial: Record<string, Uint8Array>,
  ) {
    // A placeholder keeps root itself durable even when it starts empty; never materialised.
    this.fs = SimFs.withFiles({ [`${root}/${KEEP_FILE}`]: '', ...initial });
  }

  inRoot(path: string): boolean {
    return path === this.root || path.startsWith(this.root + '/');
  }

  private key(fd: number, path: string): string {
    return `${fd}\u0000${path}`;
  }

  /** Applies one op; returns whether a crash point follows it. */
  apply(op: TracedOp): boolean {
    if (op.kind === 'reply') return false;
    const paths = op.kind === 'rename' ? [op.from, op.to] : [op.path];
    if (!paths.some((p) => this.inRoot(p))) return false;
    try {
      this.applyInner(op);
    } catch (e) {
      if (!isFsError(e) && !(e instanceof ReplayError)) throw e;
      this.skipped.push({ op, why: (e as Error).message });
      return false;
    }
    return MUTATING.has(op.kind);
  }

  private handle(fd: number, path: string): FileHandle | 'dir' {
    const h = this.handles.get(this.key(fd, path));
    if (h === undefined) throw new ReplayError(`fd ${fd} (${path}) was never opened in the trace`);
    return h;
  }

  private applyInner(op: TracedOp): void {
    const fs = this.fs;
    switch (op.kind) {
      case 'open': {
        const st = fs.tryStat(op.path);
        if (st?.isDirectory) {
          this.handles.set(this.key(op.fd, op.path), 'dir');
          return;
        }
        const f = new Set(op.flags);
        let mode: OpenMode;
        if (f.has('O_APPEND')) mode = f.has('O_CREAT') ? 'append' : 'append-existing';
        else if (f.has('O_TRUNC')) mode = 'create-truncate';
        else if (f.has('O_WRONLY') || f.has('O_RDWR')) mode = st === undefined && f.has('O_CREAT') ? 'create-truncate' : 'read-write';
        else mode = 'read';
        this.handles.set(this.key(op.fd, op.path), fs.open(op.path, mode));
        this.offsets.set(this.key(op.fd, op.path), { sim: 0, real: 0, append: mode === 'append' || mode === 'append-existing' });
        return;
      }
      case 'write': {
        const h = this.handle(op.fd, op.path);
        if (h === 'dir') throw new ReplayError('write to a directory');
        const at = this.offsets.get(this.key(op.fd, op.path));
        if (at !== undefined && !at.append && at.sim !== at.real) throw new ReplayError(`write at offset ${at.real} after a pwrite left the replayed handle at ${at.sim}`);
        writeAll(h, op.data);
        if (at !== undefined) at.real = at.sim += op.data.length;
        return;
      }
      case 'pwrite': {
        const h = this.handle(op.fd, op.path);
        if (h === 'dir') throw new ReplayError('pwrite to a directory');
        const at = this.offsets.get(this.key(op.fd, op.path));
        if (at === undefined || (!at.append && at.sim !== op.offset)) {
          throw new ReplayError(`pwrite64 at offset ${op.offset} is not replayed (the Fs port writes at the handle's offset, ${at?.sim ?? 'unknown'})`);
        }
        writeAll(h, op.data);
        at.sim += op.data.length;
        return;
      }
      case 'sync': {
        const h = this.handle(op.fd, op.path);
        if (h === 'dir') fs.fsyncDir(op.path);
        else if (op.name === 'fsync') h.fsync();
        else h.fdatasync();
        return;
      }
      case 'ftruncate': {
        const h = this.handle(op.fd, op.path);
        if (h === 'dir') throw new ReplayError('ftruncate of a directory');
        h.truncate(op.length);
        return;
      }
      case 'truncate':
        fs.truncate(op.path, op.length);
        return;
      case 'rename': {
        fs.rename(op.from, op.to);
        // Handles follow the inode: re-key those opened under the old name.
        for (const [k, h] of [...this.handles]) {
          const sep = k.indexOf('\u0000');
          const p = k.slice(sep + 1);
          if (p === op.from || p.startsWith(op.from + '/')) {
            const moved = k.slice(0, sep + 1) + op.to + p.slice(op.from.length);
            this.handles.delete(k);
            this.handles.set(moved, h);
            const at = this.offsets.get(k);
            this.offsets.delete(k);
            if (at !== undefined) this.offsets.set(moved, at);
          }
        }
        return;
      }
      case 'unlink':
        fs.unlink(op.path);
        return;
      case 'mkdir':
        fs.mkdir(op.path, true);
        return;
      case 'rmdir':
        throw new ReplayError('rmdir is not replayed');
      case 'close': {
        const k = this.key(op.fd, op.path);
        const h = this.handles.get(k);
        this.handles.delete(k);
        this.offsets.delete(k);
        if (h !== undefined && h !== 'dir') h.close();
        return;
      }
    }
  }
}

class ReplayError extends Error {}

/** write() until all of `data` is written (the Fs port may write less than asked). */
function writeAll(h: FileHandle, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += h.write(data.subarray(off));
}
