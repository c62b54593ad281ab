// Does a speed-up change what the simulator does? Runs the campaign's generated runs (every property
// of sim/campaign/properties.ts over every profile / fsync policy / preamble combination, from a
// fixed fast-check seed) and the crash-cycle benchmark's cycles with the trace on, and hashes each
// trace (SHA-256 of its JSON lines, sim/trace/trace.ts). The trace holds every command, reply,
// syscall, fault, crash and load outcome, so equal hashes mean the two simulators did the same thing
// byte for byte.
//
//   npx tsx bench/sim/trace-hashes.ts [--runs N] [--seed S] [--against DIR] [--out FILE] [--without-logs]
//
// N runs per property and combination (default 3: 7 properties x 12 combinations x 3 = 252 campaign
// runs) plus 100 crash cycles per profile. With --against DIR (a checkout of another commit, with its
// node_modules) the same scenarios, generated here, run in both checkouts' simulators, and every
// differing hash is listed; the exit code is 1 if any differs. --out writes "name hash" lines.
// --without-logs hashes the traces without their log lines: for a change that only adds or rewords
// what the server logs, the simulators must still have done the same thing.
// Not a test: the answer depends on two checkouts; the same-seed-same-trace property and the
// determinism tests check one checkout against itself.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { Profile } from '../../src/base/profile.ts';
import { PROPERTIES } from '../../sim/campaign/properties.ts';
import { allCombos, comboLabel, modelRunArb, PROFILES } from '../../sim/campaign/model-run.ts';
import { scenarioFor } from '../../sim/campaign/run-property.ts';
import type { Scenario } from '../../sim/scenario/scenario-types.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const RUNS = Number(arg('--runs', '3'));
const SEED = Number(arg('--seed', '42'));
const AGAINST = arg('--against', '');
const OUT = arg('--out', '');
const CYCLES = 100;
const WITHOUT_LOGS = process.argv.includes('--without-logs');

/** One named piece of work whose trace is hashed. */
type Job = { name: string } & ({ scenario: Scenario } | { cycle: { profile: Profile; seed: number } });

function jobs(): Job[] {
  const out: Job[] = [];
  for (const def of PROPERTIES) {
    for (const combo of allCombos()) {
      const runs = fc.sample(modelRunArb(def.shape, combo), { seed: SEED, numRuns: RUNS });
      runs.forEach((run, i) => out.push({ name: `${def.name} ${comboLabel(combo).replaceAll(' ', ',')} #${i}`, scenario: scenarioFor(def, run, []) }));
    }
  }
  for (const profile of PROFILES) for (let s = 0; s < CYCLES; s++) out.push({ name: `crash-cycle ${profile} #${s}`, cycle: { profile, seed: s } });
  return out;
}

/** The crash-cycle benchmark's workload (bench/sim/crash-cycle.ts), kept identical on purpose. */
function cycleWorkload(seed: number): string[][] {
  const out: string[][] = [];
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < 50; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(i % 3 === 2 ? ['INCR', `n${x % 20}`] : ['SET', `k${x % 20}`, `v${i}-${x % 1000}`]);
  }
  return out;
}

/** Runs every job in the simulator of the checkout at `root`; returns the trace hash of each. */
async function hashesOf(root: string, all: readonly Job[]): Promise<string[]> {
  const load = (rel: string): Promise<Record<string, any>> => import(pathToFileURL(resolve(root, rel)).href);
  const { runScenario } = await load('sim/scenario/run-scenario.ts');
  const { World } = await load('sim/world/world.ts');
  const { WorldReuse } = await load('sim/world/world-reuse.ts');
  const { loadServerFactory } = await load('sim/world/server-factory.ts');
  const { resolveAofConfig } = await load('src/aof/config.ts');
  const createServer = await loadServerFactory();
  // One WorldReuse for everything, as a campaign worker has: reuse must not change a trace either.
  const reuse = new WorldReuse();
  const { createHash } = await import('node:crypto');
  const hashOf = (trace: { hash(): string; events: { kind: string }[] }): string =>
    WITHOUT_LOGS
      ? createHash('sha256')
          .update(trace.events.filter((e) => e.kind !== 'log').map((e) => JSON.stringify(e) + '\n').join(''))
          .digest('hex')
      : trace.hash();
  return all.map((job) => {
    if ('scenario' in job) return hashOf(runScenario(job.scenario, { createServer, trace: true, reuse }).world.trace);
    const config = resolveAofConfig({ profile: job.cycle.profile, appendonly: true, appendfsync: 'always', dir: '/data' });
    const world = new World({ seed: job.cycle.seed, config, createServer, reuse, trace: true, files: { '/data/.keep': '' } });
    world.start();
    world.settle(cycleWorkload(job.cycle.seed).map((argv) => world.send(argv)));
    world.crash({ model: 'process-kill' });
    world.restart();
    world.settle([world.send(['DBSIZE'])]);
    return hashOf(world.trace);
  });
}

const all = jobs();
const here = fileURLToPath(new URL('../../', import.meta.url));
const mine = await hashesOf(here, all);
if (OUT !== '') writeFileSync(OUT, all.map((j, i) => `${j.name} ${mine[i]}\n`).join(''));
const { createHash } = await import('node:crypto');
const digest = (hs: readonly string[]): string => createHash('sha256').update(hs.join('\n')).digest('hex').slice(0, 16);
console.log(`${all.length} traces (${RUNS} runs per property and combination, seed ${SEED}, + ${CYCLES} crash cycles per profile${WITHOUT_LOGS ? ', log lines left out' : ''}): digest ${digest(mine)}`);
if (AGAINST !== '') {
  const theirs = await hashesOf(AGAINST, all);
  const differ = all.filter((_, i) => mine[i] !== theirs[i]);
  console.log(`${AGAINST}: digest ${digest(theirs)}; ${differ.length} of ${all.length} traces differ`);
  for (const j of differ.slice(0, 20)) console.log(`  differs: ${j.name}`);
  if (differ.length > 0) process.exitCode = 1;
}
