// Serve benchmark: `aofsim serve` vs redis-server 7.0 under the same redis-benchmark run, K rounds
// interleaved (default 3), best and median requests/s per test and the ratio aofsim/redis.
//
//   npx tsx bench/serve/run.ts [--tests set,get,lpush,lpop,lrange_100] [--requests N] [--repeat K]
//
// Each round starts a fresh server and runs redis-benchmark on it twice: the first pass meets a
// cold server (for aofsim: a JIT that has compiled nothing yet; -n 20000 lasts a fraction of a
// second, so this pass mostly measures compilation), the second a warm one. Both are reported,
// for both servers alike.
//
// Both servers run with appendonly no on a temp dir, on loopback; redis-benchmark uses
// -n N -c 50 -P 16 (the figures) and --csv. aofsim runs through bin/aofsim.cjs (whatever the
// package's bin runs). Not a test: run it by hand; it uses real time.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

/** Starts a server, runs redis-benchmark against it, stops it: requests/s per test. */
async function round(kind: 'aofsim' | 'redis'): Promise<{ cold: Record<string, number>; warm: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), `aofsim-bench-serve-${kind}-`));
  const port = await freePort();
  const proc =
    kind === 'aofsim'
      ? spawn(process.execPath, [join(ROOT, 'bin/aofsim.cjs'), 'serve', '--port', String(port), '--dir', dir, '--profile', 'redis-7.0', '--quiet'], { stdio: 'ignore' })
      : spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  try {
    await waitForPort(port, proc);
    const pass = (): Record<string, number> => {
      const r = spawnSync('redis-benchmark', ['-p', String(port), '-n', String(REQUESTS), '-c', '50', '-P', '16', '-t', TESTS.join(','), '--csv'], {
        encoding: 'utf8',
        timeout: 600_000,
      });
      const out: Record<string, number> = {};
      for (const line of r.stdout.split('\n')) {
        const m = /^"([A-Z_0-9]+)[^"]*","([0-9.]+)"/.exec(line);
        if (m) out[m[1]] = Number(m[2]);
      }
      if (Object.keys(out).length === 0) throw new Error(`redis-benchmark output not understood:\n${r.stdout}${r.stderr}`);
      return out;
    };
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
type Side = Record<string, number[]>;
const ours = { cold: {} as Side, warm: {} as Side };
const theirs = { cold: {} as Side, warm: {} as Side };
const fmtPass = (r: Record<string, number>) => Object.entries(r).map(([t, v]) => `${t} ${Math.round(v)}`).join(', ');
for (let k = 0; k < REPEAT; k++) {
  for (const [kind, into] of [['aofsim', ours], ['redis', theirs]] as const) {
    const r = await round(kind);
    for (const pass of ['cold', 'warm'] as const) for (const [t, v] of Object.entries(r[pass])) (into[pass][t] ??= []).push(v);
    console.log(`round ${k + 1} ${kind}: first pass ${fmtPass(r.cold)}; second pass ${fmtPass(r.warm)}`);
  }
}
for (const pass of ['cold', 'warm'] as const) {
  console.log(`\n${pass === 'cold' ? 'first pass on a fresh server' : 'second pass (the same server, warm)'}: redis-benchmark -n ${REQUESTS} -c 50 -P 16, ${REPEAT} rounds interleaved (requests/s; higher is better)`);
  console.log('test          aofsim best/median      redis-server best/median  ratio best (median)');
  for (const t of Object.keys(theirs[pass])) {
    const a = ours[pass][t] ?? [0];
    const b = theirs[pass][t];
    const fmt = (x: number) => `${(x / 1000).toFixed(1)}k`.padStart(7);
    console.log(
      `${t.padEnd(12)}  ${fmt(Math.max(...a))} ${fmt(median(a))}       ${fmt(Math.max(...b))} ${fmt(median(b))}       ` +
        `${(Math.max(...a) / Math.max(...b)).toFixed(2)}x (${(median(a) / median(b)).toFixed(2)}x)`,
    );
  }
}
