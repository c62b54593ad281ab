// The campaign loop shared by `aofsim run` and bench/detect: rounds over every cell (a world
// property x profile/policy/preamble combination, or an offline loader property), each round a
// small fast-check batch per cell with its own seed derived from the base seed, until
// `shouldStop()` (the caller's wall-clock budget) or, with `runsPerCombo`, after that one batch.
// A cell that fails is retired (its shrunk counterexample kept); the others go on, so one run
// collects every distinct finding (findings.ts groups them), unless `stopAtFirstFailure`.
//
// Invariants: no clock here (budgets live in the caller); with `runsPerCombo` the result is a pure
// function of (seed, runsPerCombo, defs, combos, offline, bugs): batch seeds depend only on the
// seed, the round and the cell's indexes, never on timing, so the campaign can be sharded by cell.
// A cell never run is reported with runs 0 (callers must not call it held).

import fc from 'fast-check';
import type { AofConfig } from '../../src/aof/config.ts';
import type { ServerFactory } from '../world/world.ts';
import type { Scenario } from '../scenario/scenario-types.ts';
import { comboLabel, type Combo } from './model-run.ts';
import type { OfflineProperty } from './offline/index.ts';
import type { PropertyDef } from './properties.ts';
import { checkProperty, type PropertyOutcome, type RunInfo } from './run-property.ts';

/** Offline runs per world run in a batch: an offline run costs ~8 ms, a world run ~30 ms, so a round gives each cell about the same time. */
export const OFFLINE_RUNS_PER_WORLD_RUN = 4;

export interface CampaignOptions {
  createServer: ServerFactory<AofConfig>;
  seed: number;
  defs: readonly PropertyDef[];
  combos: readonly Combo[];
  /** Offline loader properties (sim/campaign/offline), one cell each. */
  offline?: readonly OfflineProperty[];
  bugs?: readonly string[];
  /** Runs per cell (one batch); null: rounds of `batch` until shouldStop. */
  runsPerCombo: number | null;
  batch?: number;
  shouldStop: () => boolean;
  /** End at the first failure (bench/detect's time-to-detection). */
  stopAtFirstFailure?: boolean;
  /** Replay one counterexample: every cell runs once with this fast-check seed and path. */
  replay?: { seed: number; path: string };
  onRun?: (info: RunInfo) => void;
  onBatch?: (cell: CampaignCell, outcome: CellOutcome) => void;
}

/** One unit of the campaign: a property on one combination ('offline' for loader properties). */
export interface CampaignCell {
  property: string;
  kind: 'world' | 'offline';
  combo: Combo | null;
  /** comboLabel(combo), or 'offline'. */
  label: string;
}

/** A failed cell's shrunk counterexample and how to replay it. */
export interface CellFailure {
  cell: CampaignCell;
  /** fast-check seed and path of the failing batch: replaying them with numRuns 1 gives it back. */
  seed: number;
  path?: string;
  message: string;
  /** World properties: the counterexample as a scenario (aofsim replay). */
  scenario?: Scenario;
  /** World properties: actions of the shrunk run. */
  shrunkActions?: number;
  /** Offline properties: the shrunk input (its JSON) and its size. */
  counterexample?: unknown;
  shrunkBytes?: number;
  /** Campaign runs done when it was found. */
  foundAfterRuns: number;
}

export interface CellOutcome {
  runs: number;
  failure: CellFailure | null;
}

export interface CellResult {
  cell: CampaignCell;
  runs: number;
  failure: CellFailure | null;
}

export interface CampaignResult {
  runs: number;
  cells: CellResult[];
  failures: CellFailure[];
  /** The first failure found (bench/detect), or null. */
  failure: CellFailure | null;
  /** Every cell ran at least one batch. */
  complete: boolean;
}

/** The result of a campaign that ran `runs` runs (serially, or on worker threads: cli/run-pool.ts). */
export function campaignResult(runs: number, cells: CellResult[], failures: CellFailure[]): CampaignResult {
  return { runs, cells, failures, failure: failures[0] ?? null, complete: cells.every((r) => r.runs > 0 || r.failure !== null) };
}

/** The fast-check seed of one batch. */
export function batchSeed(seed: number, round: number, propertyIndex: number, comboIndex: number): number {
  return (seed + round * 1_000_003 + propertyIndex * 10_007 + comboIndex * 101) | 0;
}

/**
 * Every cell of a campaign in the order a round visits them: the offline ones first (cheap), then
 * the world cells combination-major, so a budget that ends mid-round has run every property on
 * some combinations rather than one property on all of them.
 */
export function campaignCells(defs: readonly PropertyDef[], combos: readonly Combo[], offline: readonly OfflineProperty[] = []): CampaignCell[] {
  const cells: CampaignCell[] = [];
  for (const p of offline) cells.push({ property: p.name, kind: 'offline', combo: null, label: 'offline' });
  for (const c of combos) for (const d of defs) cells.push({ property: d.name, kind: 'world', combo: c, label: comboLabel(c) });
  return cells;
}

