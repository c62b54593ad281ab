// Serve benchmark: `aofsim serve` vs redis-server 7.0 under the same redis-benchmark runs, K rounds
// interleaved (default 3), best and median per test of requests/s (wall) and of requests per
// CPU-second of the server process, and the ratios aofsim/redis.
//
//   npx tsx bench/serve/run.ts [--tests set,get,lpush,lpop,lrange_100] [--requests N] [--repeat K] [--against DIR] [--against-node-flags "FLAGS"] [--floor]
//
// --against DIR adds a third side, interleaved with the other two: `aofsim serve` of another
// checkout (DIR, built with `npm run build`), e.g. the commit before a change, so a before/after
// ratio is measured under the same load. --against-node-flags "FLAGS" runs the third side's node with
// those flags (space-separated; V8 flags such as --max-lazy), on this checkout unless --against names
// another, so a flag's effect is measured against the same code without it. --floor adds the Node.js floor (bench/serve/node-floor.mjs:
// a server that only counts commands and answers +OK), what any server on Node's net layer costs.
//
// Each round starts a fresh server and runs every test on it twice: the first pass meets a cold
// server (for aofsim: a JIT that has compiled nothing yet; -n 20000 lasts a fraction of a second,
// so this pass mostly measures compilation), the second a warm one. Both are reported, for both
// servers alike.
//
// One redis-benchmark per test (-n N -c 50 -P 16, the issue's figures, --csv), so the server's CPU
// time can be read around each: the sum over its threads of /proc/PID/task/TID/schedstat's
// on-CPU nanoseconds (the robust figure on a shared machine: it does not count the time the server
// waited for a core). `-t lrange_100` would first run its own LPUSH of N elements inside the same
// invocation; here that fill is a separate, unmeasured `-t lpush` run, and the measured run is the
// same request redis-benchmark sends for LRANGE_100 (LRANGE mylist 0 99) given as a command.
//
// Both servers run with appendonly no on a temp dir, on loopback. aofsim runs through
// bin/aofsim.cjs (whatever the package's bin runs: build it first with `npm run build`). Not a
// test: run it by hand; it uses real time.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../sim/subjects/real-redis-server.ts';
import { median } from '../stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const TESTS = arg('--tests', 'set,get,lpush,lpop,lrange_100').split(',');
const REQUESTS = Number(arg('--requests', '20000'));
const REPEAT = Math.max(1, Number(arg('--repeat', '3')));
const AGAINST_FLAGS = arg('--against-node-flags', '').split(' ').filter((f) => f !== '');
const AGAINST = arg('--against', AGAINST_FLAGS.length > 0 ? ROOT : '');
const FLOOR = process.argv.includes('--floor');

