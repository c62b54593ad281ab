// FsCore: the inode table behind SimFs and its durability state, with no hooks, no faults and no
// open files (memfs's Superblock to SimFs's Volume; turmoil's fs state to its std-API shim). It is
// what a crash reads (sim/crash/apply-crash.ts) and what the oracle asks durability facts of.
//
// Durability model (what survives what):
// - Every inode has a VISIBLE version (what processes read: the page cache) and a DURABLE version
//   (what is on the platter), plus the ordered list of PENDING operations between the two:
//   for a file, writes (offset + data) and truncates since its last successful fsync/fdatasync;
//   for a directory, entry changes (create, rename, unlink, mkdir) since its last fsyncDir.
//   Invariant: durable + pending (applied in order) = visible.
// - syncFile (fsync and fdatasync) makes a file's data and size durable (its pending list is
//   applied to the durable version and emptied). It does NOT make its name durable: a new file's
//   directory entry, and a rename, become durable only with syncDir of the directory holding the
//   entry (both directories for a cross-directory rename, each half on its own). This is POSIX's
//   contract, stricter than ext4's usual behaviour on purpose (Redis bug 4: redis/redis#3487).
// - A crash is applied by sim/crash/apply-crash.ts, which builds a NEW core: process-kill keeps
//   the visible state (and what is still pending, since the kernel survived); power loss keeps the
//   durable state plus whatever subset of pending operations the crash decision lets survive.
//
// Inodes, never paths, carry data: a rename moves an entry, not bytes; an unlinked file that is
// still open keeps its inode (and its bytes in `usedBytes`) until the last close. Inode numbers
// are never reused within a run and survive crashes, so crash decisions, traces and faults can
// name files by inode.
//
// Operations throw FsError with Node's wording; each takes a `ResolvedPath` (resolve() once per
// syscall), so the adapter can consult the fault injector between resolving and acting without
// resolving twice. Nothing here counts calls, costs time or reports events: that is sim-fs.ts.

import { FsError, isFsError, type FileStat } from '../../src/ports/fs.ts';
import { ByteBuf, copyBytes } from './byte-buf.ts';
import { applyDirOp, applyFileOp, type PendingDirOp, type PendingFileOp, type PendingSummary } from './pending.ts';

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

/** The durable image a power-loss crash leaves: inode -> contents or entries. */
export type SimImage = Map<number, { kind: 'file'; data: ByteBuf } | { kind: 'dir'; entries: Map<string, number> }>;

export const ROOT_INO = 1;

/**
 * Clean absolute paths -> their components (cleanComponents' results: a pure function of the
 * path). Shared by the cores one core leads to (afterProcessKill) and, through SimFsOptions, by
 * the worlds of a WorldReuse: a syscall on a path seen before then splits nothing, and the
 * components are the same string objects each time, whose hashes the directory maps have cached.
 * Bounded: past PATH_PARTS_MAX paths, new ones are split each time.
 */
export type PathPartsCache = Map<string, readonly string[]>;

const PATH_PARTS_MAX = 1024;

/** A path resolved once per syscall: its components, its absolute form, and the call it is for. */
export interface ResolvedPath {
  /** As the caller gave it (error messages quote it). */
  readonly path: string;
  /** Absolute and clean (fault patterns match it). */
  readonly abs: string;
  readonly parts: readonly string[];
  /** The syscall name path-walk errors carry (`ENOENT: ..., stat '/x'`). */
  readonly syscall: string;
}

/** A file or directory name in the visible tree, with whether its entry is durable yet. */
export interface NameState {
  path: string;
  ino: number;
  /** The entry names the same inode in the durable tree too. */
  durable: boolean;
}

export class FsCore {
  private readonly nodes = new Map<number, SimNode>();
  private nextIno = ROOT_INO + 1;
  private used = 0;
  private liveAtSweep = 0;
  /** Directory that relative paths resolve against. */
  readonly cwd: string;
  private readonly pathParts: PathPartsCache;

