// The README's bug-switch table, produced by the main job itself: for every bug switch,
// `aofsim run --bug NAME --seed 1 --stop-at-first --json` (the default 60 s budget, every property
// and combination of the profiles that have the switch, offline loader properties included), and
// one markdown row from its JSON: found or not, runs and seconds to the first failure, the property
// and combination, the shortest counterexample, and whether the finding matched the switch.
//
//   npx tsx bench/detect/main-job-table.ts [--seed 1] [--bug NAME]...
//
// A benchmark, not a test: it starts the CLI as a user would and reads its output.

import { spawnSync } from 'node:child_process';
import { BUG_SWITCHES } from '../../src/aof/bugs.ts';

interface Report {
  exitCode: number;
  runs: number;
  firstFailure: { afterMs: number; afterRuns: number } | null;
  findings: { property: string; known: string | null; example: { size: number; sizeUnit: string; where: string } }[];
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const seed = arg('--seed', '1');
const only = process.argv.flatMap((a, i) => (a === '--bug' ? [process.argv[i + 1]] : []));
process.stdout.write('| bug switch | found | runs | seconds | by (property, combination) | shortest counterexample | matches the switch |\n|---|---|---|---|---|---|---|\n');
let found = 0;
let total = 0;
for (const bug of BUG_SWITCHES) {
  if (only.length > 0 && !only.includes(bug.name)) continue;
  total++;
  const r = spawnSync(process.execPath, ['cli/dev.mjs', 'run', '--bug', bug.name, '--seed', seed, '--stop-at-first', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let rep: Report;
  try {
    rep = JSON.parse(r.stdout) as Report;
  } catch {
    process.stdout.write(`| ${bug.name} | error | - | - | ${(r.stderr.trim().split('\n').pop() ?? '').slice(0, 80)} | - | - |\n`);
    continue;
  }
  const f = rep.findings[0];
  if (f && rep.firstFailure) {
    found++;
    const where = f.example.where.split(', fast-check')[0];
    process.stdout.write(
      `| ${bug.name} | yes | ${rep.firstFailure.afterRuns} | ${(rep.firstFailure.afterMs / 1000).toFixed(1)} | ${f.property} (${where}) | ${f.example.size} ${f.example.sizeUnit} | ${f.known ? 'yes' : 'no'} |\n`,
    );
  } else process.stdout.write(`| ${bug.name} | **no** | ${rep.runs} | 60 | - | - | - |\n`);
}
process.stdout.write(`\n${found}/${total} bug switches found by \`aofsim run --bug NAME --seed ${seed}\`\n`);
