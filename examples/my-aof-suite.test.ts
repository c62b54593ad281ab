// An example of a property suite of your own, built on aofsim's library API (README, "Use it in
// your project"). Copy it into your project next to `npm install --save-dev aofsim`, run it with
// `npx vitest run`. It shows:
//   1. a property of your own over generated workloads, crashes and restarts in the simulated world;
//   2. crash decisions drawn by fast-check, so a failure shrinks to the fewest surviving writes, and
//      a historical Redis bug switched back on, which the same property catches;
//   3. a generated fault plan (short writes, ENOSPC, EIO) with aofsim's recovery oracle watching;
//   4. one of aofsim's own campaign properties run with your seed and budget; a scenario replayed;
//   5. the world's files handed to the offline loader and checker.
// AOFSIM_SEED=<n> changes the seed of the generated properties (default 1).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAof,
  checkProperty,
  crashDecisionArbitrary,
  createWorld,
  faultPlanArbitrary,
  listBugSwitches,
  loadAof,
  runScenario,
  workloadArbitrary,
  type CanonicalDump,
  type CrashDecision,
  type SimWorld,
} from 'aofsim';

const seed = Number(process.env.AOFSIM_SEED || 1);

/** Sends every command of a workload, one reply at a time. */
function play(world: SimWorld, workload: string[][]): void {
  for (const argv of workload) world.call(argv);
}

describe('my AOF suite', () => {
  it('appendfsync always: a process kill loses nothing that was acknowledged', () => {
    fc.assert(
      fc.property(workloadArbitrary({ profile: 'redis-7.0', maxCommands: 12 }), fc.boolean(), (workload, preamble) => {
        const world = createWorld({ profile: 'redis-7.0', config: { appendfsync: 'always', 'aof-use-rdb-preamble': preamble ? 'yes' : 'no' } });
        play(world, workload);
        const atMs = world.nowMs();
        const before = world.dump(atMs);
        world.crash('process-kill');
        expect(world.restart().ok).toBe(true);
        // Compared at the crash time, so keys that expired since are judged alike on both sides.
        expect(world.dump(atMs)).toEqual(before);
      }),
      { seed, numRuns: 25 },
    );
  });

  it('appendfsync always: any power loss keeps every acknowledged write (crash decisions shrink)', () => {
    // A crash decision says which pending writes survive, so it is drawn from the world the
    // workload built; the property builds that world again (same inputs, same world) and crashes it.
    const setup = (workload: string[][], bugs: string[] = []): SimWorld => {
      const world = createWorld({ profile: 'redis-7.0', config: { appendfsync: 'always' }, bugs, oracle: ['recovery'] });
      play(world, workload);
      world.waitForRewrite();
      return world;
    };
    const powerLoss = (bugs: string[] = []) =>
      fc.property(
        workloadArbitrary({ profile: 'redis-7.0', maxCommands: 8, rewrites: true }).chain((workload) =>
          crashDecisionArbitrary(setup(workload, bugs), { models: ['strict', 'prefix', 'torn'], sectorBytes: 16 }).map((crash) => [workload, crash] as const),
        ),
        ([workload, crash]: readonly [string[][], CrashDecision]) => {
          const world = setup(workload, bugs);
          world.crash(crash);
          world.restart();
          expect(world.violations()).toEqual([]);
        },
      );
    fc.assert(powerLoss(), { seed, numRuns: 25 });

    // The same property with a historical Redis bug switched back on (redis/redis#10737: the
    // manifest's directory never fsynced) fails, and shrinks to one write (or MULTI block) and one crash.
    expect(listBugSwitches().map((b) => b.name)).toContain('no-dir-fsync');
    const found = fc.check(powerLoss(['no-dir-fsync']), { seed, numRuns: 25 });
    expect(found.failed).toBe(true);
    expect(found.counterexample?.[0][0].length).toBeLessThanOrEqual(5);
  });

  it('everysec under short writes, ENOSPC and EIO: no garbage, MISCONF clears, recovery holds', () => {
    const faults = faultPlanArbitrary(
      { paths: ['re:\\.aof$'], horizonOps: 30, errorSyscalls: ['write', 'fsync', 'fdatasync'], errorCodes: ['EIO', 'ENOSPC'], crashModels: [] },
      2,
    );
    fc.assert(
      fc.property(workloadArbitrary({ profile: 'redis-4.0', maxCommands: 10 }), faults, (workload, plan) => {
        const world = createWorld({ profile: 'redis-4.0', config: { appendfsync: 'everysec' }, faults: plan, oracle: true });
        play(world, workload);
        world.advance(5000);
        world.crash('process-kill');
        world.restart();
        expect(world.violations()).toEqual([]);
      }),
      { seed, numRuns: 25 },
    );
  });

  it("aofsim's own campaign property, with this suite's seed and budget", () => {
    const r = checkProperty('acked-writes-survive', { profile: 'redis-7.0', appendfsync: 'always', preamble: true, seed, numRuns: 5 });
    expect(r.report).toBe('');
    expect(r).toMatchObject({ ok: true, runs: 5 });
  });

  it('a scenario: a written but unsynced tail is lost to a strict power loss under appendfsync no', () => {
    const r = runScenario({
      name: 'no-fsync-tail-lost',
      source: 'my suite',
      profile: 'redis-7.0',
      config: { appendonly: 'yes', appendfsync: 'no' },
      bugs: [],
      seed: 1,
      faults: [],
      steps: [
        { commands: [['SET', 'a', '1']], replies: ['OK'] },
        { crash: { model: 'strict' } },
        { restart: true },
        { expect: { keys: { a: null }, load: 'ok' } },
      ],
    });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.timeline).toContain('SET');
  });

  it("the world's files load, offline, to the live state", () => {
    const world = createWorld({ profile: 'redis-7.0', config: { appendfsync: 'always' } });
    world.pipeline([['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'f', 'v'], ['BGREWRITEAOF'], ['INCR', 'n']]);
    expect(world.waitForRewrite()).toBe(true);
    const files = world.files();
    expect(Object.keys(files)).toContain('appendonlydir/appendonly.aof.manifest');
    expect(checkAof(files).ok).toBe(true);
    const atMs = world.nowMs();
    const loaded = loadAof(files, { atMs });
    expect(loaded.status).toBe('ok');
    expect(JSON.parse(loaded.dump!) as CanonicalDump).toEqual(world.dump(atMs));
  });
});
