// The in-process AOF load of this checkout against another checkout of aofsim (an older commit, with
// its node_modules), on the same generated files: the 1M-command mixed-type AOF and the 1M `SET`
// AOF of run.ts (workload.ts).
//
//   npx tsx bench/loader/against.ts --against DIR [--commands N] [--rounds K] [--loads L] [--workload mix|set|both]
//
// Each round runs one child process per side (load-child.ts: the side's own loader, executor and
// keyspace modules), the order alternating between rounds, so a noisy neighbour hits both sides
// alike; a child loads the file L times (default 2), so the first figure is a cold load (what the
// CLI's single load sees, JIT warm-up included) and the later ones warm loads. Separate processes
// keep one side's million objects out of the other side's heap and garbage collections. Prints the
// best and median CPU seconds (user + system) and wall seconds of the cold and the warm loads per
// side, and the ratios against / this (>1 = this checkout faster). Not a test: it uses real time.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { best, median } from '../stats.ts';
import { generateDir, type Workload } from './workload.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const AGAINST = arg('--against', '');
const N = Number(arg('--commands', '1000000'));
const ROUNDS = Math.max(1, Number(arg('--rounds', '3')));
const LOADS = Math.max(1, Number(arg('--loads', '2')));
const WHICH = arg('--workload', 'both');
if (AGAINST === '') throw new Error('--against DIR is required (a checkout of another commit, with its node_modules)');

const HERE = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = join(HERE, 'bench/loader/load-child.ts');

interface Side {
  name: string;
  root: string;
  cold: { cpu: number[]; wall: number[] };
  warm: { cpu: number[]; wall: number[] };
  keys: number;
}

function runChild(side: Side, dir: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, side.root, dir, String(LOADS)], { cwd: HERE, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${side.name}: load-child exited ${r.status}: ${r.stderr.split('\n').slice(-5).join(' ')}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { cpu: number[]; wall: number[]; keys: number };
  side.cold.cpu.push(out.cpu[0]);
  side.cold.wall.push(out.wall[0]);
  // The warm figure of a child is its best later load.
  if (out.cpu.length > 1) {
    side.warm.cpu.push(best(out.cpu.slice(1)));
    side.warm.wall.push(best(out.wall.slice(1)));
  }
  side.keys = out.keys;
}

function report(workload: Workload, bytes: number, sides: Side[]): void {
  const [a, b] = sides;
  if (a.keys !== b.keys) throw new Error(`the two sides loaded ${a.keys} and ${b.keys} keys`);
  const f = (xs: number[]) => `${best(xs).toFixed(2)} / ${median(xs).toFixed(2)}`;
  const r = (ours: number[], theirs: number[]) => `${(best(theirs) / best(ours)).toFixed(2)}x / ${(median(theirs) / median(ours)).toFixed(2)}x`;
  console.log(`${N} ${workload === 'mix' ? 'mixed-type' : 'SET'} commands (${(bytes / 1e6).toFixed(1)} MB, ${a.keys} keys), ${ROUNDS} rounds, best / median seconds:`);
  for (const s of sides) {
    const warm = s.warm.cpu.length > 0 ? `; warm CPU ${f(s.warm.cpu)}, wall ${f(s.warm.wall)}` : '';
    console.log(`  ${s.name.padEnd(28)} cold CPU ${f(s.cold.cpu)}, wall ${f(s.cold.wall)}${warm}`);
  }
  const warm = a.warm.cpu.length > 0 ? `; warm CPU ${r(a.warm.cpu, b.warm.cpu)}, wall ${r(a.warm.wall, b.warm.wall)}` : '';
  console.log(`  against / this (>1 = this faster): cold CPU ${r(a.cold.cpu, b.cold.cpu)}, wall ${r(a.cold.wall, b.cold.wall)}${warm}`);
}

const workloads: Workload[] = WHICH === 'both' ? ['mix', 'set'] : [WHICH as Workload];
const tmp = mkdtempSync(join(tmpdir(), 'aofsim-bench-'));
try {
  console.log(`this checkout ${HERE} against ${resolve(AGAINST)}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const workload of workloads) {
    const dir = join(tmp, workload);
    const { bytes } = generateDir(dir, workload, N);
    const sides: Side[] = [HERE, resolve(AGAINST)].map((root, i) => ({
      name: i === 0 ? 'this checkout' : 'against',
      root,
      cold: { cpu: [], wall: [] },
      warm: { cpu: [], wall: [] },
      keys: 0,
    }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of round % 2 === 0 ? sides : [...sides].reverse()) runChild(s, dir);
    }
    report(workload, bytes, sides);
  }
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
