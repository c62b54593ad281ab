// A Tasks port that runs nothing by itself: tests step bio jobs and children explicitly
// (runBio, stepChild, runChild). Deterministic and synchronous; the simulator has its own
// scheduler-driven implementation in sim/.

import type { BioCompletion, BioJob, BioKind, ChildExit, ChildProgram, ChildYield, Pipe, Signal, Tasks } from '../../ports/tasks.ts';
import { BufferPipe, ForkError } from '../../ports/tasks.ts';
import { isFsError, type Fs } from '../../ports/fs.ts';

interface Child {
  pid: number;
  gen: Generator<ChildYield, number, void>;
}

export class ManualTasks implements Tasks {
  readonly queue: BioJob[] = [];
  private completions: BioCompletion[] = [];
  private children: Child[] = [];
  private exits: ChildExit[] = [];
  private nextPid = 1000;
  /** When set, the next fork throws ForkError with this reason. */
  failNextFork: string | null = null;

  /** `fs` serves unlink jobs. */
  constructor(private readonly fs: Fs) {}

  submitBio(job: BioJob): void {
    this.queue.push(job);
  }

  pendingBio(kind: BioKind): number {
    return this.queue.filter((j) => j.kind === kind).length;
  }

  takeBioCompletions(): BioCompletion[] {
    const c = this.completions;
    this.completions = [];
    return c;
  }

  /** Runs up to `max` queued bio jobs in FIFO order. */
  runBio(max = Infinity): number {
    let n = 0;
    while (n < max && this.queue.length > 0) {
      const job = this.queue.shift()!;
      let error = null;
      try {
        if (job.kind === 'fsync') job.handle.fdatasync();
        else if (job.kind === 'close') {
          if (job.fsync) job.handle.fsync();
          job.handle.close();
        } else this.fs.unlink(job.path);
      } catch (e) {
        if (isFsError(e)) error = e;
        else throw e;
      }
      this.completions.push({ job, error });
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
    this.children.push({ pid, gen: program(pid) });
    return pid;
  }

  get childPids(): number[] {
    return this.children.map((c) => c.pid);
  }

  /** Advances one child by one yield; returns false once it has exited. */
  stepChild(pid: number): boolean {
    const c = this.children.find((x) => x.pid === pid);
    if (!c) return false;
    const r = c.gen.next();
    if (r.done) {
      this.children = this.children.filter((x) => x !== c);
      this.exits.push({ pid, exitCode: r.value, signal: null });
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
    return this.exits.shift() ?? null;
  }

  kill(pid: number, signal: Signal): void {
    const c = this.children.find((x) => x.pid === pid);
    if (!c) return;
    this.children = this.children.filter((x) => x !== c);
    c.gen.return(1);
    this.exits.push({ pid, exitCode: 1, signal });
  }

  pipe(capacityBytes: number): Pipe {
    return new BufferPipe(capacityBytes);
  }
}
