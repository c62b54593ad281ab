// One worker thread of `aofsim run --workers N` (run-pool.ts): builds the campaign's options from
// the CampaignSpec in workerData, then runs each batch the parent posts ({ index, round,
// runsBefore }) with runCellBatch, posting a message per run (progress) and the batch's outcome.
// Holds nothing between batches. An unexpected exception is posted as an error, which ends the
// campaign in the parent the way it would end the serial loop.

import { parentPort, workerData } from 'node:worker_threads';
import { campaignCells, runCellBatch, type CellOutcome } from '../sim/campaign/campaign.ts';
import { loadServerFactory } from '../sim/world/server-factory.ts';
import { specOptions, type BatchTask, type CampaignSpec, type WorkerMessage } from './run-pool.ts';

/** A counterexample as the structured clone carries it (fast-check values may hold functions). */
function cloneable(outcome: CellOutcome): CellOutcome {
  const f = outcome.failure;
  if (f === null || f.counterexample === undefined) return outcome;
  try {
    structuredClone(f.counterexample);
    return outcome;
  } catch {
    return { ...outcome, failure: { ...f, counterexample: JSON.parse(JSON.stringify(f.counterexample) ?? 'null') as unknown } };
  }
}

const port = parentPort;
if (port === null) throw new Error('run-worker.ts runs as a worker thread of aofsim run');
const post = (m: WorkerMessage): void => port.postMessage(m);
const spec = workerData as CampaignSpec;
const options = { ...specOptions(spec, await loadServerFactory()), shouldStop: () => false };
const cells = campaignCells(options.defs, options.combos, options.offline);
port.on('message', (task: BatchTask) => {
  try {
    const outcome = runCellBatch(options, cells[task.index], task.round, task.runsBefore, (info) => post({ type: 'run', info }));
    post({ type: 'done', index: task.index, round: task.round, outcome: cloneable(outcome) });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
