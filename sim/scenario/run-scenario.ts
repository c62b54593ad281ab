// Runs a scenario (scenario-types.ts) in a fresh simulated World and checks its expectations.
// Steps run in order; a failed expectation is recorded with its JSON path and the run goes on, so
// one replay reports every difference. The world (and its trace) is returned for timelines.
//
// Invariants: deterministic (the scenario's seed drives the world); every wait is bounded in
// virtual time (`timeoutMs`) and in scheduler steps; the run never reads the real clock.

import type { AofConfig } from '../../src/aof/config.ts';
import { fromUtf8 } from '../../src/keyspace/types.ts';
import { joinPath } from '../../src/ports/fs.ts';
import type { CrashDecision } from '../crash/crash-decision.ts';
import { World, type ServerFactory } from '../world/world.ts';
import type { WorldReuse } from '../world/world-reuse.ts';
import { formatReply } from '../trace/reply-text.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { ScenarioError } from './parse-scenario.ts';
import { scenarioConfig, SCENARIO_DEFAULT_DIR } from './scenario-config.ts';
import type { CrashStep, ReplyExpectation, Scenario } from './scenario-types.ts';
import { checkExpectations } from './check-expectations.ts';
import { OracleTracker } from '../oracle/tracker.ts';

export interface ScenarioFailure {
  /** JSON path of the expectation, e.g. `$.steps[4].replies[1]`. */
  path: string;
  message: string;
}

export interface ScenarioResult {
  scenario: Scenario;
  ok: boolean;
  failures: ScenarioFailure[];
  /** Expectations checked. */
  checks: number;
  world: World<AofConfig>;
  /** The oracle tracker when the scenario asked for one (`oracle`). */
  tracker?: OracleTracker | null;
}

