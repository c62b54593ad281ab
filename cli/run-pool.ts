// `aofsim run --workers N`: the campaign (sim/campaign/campaign.ts) spread over N worker_threads.
// The parent keeps the campaign's bookkeeping (which cell runs which round, retired cells, the
// budget, progress); a worker (run-worker.ts) rebuilds the same options from a CampaignSpec and runs
// one batch of one cell at a time with runCellBatch, the function the serial loop calls.
//
// Invariants: with one batch per cell (--runs N, or a replay) the result is the serial campaign's,
// whatever N and whatever order batches finish in: a batch's seed depends only on (seed, round,
// cell); failures are listed in (round, cell) order; with --stop-at-first the cells after the first
// failing one are dropped even if a worker ran them. With a time budget the cells reached depend on
// timing, as they do serially. In both, a failure's foundAfterRuns counts, as the serial loop does,
// the runs of every batch before it in (round, cell) order and its own runs up to the failure: the
// pool hands out batches in that order, so every batch before a failing one was dispatched, and the
// campaign ends only when the batches in flight have ended (an abort aside). Each worker holds one batch at a time and nothing between batches, so memory
// stays flat in long runs. Once `abort` fires (Ctrl-C or SIGTERM in `aofsim run`) no batch starts,
// the workers are terminated at once and the batches they held are dropped: the result holds only
// batches that ended, so a cell is never reported for runs that did not complete.
// Faces the real world on purpose (threads, the file of the worker entry).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AofConfig } from '../src/aof/config.ts';
import type { Profile } from '../src/base/profile.ts';
import {
  campaignCells,
  campaignResult,
  moreRounds,
  type CampaignOptions,
  type CampaignResult,
  type CellFailure,
  type CellOutcome,
  type CellResult,
} from '../sim/campaign/campaign.ts';
import { allCombos } from '../sim/campaign/model-run.ts';
import { OFFLINE_PROPERTIES } from '../sim/campaign/offline/index.ts';
import { PROPERTIES } from '../sim/campaign/properties.ts';
import type { RunInfo } from '../sim/campaign/run-property.ts';
import type { ServerFactory } from '../sim/world/world.ts';

/** The serializable description of a campaign: both sides of the thread build the same options from it. */
export interface CampaignSpec {
  seed: number;
  profiles: Profile[];
  /** World properties by name, in campaign order. */
  properties: string[];
  /** Offline loader properties by name, in campaign order. */
  offline: string[];
  bugs: string[];
  runsPerCombo: number | null;
  replay?: { seed: number; path: string };
}

/** parent -> worker: run one batch. */
export interface BatchTask {
  index: number;
  round: number;
  runsBefore: number;
}

/** worker -> parent. */
export type WorkerMessage =
  | { type: 'run'; info: RunInfo }
  | { type: 'done'; index: number; round: number; outcome: CellOutcome }
  | { type: 'error'; message: string };

/** The campaign options of a spec (callbacks and the budget are the caller's). */
export function specOptions(spec: CampaignSpec, createServer: ServerFactory<AofConfig>): Omit<CampaignOptions, 'shouldStop'> {
  const byName = <T extends { name: string }>(all: readonly T[], names: readonly string[]): T[] =>
    names.map((n) => {
      const p = all.find((x) => x.name === n);
      if (p === undefined) throw new Error(`unknown property ${n}`);
      return p;
    });
  return {
    createServer,
    seed: spec.seed,
    defs: byName(PROPERTIES, spec.properties),
    combos: allCombos(spec.profiles),
    offline: byName(OFFLINE_PROPERTIES, spec.offline),
    bugs: spec.bugs,
    runsPerCombo: spec.runsPerCombo,
    ...(spec.replay ? { replay: spec.replay } : {}),
  };
}

/**
 * The worker entry: the compiled dist/run-worker.js next to the bundle, or from the source the
 * .mjs shim that registers tsx before importing run-worker.ts.
 */
