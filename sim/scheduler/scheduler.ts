// The discrete-event scheduler of the simulated world. Actors (the client workload, the server's
// event loop, the bio threads, the rewrite child) never run by themselves: they schedule events at
// virtual times, and step() runs the earliest one after moving the virtual clock to its time.
//
// Interleavings: when several events are due at the same instant, which one runs first is chosen
// from the seed's scheduler stream (a Random), so one seed gives one interleaving and different
// seeds explore different ones. A step is atomic in virtual time: the blocking calls it makes
// (fsync latency, a write blocked behind an in-flight fsync) are charged by the actor scheduling its
// next event later (see CostMeter).
//
// Invariants: virtual time never goes backwards; every run loop has a step cap.

import type { Random } from '../../src/ports/random.ts';
import { randomBelow } from '../../src/ports/random.ts';
import { EventQueue, type TimedEvent } from '../clock/event-queue.ts';
import type { VirtualClock } from '../clock/virtual-clock.ts';

/** Who runs an event. Bio threads are one per job kind, as redis's bio.c. */
export type ActorName = 'world' | 'client' | 'main' | 'bio-fsync' | 'bio-close' | 'bio-unlink' | 'child';

export interface ScheduledEvent {
  actor: ActorName;
  /** Short label for traces and debugging ("loop", "cron", "job-done", ...). */
  label: string;
  run: () => void;
}

export const DEFAULT_STEP_CAP = 1_000_000;

export class Scheduler {
  private readonly queue = new EventQueue<ScheduledEvent>();
  private readonly ties: TimedEvent<ScheduledEvent>[] = [];
  /** The actor whose event is running (syscall costs and trace lines are attributed to it). */
  current: ActorName = 'world';
  steps = 0;

  constructor(
    readonly clock: VirtualClock,
    private readonly random: Random,
  ) {}

  get pending(): number {
    return this.queue.size;
  }

  at(atMs: number, actor: ActorName, label: string, run: () => void): void {
    const now = this.clock.nowMs();
    this.queue.push(atMs < now ? now : atMs, { actor, label, run });
  }

  after(delayMs: number, actor: ActorName, label: string, run: () => void): void {
    this.at(this.clock.nowMs() + delayMs, actor, label, run);
  }

  /** Time of the next event, or undefined when nothing is scheduled. */
  nextAtMs(): number | undefined {
    return this.queue.peek()?.atMs;
  }

  /** Runs the next event; false when there is none. */
  step(): boolean {
    const first = this.queue.pop();
    if (!first) return false;
    let ev = first;
    const next = this.queue.peek();
    if (next && next.atMs === first.atMs) {
      // Several actors are ready at the same instant: the scheduler stream picks who goes first.
      const ties = this.ties;
      ties.length = 0;
      ties.push(first);
      while (this.queue.peek()?.atMs === first.atMs) ties.push(this.queue.pop()!);
      const pick = randomBelow(this.random, ties.length);
      ev = ties[pick];
      for (let i = 0; i < ties.length; i++) if (i !== pick) this.queue.pushEvent(ties[i]);
      ties.length = 0;
    }
    this.clock.advanceTo(ev.atMs);
    this.steps++;
    const prev = this.current;
    this.current = ev.value.actor;
    try {
      ev.value.run();
    } finally {
      this.current = prev;
    }
    return true;
  }

  /** Runs events due at or before `atMs`, then moves the clock to `atMs`. */
  runUntilTime(atMs: number, stepCap = DEFAULT_STEP_CAP): void {
    for (let i = 0; i < stepCap; i++) {
      const t = this.nextAtMs();
      if (t === undefined || t > atMs) {
        if (atMs > this.clock.nowMs()) this.clock.advanceTo(atMs);
        return;
      }
      this.step();
    }
    throw new Error(`scheduler: more than ${stepCap} steps before t=${atMs}`);
  }

  /** Runs events until `done()` holds (checked before each step); returns false when no event is
   * left or `deadlineMs` passed before that. */
  runUntil(done: () => boolean, deadlineMs = Infinity, stepCap = DEFAULT_STEP_CAP): boolean {
    for (let i = 0; i < stepCap; i++) {
      if (done()) return true;
      const t = this.nextAtMs();
      if (t === undefined || t > deadlineMs) return done();
      this.step();
    }
    throw new Error(`scheduler: more than ${stepCap} steps waiting for a condition`);
  }

  /** Drops the events of the given actors (a crashed process's threads). */
  cancel(actors: readonly ActorName[]): void {
    this.queue.removeWhere((e) => actors.includes(e.actor));
  }

  clear(): void {
    this.queue.clear();
  }
}
