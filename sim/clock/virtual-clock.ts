// Virtual time for the simulated world: a @sinonjs/fake-timers clock made with createClock() and never
// installed, so no global (Date, setTimeout) is touched. It implements the Clock port the server reads
// (redis: mstime()/server.unixtime) and only moves forward when the scheduler says so.
//
// Invariants: time never goes backwards; it starts at a fixed epoch (or the scenario's), so the
// same seed sees the same timestamps (PEXPIREAT arguments, #TS: annotations) byte for byte.

import { createClock } from '@sinonjs/fake-timers';
import type { Clock } from '../../src/ports/clock.ts';

/** 2023-11-14T22:13:20Z: a fixed, readable start so traces do not depend on the host clock. */
export const DEFAULT_START_MS = 1_700_000_000_000;

export class VirtualClock implements Clock {
  private readonly fake: ReturnType<typeof createClock>;
  private start: number;

  constructor(startMs: number = DEFAULT_START_MS) {
    if (!Number.isSafeInteger(startMs) || startMs < 0) {
      throw new RangeError(`VirtualClock: startMs must be a non-negative integer, got ${startMs}`);
    }
    this.fake = createClock(startMs);
    this.start = startMs;
  }

  /** Where this clock's current run started. */
  get startMs(): number {
    return this.start;
  }

  /**
   * Starts a new run at `startMs` (time may go back: it is another world). createClock() is costly
   * (tens to hundreds of µs), so worlds built one after another share one (sim/world/world-reuse.ts).
   */
  reset(startMs: number = DEFAULT_START_MS): void {
    if (!Number.isSafeInteger(startMs) || startMs < 0) {
      throw new RangeError(`VirtualClock: startMs must be a non-negative integer, got ${startMs}`);
    }
    this.fake.setSystemTime(startMs);
    this.start = startMs;
  }

  nowMs(): number {
    return this.fake.now;
  }

  /** Milliseconds since the world started (what traces print). */
  elapsedMs(): number {
    return this.fake.now - this.startMs;
  }

  /** Moves time forward to `atMs`. No timers live in this clock (the scheduler owns events), so
   * setSystemTime is enough and much cheaper than tick(). */
  advanceTo(atMs: number): void {
    const now = this.fake.now;
    if (atMs < now) throw new RangeError(`VirtualClock: time cannot go backwards (${atMs} < ${now})`);
    if (atMs > now) this.fake.setSystemTime(atMs);
  }

  advanceBy(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock: advanceBy needs ms >= 0, got ${ms}`);
    this.advanceTo(this.fake.now + ms);
  }
}
