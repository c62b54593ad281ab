// Benchmark: does a long `aofsim run` campaign keep its memory flat? Runs the compiled CLI
// (bin/aofsim.cjs run --time T --workers N --seed S --partial) and samples the process's resident
// set (VmRSS in /proc/PID/status; the worker threads live in the same process, so this is all of
// it) every few seconds, and V8's own account of each heap (node --trace-gc: the live heap each full
// mark-compact leaves, per isolate: the main thread and every worker), then prints both per minute
// and compares the first and the last fifth of the run (after a warm-up minute). RSS alone
// cannot tell a leak from a heap that V8 lets grow lazily; the post-GC heap can.
//
//   npx tsx bench/sim/campaign-memory.ts [--time 10m] [--workers N] [--seed S] [--every 5] [--cli PATH]
//
// --cli runs another copy of the CLI (default this checkout's bin/aofsim.cjs): the campaign loads
// its code in chunks while it runs, so rebuilding dist/ during a long run breaks it; measure a copy
// of bin/ and dist/ (with a node_modules link) instead.
//
// Linux only (/proc). Not a test: run it by hand; it uses real time. The campaign's own summary is
// printed at the end, so the runs it did and its result can be read next to the memory figures.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median } from '../stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const TIME = arg('--time', '10m');
const WORKERS = arg('--workers', String(cpus().length));
const SEED = arg('--seed', '1');
const EVERY = Math.max(1, Number(arg('--every', '5')));
const CLI = arg('--cli', `${ROOT}bin/aofsim.cjs`);

/** VmRSS and VmHWM of a process in MB, or null once it is gone. */
function memOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
function cpuOf(pid: number): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime (fields 14, 15) in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

const args = ['--trace-gc', CLI, 'run', '--time', TIME, '--workers', WORKERS, '--seed', SEED, '--partial'];
console.log(`node ${args.join(' ')}   (load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')}, ${cpus().length} cores)`);
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let summary = '';
let pendingLine = '';
/** Live heap (MB) after each mark-compact, per isolate, with its time. */
const gcs: { t: number; isolate: string; liveMb: number; committedMb: number }[] = [];
const GC_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact(?: \([^)]*\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;
child.stdout.on('data', (d: Buffer) => {
  const lines = (pendingLine + d.toString()).split('\n');
  pendingLine = lines.pop() ?? '';
  for (const line of lines) {
    const m = GC_LINE.exec(line);
    if (m) gcs.push({ t: (Date.now() - t0) / 1000, isolate: m[1], liveMb: Number(m[2]), committedMb: Number(m[3]) });
    else if (!line.startsWith('[')) summary += line + '\n';
  }
});
const t0 = Date.now();
const samples: { t: number; rss: number; cpu: number }[] = [];
const timer = setInterval(() => {
  const m = memOf(child.pid as number);
  const cpu = cpuOf(child.pid as number);
  if (m === null || cpu === null) return;
  samples.push({ t: (Date.now() - t0) / 1000, rss: m.rss, cpu });
}, EVERY * 1000);
const code: number = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)));
clearInterval(timer);

// The summary without its per-cell rows (findings, the totals).
console.log(summary.trimEnd().split('\n').filter((l) => !/ held$/.test(l) && !l.startsWith('runs ')).join('\n'));
console.log(`exit ${code}; ${samples.length} samples every ${EVERY}s; load average at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
/**
 * Per isolate, the largest (or smallest) live or committed heap its mark-compacts left within
 * [from, to), summed over the isolates. The largest includes the run in flight (a burst run holds
 * megabytes while it runs); the smallest is the floor that state kept between runs would raise.
 */
function liveHeap(from: number, to: number, field: 'liveMb' | 'committedMb' = 'liveMb', pick: 'max' | 'min' = 'max'): number | null {
  const per = new Map<string, number>();
  for (const g of gcs) if (g.t >= from && g.t < to) per.set(g.isolate, Math[pick](per.get(g.isolate) ?? (pick === 'max' ? 0 : Infinity), g[field]));
  return per.size === 0 ? null : [...per.values()].reduce((a, b) => a + b, 0);
}
console.log('minute   RSS MB min / median / max   heap after full GC, MB (sum of isolates): live min / max / committed   CPU-s used');
for (let m = 0; samples.some((s) => s.t >= m * 60); m++) {
  const inMin = samples.filter((s) => s.t >= m * 60 && s.t < (m + 1) * 60);
  if (inMin.length === 0) continue;
  const r = inMin.map((s) => s.rss);
  const live = liveHeap(m * 60, (m + 1) * 60);
  console.log(
    `${String(m).padStart(6)}   ${Math.min(...r).toFixed(0).padStart(6)} / ${median(r).toFixed(0).padStart(6)} / ${Math.max(...r).toFixed(0).padStart(6)}   ` +
      `${(liveHeap(m * 60, (m + 1) * 60, 'liveMb', 'min')?.toFixed(1) ?? '-').padStart(10)} / ${(live === null ? '-' : live.toFixed(1)).padStart(6)} / ${(liveHeap(m * 60, (m + 1) * 60, 'committedMb')?.toFixed(1) ?? '-').padStart(6)}                                ${inMin[inMin.length - 1].cpu.toFixed(0).padStart(6)}`,
  );
}
console.log(`${gcs.length} mark-compacts in ${new Set(gcs.map((g) => g.isolate)).size} isolates`);
// Per isolate (the main thread first: it starts first), where its live heap began and ended after
// the first minute: tells a parent keeping results from a worker keeping state between batches.
for (const iso of [...new Set(gcs.map((g) => g.isolate))]) {
  const mine = gcs.filter((g) => g.isolate === iso && g.t >= 60);
  if (mine.length < 2) continue;
  const m0 = mine[0];
  const m1 = mine[mine.length - 1];
  console.log(`  isolate ${iso}: live ${m0.liveMb.toFixed(1)} MB at ${m0.t.toFixed(0)} s -> ${m1.liveMb.toFixed(1)} MB at ${m1.t.toFixed(0)} s (${mine.length} full GCs)`);
}
const ran = /: (\d+) runs in/.exec(summary);
const cpuTotal = samples.at(-1)?.cpu;
if (ran && cpuTotal) console.log(`${ran[1]} runs in ${cpuTotal.toFixed(1)} CPU-s of the process (until the last sample): ${(Number(ran[1]) / cpuTotal).toFixed(0)} runs per CPU-second`);
const steady = samples.filter((s) => s.t >= 60);
if (steady.length >= 10) {
  const fifth = Math.max(1, Math.floor(steady.length / 5));
  const first = median(steady.slice(0, fifth).map((s) => s.rss));
  const last = median(steady.slice(-fifth).map((s) => s.rss));
  console.log(`after the first minute: median RSS of the first fifth ${first.toFixed(0)} MB, of the last fifth ${last.toFixed(0)} MB (${(((last - first) / first) * 100).toFixed(1)}%); max ${Math.max(...steady.map((s) => s.rss)).toFixed(0)} MB`);
} else console.log('run shorter than ~2 minutes: no steady-state comparison');
