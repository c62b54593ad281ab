// Benchmark: the ALICE-style power-loss search against a real binary (sim/subjects/real-alice.ts).
//
//   npx tsx bench/real/crash-states.ts [--bin PATH] [--seeds N] [--units U] [--appendfsync always|everysec]
//
// For seeds 1..N, from scratch: record a workload of U units under strace, rebuild the crash states
// with every crash model (process-kill, strict, prefix, torn, zero-fill, reorder), start the binary
// on each distinct state and check it with the oracle. Prints per seed: crash points, distinct
// states, states checked per second (check phase: materialise + start + oracle + optional probe
// restart), and the wall time until each known bug was first found, counted from the start of the
// benchmark (recording included): bug 8 (zero-fill tail -> refuses to start) and bug 22 (MULTI
// tail truncation -> an acknowledged write after recovery is lost).

import { cpus, loadavg } from 'node:os';
import { runAlice, type FsyncPolicy } from '../../sim/subjects/real-alice.ts';
import { binaryVersion } from '../../sim/subjects/real-campaign.ts';
import { DEFAULT_REDIS_BIN } from '../../sim/subjects/real-redis-server.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const bin = arg('--bin', DEFAULT_REDIS_BIN);
const seeds = Number(arg('--seeds', '3'));
const units = Number(arg('--units', '12'));
const appendfsync = arg('--appendfsync', 'always') as FsyncPolicy;

const t0 = Date.now();
const found: Record<string, number | null> = { 'bug 8 (zero-fill refusal)': null, 'bug 22 (MULTI tail truncation)': null };
let states = 0;
let checkMs = 0;
process.stdout.write(`binary: ${binaryVersion(bin)}\nmachine: ${cpus().length} cpus, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
process.stdout.write('seed  crash-points  distinct-states  checked  states/s  record-ms  failures\n');
for (let seed = 1; seed <= seeds; seed++) {
  const start = Date.now() - t0;
  const r = await runAlice({ bin, seed, units, appendfsync, maxStates: 1000, budgetMs: 300_000 });
  states += r.statesChecked;
  checkMs += r.checkMs;
  for (const f of r.failures) {
    const at = start + f.foundAfterMs;
    if (f.property === 'server-starts' && f.model === 'zero-fill' && found['bug 8 (zero-fill refusal)'] === null) found['bug 8 (zero-fill refusal)'] = at;
    if (f.property === 'writes-after-recovery-survive' && found['bug 22 (MULTI tail truncation)'] === null) found['bug 22 (MULTI tail truncation)'] = at;
  }
  process.stdout.write(
    `${String(seed).padEnd(6)}${String(r.crashPoints).padEnd(14)}${String(r.statesTotal).padEnd(17)}${String(r.statesChecked).padEnd(9)}` +
      `${(r.statesChecked / (r.checkMs / 1000)).toFixed(1).padEnd(10)}${String(r.recordMs).padEnd(11)}${r.failures.length} (${[...new Set(r.failures.map((f) => `${f.property}/${f.model}`))].join(', ')})\n`,
  );
}
process.stdout.write(`\ncrash states checked per second (check phase, all seeds): ${(states / (checkMs / 1000)).toFixed(1)}\n`);
for (const [bug, ms] of Object.entries(found)) process.stdout.write(`time to find ${bug}: ${ms === null ? 'not found' : `${(ms / 1000).toFixed(1)} s`}\n`);
process.stdout.write(`total: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
