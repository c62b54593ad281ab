// Library API, properties and scenarios: the campaign's properties (sim/campaign/properties.ts, the
// same ones `aofsim run` and the repository's suites check) run from a user's own test with their
// seed and budget (sim/campaign/run-property.ts checkProperty); scenario files run in the simulator
// (sim/scenario runScenario, as `aofsim replay` does); the bug switches a world or a property may
// turn on (src/aof/bugs.ts).
//
// Invariants: nothing here touches the disk or the real clock (a failing property returns its
// counterexample as scenario text; the caller decides where to write it); every name a user gives
// (property, bug switch, config option, scenario field) is checked before anything runs, and an
// unknown one is an Error that lists the known ones.

import { BUG_SWITCHES, isBugSwitch } from '../src/aof/bugs.ts';
import { PROPERTIES } from '../sim/campaign/properties.ts';
import { checkProperty as checkSimProperty, describeOutcome } from '../sim/campaign/run-property.ts';
import { parseScenario, validateScenario } from '../sim/scenario/parse-scenario.ts';
import { runScenario as runSimScenario } from '../sim/scenario/run-scenario.ts';
import { createAofServer, type Profile } from './world.ts';

export interface PropertyInfo {
  name: string;
  /** The invariant, one sentence. */
  invariant: string;
}

/** The campaign's properties, by name. */
export function listProperties(): PropertyInfo[] {
  return PROPERTIES.map((p) => ({ name: p.name, invariant: p.invariant }));
}

export interface BugSwitchInfo {
  name: string;
  /** The Redis issue or spec section it comes from. */
  source: string;
  /** What goes wrong when it is on. */
  symptom: string;
  /** The profiles whose code consults it. */
  profiles: readonly Profile[];
}

/** The historical Redis bugs a world or property can bring back (`bugs: [...]`). */
export function listBugSwitches(): BugSwitchInfo[] {
  return BUG_SWITCHES.map((b) => ({ name: b.name, source: b.source, symptom: b.symptom, profiles: b.profiles }));
}

export interface PropertyOptions {
  profile: Profile;
  appendfsync: 'always' | 'everysec' | 'no';
  /** aof-use-rdb-preamble (default false). */
  preamble?: boolean;
  /** fast-check's seed (default 1). */
  seed?: number;
  /** Generated runs (default 10). */
  numRuns?: number;
  /** Bug switches to turn on: the property should then fail. */
  bugs?: readonly string[];
  /** fast-check path of a counterexample, to replay only it (with its seed). */
  path?: string;
}

export interface PropertyResult {
  property: string;
  ok: boolean;
  runs: number;
  seed: number;
  /** fast-check's path to the shrunk counterexample (with `seed`, replays it). */
  path?: string;
  /** Why the shrunk counterexample failed. */
  message?: string;
  /** The shrunk counterexample as scenario file text: save it and run `aofsim replay FILE --timeline`. */
  scenario?: string;
  /** A readable report: property, combination, seed, path, message (empty when ok). */
  report: string;
}

/** Checks one of the campaign's properties for one profile, fsync policy and preamble setting. */
export function checkProperty(name: string, options: PropertyOptions): PropertyResult {
  const def = PROPERTIES.find((p) => p.name === name);
  if (def === undefined) throw new Error(`aofsim: unknown property ${JSON.stringify(name)}; expected one of ${PROPERTIES.map((p) => p.name).join(', ')}`);
  for (const b of options.bugs ?? []) {
    if (!isBugSwitch(b)) throw new Error(`aofsim: unknown bug switch ${JSON.stringify(b)}; expected one of ${BUG_SWITCHES.map((s) => s.name).join(', ')}`);
  }
  if (options.profile !== 'redis-4.0' && options.profile !== 'redis-7.0') throw new Error(`aofsim: profile must be redis-4.0 or redis-7.0, got ${JSON.stringify(options.profile)}`);
  if (!['always', 'everysec', 'no'].includes(options.appendfsync)) throw new Error(`aofsim: appendfsync must be always, everysec or no, got ${JSON.stringify(options.appendfsync)}`);
  const numRuns = options.numRuns ?? 10;
  if (!Number.isInteger(numRuns) || numRuns < 1) throw new Error(`aofsim: numRuns must be a positive integer, got ${numRuns}`);
  const combo = { profile: options.profile, policy: options.appendfsync, preamble: options.preamble ?? false };
  const o = checkSimProperty(def, combo, {
    createServer: createAofServer,
    seed: options.seed ?? 1,
    numRuns,
    bugs: options.bugs ?? [],
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  const ok = o.failures === 0;
  return {
    property: o.property,
    ok,
    runs: o.runs,
    seed: o.seed,
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(o.message !== undefined ? { message: o.message } : {}),
    ...(o.scenario !== undefined ? { scenario: JSON.stringify(o.scenario, null, 2) + '\n' } : {}),
    report: ok ? '' : describeOutcome(o),
  };
}

export interface ScenarioOutcome {
  name: string;
  ok: boolean;
  /** Expectations (and oracle checks) evaluated. */
  checks: number;
  /** Each failed expectation with its JSON path in the scenario (`$.steps[4].replies[1]`). */
  failures: { path: string; message: string }[];
  /** The run's trace as a readable timeline. */
  timeline: string;
}

/**
 * Runs a scenario (docs/formats.md; the text of a `*.scenario.json` file or its parsed value) in
 * the simulator and checks its expectations. `file` names it in messages. Throws an Error with the
 * file and JSON path when the scenario is invalid.
 */
export function runScenario(scenario: string | object, options: { file?: string } = {}): ScenarioOutcome {
  const file = options.file ?? 'scenario';
  const parsed = typeof scenario === 'string' ? parseScenario(scenario, file) : validateScenario(scenario, file);
  const r = runSimScenario(parsed, { createServer: createAofServer, file, trace: true });
  return { name: parsed.name, ok: r.ok, checks: r.checks, failures: r.failures, timeline: r.world.trace.timeline() };
}