function workerEntry(): URL {
  const here = import.meta.url;
  const candidates = here.endsWith('.ts') ? [new URL('./run-worker-dev.mjs', here)] : [new URL('../run-worker.js', here), new URL('./run-worker.js', here)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (found === undefined) throw new Error(`the worker entry is missing (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}): run npm run build`);
  return found;
}

/**
 * Runs the campaign of `spec` on `workers` threads; `o` is specOptions(spec) plus the caller's
 * callbacks. `abort` ends it early with the batches that ended (the ones in flight are dropped).
 */
export function runCampaignOnWorkers(o: CampaignOptions, spec: CampaignSpec, workers: number, abort?: AbortSignal): Promise<CampaignResult> {
  const cells = campaignCells(o.defs, o.combos, o.offline ?? []);
  const results: CellResult[] = cells.map((cell) => ({ cell, runs: 0, failure: null }));
  const foundIn: { round: number; index: number; failure: CellFailure }[] = [];
  /** Every batch that ended: its place in the serial order and its runs. */
  const ended: { round: number; index: number; runs: number }[] = [];
  const nextRound = cells.map(() => 0);
  const busy = cells.map(() => false);
  const oneBatch = !moreRounds(o);
  let runs = 0;
  let stopped = false;
  /** With --stop-at-first and one batch per cell: the first failing cell's index (later cells do not count). */
  let lastCell = Infinity;

  const nextTask = (): BatchTask | null => {
    if (stopped || abort?.aborted === true) return null;
    // As the serial loop: a spent budget still runs one batch, so that something ran.
    if ((runs > 0 || busy.includes(true)) && o.shouldStop()) {
      stopped = true;
      return null;
    }
    let pick = -1;
    for (let i = 0; i < cells.length && i <= lastCell; i++) {
      if (busy[i] || results[i].failure !== null || (oneBatch && nextRound[i] > 0)) continue;
      if (pick < 0 || nextRound[i] < nextRound[pick]) pick = i;
    }
    if (pick < 0) return null;
    busy[pick] = true;
    // The worker counts a failure's runs from 0; finish() adds the runs of the batches before it.
    return { index: pick, round: nextRound[pick]++, runsBefore: 0 };
  };

  const finish = (): CampaignResult => {
    if (oneBatch) for (let i = 0; i < cells.length; i++) if (i > lastCell) results[i] = { cell: cells[i], runs: 0, failure: null };
    // foundAfterRuns as the serial loop counts it: the runs of every batch before, then its own.
    const before = (round: number, index: number): number =>
      ended.reduce((n, b) => (b.round < round || (b.round === round && b.index < index) ? n + b.runs : n), 0);
    for (const f of foundIn) f.failure.foundAfterRuns += before(f.round, f.index);
    const kept = foundIn.filter((f) => f.index <= lastCell).sort((a, b) => a.round - b.round || a.index - b.index);
    // Counted from the cells kept (not from the run messages): --stop-at-first drops later cells' runs.
    return campaignResult(
      results.reduce((n, r) => n + r.runs, 0),
      results,
      kept.map((f) => f.failure),
    );
  };

  return new Promise<CampaignResult>((resolve, reject) => {
    const entry = workerEntry();
    const pool: Worker[] = [];
    const idle: Worker[] = [];
    let settled = false;
    const end = (e: Error | null): void => {
      if (settled) return;
      settled = true;
      for (const w of pool) void w.terminate();
      if (e !== null) reject(e);
      else resolve(finish());
    };
    /** Gives every idle worker a batch while there are some; ends the campaign when all are idle. */
    const dispatch = (): void => {
      while (idle.length > 0) {
        const task = nextTask();
        if (task === null) break;
        (idle.pop() as Worker).postMessage(task);
      }
      if (idle.length === pool.length) end(null);
    };
    const count = Math.max(1, Math.min(workers, cells.length));
    for (let k = 0; k < count; k++) {
      const w = new Worker(entry, { workerData: spec });
      pool.push(w);
      w.on('message', (m: WorkerMessage) => {
        // A terminated worker's last messages (after an abort) change nothing.
        if (settled) return;
        if (m.type === 'run') {
          runs++;
          o.onRun?.(m.info);
          return;
        }
        if (m.type === 'error') {
          end(new Error(m.message));
          return;
        }
        const r = results[m.index];
        busy[m.index] = false;
        r.runs += m.outcome.runs;
        ended.push({ round: m.round, index: m.index, runs: m.outcome.runs });
        const failure = m.outcome.failure;
        if (failure !== null) {
          failure.cell = cells[m.index]; // the parent's cell object, not the structured clone
          r.failure = failure;
          foundIn.push({ round: m.round, index: m.index, failure });
          if (o.stopAtFirstFailure) {
            if (oneBatch) lastCell = Math.min(lastCell, m.index);
            else stopped = true;
          }
        }
        o.onBatch?.(cells[m.index], m.outcome);
        idle.push(w);
        dispatch();
      });
      w.on('error', (e) => end(e));
      w.on('exit', (code) => {
        if (!settled) end(new Error(`a campaign worker exited (code ${code}) before the campaign ended`));
      });
    }
    idle.push(...pool);
    abort?.addEventListener('abort', () => end(null), { once: true });
    dispatch();
  });
}