function worldOutcome(cell: CampaignCell, o: PropertyOutcome, foundAfterRuns: number): CellOutcome {
  if (o.failures === 0) return { runs: o.runs, failure: null };
  return {
    runs: o.runs,
    failure: { cell, seed: o.seed, path: o.path, message: o.message ?? 'failed', scenario: o.scenario, shrunkActions: o.shrunkLength, foundAfterRuns },
  };
}

/** Checks an offline property for one batch (fast-check over file bytes). */
export function checkOffline(p: OfflineProperty, cell: CampaignCell, seed: number, numRuns: number, bugs: readonly string[], runsBefore: number, path?: string): CellOutcome {
  const d = fc.check(p.property(bugs), { seed, numRuns, ...(path !== undefined ? { path } : {}) });
  if (!d.failed) return { runs: d.numRuns, failure: null };
  const err = d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance ?? 'failed');
  return {
    runs: d.numRuns,
    failure: {
      cell, seed, path: d.counterexamplePath ?? undefined, message: err.split('\n')[0].slice(0, 400),
      counterexample: d.counterexample, shrunkBytes: d.counterexample ? JSON.stringify(d.counterexample).length : undefined,
      foundAfterRuns: runsBefore + d.numRuns,
    },
  };
}

/**
 * Runs one batch of one cell: `round` picks its fast-check seed, `runsBefore` (campaign runs done
 * before it) only dates a failure. Calls `onRun` once per run. A pure function of its arguments, so
 * that a worker thread (cli/run-pool.ts) gives the same outcome as the campaign loop below.
 */
export function runCellBatch(
  o: CampaignOptions,
  cell: CampaignCell,
  round: number,
  runsBefore: number,
  onRun: (info: RunInfo) => void,
): CellOutcome {
  const offline = o.offline ?? [];
  const batch = o.runsPerCombo ?? o.batch ?? 3;
  if (cell.kind === 'world') {
    const pi = o.defs.findIndex((d) => d.name === cell.property);
    const ci = o.combos.findIndex((c) => comboLabel(c) === cell.label);
    const def = o.defs[pi];
    const po = checkProperty(def, o.combos[ci], {
      createServer: o.createServer,
      seed: o.replay?.seed ?? batchSeed(o.seed, round, pi, ci),
      ...(o.replay ? { path: o.replay.path } : {}),
      // A costlier property (weight 2: each run is two runs) gets proportionally fewer runs, a
      // property with a bigger share more.
      numRuns: o.replay ? 1 : (o.runsPerCombo ?? Math.max(1, Math.round((batch * (def.share ?? 1)) / def.weight))),
      bugs: o.bugs ?? [],
      onRun,
    });
    return worldOutcome(cell, po, runsBefore + po.runs);
  }
  const oi = offline.findIndex((p) => p.name === cell.property);
  const seed = o.replay?.seed ?? batchSeed(o.seed, round, o.defs.length + oi, 0);
  const out = checkOffline(offline[oi], cell, seed, o.replay ? 1 : batch * OFFLINE_RUNS_PER_WORLD_RUN, o.bugs ?? [], runsBefore, o.replay?.path);
  for (let k = 0; k < out.runs; k++) onRun({ ok: true, faults: 0, crashes: 0, crashChecks: 0 });
  return out;
}

/** Whether the campaign goes on after round `round` (false: one batch per cell was asked for). */
export function moreRounds(o: CampaignOptions): boolean {
  return o.runsPerCombo === null && o.replay === undefined;
}

/** Runs the whole campaign at once (bench/detect, a replay). */
export function runCampaign(o: CampaignOptions): CampaignResult {
  const steps = campaignSteps(o);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * The campaign loop, one batch per step: it yields after each batch, so that a caller in the main
 * thread (`aofsim run --workers 1`) can let the event loop deliver a Ctrl-C between batches and
 * then stop through `shouldStop`. Its result is runCampaign's.
 */
export function* campaignSteps(o: CampaignOptions): Generator<void, CampaignResult, void> {
  const cells = campaignCells(o.defs, o.combos, o.offline ?? []);
  const results: CellResult[] = cells.map((cell) => ({ cell, runs: 0, failure: null }));
  const failures: CellFailure[] = [];
  let runs = 0;
  const onRun = (info: RunInfo): void => {
    runs++;
    o.onRun?.(info);
  };
  const done = (): CampaignResult => campaignResult(runs, results, failures);
  for (let round = 0; ; round++) {
    let live = 0;
    for (let i = 0; i < cells.length; i++) {
      const r = results[i];
      if (r.failure !== null) continue;
      live++;
      if (runs > 0 && o.shouldStop()) return done();
      const out = runCellBatch(o, cells[i], round, runs, onRun);
      r.runs += out.runs;
      o.onBatch?.(cells[i], out);
      if (out.failure !== null) {
        r.failure = out.failure;
        failures.push(out.failure);
        if (o.stopAtFirstFailure) return done();
      }
      yield;
    }
    if (!moreRounds(o) || live === 0) return done();
  }
}
