// The filesystem port: the only way src/ reaches files. It mirrors the POSIX calls Redis makes
// (open/write/fsync/ftruncate/rename/unlink/stat/readdir/mkdir and an fsync of a directory).
//
// Invariants every implementation keeps:
// - Handles point at inodes, not paths: a write through a handle after rename() reaches the renamed
//   file, and an unlinked file stays readable/writable through handles that are still open.
// - write() may write fewer bytes than asked (a short write) and returns the count; callers loop
//   (redis: aof.c aofWrite). Failures throw FsError with an errno-style code.
// - Paths are POSIX style ('/' separated). Relative paths are resolved by the implementation.
// - Nothing here is durable until fsync (file data and size) or fsyncDir (names in a directory).

export type OpenMode =
  | 'read' // O_RDONLY
  | 'append' // O_WRONLY|O_APPEND|O_CREAT
  | 'append-existing' // O_WRONLY|O_APPEND (ENOENT if missing)
  | 'create-truncate' // O_WRONLY|O_CREAT|O_TRUNC
  | 'create-truncate-append' // O_WRONLY|O_CREAT|O_TRUNC|O_APPEND
  | 'read-write'; // O_RDWR (no create), used by the checker's --fix

export interface FileStat {
  sizeBytes: number;
  isDirectory: boolean;
  /** Stable identity of the inode (same file across renames). */
  ino: number;
}

export interface FileHandle {
  /** The path this handle was opened with (for messages only; the handle follows the inode). */
  readonly path: string;
  /**
   * Writes at the end (append modes) or at the current position. May write fewer bytes than asked
   * (short write). Throws FsError (ENOSPC, EIO, EBADF, ...) when nothing could be written.
   */
  write(data: Uint8Array): number;
  /** Reads up to `lengthBytes` at `positionBytes` (or the current position); empty array at EOF. */
  read(lengthBytes: number, positionBytes?: number): Uint8Array;
  /**
   * Optional: reads up to target.length bytes at `positionBytes` (or the current position) into
   * `target`; returns the count (0 at EOF). Lets a reader reuse one buffer instead of a new one per
   * read (the checker's 1 MiB window). Call it through readInto() below, which falls back to read().
   */
  readInto?(target: Uint8Array, positionBytes?: number): number;
  /** Makes this file's data and size durable. */
  fsync(): void;
  /** Like fsync; Redis uses it for the AOF (redis_fsync = fdatasync on Linux). */
  fdatasync(): void;
  truncate(lengthBytes: number): void;
  /** fstat(2). */
  stat(): FileStat;
  close(): void;
}

export interface Fs {
  open(path: string, mode: OpenMode): FileHandle;
  /** Atomic for readers; durable only after fsyncDir(dirname(to)) (and dirname(from)). */
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** truncate(2) by path. */
  truncate(path: string, lengthBytes: number): void;
  stat(path: string): FileStat;
  /** Like stat, but undefined when the path does not exist (ENOENT). */
  tryStat(path: string): FileStat | undefined;
  /** Entry names, sorted by bytes. */
  readdir(dir: string): string[];
  /** mkdir(2); EEXIST is not an error when `existOk`. */
  mkdir(dir: string, existOk?: boolean): void;
  /** Makes creates, renames and unlinks of entries in `dir` durable. */
  fsyncDir(dir: string): void;
  /** Reads a whole file (convenience built on open/read/close semantics). */
  readFile(path: string): Uint8Array;
}

/** fh.readInto(target, positionBytes), or read() and a copy for a handle without readInto. */
export function readInto(fh: FileHandle, target: Uint8Array, positionBytes?: number): number {
  if (fh.readInto !== undefined) return fh.readInto(target, positionBytes);
  const got = fh.read(target.length, positionBytes);
  target.set(got);
  return got.length;
}

/** errno-style codes aofsim uses. */
export type FsErrorCode =
  | 'ENOENT'
  | 'EEXIST'
  | 'ENOSPC'
  | 'EIO'
  | 'EBADF'
  | 'EINVAL'
  | 'EISDIR'
  | 'ENOTDIR'
  | 'ENOTEMPTY'
  | 'EACCES'
  | 'EDQUOT'
  | 'EINTR';

const DESCRIPTIONS: Record<FsErrorCode, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  ENOSPC: 'no space left on device',
  EIO: 'i/o error',
  EBADF: 'bad file descriptor',
  EINVAL: 'invalid argument',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EACCES: 'permission denied',
  EDQUOT: 'disk quota exceeded',
  EINTR: 'interrupted system call',
};

/** strerror(3) wording, as Redis prints it in logs and MISCONF replies. */
const STRERROR: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EINVAL: 'Invalid argument',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOTEMPTY: 'Directory not empty',
  EACCES: 'Permission denied',
  EDQUOT: 'Disk quota exceeded',
  EINTR: 'Interrupted system call',
};

export const FS_ERROR = Symbol.for('aofsim.FsError');

/** An I/O failure, shaped like Node's: `ENOSPC: no space left on device, write '/x'`. */
export class FsError extends Error {
  readonly [FS_ERROR] = true;
  readonly code: FsErrorCode;
  readonly syscall: string;
  readonly path: string;
  constructor(code: FsErrorCode, syscall: string, path: string) {
    super(`${code}: ${DESCRIPTIONS[code]}, ${syscall} '${path}'`);
    this.name = 'FsError';
    this.code = code;
    this.syscall = syscall;
    this.path = path;
  }
  /** strerror(errno), e.g. "No space left on device". */
  get strerror(): string {
    return STRERROR[this.code];
  }
}

export function isFsError(e: unknown): e is FsError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[FS_ERROR] === true;
}

export function strerror(code: FsErrorCode): string {
  return STRERROR[code];
}

/** POSIX dirname/basename/join without node:path, so src/ stays free of node built-ins. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return path.slice(0, i);
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/**
 * The path of a file Redis names relative to its dir (it chdir()s there): an empty name
 * (`dbfilename ""`) names nothing, so every syscall on it fails with ENOENT, never on the dir itself.
 */
export function inRedisDir(dir: string, name: string): string {
  return name === '' ? '' : joinPath(dir, name);
}

export function joinPath(dir: string, name: string): string {
  if (dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
