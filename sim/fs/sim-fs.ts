// SimFs: the simulated filesystem the AOF code runs on in the simulator, as the `Fs` port sees it.
// A thin syscall layer (memfs's Volume, turmoil's std-API shim) over FsCore (sim/fs/fs-core.ts),
// the inode table that holds the durability state. Every call goes through one wrapper,
// `syscall()`, that counts it, asks the fault injector, reports its cost and its event, and checks
// for a crash due after it.
//
// Durability model (FsCore states it in full):
// - Every inode has a VISIBLE version (page cache) and a DURABLE version (platter), with the
//   ordered PENDING operations between them. Invariant: durable + pending = visible.
// - fsync/fdatasync make a file's data and size durable, never its name: a new entry or a rename
//   is durable only after fsyncDir of its directory (POSIX, stricter than ext4; Redis bug 4,
//   redis/redis#3487).
// - A crash is applied by sim/crash/apply-crash.ts, which builds a NEW SimFs over a new core:
//   process-kill keeps visible and pending state, power loss keeps the durable state plus the
//   pending operations the crash decision lets survive.
// - Durability happens when fsync is called, not when its latency has elapsed: a crash during a
//   slow fsync counts it as done (a slow fsync is one whose data was written early).
// - fsync that fails (an injected EIO) makes nothing durable; the pending list stays.
//
// Handles point at inodes, never paths: writes after rename() reach the renamed file; unlink() of
// an open file keeps the inode (and its bytes in the quota) alive until the last handle closes.
//
// Fault model: at every syscall SimFs asks the FaultInjector (if any) for an injected errno, and
// for writes a short write, the byte quota (ENOSPC on total visible bytes) and the wait behind an
// in-flight fsync of the same file; fsyncs may have latency. The injector decides (see
// sim/faults/fault-plan.ts); SimFs applies. Costs go to hooks.onCost for the calling actor; each
// syscall is reported to hooks.onSyscall once, after it finished, with its result or errno.
//
// DIVERGENCE(posix): directories cannot be opened as files (EISDIR), there are no hard links,
// permissions or timestamps, and ftruncate never hits the quota (holes are free).

import type { FileHandle, FileStat, Fs, FsErrorCode, OpenMode } from '../../src/ports/fs.ts';
import { FsError, isFsError } from '../../src/ports/fs.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import type { FaultSyscall } from '../faults/fault-plan.ts';
import { FsCore, statOf, type PathPartsCache, type SimFileNode, type SimImage, type SimNode } from './fs-core.ts';
import type { PendingSummary } from './pending.ts';
import type { SimFsHooks, SyscallEvent, SyscallName } from './syscall.ts';


export interface SimFsOptions {
  injector?: FaultInjector;
  hooks?: SimFsHooks;
  /** Directory that relative paths resolve against (default '/'). */
  cwd?: string;
  /** Path components already split (see PathPartsCache); a fresh cache when absent. */
  pathParts?: PathPartsCache;
}

const OPEN_FLAGS: Record<OpenMode, { read: boolean; write: boolean; append: boolean; create: boolean; trunc: boolean }> = {
  read: { read: true, write: false, append: false, create: false, trunc: false },
  append: { read: false, write: true, append: true, create: true, trunc: false },
  'append-existing': { read: false, write: true, append: true, create: false, trunc: false },
  'create-truncate': { read: false, write: true, append: false, create: true, trunc: true },
  'create-truncate-append': { read: false, write: true, append: true, create: true, trunc: true },
  'read-write': { read: true, write: true, append: false, create: false, trunc: false },
};

/** The syscall in progress (SimFs is synchronous and not re-entrant): what its event will say. */
class CurrentCall {
  opIndex = 0;
  name: SyscallName = 'open';
  path = '';
  path2: string | undefined = undefined;
  ino = -1;
  args = '';
  result = '';
  /** An errno the call reports without throwing (tryStat of a missing path). */
  error: FsErrorCode | undefined = undefined;
  faults: string[] | null = null;
  costMs = 0;
}

export class SimFs implements Fs {
  /** The inode table and its durability state: ask it durability facts (isNameDurable, isDirty, ...). */
  readonly core: FsCore;
  injector: FaultInjector | undefined;
  hooks: SimFsHooks;
  private ops = 0;
  private retired: string | null = null;
  private readonly cur = new CurrentCall();
  /**
   * Inode -> virtual time until which a slow fsync of it is in flight (fsyncs with latency only).
   * Per SimFs, hence per kernel: a crash forgets in-flight fsyncs.
   */
  private readonly fsyncBusyUntilMs = new Map<number, number>();

