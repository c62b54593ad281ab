// SimFs: the simulated filesystem the AOF code runs on in the simulator. An inode table in the
// shape of memfs's kernel-like layers (inode, directory entry, open file), but its own, compact and
// with two versions of everything, because the point is durability.
//
// Durability model (what survives what):
// - Every inode has a VISIBLE version (what processes read: the page cache) and a DURABLE version
//   (what is on the platter), plus the ordered list of PENDING operations between the two:
//   for a file, writes (offset + data) and truncates since its last successful fsync/fdatasync;
//   for a directory, entry changes (create, rename, unlink, mkdir) since its last fsyncDir.
//   Invariant: durable + pending (applied in order) = visible.
// - fsync and fdatasync of a file make its data and size durable (its pending list is applied to
//   the durable version and emptied). They do NOT make its name durable: a new file's directory
//   entry, and a rename, become durable only with fsyncDir of the directory holding the entry
//   (both directories for a cross-directory rename, each half on its own). This is POSIX's
//   contract, stricter than ext4's usual behaviour on purpose (Redis bug 4: redis/redis#3487).
// - A crash is applied by sim/crash/apply-crash.ts, which builds a NEW SimFs: process-kill keeps
//   the visible state (and what is still pending, since the kernel survived); power loss keeps the
//   durable state plus whatever subset of pending operations the crash decision lets survive.
// - Durability happens when fsync is called, not when its latency has elapsed: a crash during a
//   slow fsync counts it as done (a slow fsync is one whose data was written early).
// - fsync that fails (an injected EIO) makes nothing durable; the pending list stays.
//
// Handles point at inodes, never paths: writes after rename() reach the renamed file; unlink() of
// an open file keeps the inode (and its bytes in the quota) alive until the last handle closes.
// Inode numbers are never reused within a run and survive crashes, so crash decisions, traces and
// faults can name files by inode.
//
// Fault model: at every syscall SimFs asks the FaultInjector (if any) for an injected errno, a
// short write, the byte quota (ENOSPC on total visible bytes), latency and write-blocked-behind-
// fsync costs; see sim/faults/fault-plan.ts. Costs go to hooks.onCost for the calling actor; each
// syscall is reported to hooks.onSyscall once, after it finished, with its result or errno.
//
// DIVERGENCE(posix): directories cannot be opened as files (EISDIR), there are no hard links,
// permissions or timestamps, and ftruncate never hits the quota (holes are free).

import type { FileHandle, FileStat, Fs, FsErrorCode, OpenMode } from '../../src/ports/fs.ts';
import { FsError, isFsError } from '../../src/ports/fs.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import type { FaultSyscall } from '../faults/fault-plan.ts';
import { ByteBuf, copyBytes } from './byte-buf.ts';
import { applyDirOp, applyFileOp, type PendingDirOp, type PendingFileOp, type PendingSummary } from './pending.ts';
import type { SimFsHooks, SyscallEvent, SyscallName } from './syscall.ts';

export interface SimFileNode {
  kind: 'file';
  ino: number;
  data: ByteBuf;
  durable: ByteBuf;
  pending: PendingFileOp[];
  /** Visible directory entries naming this inode. */
  links: number;
  /** Open handles. */
  open: number;
  /** Virtual time until which an fsync of this file is in flight. */
  fsyncBusyUntilMs: number;
  /** The last visible path it was given (for fault patterns and messages). */
  pathHint: string;
}

export interface SimDirNode {
  kind: 'dir';
  ino: number;
  entries: Map<string, number>;
  durable: Map<string, number>;
  pending: PendingDirOp[];
  links: number;
  pathHint: string;
}

export type SimNode = SimFileNode | SimDirNode;

export interface SimFsOptions {
  injector?: FaultInjector;
  hooks?: SimFsHooks;
  /** Directory that relative paths resolve against (default '/'). */
  cwd?: string;
}

/** The durable image a power-loss crash leaves: inode -> contents or entries. */
export type SimImage = Map<number, { kind: 'file'; data: ByteBuf } | { kind: 'dir'; entries: Map<string, number> }>;

export const ROOT_INO = 1;

const OPEN_FLAGS: Record<OpenMode, { read: boolean; write: boolean; append: boolean; create: boolean; trunc: boolean }> = {
  read: { read: true, write: false, append: false, create: false, trunc: false },
  append: { read: false, write: true, append: true, create: true, trunc: false },
  'append-existing': { read: false, write: true, append: true, create: false, trunc: false },
  'create-truncate': { read: false, write: true, append: false, create: true, trunc: true },
  'read-write': { read: true, write: true, append: false, create: false, trunc: false },
};

