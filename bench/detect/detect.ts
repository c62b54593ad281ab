// bench/detect: how fast the property campaign finds each historical bug (src/aof/bugs.ts).
// For every bug switch, from scratch, with that switch on and fixed seeds: first the offline loader
// properties (sim/campaign/offline: fast-check over file bytes, the suites `npm test` runs), each up
// to OFFLINE_RUNS runs, then the campaign of all world properties (sim/campaign, the same one
// `aofsim run` runs, over the profiles whose code has the switch) until a property fails or the
// budget (default 60 s, both phases) is spent. Reports per bug: found or not, after how many runs
// and seconds, which property and combination, and the shrunk counterexample's length (actions of
// a world run, or bytes of an offline input); found bugs' shrunk world scenarios are written to
// bench/detect/out/ (or --out DIR).
//
//   npx tsx bench/detect/detect.ts [--budget 60] [--seed 1] [--bug NAME]... [--json] [--markdown]
//
// A benchmark, not a test: it reads the wall clock for the budget and the timings.

import { BUG_SWITCHES } from '../../src/aof/bugs.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';
import { allCombos } from '../../sim/campaign/model-run.ts';
import { PROPERTIES } from '../../sim/campaign/properties.ts';
import { runCampaign } from '../../sim/campaign/campaign.ts';
import { writeFailureScenario } from '../../cli/failure-file.ts';
import fc from 'fast-check';
import { OFFLINE_PROPERTIES } from '../../sim/campaign/offline/index.ts';

interface Row {
  bug: string;
  found: boolean;
  runs: number;
  seconds: number;
  property: string | null;
  combo: string | null;
  shrunkActions: number | null;
  /** Offline properties: the shrunk input's size in bytes (its JSON). */
  shrunkBytes: number | null;
  scenario: string | null;
  message: string | null;
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const budgetS = Number(arg('--budget', '60'));
const seed = Number(arg('--seed', '1'));
const out = arg('--out', 'bench/detect/out');
const only = process.argv.flatMap((a, i) => (a === '--bug' ? [process.argv[i + 1]] : []));
const json = process.argv.includes('--json');
/** Runs per offline property before the campaign starts (each run takes a few ms). */
const OFFLINE_RUNS = 300;
const createServer = await loadServerFactory();
const rows: Row[] = [];
for (const bug of BUG_SWITCHES) {
  if (only.length > 0 && !only.includes(bug.name)) continue;
  const start = performance.now();
  let row: Row | null = null;
  let offlineRuns = 0;
  for (const p of OFFLINE_PROPERTIES) {
    const d = fc.check(p.property([bug.name]), { seed, numRuns: OFFLINE_RUNS });
    offlineRuns += d.numRuns;
    if (d.failed) {
      row = {
        bug: bug.name,
        found: true,
        runs: offlineRuns,
        seconds: Math.round((performance.now() - start) / 100) / 10,
        property: p.name,
        combo: 'offline',
        shrunkActions: null,
        shrunkBytes: d.counterexample ? JSON.stringify(d.counterexample).length : null,
        scenario: null,
        message: (d.errorInstance instanceof Error ? d.errorInstance.message : String(d.failures?.[0] ?? 'failed')).split('\n')[0].slice(0, 160),
      };
      break;
    }
  }
  if (row === null) {
    const r = runCampaign({
      createServer,
      seed,
      defs: PROPERTIES.filter((p) => p.kind === 'oracle'),
      // Only the profiles whose code has the switch (the other one cannot show it).
      combos: allCombos(bug.profiles),
      bugs: [bug.name],
      runsPerCombo: null,
      batch: 3,
      stopAtFirstFailure: true,
      shouldStop: () => performance.now() - start >= budgetS * 1000,
    });
    const f = r.failure;
    row = {
      bug: bug.name,
      found: f !== null,
      runs: offlineRuns + r.runs,
      seconds: Math.round((performance.now() - start) / 100) / 10,
      property: f?.cell.property ?? null,
      combo: f?.cell.label ?? null,
      shrunkActions: f?.shrunkActions ?? null,
      shrunkBytes: null,
      scenario: f?.scenario ? writeFailureScenario({ ...f.scenario, name: `${bug.name}-found` }, out) : null,
      message: f?.message?.split('\n')[0].slice(0, 160) ?? null,
    };
  }
  rows.push(row);
  if (!json) {
    process.stdout.write(
      `${bug.name.padEnd(28)} ${row.found ? 'FOUND    ' : 'not found'} ${String(row.runs).padStart(6)} runs ${String(row.seconds).padStart(6)} s` +
        (row.found ? `  shrunk ${row.shrunkActions !== null ? `${row.shrunkActions} actions` : `${row.shrunkBytes}-byte input`}  ${row.property} (${row.combo})` : '') +
        '\n',
    );
  }
}
if (process.argv.includes('--markdown')) {
  // The README's table.
  process.stdout.write('| bug switch | found | runs | seconds | by (property, combination) | shrunk counterexample |\n|---|---|---|---|---|---|\n');
  for (const r of rows) {
    const shrunk = r.shrunkActions !== null ? `${r.shrunkActions} actions` : r.shrunkBytes !== null ? `${r.shrunkBytes}-byte input` : '-';
    process.stdout.write(`| ${r.bug} | ${r.found ? 'yes' : '**no**'} | ${r.runs} | ${r.seconds} | ${r.property ? `${r.property} (${r.combo})` : '-'} | ${r.found ? shrunk : '-'} |\n`);
  }
}
if (json) process.stdout.write(JSON.stringify({ seed, budgetS, rows }, null, 2) + '\n');
else process.stdout.write(`${rows.filter((r) => r.found).length}/${rows.length} bug switches found (seed ${seed}, budget ${budgetS} s each)\n`);