  constructor(options: SimFsOptions = {}, core?: FsCore) {
    this.injector = options.injector;
    this.hooks = options.hooks ?? {};
    this.core = core ?? new FsCore(options.cwd ?? '/', options.pathParts);
  }

  /** A SimFs whose given files (and their parent directories) exist and are all durable. */
  static withFiles(files: Record<string, string | Uint8Array>, options: SimFsOptions = {}): SimFs {
    return new SimFs(options, FsCore.withFiles(files, options.cwd ?? '/', options.pathParts));
  }

  /** Builds a SimFs whose visible and durable states are both `image` (a power-loss survivor). */
  static fromImage(image: SimImage, nextIno: number, options: SimFsOptions = {}): SimFs {
    return new SimFs(options, FsCore.fromImage(image, nextIno, options.cwd ?? '/'));
  }

  /**
   * The same filesystem after the processes using it died but the kernel did not (process-kill):
   * visible state, durable state and pending lists carry over; handles do not.
   */
  afterProcessKill(options: SimFsOptions = {}): SimFs {
    const opts: SimFsOptions = { injector: this.injector, hooks: this.hooks, cwd: this.cwd, ...options };
    return new SimFs(opts, this.core.afterProcessKill(opts.cwd));
  }

  get cwd(): string {
    return this.core.cwd;
  }

  /** Read-only access to the inode table, for sim/crash and tests. */
  internals(): { nodes: ReadonlyMap<number, SimNode>; nextIno: number } {
    return this.core.internals();
  }

  /** The bytes of pending op `opIndex` of file `ino` when it is a write (crash decisions cut torn writes on record boundaries with them). */
  pendingWriteData(ino: number, opIndex: number): Uint8Array | undefined {
    const node = this.core.internals().nodes.get(ino);
    const op = node?.kind === 'file' ? node.pending[opIndex] : undefined;
    return op?.kind === 'write' ? op.data : undefined;
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
    return this.core.usedBytes;
  }

  // ---------------------------------------------------------------- the one syscall wrapper

  /**
   * Runs one syscall: counts it (the injector's op index when there is one), runs `body`, reports
   * its event (result, or errno for an FsError) to hooks.onSyscall, then fires a crash fault due
   * after this op. `body` fills `this.cur` (inode, args, result, faults, cost). Hot calls pass a
   * method and its arguments rather than a closure (no allocation per call). Bodies format the
   * args and result texts only while hooks.onSyscall is set: nothing else reads them, and a
   * traceless run (campaign, benchmark) would build two strings per syscall for nothing.
   */
  private syscall<T, A = undefined, B = undefined, C = undefined>(
    name: SyscallName,
    path: string,
    ino: number,
    body: (this: SimFs, a: A, b: B, c: C) => T,
    a?: A,
    b?: B,
    c?: C,
  ): T {
    if (this.retired !== null) throw new Error(`SimFs: ${name} '${path}' on a filesystem retired by ${this.retired}`);
    this.ops++;
    const cur = this.cur;
    cur.opIndex = this.injector ? this.injector.beginOp() : this.ops;
    cur.name = name;
    cur.path = path;
    cur.path2 = undefined;
    cur.ino = ino;
    cur.args = '';
    cur.result = '';
    cur.error = undefined;
    cur.faults = null;
    cur.costMs = 0;
    try {
      const out = body.call(this, a as A, b as B, c as C);
      this.hooks.onSyscall?.(this.event(cur, cur.error));
      this.afterOp(cur);
      return out;
    } catch (e) {
      if (isFsError(e)) this.hooks.onSyscall?.(this.event(cur, e.code));
      this.afterOp(cur);
      throw e;
    }
  }

  private afterOp(c: CurrentCall): void {
    if (this.injector && this.hooks.onCrashDue) {
      const crash = this.injector.crashAfterOp(c.opIndex);
      if (crash) this.hooks.onCrashDue(crash);
    }
  }

