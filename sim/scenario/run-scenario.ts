// Runs a scenario (scenario-types.ts) in a fresh simulated World and checks its expectations.
// Steps run in order; a failed expectation is recorded with its JSON path and the run goes on, so
// one replay reports every difference. The world (and its trace) is returned for timelines.
//
// Invariants: deterministic (the scenario's seed drives the world); every wait is bounded in
// virtual time (`timeoutMs`) and in scheduler steps; the run never reads the real clock.

import type { AofConfig } from '../../src/aof/config.ts';
import { canonicalDump } from '../../src/keyspace/canonical-dump.ts';
import { fromUtf8 } from '../../src/keyspace/types.ts';
import { joinPath } from '../../src/ports/fs.ts';
import type { CrashDecision } from '../crash/crash-decision.ts';
import { World, type ServerFactory } from '../world/world.ts';
import { formatReply } from '../world/reply-text.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { scenarioConfig, SCENARIO_DEFAULT_DIR } from './scenario-config.ts';
import type { CrashStep, Expectations, ReplyExpectation, Scenario } from './scenario-types.ts';

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
}

export interface RunScenarioOptions {
  createServer: ServerFactory<AofConfig>;
  /** File name for messages. */
  file?: string;
  trace?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function runScenario(scenario: Scenario, options: RunScenarioOptions): ScenarioResult {
  const file = options.file ?? `${scenario.name}.scenario.json`;
  const config = scenarioConfig(scenario.config, scenario.profile, scenario.bugs, file);
  const dir = config.dir || SCENARIO_DEFAULT_DIR;
  const abs = (p: string): string => (p.startsWith('/') ? p : joinPath(dir, p));
  const files: Record<string, string> = {};
  for (const [p, content] of Object.entries(scenario.files ?? {})) files[abs(p)] = content;
  const world = new World<AofConfig>({
    seed: scenario.seed,
    config,
    createServer: options.createServer,
    faults: { seed: scenario.seed, faults: scenario.faults },
    files,
    startMs: scenario.startMs,
    trace: options.trace ?? true,
  });
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

  world.note('step', `scenario ${scenario.name} (seed ${scenario.seed}, ${scenario.profile})`);
  if (world.fs.listFiles('visible').every((f) => !f.path.startsWith(`${dir}/`))) {
    // Redis's `dir` exists (durably) before the server starts.
    world.fs.mkdir(dir, true);
    world.fs.fsyncDir('/');
  }
  world.start();
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
      });
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
      const done = world.runUntil(() => (world.tasks?.childPids.length ?? 0) === 0, timeout);
      check(`${path}.waitForRewrite`, done, `the rewrite child was still running after ${timeout} virtual ms`);
      // The parent reaps the child and runs its done handler in serverCron.
      const hz = world.server?.hz ?? 10;
      if (world.processState === 'running') world.advance(2 * Math.ceil(1000 / hz) + 1);
    } else if ('crashAt' in step) {
      const c = step.crashAt;
      const trigger = c.atOp !== undefined ? { atOp: c.atOp } : { point: c.point!, nth: c.nth };
      world.crashAt(trigger, () => crashDecision(world, c, abs));
    } else if ('crash' in step) {
      const decision = crashDecision(world, step.crash, abs);
      world.crash(decision);
    } else if ('restart' in step) {
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
  return { scenario, ok: failures.length === 0, failures, checks, world };
}

