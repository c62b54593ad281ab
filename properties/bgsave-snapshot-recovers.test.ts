// Property: with appendonly no and save points, a crash or power loss at any moment of a BGSAVE (or
// a SAVE) restarts with exactly one snapshot: the dataset at the fork of the last save whose rename
// the disk kept, never a mix of two, never a torn dump.rdb (oracle check 'rdb-snapshot',
// sim/oracle/checkers/rdb-snapshot.ts; redis 7.0.15 rdb.c rdbSave / rdbSaveBackground, 4.0.14 alike),
// and one whole live state judged at the restart (oracle check 'recovery').
// Also under faults in the child's writes (ENOSPC, EIO on write, fsync or rename of temp-<pid>.rdb),
// and with CONFIG SET appendonly yes while the child runs (the rewrite waits for it, as 7.0's does).
// Fixed seed (AOFSIM_SEED overrides), budget scaled by AOFSIM_RUNS; a failure prints fast-check's
// seed and path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAofConfig, type AofConfig } from '../src/aof/config.ts';
import type { Profile } from '../src/base/profile.ts';
import { Server } from '../src/server.ts';
import type { FsErrorCode } from '../src/ports/fs.ts';
import { World, type ServerFactory } from '../sim/world/world.ts';
import type { CrashDecision } from '../sim/crash/crash-decision.ts';
import type { CrashPointName } from '../sim/faults/crash-points.ts';
import type { Fault, FaultSyscall } from '../sim/faults/fault-plan.ts';
import { OracleTracker } from '../sim/oracle/tracker.ts';
import { fcParams } from './loader-arbitraries.ts';

/** Save points that fire often in virtual time: after 1 s with 1 change, and after 3 s. */
const SAVE = '1 1 3 0';

const withSavePoints: ServerFactory<AofConfig> = (deps, config) => new Server(deps, config, { directives: new Map([['save', SAVE]]) });

type Step =
  | { kind: 'cmd'; argv: string[] }
  | { kind: 'advance'; ms: number }
  | { kind: 'bgsave' }
  | { kind: 'save' }
  | { kind: 'enable-aof' };

const key = fc.constantFrom('a', 'b', 'c', 'd');
const cmdArb: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(key, fc.nat(99)).map(([k, v]) => ({ kind: 'cmd' as const, argv: ['SET', k, String(v)] })),
  key.map((k) => ({ kind: 'cmd' as const, argv: ['INCR', `n${k}`] })),
  key.map((k) => ({ kind: 'cmd' as const, argv: ['RPUSH', `l${k}`, 'x'] })),
  key.map((k) => ({ kind: 'cmd' as const, argv: ['DEL', k] })),
  fc.tuple(key, fc.integer({ min: 1, max: 3000 })).map(([k, ms]) => ({ kind: 'cmd' as const, argv: ['PEXPIRE', k, String(ms)] })),
);
const stepArb = (enable: boolean): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 6, arbitrary: cmdArb },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 1500 }).map((ms) => ({ kind: 'advance' as const, ms })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'bgsave' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'save' as const }) },
    ...(enable ? [{ weight: 1, arbitrary: fc.constant({ kind: 'enable-aof' as const }) }] : []),
  );

const POINTS: CrashPointName[] = ['bgsave-forked', 'rdb-temp-written', 'rdb-renamed', 'rdb-saved', 'bgsave-done', 'after:rename:dump.rdb', 'after:fsync:dump.rdb'];

interface Crash {
  /** A named point (its nth time), or null: after the steps. */
  point: CrashPointName | null;
  nth: number;
  model: 'process-kill' | 'strict' | 'strict-keep-dirs';
}
const crashArb: fc.Arbitrary<Crash> = fc.record({
  point: fc.option(fc.constantFrom(...POINTS), { nil: null, freq: 4 }),
  nth: fc.integer({ min: 1, max: 3 }),
  model: fc.constantFrom('process-kill' as const, 'strict' as const, 'strict-keep-dirs' as const),
});

const childFaultArb: fc.Arbitrary<Fault | null> = fc.option(
  fc.record({
    syscall: fc.constantFrom<FaultSyscall>('write', 'fsync', 'rename'),
    code: fc.constantFrom<FsErrorCode>('ENOSPC', 'EIO'),
    nth: fc.integer({ min: 1, max: 3 }),
  }).map(({ syscall, code, nth }): Fault => ({ kind: 'error', syscall, path: '**/temp-*.rdb', nth, code })),
  { nil: null, freq: 2 },
);

interface Outcome {
  violations: string[];
  crashed: boolean;
  /** Saves that reached "DB saved on disk" before the crash. */
  saved: number;
}

/** What the runs drove (a property whose runs never crash after a save would prove nothing). */
const coverage = { runs: 0, crashedAfterSave: 0, crashedAtPoint: 0 };