async function waitForPort(port: number, proc: ChildProcess): Promise<void> {
  for (let step = 0; step < 600; step++) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** CPU seconds a live process has run so far, all its threads (schedstat: nanoseconds on a CPU). */
function cpuSeconds(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e9;
}

/** Runs redis-benchmark once; the requests/s of the last row of its CSV output. */
function benchmark(port: number, args: string[]): number {
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-n', String(REQUESTS), '-c', '50', '-P', '16', '--csv', ...args], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  const rows = [...r.stdout.matchAll(/^"[^"]*","([0-9.]+)"/gm)];
  if (rows.length === 0) throw new Error(`redis-benchmark ${args.join(' ')}: output not understood:\n${r.stdout}${r.stderr}`);
  return Number(rows[rows.length - 1][1]);
}

interface Figure {
  /** requests/s, wall clock, as redis-benchmark reports it */
  rps: number;
  /** requests per CPU-second of the server process */
  cpuRps: number;
}
type Pass = Record<string, Figure>;

/** One test on a running server: a benchmark run with the server's CPU time read around it. */
function measure(port: number, pid: number, test: string): Figure {
  if (test === 'lrange_100') benchmark(port, ['-t', 'lpush']); // the list to read (not measured)
  const cpu0 = cpuSeconds(pid);
  const rps = benchmark(port, test === 'lrange_100' ? ['LRANGE', 'mylist', '0', '99'] : ['-t', test]);
  return { rps, cpuRps: REQUESTS / Math.max(1e-6, cpuSeconds(pid) - cpu0) };
}

type Kind = 'aofsim' | 'against' | 'floor' | 'redis';

/** Starts a server, runs every test on it twice (cold, then warm), stops it. */
async function round(kind: Kind): Promise<{ cold: Pass; warm: Pass }> {
  const dir = mkdtempSync(join(tmpdir(), `aofsim-bench-serve-${kind}-`));
  const port = await freePort();
  const proc =
    kind === 'redis'
      ? spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
      : kind === 'floor'
        ? spawn(process.execPath, [join(ROOT, 'bench/serve/node-floor.mjs'), String(port)], { stdio: 'ignore' })
        : spawn(process.execPath, [...(kind === 'aofsim' ? [] : AGAINST_FLAGS), join(kind === 'aofsim' ? ROOT : AGAINST, 'bin/aofsim.cjs'), 'serve', '--port', String(port), '--dir', dir, '--profile', 'redis-7.0', '--quiet'], { stdio: 'ignore' });
  try {
    await waitForPort(port, proc);
    const pid = proc.pid as number;
    const pass = (): Pass => Object.fromEntries(TESTS.map((t) => [t, measure(port, pid, t)]));
    const cold = pass();
    return { cold, warm: pass() };
  } finally {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-benchmark']).status !== 0) {
  console.log('redis-server / redis-benchmark not on PATH: nothing to compare against');
  process.exit(0);
}
type Side = Record<string, Figure[]>;
const kinds: Kind[] = ['aofsim', ...(AGAINST === '' ? [] : ['against' as const]), ...(FLOOR ? ['floor' as const] : []), 'redis'];
const sides = Object.fromEntries(kinds.map((k) => [k, { cold: {} as Side, warm: {} as Side }])) as Record<Kind, { cold: Side; warm: Side }>;
const k1 = (x: number) => `${(x / 1000).toFixed(1)}k`;
/** `best / median` of one side's figures. */
const bestMedian = (v: number[]) => `${k1(Math.max(...v))} / ${k1(median(v))}`;
/** The ratio a/b of the bests, then of the medians in parentheses. */
const ratio = (a: number[], b: number[]) => `${(Math.max(...a) / Math.max(...b)).toFixed(2)}x (${(median(a) / median(b)).toFixed(2)}x)`;
const fmtPass = (p: Pass) => Object.entries(p).map(([t, f]) => `${t} ${k1(f.rps)} (${k1(f.cpuRps)}/cpu-s)`).join(', ');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`start ${new Date().toISOString()}, load average ${load()}`);
for (let k = 0; k < REPEAT; k++) {
  for (const kind of kinds) {
    const r = await round(kind);
    for (const pass of ['cold', 'warm'] as const) for (const [t, f] of Object.entries(r[pass])) (sides[kind][pass][t] ??= []).push(f);
    console.log(`round ${k + 1} ${kind}: first pass ${fmtPass(r.cold)}\n               second pass ${fmtPass(r.warm)}`);
  }
}
console.log(`end ${new Date().toISOString()}, load average ${load()}`);
for (const pass of ['cold', 'warm'] as const) {
  console.log(
    `\n${pass === 'cold' ? 'first pass on a fresh server' : 'second pass (the same server, warm)'}: redis-benchmark -n ${REQUESTS} -c 50 -P 16, ${REPEAT} rounds interleaved; best / median (higher is better)`,
  );
  console.log('test          aofsim req/s    redis req/s     ratio           aofsim req/cpu-s  redis req/cpu-s  CPU ratio');
  for (const t of TESTS) {
    const a = sides.aofsim[pass][t];
    const b = sides.redis[pass][t];
    const cols = (f: (x: Figure) => number): string[] => {
      const av = a.map(f);
      const bv = b.map(f);
      return [bestMedian(av), bestMedian(bv), ratio(av, bv)];
    };
    const [wa, wb, wr] = cols((x) => x.rps);
    const [ca, cb, cr] = cols((x) => x.cpuRps);
    console.log(`${t.padEnd(12)}  ${wa.padEnd(14)}  ${wb.padEnd(14)}  ${wr.padEnd(14)}  ${ca.padEnd(16)}  ${cb.padEnd(15)}  ${cr}`);
  }
  if (FLOOR) {
    console.log(`\nthe same pass, the Node.js floor (every request answered +OK): requests per CPU-second best / median; aofsim's share of it`);
    for (const t of TESTS) {
      const f = sides.floor[pass][t].map((x) => x.cpuRps);
      const a = sides.aofsim[pass][t].map((x) => x.cpuRps);
      const r = sides.redis[pass][t].map((x) => x.cpuRps);
      console.log(
        `${t.padEnd(12)}  floor ${bestMedian(f)}; floor/redis ${ratio(f, r)}; aofsim/floor ${ratio(a, f)}`,
      );
    }
  }
  if (AGAINST === '') continue;
  console.log(`\nthe same pass, this checkout against ${AGAINST}${AGAINST_FLAGS.length > 0 ? ` run with ${AGAINST_FLAGS.join(' ')}` : ''}: requests per CPU-second best / median and the ratio; requests/s ratio`);
  for (const t of TESTS) {
    const a = sides.aofsim[pass][t].map((x) => x.cpuRps);
    const b = sides.against[pass][t].map((x) => x.cpuRps);
    const aw = sides.aofsim[pass][t].map((x) => x.rps);
    const bw = sides.against[pass][t].map((x) => x.rps);
    console.log(
      `${t.padEnd(12)}  ${bestMedian(a)} vs ${bestMedian(b)}: CPU ${ratio(a, b)}, wall ${ratio(aw, bw)}`,
    );
  }
}