export class SimFs implements Fs {
  private readonly nodes = new Map<number, SimNode>();
  private nextIno = ROOT_INO + 1;
  private used = 0;
  private liveAtSweep = 0;
  private ops = 0;
  private retired: string | null = null;
  readonly cwd: string;
  injector: FaultInjector | undefined;
  hooks: SimFsHooks;

  // The syscall in progress (SimFs is synchronous and not re-entrant).
  private curName: SyscallName = 'open';
  private curPath = '';
  private curPath2: string | undefined;
  private curIno = -1;
  private curArgs = '';
  private curFaults: string[] | null = null;
  private curCostMs = 0;
  private curOp = 0;
  private curAbs = '/';

  constructor(options: SimFsOptions = {}) {
    this.injector = options.injector;
    this.hooks = options.hooks ?? {};
    this.cwd = options.cwd ?? '/';
    const root: SimDirNode = {
      kind: 'dir', ino: ROOT_INO, entries: new Map(), durable: new Map(), pending: [], links: 1, pathHint: '/',
    };
    this.nodes.set(ROOT_INO, root);
  }

  /** A SimFs whose given files (and their parent directories) exist and are all durable. */
  static withFiles(files: Record<string, string | Uint8Array>, options: SimFsOptions = {}): SimFs {
    const fs = new SimFs(options);
    for (const [path, content] of Object.entries(files)) {
      const parts = fs.split(path);
      let dir = fs.nodes.get(ROOT_INO) as SimDirNode;
      for (let i = 0; i < parts.length - 1; i++) {
        const ino = dir.entries.get(parts[i]);
        let next = ino === undefined ? undefined : fs.nodes.get(ino);
        if (next === undefined) {
          next = fs.newDir(`/${parts.slice(0, i + 1).join('/')}`);
          dir.entries.set(parts[i], next.ino);
          dir.durable.set(parts[i], next.ino);
          next.links = 1;
        }
        if (next.kind !== 'dir') throw new RangeError(`SimFs.withFiles: ${path}: ${parts[i]} is a file`);
        dir = next;
      }
      const data = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
      const file = fs.newFile(`/${parts.join('/')}`);
      file.data = ByteBuf.from(data);
      file.durable = ByteBuf.from(data);
      file.links = 1;
      fs.used += data.length;
      const name = parts[parts.length - 1];
      dir.entries.set(name, file.ino);
      dir.durable.set(name, file.ino);
    }
    return fs;
  }

  /** Builds a SimFs whose visible and durable states are both `image` (a power-loss survivor). */
  static fromImage(image: SimImage, nextIno: number, options: SimFsOptions = {}): SimFs {
    const fs = new SimFs(options);
    fs.nodes.clear();
    fs.nextIno = nextIno;
    for (const [ino, n] of image) {
      if (n.kind === 'file') {
        fs.nodes.set(ino, {
          kind: 'file', ino, data: n.data, durable: n.data.clone(), pending: [], links: 0, open: 0, fsyncBusyUntilMs: 0, pathHint: '',
        });
      } else {
        fs.nodes.set(ino, { kind: 'dir', ino, entries: n.entries, durable: new Map(n.entries), pending: [], links: 0, pathHint: '' });
      }
    }
    if (fs.nodes.get(ROOT_INO)?.kind !== 'dir') throw new RangeError('SimFs.fromImage: image has no root directory');
    fs.relink(false);
    return fs;
  }

  /**
   * The same filesystem after the processes using it died but the kernel did not (process-kill):
   * visible state, durable state and pending lists carry over; handles do not.
   */
  afterProcessKill(options: SimFsOptions = {}): SimFs {
    const fs = new SimFs({ injector: this.injector, hooks: this.hooks, cwd: this.cwd, ...options });
    fs.nodes.clear();
    fs.nextIno = this.nextIno;
    for (const [ino, n] of this.nodes) {
      if (n.kind === 'file') {
        // Field by field: a spread with overridden keys takes V8's slow path (see newFile for the shape).
        fs.nodes.set(ino, {
          kind: 'file', ino, data: n.data.clone(), durable: n.durable.clone(), pending: n.pending.slice(), links: 0, open: 0,
          fsyncBusyUntilMs: 0, pathHint: n.pathHint,
        });
      } else {
        fs.nodes.set(ino, {
          kind: 'dir', ino, entries: new Map(n.entries), durable: new Map(n.durable), pending: n.pending.slice(), links: 0, pathHint: n.pathHint,
        });
      }
    }
    fs.relink(true);
    return fs;
  }

  /** Read-only access to the inode table, for sim/crash and tests. */
  internals(): { nodes: ReadonlyMap<number, SimNode>; nextIno: number } {
    return { nodes: this.nodes, nextIno: this.nextIno };
  }

  /** After a crash: every later syscall on this instance throws (a process that should be dead). */
  retire(reason: string): void {
    this.retired = reason;
  }

