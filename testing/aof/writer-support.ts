// Test-only helpers for the AOF write path: an AofContext on createMemoryFs + ManualTasks + a
// settable clock, and a faulty Fs decorator (short writes, ENOSPC, EIO on write/fsync/ftruncate).
// FAULT: the faults here are scripted per call; the real fault engine is sim/fs (SimFs).
// Not imported by production code.

import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../src/adapters/memory/manual-tasks.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { FsError, type FileHandle, type Fs, type FsErrorCode, type OpenMode } from '../../src/ports/fs.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { resolveAofConfig, type AofConfig, type AofConfigInput } from '../../src/aof/config.ts';
import { newAofState, type AofContext } from '../../src/aof/state.ts';

/** A clock tests move by hand. */
export class TestClock {
  constructor(public ms = 1_700_000_000_000) {}
  nowMs(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Scripted faults, consumed in order by the next matching call. */
export interface FaultScript {
  /** Per write call: a number = accept at most that many bytes; an errno = throw. */
  writes: (number | FsErrorCode | null)[];
  fsyncs: (FsErrorCode | null)[];
  truncates: (FsErrorCode | null)[];
}

/** Wraps an Fs so writes/fsyncs/truncates of opened handles follow the script. */
export class FaultyFs implements Fs {
  readonly script: FaultScript = { writes: [], fsyncs: [], truncates: [] };
  /** When set, every write with no scripted fault throws this (a full disk). */
  diskFull: FsErrorCode | null = null;
  readonly calls: string[] = [];
  constructor(private readonly inner: Fs) {}
  open(path: string, mode: OpenMode): FileHandle {
    const h = this.inner.open(path, mode);
    return new FaultyHandle(h, this);
  }
  rename(from: string, to: string): void {
    this.calls.push(`rename ${from} ${to}`);
    this.inner.rename(from, to);
  }
  unlink(path: string): void {
    this.calls.push(`unlink ${path}`);
    this.inner.unlink(path);
  }
  truncate(path: string, n: number): void {
    this.inner.truncate(path, n);
  }
  stat(path: string) {
    return this.inner.stat(path);
  }
  tryStat(path: string) {
    return this.inner.tryStat(path);
  }
  readdir(dir: string): string[] {
    return this.inner.readdir(dir);
  }
  mkdir(dir: string, existOk?: boolean): void {
    this.inner.mkdir(dir, existOk);
  }
  fsyncDir(dir: string): void {
    this.calls.push(`fsyncDir ${dir}`);
    this.inner.fsyncDir(dir);
  }
  readFile(path: string): Uint8Array {
    return this.inner.readFile(path);
  }
  /** The file's bytes as a latin1 string. */
  text(path: string): string {
    return Buffer.from(this.inner.readFile(path)).toString('latin1');
  }
}

class FaultyHandle implements FileHandle {
  constructor(
    private readonly h: FileHandle,
    private readonly fs: FaultyFs,
  ) {}
  get path(): string {
    return this.h.path;
  }
  write(data: Uint8Array): number {
    const f = this.fs.script.writes.shift() ?? this.fs.diskFull;
    this.fs.calls.push(`write ${this.h.path} ${data.length}${f === null ? '' : ` fault=${f}`}`);
    if (typeof f === 'string') throw new FsError(f, 'write', this.h.path);
    if (typeof f === 'number') return f === 0 ? 0 : this.h.write(data.subarray(0, Math.min(f, data.length)));
    return this.h.write(data);
  }
  read(n: number, pos?: number): Uint8Array {
    return this.h.read(n, pos);
  }
  fsync(): void {
    this.sync('fsync');
  }
  fdatasync(): void {
    this.sync('fdatasync');
  }
  private sync(call: string): void {
    const f = this.fs.script.fsyncs.shift() ?? null;
    this.fs.calls.push(`${call} ${this.h.path}${f === null ? '' : ` fault=${f}`}`);
    if (f !== null) throw new FsError(f, call, this.h.path);
    this.h.fdatasync();
  }
  truncate(n: number): void {
    const f = this.fs.script.truncates.shift() ?? null;
    this.fs.calls.push(`ftruncate ${this.h.path} ${n}${f === null ? '' : ` fault=${f}`}`);
    if (f !== null) throw new FsError(f, 'ftruncate', this.h.path);
    this.h.truncate(n);
  }
  stat() {
    return this.h.stat();
  }
  close(): void {
    this.fs.calls.push(`close ${this.h.path}`);
    this.h.close();
  }
}

export interface TestAof {
  ctx: AofContext;
  fs: FaultyFs;
  tasks: ManualTasks;
  clock: TestClock;
  log: MemoryLog;
}

/** A context with AOF ON and `path` open for append (4.0 layout unless the config says 7.0). */
export function makeTestAof(config: AofConfigInput = {}, path = '/data/appendonly.aof'): TestAof {
  const fs = new FaultyFs(createMemoryFs({ '/data/.keep': '', '/data/appendonlydir/.keep': '' }));
  const tasks = new ManualTasks(fs);
  const clock = new TestClock();
  const log = new MemoryLog();
  const ctx: AofContext = {
    config: resolveAofConfig({ dir: '/data', appendonly: true, ...config }),
    state: newAofState(),
    keyspace: new Keyspace(),
    fs,
    clock,
    tasks,
    log,
    random: new SeededRandom(1),
  };
  ctx.state.aofState = 'on';
  ctx.state.aofFd = fs.open(path, 'append');
  ctx.state.aofFdPath = path;
  ctx.state.aofLastFsyncS = Math.floor(clock.ms / 1000);
  return { ctx, fs, tasks, clock, log };
}
