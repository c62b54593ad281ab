// A small random client workload for the world: `ops` commands over `keys` keys from `clients`
// clients, sent at random virtual times (gaps of 0..maxGapMs ms) drawn from the seed's workload
// stream. Used by the trace-determinism test and the benchmark; the property suites have their
// own fast-check arbitraries. Commands are strings (SET/INCR/DEL/GET) understood by both the real
// Server and the ToyServer.

import type { PrngStream } from '../prng/prng.ts';
import type { Request, World } from './world.ts';

export interface WorkloadOptions {
  ops: number;
  keys: number;
  clients?: number;
  maxGapMs?: number;
}

/** Schedules the workload's sends as client events; returns the requests once they are sent. */
export function scheduleRandomWorkload<C>(world: World<C>, random: PrngStream, options: WorkloadOptions): Request[] {
  const clients = options.clients ?? 1;
  const maxGap = options.maxGapMs ?? 5;
  const sent: Request[] = [];
  let t = world.nowMs();
  for (let i = 0; i < options.ops; i++) {
    t += random.below(maxGap + 1);
    const key = `k${random.below(options.keys)}`;
    const roll = random.below(10);
    const argv = roll < 6 ? ['SET', key, `v${i}`] : roll < 8 ? ['INCR', `n${random.below(options.keys)}`] : roll < 9 ? ['DEL', key] : ['GET', key];
    const client = random.below(clients);
    world.scheduler.at(t, 'client', 'send', () => {
      sent.push(world.send(argv, client));
    });
  }
  return sent;
}
