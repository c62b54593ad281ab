// The Tasks port with real asynchronous work, for `aofsim serve`: bio jobs run on the Node event
// loop after the current tick (setImmediate), one queue per job kind in FIFO order, as Redis's bio
// threads do (the queues are the shared BioQueues, src/adapters/bio-queues.ts); the rewrite "child" is a generator stepped in slices between event-loop turns, and a
// `sleep` yield becomes a real timer (the live children and their exits are the shared ChildTable,
// src/adapters/child-table.ts). redis: bio.c (bioCreate*Job, bioProcessBackgroundJobs,
// bioPendingJobsOfType), server.c fork/waitpid, as the ports/tasks.ts contract models them.
//
// Invariants: pendingBio(kind) counts queued and running jobs of that kind until the job finished;
// completions and child exits are reported only through takeBioCompletions()/reap() (polled by the
// server, never pushed); a killed child never runs another step.
// Children: with `osChildren` set (serve), a fork that carries a ChildJob starts a real OS process
// (os-children.ts); everything else, and every fork without it, steps the program here.
// DIVERGENCE(redis): an in-process child is not a separate process; it shares the parent's heap and
// works on whatever snapshot its program captured at fork time (Keyspace.clone()). Bio jobs run on the main
// thread between event-loop turns (the Fs port is synchronous), so a slow fsync delays the loop
// instead of only the write that Linux would block behind it.

import {
  BufferPipe,
  type BioCompletion,
  type BioJob,
  type BioKind,
  type ChildExit,
  type ChildJob,
  type ChildProgram,
  type ChildProgress,
  type ChildYield,
  type Pipe,
  type Signal,
  type Tasks,
} from '../../ports/tasks.ts';
import { OsChildren, type OsChildrenOptions } from './os-children.ts';
import type { Fs } from '../../ports/fs.ts';
import { BioQueues, runBioJob } from '../bio-queues.ts';
import { ChildTable } from '../child-table.ts';

interface Child {
  pid: number;
  gen: Generator<ChildYield, number, void>;
  done: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

/** How long one slice of child work may run before yielding to the event loop (ms). */
const CHILD_SLICE_MS = 5;

export class NodeTasks implements Tasks {
  private readonly bio = new BioQueues();
  private readonly children = new ChildTable<Child>((_exit, child) => {
    child.done = true;
    if (child.timer) clearTimeout(child.timer);
  });
  private nextPid: number;
  private closed = false;
  private readonly os: OsChildren | null;

  /**
   * `fs` serves unlink jobs; in-process children get pids from `firstPid` up, above the real pid so
   * temp names look like Redis's. With `osChildren`, forks that carry a job run as OS processes.
   */
  constructor(
    private readonly fs: Fs,
    firstPid = process.pid + 1,
    osChildren?: OsChildrenOptions,
  ) {
    this.nextPid = firstPid;
    this.os = osChildren ? new OsChildren(osChildren) : null;
  }

  submitBio(job: BioJob): void {
    if (this.bio.submit(job)) setImmediate(() => this.runOneBio(job.kind));
  }

  /** One turn of a bio thread: its head job, then the next on a later turn. */
  private runOneBio(kind: BioKind): void {
    const job = this.bio.head(kind);
    if (job === undefined || this.closed) {
      this.bio.idle(kind);
      return;
    }
    if (this.bio.finish(kind, runBioJob(job, this.fs))) setImmediate(() => this.runOneBio(kind));
  }

  pendingBio(kind: BioKind): number {
    return this.bio.pending(kind);
  }

  takeBioCompletions(): BioCompletion[] {
    return this.bio.takeCompletions();
  }

  fork(program: ChildProgram, job?: ChildJob): number {
    if (job !== undefined && this.os !== null) return this.os.start(job);
    const pid = this.nextPid++;
    const child: Child = { pid, gen: program(pid), done: false, timer: null };
    this.children.add(child);
    setImmediate(() => this.stepChild(child));
    return pid;
  }

  private stepChild(child: Child): void {
    child.timer = null;
    if (child.done || this.closed) return;
    const sliceEnd = Date.now() + CHILD_SLICE_MS;
    for (;;) {
      let r: IteratorResult<ChildYield, number>;
      try {
        r = child.gen.next();
      } catch {
        // FAULT: a child that throws dies like a crashed process (exit code 1).
        this.children.exit(child, 1, null);
        return;
      }
      if (r.done) {
        this.children.exit(child, r.value, null);
        return;
      }
      if (r.value.kind === 'sleep') {
        child.timer = setTimeout(() => this.stepChild(child), Math.max(0, r.value.ms));
        return;
      }
      if (Date.now() >= sliceEnd) {
        setImmediate(() => this.stepChild(child));
        return;
      }
    }
  }

  reap(): ChildExit | null {
    return this.children.reap() ?? this.os?.reap() ?? null;
  }

  kill(pid: number, signal: Signal): void {
    if (this.os?.has(pid)) this.os.kill(pid, signal);
    else this.children.kill(pid, signal);
  }

  childProgress(pid: number): ChildProgress | null {
    return this.os?.progress(pid) ?? null;
  }

  /** Pids of the live children that are OS processes. */
  get osChildPids(): number[] {
    return this.os?.pids ?? [];
  }

  pipe(capacityBytes: number): Pipe {
    return new BufferPipe(capacityBytes);
  }

  /** Stops scheduling anything (server shutdown). Pending jobs are dropped. */
  close(): void {
    this.closed = true;
    for (const c of this.children.liveChildren()) if (c.timer) clearTimeout(c.timer);
    this.os?.close();
  }
}
