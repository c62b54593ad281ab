// The bio job queues every Tasks implementation shares (redis: bio.c). Redis runs one background
// thread per job type, each draining its own FIFO queue; bioPendingJobsOfType counts a job from
// bioCreate*Job until its thread finished it. This class keeps exactly that bookkeeping and runs a
// job's syscalls (runBioJob); WHEN a worker runs is the caller's: the simulator schedules actors in
// virtual time, the node adapter uses event-loop turns, the manual adapter lets a test decide.
//
// Protocol for a caller: submit(job) returns true when the job's worker was idle, and then the
// caller starts that worker; a worker runs head(kind) (runBioJob), later calls finish(kind, error),
// and keeps going while finish returns true. Completions are only polled (takeCompletions), as the
// server reads the atomics bio threads set.
//
// Invariants: jobs of one kind start and finish in submission order; pending(kind) counts queued
// and running jobs of that kind; a kind's worker is busy iff its queue is not empty or a caller
// was told to start it and has not finished; clear() forgets everything (the process is gone).

import { isFsError, type Fs, type FsError } from '../ports/fs.ts';
import type { BioCompletion, BioJob, BioKind } from '../ports/tasks.ts';

export const BIO_KINDS: readonly BioKind[] = ['fsync', 'close', 'unlink'];

interface BioQueue {
  jobs: BioJob[];
  /** Submission number of each job, parallel to `jobs` (orders jobs across kinds). */
  seqs: number[];
  busy: boolean;
}

export class BioQueues {
  private readonly queues: Record<BioKind, BioQueue> = {
    fsync: { jobs: [], seqs: [], busy: false },
    close: { jobs: [], seqs: [], busy: false },
    unlink: { jobs: [], seqs: [], busy: false },
  };
  private submitted = 0;
  private completions: BioCompletion[] = [];

  /** Queues `job` (redis: bioCreate*Job). True when its worker was idle: the caller must start it. */
  submit(job: BioJob): boolean {
    const q = this.queues[job.kind];
    q.jobs.push(job);
    q.seqs.push(this.submitted++);
    if (q.busy) return false;
    q.busy = true;
    return true;
  }

  /** Jobs of this kind queued or running (redis: bioPendingJobsOfType). */
  pending(kind: BioKind): number {
    return this.queues[kind].jobs.length;
  }

  /** The job this kind's worker runs now or next, or undefined. */
  head(kind: BioKind): BioJob | undefined {
    return this.queues[kind].jobs[0];
  }

  /**
   * The head job of `kind` finished (error null on success): it leaves the queue and its
   * completion is recorded. True when another job of this kind waits (the worker goes on);
   * false when the worker is idle now.
   */
  finish(kind: BioKind, error: FsError | null): boolean {
    const q = this.queues[kind];
    const job = q.jobs.shift();
    q.seqs.shift();
    if (job !== undefined) this.completions.push({ job, error });
    q.busy = q.jobs.length > 0;
    return q.busy;
  }

  /** The worker of `kind` stops without finishing anything (its process is shutting down). */
  idle(kind: BioKind): void {
    this.queues[kind].busy = false;
  }

  /** Bio jobs finished since the last call, in completion order. */
  takeCompletions(): BioCompletion[] {
    const c = this.completions;
    this.completions = [];
    return c;
  }

  /** The kind whose head job was submitted first, or null when nothing is queued. */
  oldestKind(): BioKind | null {
    let best: BioKind | null = null;
    let bestSeq = Infinity;
    for (const kind of BIO_KINDS) {
      const seq = this.queues[kind].seqs[0];
      if (seq !== undefined && seq < bestSeq) {
        best = kind;
        bestSeq = seq;
      }
    }
    return best;
  }

  /** Every queued or running job, in submission order. */
  queued(): BioJob[] {
    const all: { seq: number; job: BioJob }[] = [];
    for (const kind of BIO_KINDS) {
      const q = this.queues[kind];
      for (let i = 0; i < q.jobs.length; i++) all.push({ seq: q.seqs[i], job: q.jobs[i] });
    }
    return all.sort((a, b) => a.seq - b.seq).map((x) => x.job);
  }

  /** Drops every job, running or queued (their effects never happen); completions already recorded stay. */
  clear(): void {
    for (const kind of BIO_KINDS) {
      const q = this.queues[kind];
      q.jobs.length = 0;
      q.seqs.length = 0;
      q.busy = false;
    }
  }
}

/**
 * A bio job's syscalls, as the bio thread makes them (redis: bioProcessBackgroundJobs): fdatasync
 * for an fsync job (redis_fsync is fdatasync on Linux), fsync then close for a close job that asks
 * for it (7.x, redis/redis#11004), unlink for a lazy unlink. FAULT: an I/O error is the job's
 * result, returned (the server learns it from the completion); anything else is a bug and throws.
 */
export function runBioJob(job: BioJob, fs: Fs): FsError | null {
  try {
    if (job.kind === 'fsync') job.handle.fdatasync();
    else if (job.kind === 'close') {
      if (job.fsync) job.handle.fsync();
      job.handle.close();
    } else fs.unlink(job.path);
    return null;
  } catch (e) {
    if (isFsError(e)) return e;
    throw e;
  }
}
