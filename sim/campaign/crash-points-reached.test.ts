// Every named point the campaign arms crashes at (REWRITE_POINTS, what model-run.ts generates) is
// reached in a run of each profile that lists it: a point nobody reports would make those runs
// crash nowhere, silently (two such names once hid in the generator). Each case drives one world
// the way a campaign run does (writes, a second of everysec, BGREWRITEAOF, writes while it runs)
// with a crash armed at the point, and checks the crash fired there.
import { beforeAll, describe, expect, it } from 'vitest';
import { World, type ServerFactory } from '../world/world.ts';
import { loadServerFactory } from '../world/server-factory.ts';
import { resolveAofConfig, type AofConfig } from '../../src/aof/config.ts';
import { REWRITE_POINTS, type CrashPointName } from '../faults/crash-points.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import { PROFILES } from './model-run.ts';

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

/** The cause the world records when the armed crash fires, or 'no crash'. */
function crashCause(profile: (typeof PROFILES)[number], point: CrashPointName): string {
  // A short write whose retry fails (aofWrite retries the rest) is what reaches 'flush-short-write';
  // only that case gets one (a 7.0 rewrite does not start while aof_buf could not be written).
  const faults: FaultPlan = point === 'flush-short-write' ? { faults: [{ kind: 'short-write', path: '*.aof', nth: 3, shortByBytes: 2, thenError: 'ENOSPC' }] } : { faults: [] };
  const w = new World<AofConfig>({
    seed: 7,
    config: resolveAofConfig({ profile, appendonly: true, appendfsync: 'everysec', dir: '/data' }),
    createServer,
    files: { '/data/.keep': '' },
    faults,
  });
  w.start();
  w.crashAt({ point }, { model: 'process-kill' });
  for (let i = 0; i < 4 && w.processState === 'running'; i++) {
    w.settle([w.send(['INCR', 'n'])]);
    w.advance(400);
  }
  if (w.processState === 'running') w.settle([w.send(['BGREWRITEAOF'])]);
  for (let i = 0; i < 8 && w.processState === 'running'; i++) {
    w.send(['SET', `k${i}`, 'v']);
    w.advance(300);
  }
  return w.crashes[0]?.cause ?? 'no crash';
}

describe('every crash point the campaign generates is reached', () => {
  for (const profile of PROFILES) {
    for (const point of REWRITE_POINTS[profile]) {
      it(`${profile}: ${point}`, () => {
        expect(crashCause(profile, point)).toBe(`point ${point} #1`);
      });
    }
  }
});