  constructor(cwd = '/', pathParts: PathPartsCache = new Map()) {
    this.cwd = cwd;
    this.pathParts = pathParts;
    const root: SimDirNode = {
      kind: 'dir', ino: ROOT_INO, entries: new Map(), durable: new Map(), pending: [], links: 1, pathHint: '/',
    };
    this.nodes.set(ROOT_INO, root);
  }

  /** A core whose given files (and their parent directories) exist and are all durable. */
  static withFiles(files: Record<string, string | Uint8Array>, cwd = '/', pathParts?: PathPartsCache): FsCore {
    const core = new FsCore(cwd, pathParts);
    for (const [path, content] of Object.entries(files)) {
      const parts = core.resolve(path, 'open').parts;
      let dir = core.root();
      for (let i = 0; i < parts.length - 1; i++) {
        const ino = dir.entries.get(parts[i]);
        let next = ino === undefined ? undefined : core.nodes.get(ino);
        if (next === undefined) {
          next = core.newDir(`/${parts.slice(0, i + 1).join('/')}`);
          dir.entries.set(parts[i], next.ino);
          dir.durable.set(parts[i], next.ino);
          next.links = 1;
        }
        if (next.kind !== 'dir') throw new RangeError(`SimFs.withFiles: ${path}: ${parts[i]} is a file`);
        dir = next;
      }
      const file = core.newFile(`/${parts.join('/')}`);
      // One private copy, shared copy-on-write by both versions. An empty string needs no Buffer
      // (Buffer.from('') costs a microsecond: worlds start with a placeholder file each).
      file.data = typeof content === 'string' ? ByteBuf.fromLatin1(content) : ByteBuf.from(content);
      file.durable = file.data.clone();
      file.links = 1;
      core.used += file.data.size;
      const name = parts[parts.length - 1];
      dir.entries.set(name, file.ino);
      dir.durable.set(name, file.ino);
    }
    return core;
  }

  /** A core whose visible and durable states are both `image` (a power-loss survivor). */
  static fromImage(image: SimImage, nextIno: number, cwd = '/'): FsCore {
    const core = new FsCore(cwd);
    core.nodes.clear();
    core.nextIno = nextIno;
    for (const [ino, n] of image) {
      if (n.kind === 'file') {
        core.nodes.set(ino, { kind: 'file', ino, data: n.data, durable: n.data.clone(), pending: [], links: 0, open: 0, pathHint: '' });
      } else {
        core.nodes.set(ino, { kind: 'dir', ino, entries: n.entries, durable: new Map(n.entries), pending: [], links: 0, pathHint: '' });
      }
    }
    if (core.nodes.get(ROOT_INO)?.kind !== 'dir') throw new RangeError('SimFs.fromImage: image has no root directory');
    core.relink(false);
    return core;
  }

  /**
   * The same state after the processes using it died but the kernel did not (process-kill):
   * visible state, durable state and pending lists carry over; open files do not.
   */
  afterProcessKill(cwd = this.cwd): FsCore {
    const core = new FsCore(cwd, this.pathParts);
    core.nodes.clear();
    core.nextIno = this.nextIno;
    for (const [ino, n] of this.nodes) {
      if (n.kind === 'file') {
        // Field by field: a spread with overridden keys takes V8's slow path (see newFile for the shape).
        core.nodes.set(ino, {
          kind: 'file', ino, data: n.data.clone(), durable: n.durable.clone(), pending: n.pending.slice(), links: 0, open: 0, pathHint: n.pathHint,
        });
      } else {
        core.nodes.set(ino, {
          kind: 'dir', ino, entries: new Map(n.entries), durable: new Map(n.durable), pending: n.pending.slice(), links: 0, pathHint: n.pathHint,
        });
      }
    }
    core.relink(true);
    return core;
  }

  // ---------------------------------------------------------------- queries (no side effects)

