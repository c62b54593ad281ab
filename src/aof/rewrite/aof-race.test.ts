// The aof-race regression (Redis tests/integration/aof-race.tcl R1, docs/redis-bugs.md#bug-17) on the real
// Server: 20 clients x INCR while background rewrites start and finish; after a restart the counter
// must be exactly the number of INCRs. With 'rewrite-buffer-not-reset' 4.0's rewrite buffer
// keeps old diffs and the next rewrite appends them again, so the counter overshoots.
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../adapters/memory/manual-tasks.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import type { Profile } from '../../base/profile.ts';
import { Server } from '../../server.ts';

function race(profile: Profile, bugs: string[], preamble: boolean): { counter: string; expected: number; rewrites: number } {
  const fs = createMemoryFs({ '/d/.keep': '' });
  const tasks = new ManualTasks(fs);
  const clock = { t: 1_700_000_000_000, nowMs(): number { return this.t; } };
  const mk = (): Server =>
    new Server(
      { fs, clock, tasks, log: new MemoryLog(), random: new SeededRandom(3) },
      { profile, dir: '/d', appendonly: true, aofUseRdbPreamble: preamble, bugs: new Set(bugs) },
    );
  const s = mk();
  s.start();
  const clients = Array.from({ length: 20 }, () => s.newClient());
  // Enough data that the child needs many steps (and several diff drains).
  const loader = s.newClient();
  for (let i = 0; i < 2000; i++) s.execute(loader, ['SET', `pad:${i}`, 'x'.repeat(40)]);
  s.beforeSleep();
  let incrs = 0;
  let rewrites = 0;
  for (let round = 0; round < 1000; round++) {
    for (const c of clients) {
      s.execute(c, ['INCR', 'foo']);
      incrs++;
    }
    s.beforeSleep();
    s.takeReplies();
    if (round % 150 === 0 && s.state.aofChildPid === -1) {
      s.call(loader, ['BGREWRITEAOF']);
      rewrites++;
    }
    for (const pid of tasks.childPids) tasks.stepChild(pid);
    tasks.runBio();
    clock.t += 10;
    if (round % 10 === 0) s.cron();
  }
  // Let the last rewrite finish.
  for (let i = 0; i < 100_000 && s.state.aofChildPid !== -1; i++) {
    for (const pid of tasks.childPids) tasks.stepChild(pid);
    s.cron();
  }
  // Process kill: everything written so far is in the page cache (memory fs), nothing else.
  tasks.runBio();
  const r = mk();
  r.start();
  const v = r.call(r.newClient(), ['GET', 'foo']);
  return { counter: v.kind === 'bulk' ? String(v.value) : JSON.stringify(v), expected: incrs, rewrites };
}

describe('aof-race: INCRs during background rewrites survive a restart exactly once', () => {
  for (const profile of ['redis-4.0', 'redis-7.0'] as const) {
    for (const preamble of [false, true]) {
      it(`${profile}, preamble ${preamble ? 'yes' : 'no'}`, () => {
        const r = race(profile, [], preamble);
        expect(r.rewrites).toBeGreaterThanOrEqual(3);
        expect(r.counter).toBe(String(r.expected));
      });
    }
  }
  it("redis-4.0 with 'rewrite-buffer-not-reset': the counter overshoots", () => {
    const r = race('redis-4.0', ['rewrite-buffer-not-reset'], false);
    expect(Number(r.counter)).toBeGreaterThan(r.expected);
  });
});
