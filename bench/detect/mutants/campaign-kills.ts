// StrykerJS's command for bench/detect/mutants: the default campaign of the main job (`aofsim run
// --seed 1`: every world property over both profiles x three policies x preamble yes/no, and every
// offline loader property, the same cells and order: cli/run-pool.ts specOptions) with no bug
// switch, run serially for a budget of RUNS rather than seconds, so the verdict on a mutant is a
// function of the mutant and the seed, not of the machine's load. The budget defaults to what the
// default 60 s campaign reaches on two idle cores (bench/detect/runs-per-60s.ts).
// Exit 1 when some property fails (the mutant is killed), 0 when every cell held.
//
// StrykerJS's dry run (no mutant active) only has to show that the command works in its sandbox
// and passes on the unmutated code: AOFSIM_DETECT_DRY_RUNS=N gives it a smaller budget than the
// mutants' (a no-mutant campaign of the full budget costs as much as a surviving mutant; the main
// job's own runs check that one).
//
//   npx tsx bench/detect/mutants/campaign-kills.ts [--seed 1] [--budget-runs N]

import { appendFileSync } from 'node:fs';
import { PROFILES } from '../../../sim/campaign/model-run.ts';
import { PROPERTIES } from '../../../sim/campaign/properties.ts';
import { OFFLINE_PROPERTIES } from '../../../sim/campaign/offline/index.ts';
import { runCampaign } from '../../../sim/campaign/campaign.ts';
import { loadServerFactory } from '../../../sim/world/server-factory.ts';
import { specOptions } from '../../../cli/run-pool.ts';
import { RUNS_PER_60S } from '../runs-per-60s.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const seed = Number(arg('--seed', '1'));
const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
const dryRuns = mutant === undefined ? process.env.AOFSIM_DETECT_DRY_RUNS : undefined;
const budgetRuns = Number(arg('--budget-runs', dryRuns ?? process.env.AOFSIM_DETECT_RUNS ?? String(RUNS_PER_60S)));
let runs = 0;
let result: ReturnType<typeof runCampaign>;
try {
  result = runCampaign({
    ...specOptions(
      { seed, profiles: [...PROFILES], properties: PROPERTIES.map((p) => p.name), offline: OFFLINE_PROPERTIES.map((p) => p.name), bugs: [], runsPerCombo: null },
      await loadServerFactory(),
    ),
    stopAtFirstFailure: true,
    onRun: () => runs++,
    shouldStop: () => runs >= budgetRuns,
  });
} catch (e) {
  // A mutant that makes the server throw out of the world is killed as well.
  process.stderr.write(`campaign threw: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(1);
}
const f = result.failure;
process.stderr.write(
  f === null
    ? `held: ${result.runs} runs, no failure\n`
    : `killed after ${f.foundAfterRuns} runs by ${f.cell.property} (${f.cell.label}): ${f.message.split('\n')[0].slice(0, 200)}\n`,
);
// One line per verdict when AOFSIM_DETECT_LOG names a file (StrykerJS writes its report only at the end).
const log = process.env.AOFSIM_DETECT_LOG;
if (log) appendFileSync(log, `${mutant ?? 'none'} ${f === null ? 'survived' : 'killed'} ${f === null ? result.runs : f.foundAfterRuns} ${f === null ? '-' : f.cell.property}\n`);
process.exit(f === null ? 0 : 1);
