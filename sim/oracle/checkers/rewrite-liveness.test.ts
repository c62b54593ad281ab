import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../../../src/aof/config.ts';
import { ForkError, type ChildProgram, type Tasks } from '../../../src/ports/tasks.ts';
import { parseScenario } from '../../scenario/parse-scenario.ts';
import { runScenario } from '../../scenario/run-scenario.ts';
import { loadServerFactory } from '../../world/server-factory.ts';
import type { ServerFactory } from '../../world/world.ts';
import { ORACLE_CHECKS } from '../checks.ts';

/** A life that asks for every kind of rewrite: BGREWRITEAOF, scheduled ones, an enable. */
function scenario(profile: 'redis-4.0' | 'redis-7.0', faults: unknown[] = []): string {
  const wait = { waitForRewrite: { timeoutMs: 20_000 } };
  return JSON.stringify({
    name: 'rewrite-liveness',
    source: 'sim/oracle/checkers/rewrite-liveness.test.ts',
    profile,
    config: { appendonly: 'yes', appendfsync: 'everysec' },
    seed: 7,
    faults,
    oracle: ORACLE_CHECKS,
    steps: [
      { commands: [['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y']] },
      { rewrite: true },
      wait,
      // Scheduled behind an RDB child (both), then inside EXEC (7.0; 4.0 forks at once).
      { commands: [['BGSAVE'], ['BGREWRITEAOF']], pipeline: true },
      wait,
      wait,
      { commands: [['MULTI'], ['SET', 'b', '2'], ['BGREWRITEAOF'], ['EXEC']], pipeline: true },
      { tick: 500 },
      wait,
      { commands: [['CONFIG', 'SET', 'appendonly', 'no'], ['SET', 'c', '3'], ['CONFIG', 'SET', 'appendonly', 'yes'], ['INCR', 'n']] },
      wait,
      { tick: 1500 },
      { crash: { model: 'process-kill' } },
      { restart: true },
    ],
  });
}

let real: ServerFactory<AofConfig>;
beforeAll(async () => {
  real = await loadServerFactory();
});

function run(text: string, createServer: ServerFactory<AofConfig>): { violations: string[]; injected: Record<string, number | undefined> } {
  const r = runScenario(parseScenario(text, 'rewrite-liveness.scenario.json'), { createServer });
  return { violations: r.tracker!.violations.map((v) => `[${v.check}] ${v.message}`), injected: r.world.injector.countsByKind() };
}

function violations(text: string, createServer: ServerFactory<AofConfig>): string[] {
  return run(text, createServer).violations;
}

/** A server built on other Tasks (the broken part of each case). */
function withTasks(wrap: (inner: Tasks) => Tasks): ServerFactory<AofConfig> {
  return (deps, config) => real({ ...deps, tasks: wrap(deps.tasks) }, config);
}

function tasksWith(inner: Tasks, fork: Tasks['fork']): Tasks {
  const t: Tasks = Object.create(inner) as Tasks;
  t.fork = fork;
  return t;
}

/** A child that exits 1 at once, having written nothing (no fault made it fail). */
function* givesUp(): Generator<never, number, void> {
  return 1;
}

const PROFILES = ['redis-4.0', 'redis-7.0'] as const;

describe("checker 'rewrite-liveness'", () => {
  it.each(PROFILES)('holds for %s: every rewrite asked for runs and switches in, the enable completes', (profile) => {
    expect(violations(scenario(profile), real)).toEqual([]);
  });

  it.each(PROFILES)('excuses %s refusals and failures an injected fault explains (fork failures, a killed child)', (profile) => {
    const faults = [
      { kind: 'fork-failure', nth: 1 },
      { kind: 'child-killed', nth: 2, afterSteps: 0 },
      { kind: 'fork-failure', nth: 4 },
    ];
    const r = run(scenario(profile, faults), real);
    expect(r.injected).toMatchObject({ 'fork-failure': 2, 'child-killed': 1 });
    expect(r.violations).toEqual([]);
  });

  it.each(PROFILES)('finds a %s server whose fork fails with nothing injected: BGREWRITEAOF and the enable refused', (profile) => {
    const broken = withTasks((inner) =>
      tasksWith(inner, () => {
        throw new ForkError('Cannot allocate memory');
      }),
    );
    const v = violations(scenario(profile), broken);
    expect(v).toContainEqual(expect.stringMatching(/^\[rewrite-liveness\] BGREWRITEAOF \(command #\d+\) was refused/));
    expect(v).toContainEqual(expect.stringMatching(/^\[rewrite-liveness\] CONFIG SET appendonly yes \(command #\d+\) was refused/));
  });

  it.each(PROFILES)('finds a %s server whose rewrite child gives up with nothing injected', (profile) => {
    const broken = withTasks((inner) => tasksWith(inner, (_program: ChildProgram, job) => inner.fork(() => givesUp(), job)));
    expect(violations(scenario(profile), broken)).toContainEqual(expect.stringContaining('ended without its rewrite being switched in'));
  });

  it('finds a server whose serverCron never reaps the exited child', () => {
    const broken: ServerFactory<AofConfig> = (deps, config) => {
      const s = real(deps, config);
      s.cron = () => s.beforeSleep();
      return s;
    };
    expect(violations(scenario('redis-7.0'), broken)).toContainEqual(expect.stringContaining('but the server still reports aof_rewrite_in_progress:1'));
  });

  it.each(PROFILES)('finds a %s server whose serverCron never starts a scheduled rewrite', (profile) => {
    const broken: ServerFactory<AofConfig> = (deps, config) => {
      const s = real(deps, config);
      const inner = s as unknown as { state: { aofRewriteScheduled: boolean; aofChildPid: number }; serverCron(): void };
      const st = inner.state;
      // serverCron runs, but what was scheduled stays scheduled and unstarted (then the
      // iteration's beforeSleep, as Server.cron does).
      s.cron = () => {
        const scheduled = st.aofRewriteScheduled;
        st.aofRewriteScheduled = false;
        inner.serverCron();
        if (scheduled && st.aofChildPid === -1) st.aofRewriteScheduled = true;
        s.beforeSleep();
      };
      return s;
    };
    expect(violations(scenario(profile), broken)).toContainEqual(expect.stringContaining('a rewrite has been scheduled (aof_rewrite_scheduled:1) with no child running'));
  });
});
