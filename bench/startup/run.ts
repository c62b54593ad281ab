// CLI start-up benchmark: the compiled `aofsim` (bin/aofsim.cjs -> dist/cli.cjs, and dist/cli/check.cjs
// for check) as a child process, `aofsim --help` and `aofsim check` on a small fixture (a 7.0.15
// RDB-base directory), next to `node -e 0` (the floor any Node CLI pays) and `redis-check-aof` on
// the same file.
//
//   npm run build && npx tsx bench/startup/run.ts [--repeat K]
//
// K rounds (default 15), the commands interleaved within each round so a noisy neighbour hits all
// alike; best and median wall clock of each, and of its CPU time (user + system of the child, from
// bash's `times`, which a loaded machine disturbs much less than wall clock). Goal (issue 14: CLI
// start-up): both aofsim commands <= 150 ms wall. aofsim's own share is its time minus `node -e 0`'s.
// NODE_EXTRA_CA_CERTS, when set, makes every Node process read and parse that certificate file
// before it runs any JavaScript (100+ ms for a system bundle): the script then also times
// `node -e 0` without it, to show that part of the floor. Not a test: run it by hand; it uses real time.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { best, median, since } from '../stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/aofsim.cjs');
const FIXTURE = join(ROOT, 'fixtures/redis-7.0.15/golden/golden-rdb/appendonly.aof.manifest');
const repeatAt = process.argv.indexOf('--repeat');
const K = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 15;

if (!existsSync(join(ROOT, 'dist/cli.cjs'))) {
  process.stderr.write('bench/startup: dist/cli.cjs is missing: run npm run build first\n');
  process.exit(2);
}
const has = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const hasRedisCheck = has('redis-check-aof');
const hasBash = has('bash');
const caCerts = process.env.NODE_EXTRA_CA_CERTS;
const withoutCaCerts = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

interface Side {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}
const FLOOR = 'node -e 0';
const sides: Side[] = [
  { name: FLOOR, cmd: process.execPath, args: ['-e', '0'] },
  ...(caCerts !== undefined ? [{ name: 'node -e 0, no EXTRA_CA_CERTS', cmd: process.execPath, args: ['-e', '0'], env: withoutCaCerts }] : []),
  { name: 'aofsim --help', cmd: process.execPath, args: [BIN, '--help'] },
  { name: 'aofsim check FIXTURE', cmd: process.execPath, args: [BIN, 'check', FIXTURE] },
  ...(hasRedisCheck ? [{ name: 'redis-check-aof FIXTURE', cmd: 'redis-check-aof', args: [FIXTURE] }] : []),
];

/** Wall seconds of one run; exits the benchmark if the command fails. */
function wall(s: Side): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(s.cmd, s.args, { stdio: ['ignore', 'ignore', 'pipe'], env: s.env ?? process.env });
  const t = since(t0);
  if (r.status !== 0) {
    process.stderr.write(`${s.name} exited ${r.status}: ${String(r.stderr)}\n`);
    process.exit(1);
  }
  return t;
}

/** CPU seconds (user + system) of one run, as bash's `times` reports its child. */
function cpu(s: Side): number {
  const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1 || echo "exit $?"; times', 'bench', s.cmd, ...s.args], { encoding: 'utf8', env: s.env ?? process.env });
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(r.stdout.trim().split('\n').at(-1) ?? '');
  if (r.status !== 0 || r.stdout.startsWith('exit') || m === null) {
    process.stderr.write(`${s.name}: no CPU time (${r.stdout.trim()} ${r.stderr.trim()})\n`);
    process.exit(1);
  }
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}

const walls = new Map<string, number[]>(sides.map((s) => [s.name, []]));
const cpus = new Map<string, number[]>(sides.map((s) => [s.name, []]));
for (let round = 0; round < K; round++) {
  for (const s of sides) {
    walls.get(s.name)!.push(wall(s));
    if (hasBash) cpus.get(s.name)!.push(cpu(s));
  }
}

const ms = (s: number): string => `${(s * 1000).toFixed(1)} ms`;
const pair = (t: number[]): string => `${ms(best(t)).padStart(9)} / ${ms(median(t)).padStart(9)}`;
const floorWall = walls.get(FLOOR)!;
const floorCpu = cpus.get(FLOOR)!;
process.stdout.write(`CLI start-up, ${K} interleaved rounds; best / median (Node ${process.version})\n`);
process.stdout.write(`  ${'command'.padEnd(30)} ${'wall clock'.padStart(21)}   ${hasBash ? `${'CPU (user + system)'.padStart(21)}   ` : ''}over node -e 0, best (wall${hasBash ? ', CPU' : ''})\n`);
for (const s of sides) {
  const w = walls.get(s.name)!;
  const c = cpus.get(s.name)!;
  const over = `${ms(best(w) - best(floorWall))}${hasBash ? `, ${ms(best(c) - best(floorCpu))}` : ''}`;
  process.stdout.write(`  ${s.name.padEnd(30)} ${pair(w)}   ${hasBash ? `${pair(c)}   ` : ''}${s.name.startsWith('node') ? '-' : over}\n`);
}
if (hasRedisCheck) {
  const c = walls.get('aofsim check FIXTURE')!;
  const r = walls.get('redis-check-aof FIXTURE')!;
  process.stdout.write(`  aofsim check / redis-check-aof, wall: ${(best(c) / best(r)).toFixed(1)}x best, ${(median(c) / median(r)).toFixed(1)}x median\n`);
}
if (caCerts !== undefined) {
  const plain = best(walls.get('node -e 0, no EXTRA_CA_CERTS')!);
  process.stdout.write(`  NODE_EXTRA_CA_CERTS=${caCerts} is set: it costs every Node process ${ms(best(floorWall) - plain)} (best wall)\n`);
}
for (const name of ['aofsim --help', 'aofsim check FIXTURE']) {
  const t = best(walls.get(name)!);
  process.stdout.write(`  ${name}: ${t <= 0.15 ? 'within' : 'over'} the 150 ms goal (best ${ms(t)}; node alone ${ms(best(floorWall))})\n`);
}
