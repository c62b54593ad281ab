// The tasks port: what Redis does outside its main thread. The bio threads (fsync, close, unlink
// jobs; redis: bio.c) and the forked rewrite child (redis: aof.c rewriteAppendOnlyFileBackground).
//
// Shape and invariants:
// - Synchronous API, like the syscalls it stands for. Bio jobs run "later": in the simulator an actor
//   the scheduler steps, in the node adapter real async work. Jobs of one kind run in FIFO order.
// - The server learns about finished bio jobs by polling takeBioCompletions() (Redis reads atomics
//   the bio thread sets), and about a finished child by polling reap() (waitpid WNOHANG in serverCron).
// - A child is a generator: it runs on data the parent captured at fork time (the snapshot), does
//   its file I/O through the same Fs port, and yields whenever it would sleep or has done a unit of
//   work, so a scheduler can interleave it with the parent. Its return value is its exit code.
// - fork() calls the ChildProgram factory synchronously, before it returns: a program may capture its
//   fork-time state there (the snapshot). A fork may also carry a ChildJob, the same program as data,
//   so an adapter can run it in a separate OS process instead (serve does; the simulator never).
// - Pipes are bounded byte buffers with non-blocking ends (write may accept fewer bytes; read may
//   return nothing), as 4.0's diff and ack pipes.

import type { FileHandle, FsError } from './fs.ts';

export type BioJob =
  /** redis: bioCreateFsyncJob / aof_background_fsync. */
  | { kind: 'fsync'; handle: FileHandle }
  /** redis: bioCreateCloseJob (7.x: fsync first when `fsync`, redis/redis#11004). */
  | { kind: 'close'; handle: FileHandle; fsync: boolean }
  /** redis: bioCreateLazyFreeJob of an unlink (7.x history deletion). */
  | { kind: 'unlink'; path: string };

export type BioKind = BioJob['kind'];

export interface BioCompletion {
  job: BioJob;
  /** null on success. */
  error: FsError | null;
}

export type Signal = 'SIGINT' | 'SIGUSR1' | 'SIGKILL' | 'SIGSEGV' | 'SIGTERM';

export interface ChildExit {
  pid: number;
  exitCode: number;
  /** Set when the child was killed by a signal. */
  signal: Signal | null;
}

export type ChildYield =
  /** The child sleeps (e.g. 4.0's 1 ms polls of the diff pipe). */
  | { kind: 'sleep'; ms: number }
  /** The child did a unit of work and may be preempted. */
  | { kind: 'work' };

/** The child's program. It receives its own pid (for temp file names). */
export type ChildProgram = (pid: number) => Generator<ChildYield, number, void>;

/**
 * A child program as data: a kind registered in src/child/child-jobs.ts, its plain parameters and
 * the dataset it works on, so that an adapter can rebuild the program in another OS process (redis:
 * what fork() gives the child for free). Adapters that step ChildPrograms ignore it.
 */
export interface ChildJob {
  kind: string;
  /** Plain, JSON-serialisable data. */
  params: Record<string, unknown>;
  /** The dataset at fork time as bytes (src/child/snapshot.ts); called at most once, inside fork(). */
  snapshot(): Uint8Array;
}

/** What a running child reported last (redis: sendChildInfo, CHILD_INFO_TYPE_CURRENT_INFO). */
export interface ChildProgress {
  keysProcessed: number;
}

export interface Pipe {
  /** Non-blocking write: returns the number of bytes accepted (0 when full). */
  write(data: Uint8Array): number;
  /** Non-blocking read of up to `maxBytes`; empty when nothing is buffered. */
  read(maxBytes: number): Uint8Array;
  /** Bytes currently buffered. */
  readonly bufferedBytes: number;
  readonly capacityBytes: number;
}

export const FORK_ERROR = Symbol.for('aofsim.ForkError');

export class ForkError extends Error {
  readonly [FORK_ERROR] = true;
  constructor(reason: string) {
    super(`fork failed: ${reason}`);
    this.name = 'ForkError';
  }
}

export interface Tasks {
  submitBio(job: BioJob): void;
  /** Jobs of this kind queued or running (redis: bioPendingJobsOfType). */
  pendingBio(kind: BioKind): number;
  /** Bio jobs finished since the last call, in completion order. */
  takeBioCompletions(): BioCompletion[];
  /**
   * Starts a child; returns its pid. Throws ForkError when fork fails. `program` is called at once
   * (for its pid) unless the adapter runs `job` in a separate process instead.
   */
  fork(program: ChildProgram, job?: ChildJob): number;
  /** The live child's last progress report (redis: receiveChildInfo), or null; absent: never any. */
  childProgress?(pid: number): ChildProgress | null;
  /** waitpid(-1, WNOHANG): a finished child, or null. */
  reap(): ChildExit | null;
  kill(pid: number, signal: Signal): void;
  pipe(capacityBytes: number): Pipe;
}

/** A pipe as a plain bounded byte buffer; any Tasks implementation may use it. */
export class BufferPipe implements Pipe {
  private chunks: Uint8Array[] = [];
  private size = 0;
  constructor(readonly capacityBytes: number) {}
  get bufferedBytes(): number {
    return this.size;
  }
  write(data: Uint8Array): number {
    const n = Math.min(data.length, this.capacityBytes - this.size);
    if (n <= 0) return 0;
    this.chunks.push(data.slice(0, n));
    this.size += n;
    return n;
  }
  read(maxBytes: number): Uint8Array {
    const n = Math.min(maxBytes, this.size);
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const head = this.chunks[0];
      const take = Math.min(head.length, n - off);
      out.set(head.subarray(0, take), off);
      off += take;
      if (take === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(take);
    }
    this.size -= n;
    return out;
  }
}