  /** Syscalls made on this instance. */
  get opCount(): number {
    return this.ops;
  }

  /** Total visible bytes of live files (what the quota counts). */
  get usedBytes(): number {
    return this.used;
  }

  // ---------------------------------------------------------------- syscall bookkeeping

  private begin(name: SyscallName, path: string): void {
    if (this.retired !== null) throw new Error(`SimFs: ${name} '${path}' on a filesystem retired by ${this.retired}`);
    this.ops++;
    this.curOp = this.injector ? this.injector.beginOp() : this.ops;
    this.curName = name;
    this.curPath = path;
    this.curPath2 = undefined;
    this.curIno = -1;
    this.curArgs = '';
    this.curFaults = null;
    this.curCostMs = 0;
  }

  private end(result: string): void {
    const onSyscall = this.hooks.onSyscall;
    if (onSyscall) onSyscall(this.event(result, undefined));
    this.afterOp();
  }

  private failed(e: unknown): void {
    const onSyscall = this.hooks.onSyscall;
    if (onSyscall && isFsError(e)) onSyscall(this.event(undefined, e.code));
    this.afterOp();
  }

  /** failed() for an errno that was never thrown (no FsError built). */
  private failedWith(code: FsErrorCode): void {
    const onSyscall = this.hooks.onSyscall;
    if (onSyscall) onSyscall(this.event(undefined, code));
    this.afterOp();
  }

  private afterOp(): void {
    if (this.injector && this.hooks.onCrashDue) {
      const crash = this.injector.crashAfterOp(this.curOp);
      if (crash) this.hooks.onCrashDue(crash);
    }
  }

  private event(result: string | undefined, error: FsErrorCode | undefined): SyscallEvent {
    const e: SyscallEvent = { opIndex: this.curOp, name: this.curName, path: this.curPath, args: this.curArgs };
    if (this.curPath2 !== undefined) e.path2 = this.curPath2;
    if (this.curIno >= 0) e.ino = this.curIno;
    if (result !== undefined) e.result = result;
    if (error !== undefined) e.error = error;
    if (this.curFaults) e.faults = this.curFaults;
    if (this.curCostMs > 0) e.costMs = this.curCostMs;
    return e;
  }

  private note(fault: string): void {
    (this.curFaults ??= []).push(fault);
  }

  private cost(ms: number, reason: string): void {
    if (ms <= 0) return;
    this.curCostMs += ms;
    this.hooks.onCost?.(ms, reason);
  }

  /** FAULT: throws the injected errno for this call, if any. */
  private inject(syscall: FaultSyscall, path: string, ino = -1): void {
    const inj = this.injector;
    if (!inj) return;
    const code = inj.errorFor(syscall, path, ino);
    if (code !== null) {
      this.note(`${syscall} ${code}`);
      throw new FsError(code, syscall, path);
    }
  }

  private latency(syscall: FaultSyscall, path: string): number {
    const inj = this.injector;
    if (!inj) return 0;
    const ms = inj.latencyMs(syscall, path);
    if (ms > 0) {
      this.note(`latency ${ms}ms`);
      this.cost(ms, `${syscall} latency`);
    }
    return ms;
  }

  // ---------------------------------------------------------------- paths and inodes

  /** Splits `path` into components (resolving '.', '..' and cwd); sets curAbs to its absolute form. */
  private split(path: string): readonly string[] {
    if (path === '') throw new FsError('ENOENT', this.curName, path);
    const clean = cleanComponents(path);
    if (clean !== null) {
      this.curAbs = path; // already clean and absolute: the common case
      return clean;
    }
    const full = path.startsWith('/') ? path : `${this.cwd}/${path}`;
    const out: string[] = [];
    for (const part of full.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') out.pop();
      else out.push(part);
    }
    this.curAbs = `/${out.join('/')}`;
    return out;
  }

  private lookupDir(parts: readonly string[], count: number, path: string): SimDirNode {
    let dir = this.nodes.get(ROOT_INO) as SimDirNode;
    for (let i = 0; i < count; i++) {
      const ino = dir.entries.get(parts[i]);
      if (ino === undefined) throw new FsError('ENOENT', this.curName, path);
      const next = this.nodes.get(ino)!;
      if (next.kind !== 'dir') throw new FsError('ENOTDIR', this.curName, path);
      dir = next;
    }
    return dir;
  }

  /** The node at `parts`, or undefined when its last component is missing (parents must exist). */
  private lookup(parts: readonly string[], path: string): SimNode | undefined {
    if (parts.length === 0) return this.nodes.get(ROOT_INO);
    const dir = this.lookupDir(parts, parts.length - 1, path);
    const ino = dir.entries.get(parts[parts.length - 1]);
    return ino === undefined ? undefined : this.nodes.get(ino);
  }