  /** Read-only access to the inode table, for sim/crash and tests. */
  internals(): { nodes: ReadonlyMap<number, SimNode>; nextIno: number } {
    return { nodes: this.nodes, nextIno: this.nextIno };
  }

  /** Total visible bytes of live files (linked or open): what a byte quota counts. */
  get usedBytes(): number {
    return this.used;
  }

  /** The inode a visible path names now, or undefined. */
  inodeAt(path: string): number | undefined {
    const node = this.nodeAtPath(path, 'visible');
    return node?.ino;
  }

  /** The inode a path names in the durable tree (what a power loss with nothing pending keeps). */
  durableInodeAt(path: string): number | undefined {
    return this.nodeAtPath(path, 'durable')?.ino;
  }

  /**
   * Whether `path` names the same inode in the durable tree as in the visible one, through every
   * directory above it: false for a name created or renamed since its directory's last syncDir
   * (or below such a directory), and for a name that does not exist.
   */
  isNameDurable(path: string): boolean {
    const visible = this.nodeAtPath(path, 'visible');
    return visible !== undefined && this.nodeAtPath(path, 'durable') === visible;
  }

  /**
   * Every visible name whose own directory entry is not durable yet (created, renamed over or
   * moved since its directory's last syncDir), sorted by path. Names below such a directory are
   * not listed (isNameDurable says false for them).
   */
  undurableNames(): NameState[] {
    const out: NameState[] = [];
    const walk = (dir: SimDirNode, prefix: string, depth: number): void => {
      if (depth > 64) return;
      for (const [name, ino] of dir.entries) {
        const path = `${prefix}/${name}`;
        const n = this.nodes.get(ino);
        if (dir.durable.get(name) !== ino) out.push({ path, ino, durable: false });
        else if (n !== undefined && n.kind === 'dir') walk(n, path, depth + 1);
      }
    };
    walk(this.root(), '', 0);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Whether the file has writes or truncates no fsync made durable (false for unknown inodes and directories). */
  isDirty(ino: number): boolean {
    const n = this.nodes.get(ino);
    return n !== undefined && n.kind === 'file' && n.pending.length > 0;
  }

  /** Bytes written to the file since its last fsync (sum of its pending writes; truncates count 0). */
  pendingBytes(ino: number): number {
    const n = this.nodes.get(ino);
    if (n === undefined || n.kind !== 'file') return 0;
    let total = 0;
    for (const op of n.pending) if (op.kind === 'write') total += op.data.length;
    return total;
  }

  /** The file's visible and durable sizes, or undefined for unknown inodes and directories. */
  fileSizes(ino: number): { visibleBytes: number; durableBytes: number } | undefined {
    const n = this.nodes.get(ino);
    return n === undefined || n.kind !== 'file' ? undefined : { visibleBytes: n.data.size, durableBytes: n.durable.size };
  }

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

  /** Every regular file reachable by name in the visible or the durable tree, sorted by path, with a copy of its contents. */
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
    walk(this.root(), '', 0);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  // ---------------------------------------------------------------- paths

  /** Resolves `path` ('.', '..', cwd) for `syscall`; ENOENT for the empty path. */
  resolve(path: string, syscall: string): ResolvedPath {
    if (path === '') throw new FsError('ENOENT', syscall, path);
    const known = this.pathParts.get(path);
    if (known !== undefined) return { path, abs: path, parts: known, syscall };
    const clean = cleanComponents(path);
    if (clean !== null) {
      // Already clean and absolute: the common case.
      if (this.pathParts.size < PATH_PARTS_MAX) this.pathParts.set(path, clean);
      return { path, abs: path, parts: clean, syscall };
    }
    const full = path.startsWith('/') ? path : `${this.cwd}/${path}`;
    const out: string[] = [];
    for (const part of full.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') out.pop();
      else out.push(part);
    }
    return { path, abs: `/${out.join('/')}`, parts: out, syscall };
  }

  /** The node at `p`, or undefined when its last component is missing (parents must exist: ENOENT/ENOTDIR). */
  lookup(p: ResolvedPath): SimNode | undefined {
    const parts = p.parts;
    if (parts.length === 0) return this.root();
    const dir = this.lookupDir(p, parts.length - 1);
    const ino = dir.entries.get(parts[parts.length - 1]);
    return ino === undefined ? undefined : this.nodes.get(ino);
  }

  /** lookup() that returns the errno (ENOENT, ENOTDIR) instead of throwing it (no FsError built). */
  lookupSoft(p: ResolvedPath): SimNode | 'ENOENT' | 'ENOTDIR' {
    const parts = p.parts;
    let dir = this.root();
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

  // ---------------------------------------------------------------- directory operations

  /**
   * The file at `p` for open(): created (a pending link in its directory) when missing and
   * `create`, emptied when `trunc`. EISDIR for a directory, ENOENT when missing and not `create`.
   * The caller counts the new open handle (opened()).
   */
  openFile(p: ResolvedPath, create: boolean, trunc: boolean): { node: SimFileNode; created: boolean } {
    const { dir, name } = this.lookupParent(p);
    const ino = dir.entries.get(name);
    if (ino === undefined) {
      if (!create) throw new FsError('ENOENT', 'open', p.path);
      const node = this.newFile(p.abs);
      node.links = 1;
      dir.entries.set(name, node.ino);
      dir.pending.push({ kind: 'link', name, ino: node.ino });
      return { node, created: true };
    }
    const existing = this.nodes.get(ino)!;
    if (existing.kind === 'dir') throw new FsError('EISDIR', 'open', p.path);
    if (trunc && existing.data.size > 0) this.setSize(existing, 0);
    return { node: existing, created: false };
  }

  /**
   * Moves the entry `src` to `dst` (replacing a file there, or an empty directory with a
   * directory). One pending op in a shared directory, an unlink and a link across directories.
   * Returns the moved inode and the replaced one (-1 for none, the moved inode for a no-op).
   */
  rename(src: ResolvedPath, dst: ResolvedPath): { ino: number; replaced: number } {
    const from = this.lookupParent(src);
    const to = this.lookupParent(dst);
    const ino = from.dir.entries.get(from.name);
    if (ino === undefined) throw new FsError('ENOENT', 'rename', src.path);
    const node = this.nodes.get(ino)!;
    const targetIno = to.dir.entries.get(to.name);
    if (targetIno === ino) return { ino, replaced: ino };
    if (targetIno !== undefined) {
      const target = this.nodes.get(targetIno)!;
      if (target.kind === 'dir' && node.kind === 'file') throw new FsError('EISDIR', 'rename', dst.path);
      if (target.kind === 'file' && node.kind === 'dir') throw new FsError('ENOTDIR', 'rename', dst.path);
      if (target.kind === 'dir' && target.entries.size > 0) throw new FsError('ENOTEMPTY', 'rename', dst.path);
      this.dropLink(target);
    }
    from.dir.entries.delete(from.name);
    to.dir.entries.set(to.name, ino);
    if (from.dir === to.dir) {
      from.dir.pending.push({ kind: 'rename', from: from.name, to: to.name, ino });
    } else {
      from.dir.pending.push({ kind: 'unlink', name: from.name });
      to.dir.pending.push({ kind: 'link', name: to.name, ino });
    }
    node.pathHint = dst.abs;
    return { ino, replaced: targetIno ?? -1 };
  }

  /** Removes the file entry at `p` (a pending unlink); the inode lives on while open. */
  unlink(p: ResolvedPath): SimFileNode {
    const { dir, name } = this.lookupParent(p);
    const ino = dir.entries.get(name);
    if (ino === undefined) throw new FsError('ENOENT', 'unlink', p.path);
    const node = this.nodes.get(ino)!;
    if (node.kind === 'dir') throw new FsError('EISDIR', 'unlink', p.path);
    dir.entries.delete(name);
    dir.pending.push({ kind: 'unlink', name });
    this.dropLink(node);
    return node;
  }

  /** truncate(2) by path. */
  truncatePath(p: ResolvedPath, lengthBytes: number): SimFileNode {
    const node = this.lookup(p);
    if (node === undefined) throw new FsError('ENOENT', 'truncate', p.path);
    if (node.kind === 'dir') throw new FsError('EISDIR', 'truncate', p.path);
    if (!Number.isSafeInteger(lengthBytes) || lengthBytes < 0) throw new FsError('EINVAL', 'truncate', p.path);
    this.setSize(node, lengthBytes);
    return node;
  }

  /**
   * The directory at `p`; ENOENT and ENOTDIR carry the calls Node names in them (readdir: both
   * `scandir`; fsyncDir: `open` for a missing path, `fsync` for a file).
   */
  dirAt(p: ResolvedPath, missingCall: string, notDirCall: string): SimDirNode {
    const node = this.lookup(p);
    if (node === undefined) throw new FsError('ENOENT', missingCall, p.path);
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', notDirCall, p.path);
    return node;
  }

  /** The regular file at `p` for readFile (open/read errors). */
  fileAt(p: ResolvedPath): SimFileNode {
    const node = this.lookup(p);
    if (node === undefined) throw new FsError('ENOENT', 'open', p.path);
    if (node.kind === 'dir') throw new FsError('EISDIR', 'read', p.path);
    return node;
  }

  /** Creates the directory at `p` (a pending link); with `existOk`, an existing directory is returned as is. */
  mkdir(p: ResolvedPath, existOk: boolean): { ino: number; existed: boolean } {
    const { dir: parent, name } = this.lookupParent(p);
    const ino = parent.entries.get(name);
    if (ino !== undefined) {
      if (existOk && this.nodes.get(ino)!.kind === 'dir') return { ino, existed: true };
      throw new FsError('EEXIST', 'mkdir', p.path);
    }
    const node = this.newDir(p.abs);
    node.links = 1;
    parent.entries.set(name, node.ino);
    parent.pending.push({ kind: 'link', name, ino: node.ino });
    return { ino: node.ino, existed: false };
  }

  /** fsyncDir: the directory's entry changes become durable. Returns how many there were. */
  syncDir(dir: SimDirNode): number {
    const n = dir.pending.length;
    for (const op of dir.pending) applyDirOp(dir.durable, op);
    dir.pending = [];
    return n;
  }

  // ---------------------------------------------------------------- file operations (by inode)

  /** An open handle now refers to `node`. */
  opened(node: SimFileNode): void {
    node.open++;
  }

  /** An open handle of `node` went away: an unlinked file's bytes are freed at the last close. */
  closed(node: SimFileNode): void {
    node.open--;
    if (node.open === 0 && node.links === 0) this.used -= node.data.size;
  }

  /**
   * Writes the first `lengthBytes` of `data` at `offset` (zeros fill a gap), a pending write.
   * The data is copied, even when `data` is a Buffer (whose slice() is a view): callers reuse buffers.
   */
  write(node: SimFileNode, offset: number, data: Uint8Array, lengthBytes: number): void {
    if (lengthBytes <= 0) return;
    const growth = Math.max(0, offset + lengthBytes - node.data.size);
    node.data.write(offset, data, 0, lengthBytes);
    node.pending.push({ kind: 'write', offset, data: copyBytes(data, 0, lengthBytes) });
    this.used += growth;
  }

  read(node: SimFileNode, positionBytes: number, lengthBytes: number): Uint8Array {
    return node.data.read(positionBytes, lengthBytes);
  }

  /** fsync / fdatasync: the file's data and size become durable. Returns how many ops there were. */
  syncFile(node: SimFileNode): number {
    const n = node.pending.length;
    for (const op of node.pending) applyFileOp(node.durable, op);
    node.pending = [];
    return n;
  }

  /** ftruncate / truncate: a pending truncate (holes are free; growth counts in usedBytes). */
  setSize(node: SimFileNode, sizeBytes: number): void {
    const old = node.data.size;
    node.data.truncate(sizeBytes);
    node.pending.push({ kind: 'truncate', sizeBytes });
    if (node.links > 0 || node.open > 0) this.used += sizeBytes - old;
  }

  // ---------------------------------------------------------------- inode table

  private root(): SimDirNode {
    return this.nodes.get(ROOT_INO) as SimDirNode;
  }

  /** The node at `path` in the visible or the durable tree (undefined when missing or malformed). */
  private nodeAtPath(path: string, which: 'visible' | 'durable'): SimNode | undefined {
    let parts: readonly string[];
    try {
      parts = this.resolve(path, 'stat').parts;
    } catch (e) {
      if (isFsError(e)) return undefined;
      throw e;
    }
    let node: SimNode = this.root();
    for (const part of parts) {
      if (node.kind !== 'dir') return undefined;
      const ino: number | undefined = (which === 'visible' ? node.entries : node.durable).get(part);
      const next: SimNode | undefined = ino === undefined ? undefined : this.nodes.get(ino);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  private lookupDir(p: ResolvedPath, count: number): SimDirNode {
    let dir = this.root();
    for (let i = 0; i < count; i++) {
      const ino = dir.entries.get(p.parts[i]);
      if (ino === undefined) throw new FsError('ENOENT', p.syscall, p.path);
      const next = this.nodes.get(ino)!;
      if (next.kind !== 'dir') throw new FsError('ENOTDIR', p.syscall, p.path);
      dir = next;
    }
    return dir;
  }

  private lookupParent(p: ResolvedPath): { dir: SimDirNode; name: string } {
    const parts = p.parts;
    if (parts.length === 0) throw new FsError('EINVAL', p.syscall, p.path);
    return { dir: this.lookupDir(p, parts.length - 1), name: parts[parts.length - 1] };
  }

  private newFile(pathHint: string): SimFileNode {
    this.maybeSweep();
    const node: SimFileNode = {
      kind: 'file', ino: this.nextIno++, data: new ByteBuf(), durable: new ByteBuf(), pending: [], links: 0, open: 0, pathHint,
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
   * Recomputes link counts and used bytes from the visible tree (after building a new core), then
   * drops unreachable inodes when `sweep` (an image from applyCrash has none).
   */
  private relink(sweep: boolean): void {
    this.used = 0;
    const root = this.root();
    root.links = 1;
    root.pathHint = '/';
    const stack: SimDirNode[] = [root];
    const seen = new Set<number>([ROOT_INO]);
    /** Inodes some visible entry names (the root counts): when that is all of them, none is unreachable. */
    let linked = 1;
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const [name, ino] of dir.entries) {
        const n = this.nodes.get(ino);
        if (n === undefined) throw new RangeError(`SimFs: entry ${name} in ${dir.pathHint} names missing inode ${ino}`);
        n.links++;
        if (n.links === 1) linked++;
        n.pathHint = dir.pathHint === '/' ? `/${name}` : `${dir.pathHint}/${name}`;
        if (n.kind === 'dir' && !seen.has(ino)) {
          seen.add(ino);
          stack.push(n);
        }
        if (n.kind === 'file' && n.links === 1) this.used += n.data.size;
      }
    }
    // Every inode reachable by a visible name is live: the sweep can only drop something when some
    // inode has no visible name (an unlinked file, a directory entry not durable yet, ...).
    if (sweep && linked !== this.nodes.size) this.sweep();
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

/** stat() of a node: directories report 4096 bytes, as ext4 does for a small one. */
export function statOf(node: SimNode): FileStat {
  return node.kind === 'file'
    ? { sizeBytes: node.data.size, isDirectory: false, ino: node.ino }
    : { sizeBytes: 4096, isDirectory: true, ino: node.ino };
}
