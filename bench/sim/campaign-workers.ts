// Benchmark: `aofsim run` on 1 worker thread against N, in one script. Each round runs the same
// campaign (--seed S --runs R: a fixed amount of work, so both sides do exactly the same runs) once
// per thread count, the order alternating, and takes the process's wall time and CPU time (user +
// system of all its threads, read by the process itself at exit). Prints per side the best and
// median runs per second of wall clock and per CPU-second, the machine's load, and whether every
// round's summary was the same (results must not depend on the thread count).
//
//   npx tsx bench/sim/campaign-workers.ts [--runs 10] [--seed 7] [--rounds 2] [--workers 1,2] [--processes N] [--cli PATH]
//
// --processes N adds a side that needs no threads: N separate `--workers 1` processes of the same
// campaign started together, their runs summed over the wall time of the last to finish and their
// CPU times added. It is the machine's own ceiling for N independent copies of this workload (shared
// caches, memory bandwidth, the hypervisor), to read the thread count's speed-up against.
//
// On a loaded machine wall-clock rates say how much of the box the process got; runs per CPU-second
// say what the extra threads cost. Not a test: run it by hand; it uses real time.

import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { best, median } from '../stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const RUNS = arg('--runs', '10');
const SEED = arg('--seed', '7');
const ROUNDS = Number(arg('--rounds', '2'));
const COUNTS = arg('--workers', `1,${cpus().length}`).split(',').map(Number);
const CLI = arg('--cli', `${ROOT}bin/aofsim.mjs`);
const PROCESSES = Number(arg('--processes', '0'));

// Loaded before the CLI: at exit, writes the process's CPU time (all threads) to fd 3.
const REPORT_CPU = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; process.on("exit", () => { const c = process.cpuUsage(); writeSync(3, String((c.user + c.system) / 1e6)); });',
)}`;

interface Round {
  wallS: number;
  cpuS: number;
  runs: number;
  summary: string;
}

function once(workers: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', REPORT_CPU, CLI, 'run', '--seed', SEED, '--runs', RUNS, '--workers', String(workers), '--json'], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = ''; // the progress lines; shown only if the run fails
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    let cpu = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (cpu += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) return reject(new Error(`aofsim run --workers ${workers} exited with ${code}:\n${err.slice(-2000)}`));
      const json = JSON.parse(out) as Record<string, unknown>;
      delete json.elapsedMs;
      resolve({ wallS, cpuS: Number(cpu), runs: Number(json.runs), summary: JSON.stringify(json) });
    });
  });
}

/** N processes of `--workers 1` at once: runs and CPU summed, wall time until the last one ends. */
async function together(n: number): Promise<Round> {
  const t0 = process.hrtime.bigint();
  const xs = await Promise.all(Array.from({ length: n }, () => once(1)));
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  return { wallS, cpuS: xs.reduce((a, x) => a + x.cpuS, 0), runs: xs.reduce((a, x) => a + x.runs, 0), summary: xs[0].summary };
}

console.log(`aofsim run --seed ${SEED} --runs ${RUNS} --workers ${COUNTS.join(' / ')}${PROCESSES > 0 ? `, and ${PROCESSES} processes of --workers 1 at once` : ''}, ${ROUNDS} rounds interleaved; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
// Sides by key: a thread count, or -N for N processes at once.
const sides = [...COUNTS, ...(PROCESSES > 0 ? [-PROCESSES] : [])];
const label = (n: number): string => (n > 0 ? `--workers ${n}` : `${-n} processes x --workers 1`);
const rounds = new Map<number, Round[]>(sides.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const n of r % 2 === 0 ? sides : [...sides].reverse()) {
    const x = n > 0 ? await once(n) : await together(-n);
    rounds.get(n)!.push(x);
    console.log(`  round ${r} ${label(n)}: ${x.runs} runs, ${x.wallS.toFixed(1)} s wall, ${x.cpuS.toFixed(1)} CPU-s`);
  }
}
const summaries = new Set([...rounds.values()].flat().map((x) => x.summary));
for (const [n, xs] of rounds) {
  const runs = xs[0].runs;
  const wall = xs.map((x) => x.wallS);
  const cpu = xs.map((x) => x.cpuS);
  console.log(
    `${label(n)}: runs/s wall ${(runs / best(wall)).toFixed(0)} best / ${(runs / median(wall)).toFixed(0)} median; ` +
      `per CPU-second ${(runs / best(cpu)).toFixed(0)} / ${(runs / median(cpu)).toFixed(0)}`,
  );
}
console.log(`same summary in every round: ${summaries.size === 1 ? 'yes' : `NO (${summaries.size} different)`}; load average at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
