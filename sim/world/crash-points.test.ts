// Crash at every named point of a background rewrite (the marks src/aof/rewrite emits, plus the
// world's own points), in both profiles, with a process kill and with a power loss that keeps
// fsynced data and every directory change: under appendfsync always the restarted server must have
// every acknowledged write, and nothing that was never executed. Found here: 4.0.14 renames the
// rewritten file before fsyncing the residual diff appended to it; the 4.0 profile fsyncs first, and
// the bug switch 'rename-before-diff-fsync' brings the loss back (checked below).
import { beforeAll, describe, expect, it } from 'vitest';
import { World, type CrashTrigger, type ServerFactory } from './world.ts';
import { loadServerFactory } from './server-factory.ts';
import { resolveAofConfig, type AofConfig } from '../../src/aof/config.ts';
import type { Profile } from '../../src/base/profile.ts';
import type { CrashDecision } from '../crash/crash-decision.ts';
import type { CrashPointName } from '../faults/crash-points.ts';
import type { BugName } from '../../src/aof/bugs.ts';

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

const POINTS: Record<Profile, CrashPointName[]> = {
  'redis-4.0': ['rewrite-child-renamed', 'rewrite-child-exited', 'rewrite-diff-appended', 'rewrite-renamed', 'after:rename:appendonly.aof', 'rewrite-switched'],
  'redis-7.0': [
    'rewrite-incr-opened',
    'rewrite-incr-manifest-persisted',
    'manifest-renamed',
    'manifest-dir-fsynced',
    'rewrite-child-renamed',
    'rewrite-child-exited',
    'rewrite-base-renamed',
    'history-unlink',
    'rewrite-switched',
  ],
};

/** Points between the 4.0 done handler's rename and its fsync of the new file. */
const SEED_RENAME_WINDOW: CrashPointName[] = ['rewrite-renamed', 'after:rename:appendonly.aof'];

function run(profile: Profile, point: CrashPointName, power: boolean, bugs: BugName[] = []): { n: string | undefined; acked: number; executed: number; cause: string } {
  const w = new World<AofConfig>({
    seed: 42,
    config: resolveAofConfig({ profile, appendonly: true, appendfsync: 'always', dir: '/data', bugs }),
    createServer,
    files: { '/data/.keep': '' },
  });
  w.start();
  const decide = (): CrashDecision => {
    if (!power) return { model: 'process-kill' };
    const dirs: Record<string, number> = {};
    for (const d of w.fs.pendingSummary().dirs) dirs[String(d.ino)] = d.ops.length;
    return { model: 'strict', dirs };
  };
  const trigger: CrashTrigger = { point };
  w.crashAt(trigger, decide);
  const incrs = [w.send(['INCR', 'n']), w.send(['INCR', 'n'])];
  w.settle(incrs);
  w.settle([w.send(['BGREWRITEAOF'])]);
  for (let i = 0; i < 6 && w.processState === 'running'; i++) {
    incrs.push(w.send(['INCR', 'n']));
    w.advance(40);
  }
  w.runUntil(() => w.processState !== 'running', 5000);
  const acked = incrs.filter((r) => r.state === 'replied').length;
  const executed = incrs.filter((r) => r.executedAtMs >= 0).length;
  const cause = w.crashes[0]?.cause ?? 'no crash';
  w.restart();
  const v = w.server!.keyspace.db(0).dict.get('n');
  return { n: v?.type === 'string' ? v.value : undefined, acked, executed, cause };
}

describe('4.0.14 order (bug switch rename-before-diff-fsync)', () => {
  for (const point of SEED_RENAME_WINDOW) {
    it(`${point} power loss loses acknowledged writes (scenarios/rename-before-diff-fsync-bug)`, () => {
      const r = run('redis-4.0', point, true, ['rename-before-diff-fsync']);
      expect(r.cause).toBe(`point ${point} #1`);
      expect(Number(r.n ?? '0')).toBeLessThan(r.acked);
    });
  }
});

describe('crash at every named point of a rewrite', () => {
  for (const profile of ['redis-4.0', 'redis-7.0'] as const) {
    for (const point of POINTS[profile]) {
      for (const power of [false, true]) {
        it(`${profile} ${point} ${power ? 'power loss (fsynced data + dir changes)' : 'process kill'}`, () => {
          const r = run(profile, point, power);
          expect(r.cause).toBe(`point ${point} #1`);
          const n = Number(r.n ?? '0');
          expect(n).toBeLessThanOrEqual(r.executed);
          expect(n).toBeGreaterThanOrEqual(r.acked);
        });
      }
    }
  }
});
