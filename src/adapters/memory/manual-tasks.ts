// A Tasks port that runs nothing by itself: tests step bio jobs and children explicitly
// (runBio, stepChild, runChild). Deterministic and synchronous; the simulator has its own
// scheduler-driven implementation in sim/. Bio bookkeeping (per-kind FIFO queues, pending counts,
// completions) is the shared BioQueues (src/adapters/bio-queues.ts); runBio runs jobs in
// submission order across kinds, as if each job's thread picked it up at once. Children live in the
// shared ChildTable (src/adapters/child-table.ts).

import type { BioCompletion, BioJob, BioKind, ChildExit, ChildProgram, ChildYield, Pipe, Signal, Tasks } from '../../ports/tasks.ts';
import { BufferPipe, ForkError } from '../../ports/tasks.ts';
import type { Fs } from '../../ports/fs.ts';
import { BioQueues, runBioJob } from '../bio-queues.ts';
import { ChildTable } from '../child-table.ts';

export class ManualTasks implements Tasks {
  private readonly bio = new BioQueues();
  private readonly children = new ChildTable();
  private nextPid = 1000;
  /** When set, the next fork throws ForkError with this reason. */
  failNextFork: string | null = null;

  /** `fs` serves unlink jobs. */
  constructor(private readonly fs: Fs) {}

  /** Queued bio jobs (not run yet), in submission order. */
  get queue(): BioJob[] {
    return this.bio.queued();
  }

  submitBio(job: BioJob): void {
    this.bio.submit(job); // the workers run when the test calls runBio
  }

  pendingBio(kind: BioKind): number {
    return this.bio.pending(kind);
  }

  takeBioCompletions(): BioCompletion[] {
    return this.bio.takeCompletions();
  }

  /** Runs up to `max` queued bio jobs in submission order. */
  runBio(max = Infinity): number {
    let n = 0;
    for (let kind = this.bio.oldestKind(); kind !== null && n < max; kind = this.bio.oldestKind()) {
      this.bio.finish(kind, runBioJob(this.bio.head(kind)!, this.fs));
      n++;
    }
    return n;
  }

  fork(program: ChildProgram): number {
    if (this.failNextFork !== null) {
      const reason = this.failNextFork;
      this.failNextFork = null;
      throw new ForkError(reason);
    }
    const pid = this.nextPid++;
    this.children.add({ pid, gen: program(pid) });
    return pid;
  }

  get childPids(): number[] {
    return this.children.pids;
  }

  /** Advances one child by one yield; returns false once it has exited. */
  stepChild(pid: number): boolean {
    const c = this.children.get(pid);
    if (!c) return false;
    const r = c.gen.next();
    if (r.done) {
      this.children.exit(c, r.value, null);
      return false;
    }
    return true;
  }

  /** Runs a child to completion (at most `maxSteps` yields). */
  runChild(pid: number, maxSteps = 10_000_000): void {
    for (let i = 0; i < maxSteps; i++) if (!this.stepChild(pid)) return;
    throw new Error(`child ${pid} did not finish within ${maxSteps} steps`);
  }

  reap(): ChildExit | null {
    return this.children.reap();
  }

  kill(pid: number, signal: Signal): void {
    this.children.kill(pid, signal);
  }

  pipe(capacityBytes: number): Pipe {
    return new BufferPipe(capacityBytes);
  }
}
