// CLI start-up benchmark: the compiled `aofsim` (bin/aofsim.cjs -> dist/cli.cjs and dist/cli/check.cjs) as a child
// process, `aofsim --help` and `aofsim check` on a small fixture (a 7.0.15 RDB-base directory), next
// to `node -e 0` (the floor any Node CLI pays) and `redis-check-aof` on the same file.
//
//   npm run build && npx tsx bench/startup/run.ts [--repeat K]
//
// K rounds (default 15), the four commands interleaved within each round so a noisy neighbour hits
// all alike; best and median wall clock of each, and the ratios. Goal (issue: CLI start-up): both
// aofsim commands <= 150 ms wall; on a loaded machine read the ratio to `node -e 0`: aofsim's own
// share is (ratio - 1) x the node floor. Not a test: run it by hand; it uses real time.

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
const hasRedisCheck = spawnSync('sh', ['-c', 'command -v redis-check-aof']).status === 0;

const sides: { name: string; cmd: string; args: string[] }[] = [
  { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
  { name: 'aofsim --help', cmd: process.execPath, args: [BIN, '--help'] },
  { name: 'aofsim check FIXTURE', cmd: process.execPath, args: [BIN, 'check', FIXTURE] },
  ...(hasRedisCheck ? [{ name: 'redis-check-aof FIXTURE', cmd: 'redis-check-aof', args: [FIXTURE] }] : []),
];

const times = new Map<string, number[]>(sides.map((s) => [s.name, []]));
for (let round = 0; round < K; round++) {
  for (const s of sides) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(s.cmd, s.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const t = since(t0);
    if (r.status !== 0) {
      process.stderr.write(`${s.name} exited ${r.status}: ${String(r.stderr)}\n`);
      process.exit(1);
    }
    times.get(s.name)!.push(t);
  }
}

const ms = (s: number): string => `${(s * 1000).toFixed(1)} ms`;
const floor = times.get('node -e 0')!;
process.stdout.write(`CLI start-up, ${K} interleaved rounds (best / median wall clock)\n`);
for (const s of sides) {
  const t = times.get(s.name)!;
  const ratio = `${(best(t) / best(floor)).toFixed(2)}x / ${(median(t) / median(floor)).toFixed(2)}x node -e 0`;
  process.stdout.write(`  ${s.name.padEnd(26)} ${ms(best(t)).padStart(9)} / ${ms(median(t)).padStart(9)}   ${ratio}\n`);
}
if (hasRedisCheck) {
  const c = times.get('aofsim check FIXTURE')!;
  const r = times.get('redis-check-aof FIXTURE')!;
  process.stdout.write(`  aofsim check / redis-check-aof: ${(best(c) / best(r)).toFixed(1)}x best, ${(median(c) / median(r)).toFixed(1)}x median\n`);
}
for (const name of ['aofsim --help', 'aofsim check FIXTURE']) {
  const t = best(times.get(name)!);
  process.stdout.write(`  ${name}: ${t <= 0.15 ? 'within' : 'over'} the 150 ms goal (best ${ms(t)}; node alone ${ms(best(floor))})\n`);
}