export interface RunScenarioOptions {
  createServer: ServerFactory<AofConfig>;
  /** File name for messages. */
  file?: string;
  trace?: boolean;
  /** Shared with the runs before and after this one (world-reuse.ts); the result's world is then valid until the next run. */
  reuse?: WorldReuse;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** A scenario's world, started on its files, with its oracle attached; its steps not run yet. */
export interface ScenarioWorld {
  world: World<AofConfig>;
  tracker: OracleTracker | null;
  /** A path of the scenario (relative to the server's dir unless absolute) as an absolute path. */
  abs: (p: string) => string;
}

/** Builds and starts the world a scenario describes (config, bug switches, files, faults, oracle). */
export function openScenarioWorld(scenario: Scenario, options: RunScenarioOptions): ScenarioWorld {
  const file = options.file ?? `${scenario.name}.scenario.json`;
  const config = scenarioConfig(scenario.config, scenario.profile, scenario.bugs, file);
  const dir = config.dir || SCENARIO_DEFAULT_DIR;
  const abs = (p: string): string => (p.startsWith('/') ? p : joinPath(dir, p));
  const files: Record<string, string> = {};
  for (const [p, content] of Object.entries(scenario.files ?? {})) files[abs(p)] = content;
  // The oracle (sim/campaign) observes through the world's hooks (server events, requests, syscalls).
  const tracker = scenario.oracle === undefined ? null : new OracleTracker(scenario.oracle === true ? undefined : scenario.oracle);
  const world = new World<AofConfig>({
    seed: scenario.seed,
    config,
    createServer: options.createServer,
    faults: { seed: scenario.seed, faults: scenario.faults },
    files,
    startMs: scenario.startMs,
    trace: options.trace ?? true,
    reuse: options.reuse,
  });
  if (tracker) tracker.attach(world);
  world.note('step', `scenario ${scenario.name} (seed ${scenario.seed}, ${scenario.profile})`);
  if (world.fs.listFiles('visible').every((f) => !f.path.startsWith(`${dir}/`))) {
    // Redis's `dir` exists (durably) before the server starts.
    world.fs.mkdir(dir, true);
    world.fs.fsyncDir('/');
  }
  world.start();
  return { world, tracker, abs };
}

export function runScenario(scenario: Scenario, options: RunScenarioOptions): ScenarioResult {
  const { world, tracker, abs } = openScenarioWorld(scenario, options);
  const failures: ScenarioFailure[] = [];
  let checks = 0;
  const check = (path: string, ok: boolean, message: string): void => {
    checks++;
    if (!ok) failures.push({ path, message });
  };
  const checkReply = (path: string, expected: ReplyExpectation, got: Reply | null): void => {
    const text = got === null ? null : formatReply(got);
    const ok = expected === null ? got === null : typeof expected === 'string' ? text === expected : text !== null && text.startsWith(expected.startsWith);
    check(path, ok, `expected reply ${JSON.stringify(expected)}; got ${text === null ? 'no reply (connection closed)' : JSON.stringify(text)}`);
  };

  scenario.steps.forEach((step, i) => {
    const path = `$.steps[${i}]`;
    if ('commands' in step) {
      const client = step.client ?? 0;
      const timeout = step.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const reqs = [];
      if (step.pipeline) {
        for (const c of step.commands) reqs.push(world.send(c.map(fromUtf8), client));
        world.settle(reqs, timeout);
      } else {
        for (const c of step.commands) {
          const r = world.send(c.map(fromUtf8), client);
          reqs.push(r);
          world.settle([r], timeout);
        }
      }
      reqs.forEach((r, j) => {
        if (r.state === 'queued' || r.state === 'executed') {
          check(`${path}.commands[${j}]`, false, `no reply within ${timeout} virtual ms (state ${r.state})`);
        } else if (step.replies) checkReply(`${path}.replies[${j}]`, step.replies[j], r.reply);
        else {
          // A command name the profile does not know is most likely a typo: without a reply
          // expectation that asks for the error, it would test nothing and pass. (The reply is
          // formatted only then: the campaign runs every generated run through here.)
          const reply = r.reply;
          if (reply !== null && reply.kind === 'error' && reply.value.startsWith('ERR unknown command')) {
            check(`${path}.commands[${j}][0]`, false, `${JSON.stringify(step.commands[j][0])} is not a command of ${scenario.profile} (${formatReply(reply)}); fix the name, or give "replies" to expect that error`);
          }
        }
      });
    } else if ('clockJump' in step) {
      world.jumpWallClock(step.clockJump);
    } else if ('tick' in step) {
      world.note('tick', `+${step.tick}ms`);
      world.advance(step.tick);
    } else if ('rewrite' in step) {
      const opts = step.rewrite === true ? {} : step.rewrite;
      const r = world.send(['BGREWRITEAOF'], opts.client ?? 0);
      world.settle([r], DEFAULT_TIMEOUT_MS);
      if (opts.reply !== undefined) checkReply(`${path}.rewrite.reply`, opts.reply, r.reply);
    } else if ('waitForRewrite' in step) {
      const timeout = step.waitForRewrite === true ? DEFAULT_TIMEOUT_MS : (step.waitForRewrite.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      world.note('step', 'wait for the rewrite child to exit and be reaped');
      const done = waitForRewrite(world, timeout);
      check(`${path}.waitForRewrite`, done, `the rewrite child was still running after ${timeout} virtual ms`);
    } else if ('crashAt' in step) {
      const c = step.crashAt;
      const trigger = c.atOp !== undefined ? { atOp: c.atOp } : { point: c.point!, nth: c.nth };
      world.crashAt(trigger, () => crashDecision(world, c, abs));
    } else if ('crash' in step) {
      const decision = crashDecision(world, step.crash, abs);
      world.crash(decision);
    } else if ('restart' in step) {
      // A step the world cannot take is the file's mistake: say which step, as parse errors do.
      if (world.processState === 'running') {
        throw new ScenarioError(options.file ?? `${scenario.name}.scenario.json`, `${path}.restart`, 'the server is running: a restart needs a crash step before it (or a server that exited)');
      }
      const load = world.restart();
      if (step.restart !== true && step.restart.load !== undefined) {
        check(`${path}.restart.load`, load.outcome === step.restart.load, `expected load ${step.restart.load}; got ${load.outcome}${load.reason ? ` (${load.reason})` : ''}`);
      }
    } else if ('quota' in step) {
      world.note('step', step.quota === null ? 'quota lifted (space freed)' : `quota ${step.quota} bytes`);
      world.injector.setQuota(step.quota);
    } else if ('expect' in step) {
      checkExpectations(world, step.expect, `${path}.expect`, abs, check);
    }
  });
  if (scenario.expect) checkExpectations(world, scenario.expect, '$.expect', abs, check);
  if (tracker) {
    checks += tracker.crashChecks;
    for (const line of tracker.describe()) failures.push({ path: '$.oracle', message: line });
  }
  return { scenario, ok: failures.length === 0, failures, checks, world, tracker };
}

/**
 * Runs until no rewrite child is left, then (server still running) two serverCron periods more so
 * the parent reaps the child and runs its done handler. False when a child was still running
 * after `timeoutMs` virtual ms (the cron periods still pass).
 */
export function waitForRewrite(world: World<AofConfig>, timeoutMs: number): boolean {
  const done = world.runUntil(() => (world.tasks?.childPids.length ?? 0) === 0, timeoutMs);
  const hz = world.server?.hz ?? 10;
  if (world.processState === 'running') world.advance(2 * Math.ceil(1000 / hz) + 1);
  return done;
}

/** The crash decision a crash step asks for: given files and dirs, or drawn from the seed's crash stream. */
export function crashDecision(world: World<AofConfig>, c: CrashStep['crash'], abs: (p: string) => string): CrashDecision {
  if (c.model === 'process-kill') return { model: 'process-kill' };
  if (c.random === true || (c.files === undefined && c.model !== 'strict')) return world.worldFs.randomDecision(c.model, world.prng.stream('scenario-crash'), c.sectorBytes);
  const byIno = <T>(m: Record<string, T> | undefined): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(m ?? {})) {
      const ino = /^\d+$/.test(k) ? Number(k) : world.worldFs.inoOf(abs(k));
      if (ino !== undefined) out[String(ino)] = v;
    }
    return out;
  };
  const dirs = byIno(c.dirs);
  const files = byIno(c.files) as never;
  switch (c.model) {
    case 'strict':
      return { model: 'strict', dirs };
    case 'torn':
      return c.sectorBytes === undefined ? { model: 'torn', files, dirs } : { model: 'torn', sectorBytes: c.sectorBytes, files, dirs };
    default:
      return { model: c.model, files, dirs } as CrashDecision;
  }
}