function runOnce(profile: Profile, seed: number, steps: Step[], crash: Crash, fault: Fault | null): Outcome {
  const faults: Fault[] = fault === null ? [] : [fault];
  const w = new World<AofConfig>({
    seed,
    config: resolveAofConfig({ profile, appendonly: false, dir: '/data' }),
    createServer: withSavePoints,
    files: { '/data/.keep': '' },
    faults: { faults },
  });
  // The snapshot check, and the recovery check: with appendonly no at the restart it promises no AOF
  // write (CONFIG SET appendonly yes is not in the config the restart reads) but still demands one
  // whole live state, judged at the restart (dump.rdb's loader drops keys expired by then).
  const oracle = new OracleTracker(['rdb-snapshot', 'recovery']);
  oracle.attach(w);
  w.start();
  const decide = (): CrashDecision => {
    if (crash.model === 'process-kill') return { model: 'process-kill' };
    if (crash.model === 'strict') return { model: 'strict' };
    const dirs: Record<string, number> = {};
    for (const d of w.fs.pendingSummary().dirs) dirs[String(d.ino)] = d.ops.length;
    return { model: 'strict', dirs };
  };
  if (crash.point !== null) w.crashAt({ point: crash.point, nth: crash.nth }, decide);
  for (const s of steps) {
    if (w.processState !== 'running') break;
    if (s.kind === 'advance') w.advance(s.ms);
    else {
      const argv = s.kind === 'cmd' ? s.argv : s.kind === 'bgsave' ? ['BGSAVE'] : s.kind === 'save' ? ['SAVE'] : ['CONFIG', 'SET', 'appendonly', 'yes'];
      w.settle([w.send(argv)], 10_000);
    }
  }
  if (w.processState === 'running') {
    // Let a running child finish, or crash in the middle of whatever is going on.
    w.advance(crash.point === null ? 700 : 5000);
    if (w.processState === 'running') w.crash(decide());
  }
  const crashed = w.processState === 'crashed';
  const saved = w.logged('DB saved on disk').length;
  const atPoint = w.crashes.some((c) => c.cause.startsWith('point '));
  if (crashed) w.restart();
  coverage.runs++;
  if (crashed && saved > 0) coverage.crashedAfterSave++;
  if (atPoint) coverage.crashedAtPoint++;
  return { violations: oracle.describe(), crashed, saved };
}

function property(profile: Profile, enable: boolean) {
  return fc.property(
    fc.integer({ min: 1, max: 1_000_000 }),
    fc.array(stepArb(enable), { minLength: 3, maxLength: 30 }),
    crashArb,
    childFaultArb,
    (seed, steps, crash, fault) => {
      const r = runOnce(profile, seed, steps, crash, fault);
      expect(r.violations).toEqual([]);
    },
  );
}

describe('bgsave: a crash or power loss during snapshots restarts with exactly one snapshot', () => {
  for (const profile of ['redis-7.0', 'redis-4.0'] as const) {
    it(`${profile}: crashes at every point of SAVE/BGSAVE, faults in the child's writes`, () => {
      fc.assert(property(profile, false), fcParams(40));
    }, 120_000);
  }
  it('redis-7.0: CONFIG SET appendonly yes while a BGSAVE runs', () => {
    fc.assert(property('redis-7.0', true), fcParams(25));
  }, 120_000);

  // Found with AOFSIM_RUNS=30 (seeds 1 and 2): a SAVE whose rename failed left its dataset as the
  // save in progress, and the checker then took the next SAVE for that older dataset.
  it('a SAVE whose rename failed does not stand for the next SAVE (redis-7.0 and redis-4.0)', () => {
    const steps: Step[] = [{ kind: 'save' }, { kind: 'cmd', argv: ['INCR', 'na'] }, { kind: 'save' }, { kind: 'cmd', argv: ['RPUSH', 'la', 'x'] }];
    const fault: Fault = { kind: 'error', syscall: 'rename', path: '**/temp-*.rdb', nth: 1, code: 'ENOSPC' };
    for (const profile of ['redis-7.0', 'redis-4.0'] as const) {
      const r = runOnce(profile, 1, steps, { point: null, nth: 1, model: 'process-kill' }, fault);
      expect(r.crashed).toBe(true);
      expect(r.violations).toEqual([]);
    }
  });

  it('the runs crashed after saves and at the named points', () => {
    expect(coverage.runs).toBeGreaterThan(0);
    expect(coverage.crashedAfterSave / coverage.runs).toBeGreaterThan(0.3);
    expect(coverage.crashedAtPoint).toBeGreaterThan(0);
  });

  it('the checker has power: a dump.rdb replaced without fsync before the rename is caught after a power loss', () => {
    // A save that renames before its data is durable (what rdbSave's fsync prevents) loses the
    // snapshot on a power loss: the restart must not pass as if the snapshot survived.
    const brokenFactory: ServerFactory<AofConfig> = (deps, config) => {
      const fs = deps.fs;
      const noFsync = new Proxy(fs, {
        get(target, prop, recv) {
          if (prop !== 'open') return Reflect.get(target, prop, recv) as unknown;
          return (path: string, mode: Parameters<typeof fs.open>[1]) => {
            const h = target.open(path, mode);
            if (!/temp-\d+\.rdb$/.test(path)) return h;
            return new Proxy(h, { get: (t, p, r) => (p === 'fsync' ? () => {} : (Reflect.get(t, p, r) as unknown)) });
          };
        },
      });
      return new Server({ ...deps, fs: noFsync }, config, { directives: new Map([['save', SAVE]]) });
    };
    const w = new World<AofConfig>({ seed: 3, config: resolveAofConfig({ profile: 'redis-7.0', appendonly: false, dir: '/data' }), createServer: brokenFactory, files: { '/data/.keep': '' } });
    const oracle = new OracleTracker(['rdb-snapshot']);
    oracle.attach(w);
    w.start();
    w.settle([w.send(['SET', 'k', 'v'])]);
    w.settle([w.send(['SAVE'])]);
    w.crash({ model: 'strict' });
    w.restart();
    expect(oracle.describe().join('\n')).toMatch(/rdb-snapshot/);
  });
});