  /** lookup() that returns the errno (ENOENT, ENOTDIR) instead of throwing it. */
  private lookupSoft(parts: readonly string[]): SimNode | 'ENOENT' | 'ENOTDIR' {
    let dir = this.nodes.get(ROOT_INO) as SimDirNode;
    const last = parts.length - 1;
    if (last < 0) return dir;
    for (let i = 0; i < last; i++) {
      const ino = dir.entries.get(parts[i]);
      if (ino === undefined) return 'ENOENT';
      const next = this.nodes.get(ino)!;
      if (next.kind !== 'dir') return 'ENOTDIR';
      dir = next;
    }
    const ino = dir.entries.get(parts[last]);
    return ino === undefined ? 'ENOENT' : this.nodes.get(ino)!;
  }

  private lookupParent(parts: readonly string[], path: string): { dir: SimDirNode; name: string } {
    if (parts.length === 0) throw new FsError('EINVAL', this.curName, path);
    return { dir: this.lookupDir(parts, parts.length - 1, path), name: parts[parts.length - 1] };
  }

  private newFile(pathHint: string): SimFileNode {
    this.maybeSweep();
    const node: SimFileNode = {
      kind: 'file', ino: this.nextIno++, data: new ByteBuf(), durable: new ByteBuf(), pending: [], links: 0, open: 0,
      fsyncBusyUntilMs: 0, pathHint,
    };
    this.nodes.set(node.ino, node);
    return node;
  }

  private newDir(pathHint: string): SimDirNode {
    this.maybeSweep();
    const node: SimDirNode = { kind: 'dir', ino: this.nextIno++, entries: new Map(), durable: new Map(), pending: [], links: 0, pathHint };
    this.nodes.set(node.ino, node);
    return node;
  }

  /** A visible link to `node` went away. */
  private dropLink(node: SimNode): void {
    node.links--;
    if (node.kind === 'file' && node.links === 0 && node.open === 0) this.used -= node.data.size;
  }

