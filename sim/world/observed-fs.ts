// An Fs decorator that lets the world see and steer every syscall without knowing the filesystem
// underneath (SimFs in the simulator, memfs or a real directory in tests): each call is announced
// before it runs (where a crash point may stop the world: CrashPoint is thrown from here) and
// reported after it with its result or errno (trace lines and virtual-time costs).
//
// Invariants: handles are wrapped once and keep pointing at the inner handle (so they still follow
// the inode across renames); errors from the inner Fs pass through unchanged after being reported;
// the operation counter counts every call, including failed ones.

import type { FileHandle, FileStat, Fs, OpenMode } from '../../src/ports/fs.ts';
import { isFsError } from '../../src/ports/fs.ts';

export type SyscallOp =
  | 'open'
  | 'write'
  | 'read'
  | 'fsync'
  | 'fdatasync'
  | 'ftruncate'
  | 'fstat'
  | 'close'
  | 'rename'
  | 'unlink'
  | 'truncate'
  | 'stat'
  | 'readdir'
  | 'mkdir'
  | 'fsync-dir'
  | 'read-file';

export interface SyscallCall {
  op: SyscallOp;
  path: string;
  /** Extra arguments in a few words (mode, byte count, target path). */
  args: string;
  /** The handle for calls made through one (fsync, write...), else null. */
  handle: ObservedHandle | null;
  /** For writes: bytes asked. */
  bytes: number;
}

export interface SyscallObserver {
  /** Called before the call runs; may throw to stop the world at this point. */
  before(call: SyscallCall): void;
  /** Called after it ran: `result` in a few words, or the error (FsError or otherwise). */
  after(call: SyscallCall, result: string, error: unknown): void;
}

export class ObservedFs implements Fs {
  constructor(
    readonly inner: Fs,
    private readonly observer: SyscallObserver,
  ) {}

  /** Runs `fn` between before() and after(). */
  call<R>(op: SyscallOp, path: string, args: string, handle: ObservedHandle | null, bytes: number, fn: () => R, show: (r: R) => string): R {
    const c: SyscallCall = { op, path, args, handle, bytes };
    this.observer.before(c);
    let r: R;
    try {
      r = fn();
    } catch (e) {
      this.observer.after(c, isFsError(e) ? e.code : 'error', e);
      throw e;
    }
    this.observer.after(c, show(r), null);
    return r;
  }

  open(path: string, mode: OpenMode): FileHandle {
    return this.call('open', path, mode, null, 0, () => new ObservedHandle(this, this.inner.open(path, mode)), () => 'ok');
  }
  rename(from: string, to: string): void {
    this.call('rename', from, `-> ${to}`, null, 0, () => this.inner.rename(from, to), ok);
  }
  unlink(path: string): void {
    this.call('unlink', path, '', null, 0, () => this.inner.unlink(path), ok);
  }
  truncate(path: string, lengthBytes: number): void {
    this.call('truncate', path, String(lengthBytes), null, 0, () => this.inner.truncate(path, lengthBytes), ok);
  }
  stat(path: string): FileStat {
    return this.call('stat', path, '', null, 0, () => this.inner.stat(path), showStat);
  }
  tryStat(path: string): FileStat | undefined {
    return this.call('stat', path, '', null, 0, () => this.inner.tryStat(path), (s) => (s ? showStat(s) : 'ENOENT'));
  }
  readdir(dir: string): string[] {
    return this.call('readdir', dir, '', null, 0, () => this.inner.readdir(dir), (names) => `[${names.join(', ')}]`);
  }
  mkdir(dir: string, existOk?: boolean): void {
    this.call('mkdir', dir, existOk ? 'exist-ok' : '', null, 0, () => this.inner.mkdir(dir, existOk), ok);
  }
  fsyncDir(dir: string): void {
    this.call('fsync-dir', dir, '', null, 0, () => this.inner.fsyncDir(dir), ok);
  }
  readFile(path: string): Uint8Array {
    return this.call('read-file', path, '', null, 0, () => this.inner.readFile(path), (b) => `${b.length} bytes`);
  }
}

export class ObservedHandle implements FileHandle {
  constructor(
    private readonly fs: ObservedFs,
    readonly inner: FileHandle,
  ) {}
  get path(): string {
    return this.inner.path;
  }
  write(data: Uint8Array): number {
    return this.fs.call('write', this.inner.path, String(data.length), this, data.length, () => this.inner.write(data), String);
  }
  read(lengthBytes: number, positionBytes?: number): Uint8Array {
    const args = positionBytes === undefined ? String(lengthBytes) : `${lengthBytes} @${positionBytes}`;
    return this.fs.call('read', this.inner.path, args, this, 0, () => this.inner.read(lengthBytes, positionBytes), (b) => String(b.length));
  }
  fsync(): void {
    this.fs.call('fsync', this.inner.path, '', this, 0, () => this.inner.fsync(), ok);
  }
  fdatasync(): void {
    this.fs.call('fdatasync', this.inner.path, '', this, 0, () => this.inner.fdatasync(), ok);
  }
  truncate(lengthBytes: number): void {
    this.fs.call('ftruncate', this.inner.path, String(lengthBytes), this, 0, () => this.inner.truncate(lengthBytes), ok);
  }
  stat(): FileStat {
    return this.fs.call('fstat', this.inner.path, '', this, 0, () => this.inner.stat(), showStat);
  }
  close(): void {
    this.fs.call('close', this.inner.path, '', this, 0, () => this.inner.close(), ok);
  }
}

const ok = (): string => 'ok';
const showStat = (s: FileStat): string => (s.isDirectory ? 'dir' : `${s.sizeBytes} bytes`);
