// The Tasks port in the simulated world (redis: bio.c threads and the fork()ed rewrite child), as
// actors the scheduler steps in virtual time.
//
// - Bio: one thread per job kind (fsync, close, unlink), each a FIFO queue, as bio.c. A job starts
//   when its thread is free and runs its syscalls then; it stays pending for the virtual time they
//   cost (fsync latency comes from the filesystem's cost hook), then its completion is visible to
//   takeBioCompletions. pendingBio counts queued and running jobs, as bioPendingJobsOfType.
// - Child: fork() runs a ChildProgram generator as its own actor; each step runs until the next
//   yield; `sleep` yields wait that many virtual ms, `work` yields cost the syscalls made in the
//   step plus `childWorkMs`. The exit code is collected by reap() (waitpid WNOHANG); the live
//   children and their exits are the shared ChildTable (src/adapters/child-table.ts).
// - Pipes are BufferPipes; a write from a non-main actor wakes the event loop (a readable fd).
//
// Fault model (FAULT: paths): fork can fail (ForkError with the reason from the hooks), and a child
// can be killed by a signal before a given step. Everything dies with the process: abort() drops
// queued and running jobs (their effects never happen) and kills children without reaping them.

import type { BioCompletion, BioJob, BioKind, ChildExit, ChildProgram, ChildYield, Pipe, Signal, Tasks } from '../../src/ports/tasks.ts';
import { BufferPipe, ForkError } from '../../src/ports/tasks.ts';
import type { Fs, FsError } from '../../src/ports/fs.ts';
import { BioQueues, runBioJob } from '../../src/adapters/bio-queues.ts';
import { ChildTable } from '../../src/adapters/child-table.ts';
import { isProcessExit } from '../../src/server-types.ts';
import type { ActorName } from '../scheduler/scheduler.ts';

export interface SimTasksHooks {
  /** Schedules `run` for `actor` at virtual time `atMs` (the world's guarded scheduler). */
  schedule(atMs: number, actor: ActorName, label: string, run: () => void): void;
  nowMs(): number;
  /** A job ran its syscalls; it stays pending until `untilMs` (its cost in virtual time). */
  onBioStart(job: BioJob, untilMs: number): void;
  onBioDone(job: BioJob, error: string | null): void;
  /** FAULT: the reason the next fork fails, or null. */
  forkFailure(): string | null;
  /** FAULT: a signal that kills the child before its step `stepIndex` (0-based), or null. */
  childSignal(pid: number, stepIndex: number): Signal | null;
  /** Virtual ms charged to the current actor since the last call (syscall costs). */
  takeCharge(actor: ActorName): number;
  onFork(pid: number): void;
  onChildExit(exit: ChildExit): void;
  /** A pipe was written by a non-main actor (the event loop should wake). */
  onPipeWrite(): void;
  currentActor(): ActorName;
}

export interface SimTasksOptions {
  /** Virtual ms a `work` yield of the child costs on top of its syscalls. */
  childWorkMs?: number;
  /** First pid handed out. */
  firstPid?: number;
}

/**
 * Thrown inside a running child step to kill it there (a child-killed fault at a named point): the
 * step unwinds and the child is gone with that signal. DIVERGENCE(posix): a generator's finally
 * blocks still run while it unwinds, where SIGKILL would run nothing.
 */
export class ChildKilledSignal extends Error {
  constructor(readonly signal: Signal) {
    super(`child killed by ${signal}`);
    this.name = 'ChildKilledSignal';
  }
}

const BIO_ACTOR: Record<BioKind, ActorName> = { fsync: 'bio-fsync', close: 'bio-close', unlink: 'bio-unlink' };

interface Child {
  pid: number;
  gen: Generator<ChildYield, number, void>;
  steps: number;
}

export class SimTasks implements Tasks {
  private readonly bio = new BioQueues();
  private readonly children: ChildTable<Child>;
  private nextPid: number;
  private readonly childWorkMs: number;
  private currentChild = -1;
  /** False once the process is gone: nothing runs any more. */
  private alive = true;

  constructor(
    private readonly fs: Fs,
    private readonly hooks: SimTasksHooks,
    options: SimTasksOptions = {},
  ) {
    this.childWorkMs = options.childWorkMs ?? 1;
    this.children = new ChildTable<Child>((exit) => hooks.onChildExit(exit));
    this.nextPid = options.firstPid ?? 1000;
  }

  submitBio(job: BioJob): void {
    if (!this.alive) return;
    if (this.bio.submit(job)) this.startWorker(job.kind);
  }

