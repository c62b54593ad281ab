// The hidden test config `key-load-delay` (redis 7.0: µs, debugDelay after each command
// loadSingleAppendOnlyFile runs and after each key rdbLoadRioWithLoadingCtx loads), which tests use
// to make a load last long enough to observe. Wraps the loader's executor and RDB hook; with a
// delay of 0 the loader gets them unwrapped.
// DIVERGENCE(redis): the keys of an RDB part are loaded first and their delays slept after it
// (the RDB reader has no per-key hook): the same total time, at the end of the part.
// A clock without sleepMs (the simulator's) sleeps nothing: loading costs no virtual time.

import type { CommandExecutor } from '../../commands/types.ts';
import type { Clock } from '../../ports/clock.ts';
import { randomBelow, type Random } from '../../ports/random.ts';
import type { Keyspace } from '../../keyspace/keyspace.ts';
import type { RdbPreambleLoader } from './types.ts';

/** redis: debugDelay (negative n: 1 µs with probability 1/-n). */
export function debugDelay(us: number, clock: Clock, random: Random): void {
  const sleepUs = us < 0 ? (randomBelow(random, Math.min(-us, 0x1_0000_0000)) === 0 ? 1 : 0) : us;
  if (sleepUs > 0) clock.sleepMs?.(sleepUs / 1000);
}

export function withKeyLoadDelay(
  delayUs: number,
  loader: { executor: CommandExecutor; rdb: RdbPreambleLoader },
  keyspace: Keyspace,
  clock: Clock,
  random: Random,
): { executor: CommandExecutor; rdb: RdbPreambleLoader } {
  if (delayUs === 0) return loader;
  const { executor, rdb } = loader;
  return {
    executor: {
      lookup: (name) => executor.lookup(name),
      call(client, argv) {
        const r = executor.call(client, argv);
        debugDelay(delayUs, clock, random);
        return r;
      },
    },
    rdb(bytes, file, opts) {
      const before = keyspace.size();
      const end = rdb(bytes, file, opts);
      for (let n = keyspace.size() - before; n > 0; n--) debugDelay(delayUs, clock, random);
      return end;
    },
  };
}