function crashDecision(world: World<AofConfig>, c: CrashStep['crash'], abs: (p: string) => string): CrashDecision {
  if (c.model === 'process-kill') return { model: 'process-kill' };
  if (c.files === undefined && c.model !== 'strict') return world.worldFs.randomDecision(c.model, world.prng.stream('scenario-crash'), c.sectorBytes);
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

function checkExpectations(
  world: World<AofConfig>,
  e: Expectations,
  path: string,
  abs: (p: string) => string,
  check: (path: string, ok: boolean, message: string) => void,
): void {
  const now = world.nowMs();
  const server = world.server;
  if (e.keys !== undefined) {
    for (const [key, want] of Object.entries(e.keys)) {
      const p = `${path}.keys.${JSON.stringify(key)}`;
      if (!server) {
        check(p, false, 'no server has been started');
        continue;
      }
      const db = server.keyspace.db(0);
      const k = fromUtf8(key);
      const exp = db.expires.get(k);
      const v = exp !== undefined && exp <= now ? undefined : db.dict.get(k);
      const got = v === undefined ? null : v.type === 'string' ? Buffer.from(v.value, 'latin1').toString('utf8') : `<${v.type}>`;
      check(p, got === want, `expected ${JSON.stringify(want)}; got ${JSON.stringify(got)}`);
    }
  }
  if (e.dump !== undefined || e.dumpContains !== undefined) {
    if (!server) check(`${path}.dump`, false, 'no server has been started');
    else {
      const dump = canonicalDump(server.keyspace, now);
      if (e.dump !== undefined) {
        const got = normalize(dump.dbs);
        const want = normalize(e.dump.dbs);
        check(`${path}.dump`, got === want, `expected dbs ${want}; got ${got}`);
      }
      if (e.dumpContains !== undefined) {
        for (const [db, entries] of Object.entries(e.dumpContains.dbs)) {
          const have = ((dump.dbs as Record<string, unknown[]>)[db] ?? []).map(normalize);
          entries.forEach((entry, i) => {
            const want = normalize(entry);
            check(`${path}.dumpContains.dbs.${db}[${i}]`, have.includes(want), `expected entry ${want} in db ${db}; db has ${have.length} entries: ${have.join(', ').slice(0, 400)}`);
          });
        }
      }
    }
  }
  if (e.load !== undefined) {
    const last = world.loads.at(-1);
    check(`${path}.load`, last?.outcome === e.load, `expected load ${e.load}; got ${last ? `${last.outcome}${last.reason ? ` (${last.reason})` : ''}` : 'no start'}`);
  }
  if (e.process !== undefined) check(`${path}.process`, world.processState === e.process, `expected process ${e.process}; got ${world.processState}`);
  if (e.exited !== undefined) {
    const last = world.exits.at(-1);
    if (e.exited === false) check(`${path}.exited`, last === undefined, `expected no process exit; got exit ${last?.exitCode}: ${last?.reason}`);
    else {
      check(`${path}.exited`, last !== undefined, 'expected the process to exit by itself; it did not');
      if (last && e.exited.code !== undefined) check(`${path}.exited.code`, last.exitCode === e.exited.code, `expected exit code ${e.exited.code}; got ${last.exitCode}`);
      if (last && e.exited.reason !== undefined) check(`${path}.exited.reason`, last.reason.includes(e.exited.reason), `expected exit reason containing ${JSON.stringify(e.exited.reason)}; got ${JSON.stringify(last.reason)}`);
    }
  }
  for (const [i, s] of (e.log ?? []).entries()) {
    check(`${path}.log[${i}]`, world.logged(s).length > 0, `expected a log line containing ${JSON.stringify(s)}; none found`);
  }
  for (const [i, s] of (e.logAbsent ?? []).entries()) {
    const found = world.logged(s);
    check(`${path}.logAbsent[${i}]`, found.length === 0, `expected no log line containing ${JSON.stringify(s)}; found ${JSON.stringify(found[0]?.message)}`);
  }
  if (e.files !== undefined || e.fileContains !== undefined) {
    const visible = new Map(world.fs.listFiles('visible').map((f) => [f.path, f.data]));
    for (const [p, size] of Object.entries(e.files ?? {})) {
      const data = visible.get(abs(p));
      const got = data === undefined ? null : data.length;
      check(`${path}.files.${JSON.stringify(p)}`, got === size, `expected ${abs(p)} ${size === null ? 'absent' : `${size} bytes`}; got ${got === null ? 'absent' : `${got} bytes`}`);
    }
    for (const [p, subs] of Object.entries(e.fileContains ?? {})) {
      const data = visible.get(abs(p));
      const text = data === undefined ? null : Buffer.from(data).toString('latin1');
      subs.forEach((s, i) => {
        check(`${path}.fileContains.${JSON.stringify(p)}[${i}]`, text !== null && text.includes(s), `expected ${abs(p)} to contain ${JSON.stringify(s)}; ${text === null ? 'the file is absent' : `its ${text.length} bytes do not`}`);
      });
    }
  }
  for (const [name, n] of Object.entries(e.marks ?? {})) {
    const got = world.marks.get(name) ?? 0;
    const p = `${path}.marks.${JSON.stringify(name)}`;
    if (n === 0) check(p, got === 0, `expected mark ${name} never reached; got ${got}`);
    else check(p, got >= n, `expected mark ${name} reached at least ${n} times; got ${got}`);
  }
}

/** JSON with object keys sorted, so expectations need not follow the dump's key order. */
function normalize(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
