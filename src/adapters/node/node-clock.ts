// The Clock port on the real wall clock. Only for code that faces the real world (serve, the CLI).

import type { Clock } from '../../ports/clock.ts';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export const nodeClock: Clock = {
  nowMs: () => Date.now(),
  // Blocks the event loop, as Redis's nanosleep blocks its single thread.
  sleepMs: (ms: number) => {
    if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
  },
};
