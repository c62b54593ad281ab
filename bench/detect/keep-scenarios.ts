// Turns the counterexamples bench/detect found (bench/detect/out/<bug>-found.scenario.json) into
// regression scenarios scenarios/<bug>.scenario.json that PASS when the symptom is observed: the
// oracle field is dropped and the final state the bug produces is pinned (`expect.dump`, plus the
// load outcome), after checking that the same steps without the switch end in a different state,
// or, when the end state is the same, pass different coverage marks (an exit, a loader truncation,
// a refusal), which are then pinned too (so the scenario tells the bug from the fix), and that the
// oracle flags the run with the switch.
// Existing scenario files are never overwritten.
//
//   npx tsx bench/detect/keep-scenarios.ts [--in bench/detect/out] [--dir scenarios]

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUG_SWITCHES } from '../../src/aof/bugs.ts';
import { canonicalDump } from '../../src/keyspace/canonical-dump.ts';
import { parseScenario } from '../../sim/scenario/parse-scenario.ts';
import { runScenario } from '../../sim/scenario/run-scenario.ts';
import type { Scenario } from '../../sim/scenario/scenario-types.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const inDir = arg('--in', 'bench/detect/out');
const outDir = arg('--dir', 'scenarios');
const createServer = await loadServerFactory();
for (const f of readdirSync(inDir).filter((x) => x.endsWith('-found.scenario.json')).sort()) {
  const bug = f.replace(/-found\.scenario\.json$/, '');
  const target = join(outDir, `${bug}.scenario.json`);
  if (existsSync(target)) {
    process.stdout.write(`${bug}: ${target} exists, kept as is\n`);
    continue;
  }
  const found = parseScenario(readFileSync(join(inDir, f), 'utf8'), f);
  const withOracle = runScenario(found, { createServer, trace: false });
  const plain: Scenario = { ...found };
  delete plain.oracle;
  const on = runScenario(plain, { createServer, trace: false });
  const off = runScenario({ ...plain, bugs: [] }, { createServer, trace: false });
  const dumpOf = (r: typeof on) => (r.world.server ? canonicalDump(r.world.server.keyspace, r.world.nowMs()) : null);
  const dOn = dumpOf(on);
  const dOff = dumpOf(off);
  const loadOn = on.world.loads.at(-1)?.outcome;
  const loadOff = off.world.loads.at(-1)?.outcome;
  const stateDiffers = JSON.stringify(dOn) !== JSON.stringify(dOff) || loadOn !== loadOff;
  // When the end state is the same, the symptom may still show in what happened on the way: a
  // process exit, a loader truncation, a MISCONF... (coverage marks other than the switch's own).
  const marksOf = (r: typeof on) => new Map([...r.world.marks].filter(([m]) => !m.includes('.bug-')));
  const mOn = marksOf(on);
  const mOff = marksOf(off);
  const markDiff: Record<string, number> = {};
  for (const m of new Set([...mOn.keys(), ...mOff.keys()])) {
    const a = mOn.get(m) ?? 0;
    if (a !== (mOff.get(m) ?? 0)) markDiff[m] = a;
  }
  const differs = stateDiffers || Object.keys(markDiff).length > 0;
  if (withOracle.ok || !differs || dOn === null) {
    process.stdout.write(`${bug}: not kept (oracle ${withOracle.ok ? 'did not flag it' : 'flags it'}, final state ${differs ? 'differs' : 'same'} without the switch)\n`);
    continue;
  }
  const sw = BUG_SWITCHES.find((b) => b.name === bug)!;
  const oracleSays = withOracle.failures.map((x) => x.message).join(' | ');
  const scenario: Scenario = {
    ...plain,
    name: bug,
    source: `${sw.source}; found by bench/detect (${found.source})`,
    description:
      `Bug switch ${bug} ON: ${sw.symptom}. The expectations pin the state the bug leaves after the final restart ` +
      `(the symptom${stateDiffers ? '' : ', here the coverage marks that differ: the end state is the same'}); with the switch off the same steps end in ` +
      `${JSON.stringify(dOff).slice(0, 300)}${stateDiffers ? '' : ` with marks ${JSON.stringify(Object.fromEntries([...mOff].filter(([m]) => m in markDiff)))}`}. ` +
      `Oracle: ${oracleSays.slice(0, 600)}`,
    expect: {
      load: loadOn,
      dump: dOn as unknown as { dbs: Record<string, unknown[]> },
      ...(stateDiffers ? {} : { marks: markDiff }),
    },
  };
  const check = runScenario(scenario, { createServer, trace: false });
  if (!check.ok) {
    process.stdout.write(`${bug}: not kept (the pinned expectations do not replay: ${check.failures[0]?.message})\n`);
    continue;
  }
  writeFileSync(target, JSON.stringify(scenario, null, 2) + '\n');
  process.stdout.write(`${bug}: wrote ${target}\n`);
}
