// The clock port: the only source of time in src/. In the simulator it is virtual time from
// @sinonjs/fake-timers createClock(); in the node adapter, the real wall clock.

export interface Clock {
  /** Milliseconds since the Unix epoch (redis: mstime()). */
  nowMs(): number;
}

/** Whole seconds since the epoch (redis: server.unixtime). */
export function unixtimeS(clock: Clock): number {
  return Math.floor(clock.nowMs() / 1000);
}