  /**
   * Recomputes link counts and used bytes from the visible tree (after building a new fs), then
   * drops unreachable inodes when `sweep` (an image from applyCrash has none).
   */
  private relink(sweep: boolean): void {
    this.used = 0;
    const root = this.nodes.get(ROOT_INO) as SimDirNode;
    root.links = 1;
    root.pathHint = '/';
    const stack: SimDirNode[] = [root];
    const seen = new Set<number>([ROOT_INO]);
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const [name, ino] of dir.entries) {
        const n = this.nodes.get(ino);
        if (n === undefined) throw new RangeError(`SimFs: entry ${name} in ${dir.pathHint} names missing inode ${ino}`);
        n.links++;
        n.pathHint = dir.pathHint === '/' ? `/${name}` : `${dir.pathHint}/${name}`;
        if (n.kind === 'dir' && !seen.has(ino)) {
          seen.add(ino);
          stack.push(n);
        }
        if (n.kind === 'file' && n.links === 1) this.used += n.data.size;
      }
    }
    if (sweep) this.sweep();
    else this.liveAtSweep = this.nodes.size;
  }

  private maybeSweep(): void {
    if (this.nodes.size > 2 * this.liveAtSweep + 32) this.sweep();
  }

  /**
   * Drops inodes nothing can reach any more: not in any visible, durable or pending directory
   * entry reachable from the root, and not open. (A file unlinked but not yet durably unlinked must
   * stay: power loss can bring its name back.)
   */
  private sweep(): void {
    const marked = new Set<number>([ROOT_INO]);
    const stack = [ROOT_INO];
    for (const n of this.nodes.values()) {
      if (n.kind === 'file' && n.open > 0 && !marked.has(n.ino)) {
        marked.add(n.ino);
        stack.push(n.ino);
      }
    }
    while (stack.length > 0) {
      const n = this.nodes.get(stack.pop()!)!;
      if (n.kind !== 'dir') continue;
      for (const ino of n.entries.values()) this.mark(marked, stack, ino);
      for (const ino of n.durable.values()) this.mark(marked, stack, ino);
      for (const op of n.pending) if (op.kind !== 'unlink') this.mark(marked, stack, op.ino);
    }
    if (marked.size !== this.nodes.size) {
      for (const ino of [...this.nodes.keys()]) if (!marked.has(ino)) this.nodes.delete(ino);
    }
    this.liveAtSweep = this.nodes.size;
  }

  private mark(marked: Set<number>, stack: number[], ino: number): void {
    if (!marked.has(ino) && this.nodes.has(ino)) {
      marked.add(ino);
      stack.push(ino);
    }
  }

  // ---------------------------------------------------------------- Fs

  open(path: string, mode: OpenMode): FileHandle {
    this.begin('open', path);
    try {
      if (this.hooks.onSyscall) this.curArgs = `mode=${mode}`;
      const flags = OPEN_FLAGS[mode];
      if (flags === undefined) throw new FsError('EINVAL', 'open', path);
      const parts = this.split(path);
      const abs = this.curAbs;
      this.inject('open', abs);
      const { dir, name } = this.lookupParent(parts, path);
      const ino = dir.entries.get(name);
      let node: SimFileNode;
      let created = false;
      if (ino === undefined) {
        if (!flags.create) throw new FsError('ENOENT', 'open', path);
        node = this.newFile(abs);
        node.links = 1;
        dir.entries.set(name, node.ino);
        dir.pending.push({ kind: 'link', name, ino: node.ino });
        created = true;
      } else {
        const existing = this.nodes.get(ino)!;
        if (existing.kind === 'dir') throw new FsError('EISDIR', 'open', path);
        node = existing;
        if (flags.trunc && node.data.size > 0) this.setSize(node, 0);
      }
      node.open++;
      this.curIno = node.ino;
      const handle = new SimHandle(this, node, path, flags.read, flags.write, flags.append);
      this.end(created ? `ino=${node.ino} created` : `ino=${node.ino}`);
      return handle;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  rename(from: string, to: string): void {
    this.begin('rename', from);
    this.curPath2 = to;
    try {
      const srcParts = this.split(from);
      this.inject('rename', this.curAbs);
      const src = this.lookupParent(srcParts, from);
      const dstParts = this.split(to);
      const dstAbs = this.curAbs;
      const dst = this.lookupParent(dstParts, to);
      const ino = src.dir.entries.get(src.name);
      if (ino === undefined) throw new FsError('ENOENT', 'rename', from);
      const node = this.nodes.get(ino)!;
      this.curIno = ino;
      const targetIno = dst.dir.entries.get(dst.name);
      if (targetIno === ino) {
        this.end('ok (same file)');
        return;
      }
      if (targetIno !== undefined) {
        const target = this.nodes.get(targetIno)!;
        if (target.kind === 'dir' && node.kind === 'file') throw new FsError('EISDIR', 'rename', to);
        if (target.kind === 'file' && node.kind === 'dir') throw new FsError('ENOTDIR', 'rename', to);
        if (target.kind === 'dir' && target.entries.size > 0) throw new FsError('ENOTEMPTY', 'rename', to);
        this.dropLink(target);
      }
      src.dir.entries.delete(src.name);
      dst.dir.entries.set(dst.name, ino);
      if (src.dir === dst.dir) {
        src.dir.pending.push({ kind: 'rename', from: src.name, to: dst.name, ino });
      } else {
        src.dir.pending.push({ kind: 'unlink', name: src.name });
        dst.dir.pending.push({ kind: 'link', name: dst.name, ino });
      }
      node.pathHint = dstAbs;
      this.end(targetIno === undefined ? 'ok' : `ok (replaced ino=${targetIno})`);
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  unlink(path: string): void {
    this.begin('unlink', path);
    try {
      const parts = this.split(path);
      this.inject('unlink', this.curAbs);
      const { dir, name } = this.lookupParent(parts, path);
      const ino = dir.entries.get(name);
      if (ino === undefined) throw new FsError('ENOENT', 'unlink', path);
      const node = this.nodes.get(ino)!;
      if (node.kind === 'dir') throw new FsError('EISDIR', 'unlink', path);
      this.curIno = ino;
      dir.entries.delete(name);
      dir.pending.push({ kind: 'unlink', name });
      this.dropLink(node);
      this.end(node.open > 0 ? `ok (${node.open} open)` : 'ok');
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  truncate(path: string, lengthBytes: number): void {
    this.begin('truncate', path);
    try {
      if (this.hooks.onSyscall) this.curArgs = `size=${lengthBytes}`;
      const parts = this.split(path);
      this.inject('truncate', this.curAbs);
      const node = this.lookup(parts, path);
      if (node === undefined) throw new FsError('ENOENT', 'truncate', path);
      if (node.kind === 'dir') throw new FsError('EISDIR', 'truncate', path);
      if (!Number.isSafeInteger(lengthBytes) || lengthBytes < 0) throw new FsError('EINVAL', 'truncate', path);
      this.curIno = node.ino;
      this.setSize(node, lengthBytes);
      this.end('ok');
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  stat(path: string): FileStat {
    this.begin('stat', path);
    try {
      const parts = this.split(path);
      this.inject('stat', this.curAbs);
      const node = this.lookup(parts, path);
      if (node === undefined) throw new FsError('ENOENT', 'stat', path);
      this.curIno = node.ino;
      const st = statOf(node);
      this.end(`size=${st.sizeBytes}`);
      return st;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  /**
   * stat() that answers undefined for ENOENT/ENOTDIR. Same syscall, same event and fault checks as
   * stat(), but a missing path builds no FsError (its message and stack trace cost more than the
   * lookup; the loader probes missing paths on every start).
   */
  tryStat(path: string): FileStat | undefined {
    this.begin('stat', path);
    let missing: FsErrorCode;
    try {
      const parts = this.split(path);
      this.inject('stat', this.curAbs);
      const node = this.lookupSoft(parts);
      if (typeof node === 'string') missing = node;
      else {
        this.curIno = node.ino;
        const st = statOf(node);
        this.end(`size=${st.sizeBytes}`);
        return st;
      }
    } catch (e) {
      this.failed(e);
      if (isFsError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return undefined;
      throw e;
    }
    this.failedWith(missing);
    return undefined;
  }

  readdir(dir: string): string[] {
    this.begin('readdir', dir);
    try {
      const parts = this.split(dir);
      this.inject('readdir', this.curAbs);
      const node = this.lookup(parts, dir);
      if (node === undefined) throw new FsError('ENOENT', 'scandir', dir);
      if (node.kind !== 'dir') throw new FsError('ENOTDIR', 'scandir', dir);
      this.curIno = node.ino;
      const names = [...node.entries.keys()].sort(compareBytes);
      this.end(`${names.length} entries`);
      return names;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  mkdir(dir: string, existOk = false): void {
    this.begin('mkdir', dir);
    try {
      const parts = this.split(dir);
      const abs = this.curAbs;
      this.inject('mkdir', abs);
      const { dir: parent, name } = this.lookupParent(parts, dir);
      const ino = parent.entries.get(name);
      if (ino !== undefined) {
        if (existOk && this.nodes.get(ino)!.kind === 'dir') {
          this.curIno = ino;
          this.end('exists');
          return;
        }
        throw new FsError('EEXIST', 'mkdir', dir);
      }
      const node = this.newDir(abs);
      node.links = 1;
      parent.entries.set(name, node.ino);
      parent.pending.push({ kind: 'link', name, ino: node.ino });
      this.curIno = node.ino;
      this.end(`ino=${node.ino}`);
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  fsyncDir(dir: string): void {
    this.begin('fsyncDir', dir);
    try {
      const parts = this.split(dir);
      const abs = this.curAbs;
      this.inject('fsyncDir', abs);
      const node = this.lookup(parts, dir);
      if (node === undefined) throw new FsError('ENOENT', 'open', dir);
      if (node.kind !== 'dir') throw new FsError('ENOTDIR', 'fsync', dir);
      this.curIno = node.ino;
      this.latency('fsyncDir', abs);
      const n = node.pending.length;
      for (const op of node.pending) applyDirOp(node.durable, op);
      node.pending = [];
      this.end(`${n} entry changes durable`);
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  readFile(path: string): Uint8Array {
    this.begin('readFile', path);
    try {
      const parts = this.split(path);
      const abs = this.curAbs;
      this.inject('open', abs);
      const node = this.lookup(parts, path);
      if (node === undefined) throw new FsError('ENOENT', 'open', path);
      if (node.kind === 'dir') throw new FsError('EISDIR', 'read', path);
      this.curIno = node.ino;
      this.inject('read', abs, node.ino);
      const out = node.data.read(0, node.data.size);
      this.end(`${out.length} bytes`);
      return out;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  // ---------------------------------------------------------------- file operations (via SimHandle)

  private setSize(node: SimFileNode, sizeBytes: number): void {
    const old = node.data.size;
    node.data.truncate(sizeBytes);
    node.pending.push({ kind: 'truncate', sizeBytes });
    if (node.links > 0 || node.open > 0) this.used += sizeBytes - old;
  }

  private handlePath(node: SimFileNode, h: SimHandle): string {
    return node.links > 0 ? node.pathHint : h.path;
  }

  /** @internal SimHandle.write */
  hWrite(h: SimHandle, node: SimFileNode, data: Uint8Array): number {
    this.begin('write', h.path);
    this.curIno = node.ino;
    try {
      if (this.hooks.onSyscall) this.curArgs = h.appending ? `len=${data.length}` : `len=${data.length} off=${h.position}`;
      if (h.closed) throw new FsError('EBADF', 'write', h.path);
      if (!h.writable) throw new FsError('EBADF', 'write', h.path);
      const path = this.handlePath(node, h);
      const inj = this.injector;
      let n = data.length;
      if (inj) {
        this.inject('write', path, node.ino);
        if (n > 0) {
          const blocked = inj.writeBlockedFault(path);
          if (blocked >= 0 && inj.clock) {
            const wait = node.fsyncBusyUntilMs - inj.clock.nowMs();
            if (wait > 0) {
              inj.record(blocked, 'write-blocked-by-fsync', 'write', path, `write waits ${wait}ms for an in-flight fsync`);
              this.note(`blocked ${wait}ms behind fsync`);
              this.cost(wait, 'write blocked behind fsync');
            }
          }
          const k = inj.writeBytes(path, node.ino, n);
          if (k < n) this.note(`short write ${k}/${n}`);
          n = k;
        }
      }
      const offset = h.appending ? node.data.size : h.position;
      if (n > 0 && inj) {
        const quota = inj.quotaBytes();
        if (quota !== null) {
          const growth = Math.max(0, offset + n - node.data.size);
          const room = quota - this.used;
          if (growth > room) {
            // FAULT: the disk is full; write what fits (a short write), or fail with ENOSPC.
            const fits = Math.max(0, node.data.size + Math.max(0, room) - offset);
            if (fits <= 0) {
              inj.record(-1, 'quota', 'write', path, `ENOSPC: quota ${quota} bytes, ${this.used} used`);
              this.note('ENOSPC (quota)');
              throw new FsError('ENOSPC', 'write', h.path);
            }
            inj.record(-1, 'quota', 'write', path, `short write at quota ${quota}: ${Math.min(fits, n)} of ${n} bytes`);
            this.note(`quota short write ${Math.min(fits, n)}/${n}`);
            n = Math.min(fits, n);
          }
        }
      }
      if (n > 0) {
        const growth = Math.max(0, offset + n - node.data.size);
        node.data.write(offset, data, 0, n);
        // A copy, even when `data` is a Buffer (whose slice() is a view): callers reuse buffers.
        const copy = copyBytes(data, 0, n);
        node.pending.push({ kind: 'write', offset, data: copy });
        this.used += growth;
        if (!h.appending) h.position = offset + n;
      }
      this.end(String(n));
      return n;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  /** @internal SimHandle.read */
  hRead(h: SimHandle, node: SimFileNode, lengthBytes: number, positionBytes: number | undefined): Uint8Array {
    this.begin('read', h.path);
    this.curIno = node.ino;
    try {
      if (this.hooks.onSyscall) this.curArgs = `len=${lengthBytes} off=${positionBytes ?? h.position}`;
      if (h.closed || !h.readable) throw new FsError('EBADF', 'read', h.path);
      this.inject('read', this.handlePath(node, h), node.ino);
      const pos = positionBytes ?? h.position;
      const out = node.data.read(pos, lengthBytes);
      if (positionBytes === undefined) h.position += out.length;
      this.end(String(out.length));
      return out;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  /** @internal SimHandle.fsync / fdatasync: this file's data and size become durable. */
  hSync(h: SimHandle, node: SimFileNode, name: 'fsync' | 'fdatasync'): void {
    this.begin(name, h.path);
    this.curIno = node.ino;
    try {
      if (h.closed) throw new FsError('EBADF', name, h.path);
      const path = this.handlePath(node, h);
      this.inject(name, path, node.ino);
      const ms = this.latency(name, path);
      if (ms > 0 && this.injector?.clock) node.fsyncBusyUntilMs = this.injector.clock.nowMs() + ms;
      const n = node.pending.length;
      for (const op of node.pending) applyFileOp(node.durable, op);
      node.pending = [];
      this.end(`ok (${n} ops durable, size=${node.durable.size})`);
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  /** @internal SimHandle.truncate */
  hTruncate(h: SimHandle, node: SimFileNode, lengthBytes: number): void {
    this.begin('ftruncate', h.path);
    this.curIno = node.ino;
    try {
      if (this.hooks.onSyscall) this.curArgs = `size=${lengthBytes}`;
      if (h.closed) throw new FsError('EBADF', 'ftruncate', h.path);
      if (!h.writable || !Number.isSafeInteger(lengthBytes) || lengthBytes < 0) throw new FsError('EINVAL', 'ftruncate', h.path);
      this.inject('ftruncate', this.handlePath(node, h), node.ino);
      this.setSize(node, lengthBytes);
      this.end('ok');
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  /** @internal SimHandle.stat */
  hStat(h: SimHandle, node: SimFileNode): FileStat {
    this.begin('fstat', h.path);
    this.curIno = node.ino;
    try {
      if (h.closed) throw new FsError('EBADF', 'fstat', h.path);
      this.inject('fstat', this.handlePath(node, h), node.ino);
      const st = statOf(node);
      this.end(`size=${st.sizeBytes}`);
      return st;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  /** @internal SimHandle.close: the descriptor is released even when close reports an error. */
  hClose(h: SimHandle, node: SimFileNode): void {
    this.begin('close', h.path);
    this.curIno = node.ino;
    try {
      if (h.closed) throw new FsError('EBADF', 'close', h.path);
      h.closed = true;
      node.open--;
      if (node.open === 0 && node.links === 0) this.used -= node.data.size;
      this.inject('close', this.handlePath(node, h), node.ino);
      this.end('ok');
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }

  // ---------------------------------------------------------------- inspection (tests, oracle, crash)

  /** What is pending per inode (files: writes/truncates; dirs: entry changes), by inode number. */
  pendingSummary(): PendingSummary {
    this.sweep();
    const files: PendingSummary['files'] = [];
    const dirs: PendingSummary['dirs'] = [];
    const inos = [...this.nodes.keys()].sort((a, b) => a - b);
    for (const ino of inos) {
      const n = this.nodes.get(ino)!;
      if (n.pending.length === 0) continue;
      if (n.kind === 'file') {
        files.push({
          ino,
          path: n.pathHint,
          ops: n.pending.map((op) =>
            op.kind === 'write' ? { kind: 'write', offset: op.offset, lengthBytes: op.data.length } : { kind: 'truncate', sizeBytes: op.sizeBytes },
          ),
        });
      } else {
        dirs.push({ ino, path: n.pathHint, ops: n.pending.slice() });
      }
    }
    return { files, dirs };
  }

  /**
   * Every regular file reachable by name, in the visible or the durable tree, sorted by path, with
   * a copy of its contents. (Not a syscall: no event, no faults.)
   */
  listFiles(which: 'visible' | 'durable' = 'visible'): { path: string; ino: number; data: Uint8Array }[] {
    const out: { path: string; ino: number; data: Uint8Array }[] = [];
    const walk = (dir: SimDirNode, prefix: string, depth: number): void => {
      if (depth > 64) return;
      const entries = which === 'visible' ? dir.entries : dir.durable;
      for (const [name, ino] of entries) {
        const n = this.nodes.get(ino);
        if (n === undefined) continue;
        const path = `${prefix}/${name}`;
        if (n.kind === 'dir') walk(n, path, depth + 1);
        else out.push({ path, ino, data: (which === 'visible' ? n.data : n.durable).read(0, Number.MAX_SAFE_INTEGER) });
      }
    };
    walk(this.nodes.get(ROOT_INO) as SimDirNode, '', 0);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The inode a visible path names now, or undefined. (Not a syscall: no event, no faults.) */
  inodeAt(path: string): number | undefined {
    try {
      return this.lookup(this.split(path), path)?.ino;
    } catch (e) {
      if (isFsError(e)) return undefined;
      throw e;
    }
  }

  /** Visible files as latin1 strings by path (handy in tests and scenario expectations). */
  snapshot(which: 'visible' | 'durable' = 'visible'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.listFiles(which)) out[f.path] = Buffer.from(f.data).toString('latin1');
    return out;
  }
}

/**
 * '/a/b/c' -> ['a', 'b', 'c'] when `path` is absolute and clean (no empty component, no trailing
 * '/', no component starting with '.'); null otherwise. One indexOf walk: String#split and
 * includes() cost several times more on the fresh (concatenated) strings callers pass.
 */
function cleanComponents(path: string): string[] | null {
  const n = path.length;
  if (n < 2 || path.charCodeAt(0) !== 47 || path.charCodeAt(n - 1) === 47 || path.charCodeAt(1) === 46) return null;
  const out: string[] = [];
  let from = 1;
  for (;;) {
    const i = path.indexOf('/', from);
    if (i < 0) break;
    if (i === from || path.charCodeAt(i + 1) === 46) return null; // '//' or '/.'
    out.push(path.substring(from, i));
    from = i + 1;
  }
  out.push(path.substring(from));
  return out;
}

function statOf(node: SimNode): FileStat {
  return node.kind === 'file'
    ? { sizeBytes: node.data.size, isDirectory: false, ino: node.ino }
    : { sizeBytes: 4096, isDirectory: true, ino: node.ino };
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** An open file: a position and access flags on an inode (never a path). */
class SimHandle implements FileHandle {
  position = 0;
  closed = false;
  constructor(
    private readonly fs: SimFs,
    private readonly node: SimFileNode,
    readonly path: string,
    readonly readable: boolean,
    readonly writable: boolean,
    readonly appending: boolean,
  ) {}

  write(data: Uint8Array): number {
    return this.fs.hWrite(this, this.node, data);
  }
  read(lengthBytes: number, positionBytes?: number): Uint8Array {
    return this.fs.hRead(this, this.node, lengthBytes, positionBytes);
  }
  fsync(): void {
    this.fs.hSync(this, this.node, 'fsync');
  }
  fdatasync(): void {
    this.fs.hSync(this, this.node, 'fdatasync');
  }
  truncate(lengthBytes: number): void {
    this.fs.hTruncate(this, this.node, lengthBytes);
  }
  stat(): FileStat {
    return this.fs.hStat(this, this.node);
  }
  close(): void {
    this.fs.hClose(this, this.node);
  }
}

export type { SimHandle };
