// The README's bug-switch table, from the main job's own campaign: for every bug switch, the
// campaign `aofsim run --bug NAME --seed S --stop-at-first` runs (every world property on the
// combinations whose profile has the switch, and every offline loader property, in the same cells
// and order: cli/run-pool.ts specOptions), run serially here with a budget in RUNS instead of
// seconds, so that the figure is a function of the seed alone and does not shrink when the machine
// is loaded. One markdown row per switch: found or not, the runs to the first failure (the count
// `aofsim run --json` reports as firstFailure.afterRuns, the same for any --workers), the CPU
// seconds they took, the cell and oracle check that failed, the shortest counterexample, and
// whether the finding matches the switch (the counterexample replayed without it passes).
//
// The run budget stands for the default 60 s: `--calibrate` measures how many runs a campaign with
// no switch does per CPU second on this machine (serially, CPU time, so a loaded machine does not
// lower it) and prints the runs two cores reach in 60 s; the default budget is that figure as
// last measured on the project's 2-core machine (RUNS_PER_60S, runs-per-60s.ts).
//
//   npx tsx bench/detect/main-job-table.ts [--seed 1] [--budget-runs N] [--bug NAME]... [--calibrate]
//
// A benchmark, not a test: it reads the process's CPU time.

import { BUG_SWITCHES } from '../../src/aof/bugs.ts';
import { PROFILES } from '../../sim/campaign/model-run.ts';
import { PROPERTIES } from '../../sim/campaign/properties.ts';
import { OFFLINE_PROPERTIES } from '../../sim/campaign/offline/index.ts';
import { runCampaign } from '../../sim/campaign/campaign.ts';
import { cellFailureInstance } from '../../sim/campaign/run-findings.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';
import { specOptions, type CampaignSpec } from '../../cli/run-pool.ts';
import { RUNS_PER_60S } from './runs-per-60s.ts';


function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const seed = Number(arg('--seed', '1'));
const budgetRuns = Number(arg('--budget-runs', String(RUNS_PER_60S)));
const only = process.argv.flatMap((a, i) => (a === '--bug' ? [process.argv[i + 1]] : []));
const createServer = await loadServerFactory();

function spec(bugs: string[]): CampaignSpec {
  // As `aofsim run --bug`: only the profiles whose code has every switch given.
  const profiles = PROFILES.filter((p) => bugs.every((b) => BUG_SWITCHES.find((x) => x.name === b)!.profiles.includes(p)));
  return { seed, profiles, properties: PROPERTIES.map((p) => p.name), offline: OFFLINE_PROPERTIES.map((p) => p.name), bugs, runsPerCombo: null };
}

if (process.argv.includes('--calibrate')) {
  const seconds = Number(arg('--seconds', '60'));
  const t0 = cpuSeconds();
  const r = runCampaign({ ...specOptions(spec([]), createServer), shouldStop: () => cpuSeconds() - t0 >= seconds });
  const perCpuS = r.runs / (cpuSeconds() - t0);
  process.stdout.write(`${r.runs} runs in ${(cpuSeconds() - t0).toFixed(1)} CPU s (${r.failures.length} failures): ${perCpuS.toFixed(0)} runs per CPU second, ${Math.round(perCpuS * 120)} runs per 60 s on two cores\n`);
  process.exit(0);
}

process.stdout.write(
  `| bug switch | found | runs | CPU s | by (property, combination) | check | shortest counterexample | matches the switch |\n|---|---|---|---|---|---|---|---|\n`,
);
let found = 0;
let total = 0;
for (const bug of BUG_SWITCHES) {
  if (only.length > 0 && !only.includes(bug.name)) continue;
  total++;
  const s = spec([bug.name]);
  const t0 = cpuSeconds();
  let runs = 0;
  const r = runCampaign({
    ...specOptions(s, createServer),
    stopAtFirstFailure: true,
    onRun: () => runs++,
    shouldStop: () => runs >= budgetRuns,
  });
  const cpu = (cpuSeconds() - t0).toFixed(1);
  const f = r.failure;
  if (f === null) {
    process.stdout.write(`| ${bug.name} | **no** | > ${r.runs} | ${cpu} | - | - | - | - |\n`);
    continue;
  }
  found++;
  const inst = cellFailureInstance(f, { createServer, bugs: [bug.name], offline: OFFLINE_PROPERTIES, file: null });
  const check = f.cell.kind === 'offline' ? 'offline' : (/\[([a-z-]+)\]/.exec(inst.symptom)?.[1] ?? '?');
  process.stdout.write(
    `| ${bug.name} | yes | ${f.foundAfterRuns} | ${cpu} | ${f.cell.property} (${f.cell.label}) | ${check} | ${inst.size} ${inst.sizeUnit} | ${inst.known ? 'yes' : 'no'} |\n`,
  );
}
process.stdout.write(`\n${found}/${total} bug switches found within ${budgetRuns} runs of \`aofsim run --bug NAME --seed ${seed}\`\n`);
