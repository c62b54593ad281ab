// The clock port: the only source of time in src/. In the simulator it is virtual time from
// @sinonjs/fake-timers createClock(); in the node adapter, the real wall clock.

export interface Clock {
  /** Milliseconds since the Unix epoch (redis: mstime()). */
  nowMs(): number;
  /**
   * Blocks the whole server for `ms` (redis: the nanosleep/usleep of DEBUG SLEEP and
   * aof_flush_sleep). Real clocks only; a simulated clock leaves it out and those commands do not
   * advance time.
   */
  sleepMs?(ms: number): void;
}

/** Whole seconds since the epoch (redis: server.unixtime). */
export function unixtimeS(clock: Clock): number {
  return Math.floor(clock.nowMs() / 1000);
}
