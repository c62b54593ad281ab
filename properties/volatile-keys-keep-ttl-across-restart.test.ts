// Property: on Redis 7.0, a restart from the AOF gives every key back its value and its TTL as they
// were live, whatever mix of SET (plain, EX, KEEPTTL), EXPIRE, PERSIST and INCRBYFLOAT made them.
// INCRBYFLOAT and SET ... KEEPTTL reach the AOF as `SET k v KEEPTTL` (7.0): a KEEPTTL lost on the
// way to the file makes a volatile key persistent after the restart (docs/redis-bugs.md#bug-13,
// redis/redis#5256; 4.0 had no KEEPTTL and loses the TTL on purpose, so it is not judged here).
// The clock does not move, so the restart sees the same absolute expire times (7.0 writes them as
// PXAT / PEXPIREAT) and no key expires in between. Seeded through the vitest setup (AOFSIM_SEED).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';
import { ManualTasks } from '../src/adapters/memory/manual-tasks.ts';
import type { Reply } from '../src/commands/reply.ts';
import { MemoryLog } from '../src/ports/log.ts';
import { SeededRandom } from '../src/ports/random.ts';
import { Server } from '../src/server.ts';
import { FaultyFs, TestClock } from '../testing/aof/writer-support.ts';
import { testSeed } from '../sim/campaign/suite-options.ts';
import { fcParams } from './loader-arbitraries.ts';

const KEYS = ['a', 'b', 'c'];
const keyArb = fc.constantFrom(...KEYS);
const numberArb = fc.constantFrom('1', '2.5', '-7', '10');
const secondsArb = fc.integer({ min: 10, max: 1000 }).map(String);

const opArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(keyArb, numberArb).map(([k, v]) => ['SET', k, v]),
  fc.tuple(keyArb, numberArb, secondsArb).map(([k, v, s]) => ['SET', k, v, 'EX', s]),
  fc.tuple(keyArb, numberArb).map(([k, v]) => ['SET', k, v, 'KEEPTTL']),
  fc.tuple(keyArb, secondsArb).map(([k, s]) => ['EXPIRE', k, s]),
  keyArb.map((k) => ['PERSIST', k]),
  fc.tuple(keyArb, fc.constantFrom('1.5', '-0.25', '3')).map(([k, by]) => ['INCRBYFLOAT', k, by]),
);

interface World {
  fs: FaultyFs;
  tasks: ManualTasks;
  clock: TestClock;
  log: MemoryLog;
}

function boot(w: World): Server {
  const s = new Server(
    { fs: w.fs, clock: w.clock, tasks: w.tasks, log: w.log, random: new SeededRandom(7) },
    { profile: 'redis-7.0', dir: '/d', appendonly: true, appendfsync: 'always' },
  );
  s.start();
  return s;
}

const show = (r: Reply): string => (r.kind === 'error' ? `-${r.value}` : String(r.value));

/** GET and PTTL of every key, as a client sees them. */
function observe(s: Server): string[] {
  const c = s.newClient();
  return KEYS.map((k) => `${k}=${show(s.call(c, ['GET', k]))} pttl=${show(s.call(c, ['PTTL', k]))}`);
}

describe('volatile-keys-keep-ttl-across-restart (redis-7.0)', () => {
  it('values and TTLs after a restart from the AOF are the live ones', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), (ops) => {
        const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
        const w: World = { fs, tasks: new ManualTasks(fs), clock: new TestClock(), log: new MemoryLog() };
        const s = boot(w);
        const c = s.newClient();
        for (const op of ops) {
          s.call(c, op);
          s.beforeSleep();
        }
        const live = observe(s);
        w.tasks.runBio();
        const restarted = boot({ ...w, tasks: new ManualTasks(fs), log: new MemoryLog() });
        expect(observe(restarted)).toEqual(live);
      }),
      { ...fcParams(100), seed: testSeed(process.env) },
    );
  });
});
