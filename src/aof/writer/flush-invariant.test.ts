// Property: whatever write faults happen (short writes, ENOSPC, EIO, a failing ftruncate), the AOF
// file followed by aof_buf is exactly the byte stream a fault-free server fed, and once the faults
// stop everything reaches the file. With bug switch 'no-ftruncate-short-write' the property fails
// (a partial record is duplicated), which shows the check can fail.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../adapters/memory/manual-tasks.ts';
import { nullLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import type { FsErrorCode } from '../../ports/fs.ts';
import { Server } from '../../server.ts';
import type { AofConfig, AofConfigInput } from '../config.ts';
import { FaultyFs, TestClock } from '../../../testing/aof/writer-support.ts';

type Step =
  | { kind: 'cmd'; key: number; size: number }
  | { kind: 'fault-write'; fault: number | FsErrorCode }
  | { kind: 'fault-truncate' }
  | { kind: 'tick'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('cmd' as const), key: fc.nat(5), size: fc.integer({ min: 1, max: 40 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault-write' as const),
      fault: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom<FsErrorCode>('ENOSPC', 'EIO')),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'fault-truncate' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 1500 }) }) },
);

function boot(fs: FaultyFs, tasks: ManualTasks, clock: TestClock, cfg: AofConfigInput): Server {
  const s = new Server({ fs, clock, tasks, log: nullLog, random: new SeededRandom(1) }, { dir: '/d', appendonly: true, ...cfg });
  s.start();
  return s;
}

function check(steps: Step[], profile: AofConfig['profile'], bugs: string[]): boolean {
  const cfg: AofConfigInput = { profile, appendfsync: 'everysec', bugs: new Set(bugs), aofUseRdbPreamble: false };
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  const shadowFs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  const clock = new TestClock();
  const tasks = new ManualTasks(fs);
  const shadowTasks = new ManualTasks(shadowFs);
  const s = boot(fs, tasks, clock, cfg);
  const shadow = boot(shadowFs, shadowTasks, clock, cfg);
  const c = s.newClient();
  const sc = shadow.newClient();
  const path = profile === 'redis-4.0' ? '/d/appendonly.aof' : '/d/appendonlydir/appendonly.aof.1.incr.aof';
  const stream = (f: FaultyFs, srv: Server) => f.text(path) + srv.state.aofBuf;
  for (const st of steps) {
    if (st.kind === 'cmd') {
      const argv = ['SET', `k${st.key}`, 'v'.repeat(st.size)];
      if (s.call(c, argv).kind === 'error') continue; // MISCONF: refused, so not fed either
      shadow.call(sc, argv);
    } else if (st.kind === 'fault-write') fs.script.writes.push(st.fault);
    else if (st.kind === 'fault-truncate') fs.script.truncates.push('EIO');
    else {
      clock.advance(st.ms);
      tasks.runBio(); // the bio thread finishes its fsyncs before the cron tick
      shadowTasks.runBio();
      s.cron();
      shadow.cron();
    }
    if (stream(fs, s) !== stream(shadowFs, shadow)) return false;
  }
  fs.script.writes.length = 0;
  fs.script.truncates.length = 0;
  tasks.runBio();
  clock.advance(1000);
  s.cron();
  return s.state.aofBuf === '' && fs.text(path) === stream(shadowFs, shadow);
}

describe('flushAppendOnlyFile under write faults', () => {
  for (const profile of ['redis-4.0', 'redis-7.0'] as const) {
    it(`${profile}: file + aof_buf always equals the fault-free byte stream; all of it lands once faults stop`, () => {
      fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => check(steps, profile, [])), { numRuns: 60 });
    });
  }

  it("bug 'no-ftruncate-short-write' is caught", () => {
    const r = fc.check(fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => check(steps, 'redis-7.0', ['no-ftruncate-short-write'])), {
      numRuns: 200,
      seed: 4242,
    });
    expect(r.failed).toBe(true);
  });
});