  pendingBio(kind: BioKind): number {
    return this.bio.pending(kind);
  }

  takeBioCompletions(): BioCompletion[] {
    return this.bio.takeCompletions();
  }

  private startWorker(kind: BioKind): void {
    // The job starts on its own thread (actor), so its syscalls and their cost are charged there.
    this.hooks.schedule(this.hooks.nowMs(), BIO_ACTOR[kind], `${kind}-job`, () => this.runJob(kind));
  }

  private runJob(kind: BioKind): void {
    if (!this.alive) return;
    const job = this.bio.head(kind)!;
    const actor = BIO_ACTOR[kind];
    this.hooks.takeCharge(actor);
    // FAULT: an I/O error is the job's result; the server learns it from takeBioCompletions (aof_bio_fsync_status).
    const error = runBioJob(job, this.fs);
    // DIVERGENCE(linux): the job's effect (data durable) happens when it starts; the job stays
    // pending for its latency, so pendingBio and the postpone window see a slow fsync.
    const cost = this.hooks.takeCharge(actor);
    this.hooks.onBioStart(job, this.hooks.nowMs() + cost);
    this.hooks.schedule(this.hooks.nowMs() + cost, actor, `${kind}-done`, () => this.finish(kind, job, error));
  }

  private finish(kind: BioKind, job: BioJob, error: FsError | null): void {
    if (!this.alive) return;
    const more = this.bio.finish(kind, error);
    this.hooks.onBioDone(job, error ? error.code : null);
    if (more) this.startWorker(kind);
  }

  fork(program: ChildProgram): number {
    if (!this.alive) throw new ForkError('process is gone');
    const failure = this.hooks.forkFailure();
    if (failure !== null) throw new ForkError(failure); // FAULT: fork() returned -1.
    const pid = this.nextPid++;
    const child: Child = { pid, gen: program(pid), steps: 0 };
    this.children.add(child);
    this.hooks.onFork(pid);
    this.hooks.schedule(this.hooks.nowMs(), 'child', 'step', () => this.stepChild(child));
    return pid;
  }

  /** The pid of the child whose step is running, or -1. */
  get currentChildPid(): number {
    return this.currentChild;
  }

  get childPids(): number[] {
    return this.children.pids;
  }

  private stepChild(c: Child): void {
    if (!this.alive || !this.children.has(c)) return;
    const signal = this.hooks.childSignal(c.pid, c.steps);
    if (signal !== null) {
      this.kill(c.pid, signal); // FAULT: the child dies before this step.
      return;
    }
    c.steps++;
    this.hooks.takeCharge('child');
    let r: IteratorResult<ChildYield, number>;
    this.currentChild = c.pid;
    try {
      r = c.gen.next();
    } catch (e) {
      if (e instanceof ChildKilledSignal) {
        // FAULT: killed by a signal at a named point, in the middle of its step.
        this.hooks.takeCharge('child');
        this.children.exit(c, 1, e.signal);
        return;
      }
      if (!isProcessExit(e)) throw e;
      r = { done: true, value: e.exitCode }; // the child called exit() itself.
    } finally {
      this.currentChild = -1;
    }
    const cost = this.hooks.takeCharge('child');
    if (r.done) {
      this.children.exit(c, r.value, null);
      return;
    }
    const wait = r.value.kind === 'sleep' ? Math.max(0, r.value.ms) : this.childWorkMs;
    this.hooks.schedule(this.hooks.nowMs() + cost + wait, 'child', 'step', () => this.stepChild(c));
  }

  reap(): ChildExit | null {
    return this.children.reap();
  }

  kill(pid: number, signal: Signal): void {
    this.children.kill(pid, signal);
  }

  pipe(capacityBytes: number): Pipe {
    return new SimPipe(capacityBytes, this.hooks);
  }

  /** The process is gone (crash or exit): jobs and children vanish, nothing is reaped. */
  abort(): void {
    this.alive = false;
    this.children.abandonAll();
    this.bio.clear();
  }
}

/** A BufferPipe whose writes from the child (or bio) wake the event loop, like a readable fd. */
class SimPipe extends BufferPipe {
  constructor(
    capacityBytes: number,
    private readonly hooks: SimTasksHooks,
  ) {
    super(capacityBytes);
  }
  override write(data: Uint8Array): number {
    const n = super.write(data);
    if (n > 0 && this.hooks.currentActor() !== 'main') this.hooks.onPipeWrite();
    return n;
  }
}
