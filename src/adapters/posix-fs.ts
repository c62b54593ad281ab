// An Fs port over any object with Node's synchronous fs API (node:fs itself, or a memfs Volume).
// It adds nothing to durability: whatever the underlying fs does on fsync is what happens.
// Errors are converted to FsError with the same code, syscall and path.

import type { FileHandle, FileStat, Fs, FsErrorCode, OpenMode } from '../ports/fs.ts';
import { FsError } from '../ports/fs.ts';

/** The subset of Node's fs module this adapter needs (node:fs and memfs both provide it). */
export interface SyncFsApi {
  openSync(path: string, flags: string | number, mode?: number): number;
  closeSync(fd: number): void;
  writeSync(fd: number, buffer: Uint8Array, offset?: number, length?: number, position?: number | null): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  fsyncSync(fd: number): void;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, len?: number): void;
  truncateSync(path: string, len?: number): void;
  fstatSync(fd: number): { size: number; ino: number | bigint; isDirectory(): boolean };
  statSync(path: string): { size: number; ino: number | bigint; isDirectory(): boolean };
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readdirSync(path: string): unknown[];
  mkdirSync(path: string, opts?: { recursive?: boolean }): unknown;
  readFileSync(path: string): Uint8Array;
}

const KNOWN: ReadonlySet<string> = new Set<FsErrorCode>([
  'ENOENT', 'EEXIST', 'ENOSPC', 'EIO', 'EBADF', 'EINVAL', 'EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'EACCES', 'EDQUOT', 'EINTR',
]);

function wrap<T>(syscall: string, path: string, fn: () => T): T {
  // POSIX: an empty path names nothing (memfs would throw a TypeError instead).
  if (path === '') throw new FsError('ENOENT', syscall, path);
  try {
    return fn();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code && KNOWN.has(code)) throw new FsError(code as FsErrorCode, syscall, path);
    if (code === 'EPERM') throw new FsError('EACCES', syscall, path);
    throw e;
  }
}

const FLAGS: Record<OpenMode, string> = {
  read: 'r',
  append: 'a',
  'append-existing': 'a', // checked for existence first
  'create-truncate': 'w',
  'create-truncate-append': 'a', // then truncated to 0 below (no string flag has both)
  'read-write': 'r+',
};

function toStat(s: { size: number; ino: number | bigint; isDirectory(): boolean }): FileStat {
  return { sizeBytes: Number(s.size), isDirectory: s.isDirectory(), ino: Number(s.ino) };
}

class PosixHandle implements FileHandle {
  private position = 0;
  private closed = false;
  constructor(
    private readonly api: SyncFsApi,
    private readonly fd: number,
    readonly path: string,
    private readonly appending: boolean,
  ) {}

  private check(syscall: string): void {
    if (this.closed) throw new FsError('EBADF', syscall, this.path);
  }

  write(data: Uint8Array): number {
    this.check('write');
    const n = wrap('write', this.path, () =>
      this.api.writeSync(this.fd, data, 0, data.length, this.appending ? null : this.position),
    );
    if (!this.appending) this.position += n;
    return n;
  }

  read(lengthBytes: number, positionBytes?: number): Uint8Array {
    this.check('read');
    // Not zero-filled: readSync overwrites [0, n) and only that part is returned. Not from Node's
    // shared pool either: callers may keep the buffer (the loader's decoder does).
    const buf = Buffer.allocUnsafeSlow(lengthBytes);
    const pos = positionBytes ?? this.position;
    const n = wrap('read', this.path, () => this.api.readSync(this.fd, buf, 0, lengthBytes, pos));
    if (positionBytes === undefined) this.position += n;
    return n === lengthBytes ? buf : buf.subarray(0, n);
  }

  readInto(target: Uint8Array, positionBytes?: number): number {
    this.check('read');
    const pos = positionBytes ?? this.position;
    const n = wrap('read', this.path, () => this.api.readSync(this.fd, target, 0, target.length, pos));
    if (positionBytes === undefined) this.position += n;
    return n;
  }

  fsync(): void {
    this.check('fsync');
    wrap('fsync', this.path, () => this.api.fsyncSync(this.fd));
  }

  fdatasync(): void {
    this.check('fdatasync');
    wrap('fdatasync', this.path, () => this.api.fdatasyncSync(this.fd));
  }

  truncate(lengthBytes: number): void {
    this.check('ftruncate');
    wrap('ftruncate', this.path, () => this.api.ftruncateSync(this.fd, lengthBytes));
  }

  stat(): FileStat {
    this.check('fstat');
    return toStat(wrap('fstat', this.path, () => this.api.fstatSync(this.fd)));
  }

  close(): void {
    this.check('close');
    this.closed = true;
    wrap('close', this.path, () => this.api.closeSync(this.fd));
  }
}

export class PosixFs implements Fs {
  constructor(private readonly api: SyncFsApi) {}

  open(path: string, mode: OpenMode): FileHandle {
    if (mode === 'append-existing') this.stat(path);
    const fd = wrap('open', path, () => this.api.openSync(path, FLAGS[mode], 0o644));
    if (mode === 'create-truncate-append') wrap('ftruncate', path, () => this.api.ftruncateSync(fd, 0));
    return new PosixHandle(this.api, fd, path, mode === 'append' || mode === 'append-existing' || mode === 'create-truncate-append');
  }

  rename(from: string, to: string): void {
    if (to === '') throw new FsError('ENOENT', 'rename', from);
    wrap('rename', from, () => this.api.renameSync(from, to));
  }

  unlink(path: string): void {
    wrap('unlink', path, () => this.api.unlinkSync(path));
  }

  truncate(path: string, lengthBytes: number): void {
    wrap('truncate', path, () => this.api.truncateSync(path, lengthBytes));
  }

  stat(path: string): FileStat {
    return toStat(wrap('stat', path, () => this.api.statSync(path)));
  }

  tryStat(path: string): FileStat | undefined {
    try {
      return this.stat(path);
    } catch (e) {
      if (e instanceof FsError && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  readdir(dir: string): string[] {
    const names = wrap('scandir', dir, () => this.api.readdirSync(dir)).map(String);
    return names.sort((a, b) => {
      const x = Buffer.from(a);
      const y = Buffer.from(b);
      return Buffer.compare(x, y);
    });
  }

  mkdir(dir: string, existOk = false): void {
    if (existOk && this.tryStat(dir)?.isDirectory) return;
    wrap('mkdir', dir, () => this.api.mkdirSync(dir));
  }

  fsyncDir(dir: string): void {
    const fd = wrap('open', dir, () => this.api.openSync(dir, 'r'));
    try {
      wrap('fsync', dir, () => this.api.fsyncSync(fd));
    } finally {
      this.api.closeSync(fd);
    }
  }

  readFile(path: string): Uint8Array {
    return wrap('open', path, () => this.api.readFileSync(path));
  }
}