  private event(c: CurrentCall, error: FsErrorCode | undefined): SyscallEvent {
    const e: SyscallEvent = { opIndex: c.opIndex, name: c.name, path: c.path, args: c.args };
    if (c.path2 !== undefined) e.path2 = c.path2;
    if (c.ino >= 0) e.ino = c.ino;
    if (error === undefined) e.result = c.result;
    else e.error = error;
    if (c.faults) e.faults = c.faults;
    if (c.costMs > 0) e.costMs = c.costMs;
    return e;
  }

  private note(fault: string): void {
    (this.cur.faults ??= []).push(fault);
  }

  private cost(ms: number, reason: string): void {
    if (ms <= 0) return;
    this.cur.costMs += ms;
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

  /** FAULT: the latency of this call, charged to the calling actor. */
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

  // ---------------------------------------------------------------- Fs

  open(path: string, mode: OpenMode): FileHandle {
    return this.syscall('open', path, -1, this.openBody, path, mode);
  }

  private openBody(path: string, mode: OpenMode): FileHandle {
    if (this.hooks.onSyscall) this.cur.args = `mode=${mode}`;
    const flags = OPEN_FLAGS[mode];
    if (flags === undefined) throw new FsError('EINVAL', 'open', path);
    const p = this.core.resolve(path, 'open');
    this.inject('open', p.abs);
    const { node, created } = this.core.openFile(p, flags.create, flags.trunc);
    this.core.opened(node);
    this.cur.ino = node.ino;
    if (this.hooks.onSyscall) this.cur.result = created ? `ino=${node.ino} created` : `ino=${node.ino}`;
    return new SimHandle(this, node, path, flags.read, flags.write, flags.append);
  }

  rename(from: string, to: string): void {
    this.syscall('rename', from, -1, this.renameBody, from, to);
  }

  private renameBody(from: string, to: string): void {
    this.cur.path2 = to;
    const src = this.core.resolve(from, 'rename');
    this.inject('rename', src.abs);
    const { ino, replaced } = this.core.rename(src, this.core.resolve(to, 'rename'));
    this.cur.ino = ino;
    if (this.hooks.onSyscall) this.cur.result = replaced === ino ? 'ok (same file)' : replaced < 0 ? 'ok' : `ok (replaced ino=${replaced})`;
  }

  unlink(path: string): void {
    this.syscall('unlink', path, -1, () => {
      const p = this.core.resolve(path, 'unlink');
      this.inject('unlink', p.abs);
      const node = this.core.unlink(p);
      this.cur.ino = node.ino;
      if (this.hooks.onSyscall) this.cur.result = node.open > 0 ? `ok (${node.open} open)` : 'ok';
    });
  }

  truncate(path: string, lengthBytes: number): void {
    this.syscall('truncate', path, -1, () => {
      if (this.hooks.onSyscall) this.cur.args = `size=${lengthBytes}`;
      const p = this.core.resolve(path, 'truncate');
      this.inject('truncate', p.abs);
      this.cur.ino = this.core.truncatePath(p, lengthBytes).ino;
      this.cur.result = 'ok';
    });
  }

  stat(path: string): FileStat {
    return this.syscall('stat', path, -1, this.statBody, path);
  }

  private statBody(path: string): FileStat {
    const p = this.core.resolve(path, 'stat');
    this.inject('stat', p.abs);
    const node = this.core.lookup(p);
    if (node === undefined) throw new FsError('ENOENT', 'stat', path);
    return this.statResult(node);
  }

  /**
   * stat() that answers undefined for ENOENT/ENOTDIR. Same syscall, same event and fault checks as
   * stat(), but a missing path builds no FsError (its message and stack trace cost more than the
   * lookup; the loader probes missing paths on every start).
   */
  tryStat(path: string): FileStat | undefined {
    try {
      return this.syscall('stat', path, -1, this.tryStatBody, path);
    } catch (e) {
      if (isFsError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  private tryStatBody(path: string): FileStat | undefined {
    const p = this.core.resolve(path, 'stat');
    this.inject('stat', p.abs);
    const node = this.core.lookupSoft(p);
    if (typeof node !== 'string') return this.statResult(node);
    this.cur.error = node;
    return undefined;
  }

  private statResult(node: SimNode): FileStat {
    const st = statOf(node);
    this.cur.ino = node.ino;
    if (this.hooks.onSyscall) this.cur.result = `size=${st.sizeBytes}`;
    return st;
  }

  readdir(dir: string): string[] {
    return this.syscall('readdir', dir, -1, () => {
      const p = this.core.resolve(dir, 'readdir');
      this.inject('readdir', p.abs);
      const node = this.core.dirAt(p, 'scandir', 'scandir');
      this.cur.ino = node.ino;
      const names = [...node.entries.keys()].sort(compareBytes);
      if (this.hooks.onSyscall) this.cur.result = `${names.length} entries`;
      return names;
    });
  }

  mkdir(dir: string, existOk = false): void {
    this.syscall('mkdir', dir, -1, this.mkdirBody, dir, existOk);
  }

  private mkdirBody(dir: string, existOk: boolean): void {
    const p = this.core.resolve(dir, 'mkdir');
    this.inject('mkdir', p.abs);
    const { ino, existed } = this.core.mkdir(p, existOk);
    this.cur.ino = ino;
    if (this.hooks.onSyscall) this.cur.result = existed ? 'exists' : `ino=${ino}`;
  }

  fsyncDir(dir: string): void {
    this.syscall('fsyncDir', dir, -1, this.fsyncDirBody, dir);
  }

  private fsyncDirBody(dir: string): void {
    const p = this.core.resolve(dir, 'fsyncDir');
    this.inject('fsyncDir', p.abs);
    const node = this.core.dirAt(p, 'open', 'fsync');
    this.cur.ino = node.ino;
    this.latency('fsyncDir', p.abs);
    const n = this.core.syncDir(node);
    if (this.hooks.onSyscall) this.cur.result = `${n} entry changes durable`;
  }

  readFile(path: string): Uint8Array {
    return this.syscall('readFile', path, -1, this.readFileBody, path);
  }

  private readFileBody(path: string): Uint8Array {
    const p = this.core.resolve(path, 'readFile');
    this.inject('open', p.abs);
    const node = this.core.fileAt(p);
    this.cur.ino = node.ino;
    this.inject('read', p.abs, node.ino);
    const out = this.core.read(node, 0, node.data.size);
    if (this.hooks.onSyscall) this.cur.result = `${out.length} bytes`;
    return out;
  }

  // ---------------------------------------------------------------- file operations (via SimHandle)

  /** The path faults match for a handle: the file's current name, or the opened one once unlinked. */
  private handlePath(node: SimFileNode, h: SimHandle): string {
    return node.links > 0 ? node.pathHint : h.path;
  }

  /** @internal SimHandle.write */
  hWrite(h: SimHandle, node: SimFileNode, data: Uint8Array): number {
    return this.syscall('write', h.path, node.ino, this.writeBody, h, node, data);
  }

  private writeBody(h: SimHandle, node: SimFileNode, data: Uint8Array): number {
    if (this.hooks.onSyscall) this.cur.args = h.appending ? `len=${data.length}` : `len=${data.length} off=${h.position}`;
    if (h.closed || !h.writable) throw new FsError('EBADF', 'write', h.path);
    const inj = this.injector;
    let n = data.length;
    if (inj && n > 0) {
      const path = this.handlePath(node, h);
      this.inject('write', path, node.ino);
      const wait = this.fsyncBusyUntilMs.size === 0 ? 0 : inj.blockedWriteMs(path, this.fsyncBusyUntilMs.get(node.ino) ?? 0);
      if (wait > 0) {
        this.note(`blocked ${wait}ms behind fsync`);
        this.cost(wait, 'write blocked behind fsync');
      }
      const k = inj.writeBytes(path, node.ino, n);
      if (k < n) this.note(`short write ${k}/${n}`);
      n = k;
      const offset = h.appending ? node.data.size : h.position;
      // FAULT: the disk is full; write what fits (a short write), or fail with ENOSPC.
      const fits = inj.quotaWriteBytes(path, offset, n, node.data.size, this.core.usedBytes);
      if (fits === 0) {
        this.note('ENOSPC (quota)');
        throw new FsError('ENOSPC', 'write', h.path);
      }
      if (fits < n) this.note(`quota short write ${fits}/${n}`);
      n = fits;
    } else if (inj) {
      this.inject('write', this.handlePath(node, h), node.ino);
    }
    if (n > 0) {
      const offset = h.appending ? node.data.size : h.position;
      this.core.write(node, offset, data, n);
      if (!h.appending) h.position = offset + n;
    }
    if (this.hooks.onSyscall) this.cur.result = String(n);
    return n;
  }

  /** @internal SimHandle.read */
  hRead(h: SimHandle, node: SimFileNode, lengthBytes: number, positionBytes: number | undefined): Uint8Array {
    return this.syscall('read', h.path, node.ino, this.readBody, h, lengthBytes, positionBytes);
  }

  private readBody(h: SimHandle, lengthBytes: number, positionBytes: number | undefined): Uint8Array {
    if (this.hooks.onSyscall) this.cur.args = `len=${lengthBytes} off=${positionBytes ?? h.position}`;
    if (h.closed || !h.readable) throw new FsError('EBADF', 'read', h.path);
    this.inject('read', this.handlePath(h.node, h), h.node.ino);
    const out = this.core.read(h.node, positionBytes ?? h.position, lengthBytes);
    if (positionBytes === undefined) h.position += out.length;
    if (this.hooks.onSyscall) this.cur.result = String(out.length);
    return out;
  }

  /** @internal SimHandle.fsync / fdatasync: this file's data and size become durable. */
  hSync(h: SimHandle, node: SimFileNode, name: 'fsync' | 'fdatasync'): void {
    this.syscall(name, h.path, node.ino, this.syncBody, h, node, name);
  }

  private syncBody(h: SimHandle, node: SimFileNode, name: 'fsync' | 'fdatasync'): void {
    if (h.closed) throw new FsError('EBADF', name, h.path);
    const path = this.handlePath(node, h);
    this.inject(name, path, node.ino);
    const ms = this.latency(name, path);
    const clock = this.injector?.clock;
    if (ms > 0 && clock) this.fsyncBusyUntilMs.set(node.ino, clock.nowMs() + ms);
    const n = this.core.syncFile(node);
    if (this.hooks.onSyscall) this.cur.result = `ok (${n} ops durable, size=${node.durable.size})`;
  }

  /** @internal SimHandle.truncate */
  hTruncate(h: SimHandle, node: SimFileNode, lengthBytes: number): void {
    this.syscall('ftruncate', h.path, node.ino, () => {
      if (this.hooks.onSyscall) this.cur.args = `size=${lengthBytes}`;
      if (h.closed) throw new FsError('EBADF', 'ftruncate', h.path);
      if (!h.writable || !Number.isSafeInteger(lengthBytes) || lengthBytes < 0) throw new FsError('EINVAL', 'ftruncate', h.path);
      this.inject('ftruncate', this.handlePath(node, h), node.ino);
      this.core.setSize(node, lengthBytes);
      this.cur.result = 'ok';
    });
  }

  /** @internal SimHandle.stat */
  hStat(h: SimHandle, node: SimFileNode): FileStat {
    return this.syscall('fstat', h.path, node.ino, this.fstatBody, h, node);
  }

  private fstatBody(h: SimHandle, node: SimFileNode): FileStat {
    if (h.closed) throw new FsError('EBADF', 'fstat', h.path);
    this.inject('fstat', this.handlePath(node, h), node.ino);
    return this.statResult(node);
  }

  /** @internal SimHandle.close: the descriptor is released even when close reports an error. */
  hClose(h: SimHandle, node: SimFileNode): void {
    this.syscall('close', h.path, node.ino, this.closeBody, h, node);
  }

  private closeBody(h: SimHandle, node: SimFileNode): void {
    if (h.closed) throw new FsError('EBADF', 'close', h.path);
    h.closed = true;
    this.core.closed(node);
    this.inject('close', this.handlePath(node, h), node.ino);
    this.cur.result = 'ok';
  }

  // ---------------------------------------------------------------- inspection (not syscalls: no event, no faults)

  /** What is pending per inode (files: writes/truncates; dirs: entry changes), by inode number. */
  pendingSummary(): PendingSummary {
    return this.core.pendingSummary();
  }

  /** Every regular file reachable by name, in the visible or the durable tree, sorted by path, with a copy of its contents. */
  listFiles(which: 'visible' | 'durable' = 'visible'): { path: string; ino: number; data: Uint8Array }[] {
    return this.core.listFiles(which);
  }

  /** The inode a visible path names now, or undefined. */
  inodeAt(path: string): number | undefined {
    return this.core.inodeAt(path);
  }

  /** Visible files as latin1 strings by path (handy in tests and scenario expectations). */
  snapshot(which: 'visible' | 'durable' = 'visible'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.core.listFiles(which)) out[f.path] = Buffer.from(f.data).toString('latin1');
    return out;
  }
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
    /** @internal */
    readonly node: SimFileNode,
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
