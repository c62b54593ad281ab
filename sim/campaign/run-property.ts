// Checks one property (properties.ts) for one profile/policy/preamble combination with fast-check:
// each generated ModelRun becomes a scenario (model-run.ts toScenario) and runs in the scenario
// runner with the oracle attached; a run passes when the scenario has no failure. Determinism runs
// the scenario twice with tracing on (once in a reused world, once in a fresh one) and compares the
// trace hashes. The runs of one check share a WorldReuse (sim/world/world-reuse.ts).
//
// On failure the outcome carries fast-check's seed and path (replay: same seed + path, numRuns 1)
// and the shrunk counterexample as a scenario whose `aofsim replay` reproduces it. Nothing here
// touches the disk or the real clock: callers write the file (cli/failure-file.ts).

import fc from 'fast-check';
import type { AofConfig } from '../../src/aof/config.ts';
import type { ServerFactory } from '../world/world.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { WorldReuse } from '../world/world-reuse.ts';
import type { Scenario } from '../scenario/scenario-types.ts';
import { comboLabel, countInjections, modelRunArb, toScenario, type Combo, type ModelRun } from './model-run.ts';
import type { PropertyDef } from './properties.ts';

/** What one run reports for the progress counters. */
export interface RunInfo {
  ok: boolean;
  faults: number;
  crashes: number;
  crashChecks: number;
}

export interface PropertyCheckOptions {
  createServer: ServerFactory<AofConfig>;
  seed: number;
  numRuns: number;
  bugs?: readonly string[];
  /** fast-check path to replay one counterexample. */
  path?: string;
  /** Called after every run (progress counters). */
  onRun?: (info: RunInfo) => void;
  /** Stop early (wall-clock budgets live in the caller). */
  interrupted?: () => boolean;
}

export interface PropertyOutcome {
  property: string;
  combo: Combo;
  runs: number;
  failures: number;
  seed: number;
  path?: string;
  /** The shrunk counterexample, ready to be written as a scenario file. */
  scenario?: Scenario;
  /** Why it failed (scenario failures or the exception). */
  message?: string;
  /** Number of actions of the shrunk counterexample. */
  shrunkLength?: number;
  numShrinks?: number;
}

export function scenarioFor(def: PropertyDef, run: ModelRun, bugs: readonly string[], source?: string): Scenario {
  const c = run.combo;
  const tag = `${c.profile.replace('redis-', 'r')}-${c.policy}-${c.preamble ? 'preamble' : 'resp'}`;
  return toScenario(run, {
    name: `${def.name}-${tag}-${run.seed}`,
    source: source ?? `aofsim property ${def.name} (sim/campaign/properties.ts)`,
    description: def.invariant,
    bugs,
    oracle: def.kind === 'oracle' ? def.checks : [],
  });
}

/** Runs one model run; returns failure text or null. */
export function runOnce(
  def: PropertyDef,
  run: ModelRun,
  createServer: ServerFactory<AofConfig>,
  bugs: readonly string[],
  reuse?: WorldReuse,
): { failure: string | null; crashChecks: number } {
  const scenario = scenarioFor(def, run, bugs);
  if (def.kind === 'determinism') {
    // The first run in a reused world, the second in a fresh one: reuse must not change a byte either.
    const ha = runScenario(scenario, { createServer, trace: true, reuse }).world.trace.hash();
    const hb = runScenario(scenario, { createServer, trace: true }).world.trace.hash();
    return { failure: ha === hb ? null : `same run, different traces: ${ha.slice(0, 12)} vs ${hb.slice(0, 12)}`, crashChecks: 0 };
  }
  const r = runScenario(scenario, { createServer, trace: false, reuse });
  const crashChecks = r.tracker?.crashChecks ?? 0;
  if (r.ok) return { failure: null, crashChecks };
  return { failure: r.failures.map((f) => `${f.path}: ${f.message}`).join('\n'), crashChecks };
}

export function checkProperty(def: PropertyDef, combo: Combo, opts: PropertyCheckOptions): PropertyOutcome {
  const bugs = opts.bugs ?? [];
  let runs = 0;
  let lastFailure: string | null = null;
  // The runs of one property follow one another: they share a clock (and whatever else WorldReuse holds).
  const reuse = new WorldReuse();
  const prop = fc.property(modelRunArb(def.shape, combo), (run) => {
    if (opts.interrupted?.()) fc.pre(false);
    let res: { failure: string | null; crashChecks: number };
    try {
      res = runOnce(def, run, opts.createServer, bugs, reuse);
    } catch (e) {
      res = { failure: `exception: ${(e as Error).stack ?? String(e)}`, crashChecks: 0 };
    }
    runs++;
    const inj = countInjections(run);
    opts.onRun?.({ ok: res.failure === null, faults: inj.faults, crashes: inj.crashes, crashChecks: res.crashChecks });
    if (res.failure !== null) lastFailure = res.failure;
    return res.failure === null;
  });
  const details = fc.check(prop, {
    seed: opts.seed,
    numRuns: opts.numRuns,
    ...(opts.path ? { path: opts.path } : {}),
    endOnFailure: false,
    maxSkipsPerRun: 1_000_000,
  });
  const outcome: PropertyOutcome = { property: def.name, combo, runs, failures: details.failed ? 1 : 0, seed: opts.seed };
  if (details.failed && details.counterexample) {
    const run = details.counterexample[0];
    outcome.path = details.counterexamplePath ?? undefined;
    outcome.numShrinks = details.numShrinks;
    outcome.shrunkLength = run.actions.length;
    // Re-run the shrunk counterexample alone for its own failure text.
    let message = lastFailure ?? 'failed';
    try {
      message = runOnce(def, run, opts.createServer, bugs).failure ?? message;
    } catch (e) {
      message = `exception: ${(e as Error).message}`;
    }
    outcome.message = message;
    outcome.scenario = scenarioFor(
      def,
      run,
      bugs,
      `aofsim property ${def.name} (${comboLabel(combo)}), fast-check seed ${opts.seed} path ${outcome.path}${bugs.length ? `, bug switches ${bugs.join(',')}` : ''}`,
    );
  } else if (details.failed) {
    outcome.message = "failed without a counterexample";
  }
  return outcome;
}

/** A readable failure report: property, combination, seed, fast-check path, message. */
export function describeOutcome(o: PropertyOutcome): string {
  return [
    `property ${o.property} failed (${comboLabel(o.combo)})`,
    `  seed: ${o.seed}  path: ${o.path ?? '-'}  shrunk to ${o.shrunkLength ?? '?'} actions after ${o.numShrinks ?? 0} shrinks`,
    ...(o.message ?? '').split('\n').slice(0, 12).map((l) => `  ${l}`),
  ].join('\n');
}
