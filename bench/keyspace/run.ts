// Keyspace benchmark: commands/s of aofsim's in-memory command Executor (redis-7.0 profile, one
// client, propagation computed as for the AOF) on a mixed workload, next to redis-benchmark against a
// real redis-server 7.0 on the same machine (pipelined, one client), as a ratio.
//
//   npx tsx bench/keyspace/run.ts [--requests N] [--pipeline P] [--repeat K]
//
// Workload for both: SET, GET, INCR, LPUSH, SADD, ZADD, HSET (redis-benchmark -t set,get,incr,lpush,
// sadd,zadd,hset with its default 3-byte payload and random keys from a 100k key space via -r).
// aofsim runs the same command shapes in-process (no network, no RESP parsing): the figure is the
// command layer's throughput, an upper bound of what a server built on it could do. Best of K runs
// (default 3) per side. Not a test: run it by hand; it uses real time.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor } from '../../src/commands/executor.ts';
import { newClient } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom, randomBelow } from '../../src/ports/random.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

const REQUESTS = arg('--requests', 200_000);
const PIPELINE = arg('--pipeline', 16);
const REPEAT = arg('--repeat', 3);
const TESTS = ['SET', 'GET', 'INCR', 'LPUSH', 'SADD', 'ZADD', 'HSET'];

/** The command shapes redis-benchmark sends for one test, with a random key suffix. */
function workload(t: string, n: number): string[][] {
  const r = new SeededRandom(42);
  const key = () => String(randomBelow(r, 100_000)).padStart(12, '0');
  const out: string[][] = [];
  {
    for (let i = 0; i < n; i++) {
      const k = key();
      switch (t) {
        case 'SET':
          out.push(['SET', 'key:' + k, 'xxx']);
          break;
        case 'GET':
          out.push(['GET', 'key:' + k]);
          break;
        case 'INCR':
          out.push(['INCR', 'counter:' + k]);
          break;
        case 'LPUSH':
          out.push(['LPUSH', 'mylist', 'xxx']);
          break;
        case 'SADD':
          out.push(['SADD', 'myset', 'element:' + k]);
          break;
        case 'ZADD':
          out.push(['ZADD', 'myzset', String(randomBelow(r, 1000)), 'element:' + k]);
          break;
        default:
          out.push(['HSET', 'myhash', 'element:' + k, 'xxx']);
      }
    }
  }
  return out;
}

function benchAofsim(cmds: string[][]): number {
  const ex = new Executor(new Keyspace(), { profile: 'redis-7.0', clock: { nowMs: () => Date.now() }, random: new SeededRandom(1) });
  const c = newClient(1);
  const t0 = process.hrtime.bigint();
  let errors = 0;
  for (const argv of cmds) if (ex.call(c, argv).reply.kind === 'error') errors++;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (errors > 0) throw new Error(`${errors} commands failed: the workload did not run as intended`);
  return cmds.length / s;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function benchRedis(): Promise<{ rps: number; perTest: Record<string, number> } | null> {
  if (spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-benchmark']).status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'aofsim-bench-keyspace-'));
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const res = spawnSync(
      'redis-benchmark',
      ['-p', String(port), '-P', String(PIPELINE), '-c', '1', '-n', String(REQUESTS), '-r', '100000', '-t', TESTS.join(',').toLowerCase(), '--csv'],
      { encoding: 'utf8' },
    );
    const perTest: Record<string, number> = {};
    for (const line of res.stdout.split('\n')) {
      const m = /^"([A-Z]+)[^"]*","([0-9.]+)"/.exec(line);
      if (m) perTest[m[1]] = Number(m[2]);
    }
    const rates = TESTS.map((t) => perTest[t]).filter((x) => x !== undefined);
    if (rates.length !== TESTS.length) throw new Error('redis-benchmark output not understood:\n' + res.stdout + res.stderr);
    // The mixed rate: total requests over total time (harmonic mean of the per-test rates).
    const rps = rates.length / rates.reduce((a, x) => a + 1 / x, 0);
    return { rps, perTest };
  } finally {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

// Each test on a fresh keyspace, like redis-benchmark's sequence of tests on one server (whose
// keyspace persists across tests; the difference only matters for GET hit rates).
const aofsimPer: Record<string, number> = {};
for (const t of TESTS) {
  const cmds = workload(t, REQUESTS);
  let b = 0;
  for (let k = 0; k < REPEAT; k++) b = Math.max(b, benchAofsim(cmds));
  aofsimPer[t] = b;
}
const best = TESTS.length / TESTS.reduce((a, t) => a + 1 / aofsimPer[t], 0);
const perA = TESTS.map((t) => `${t} ${Math.round(aofsimPer[t])}`).join(', ');
console.log(`aofsim Executor (in-process, ${REQUESTS} commands per test): ${Math.round(best)} commands/s mixed (${perA}), best of ${REPEAT}`);
let redisBest: { rps: number; perTest: Record<string, number> } | null = null;
for (let k = 0; k < REPEAT; k++) {
  const r = await benchRedis();
  if (r === null) break;
  if (redisBest === null || r.rps > redisBest.rps) redisBest = r;
}
if (redisBest === null) {
  console.log('redis-server / redis-benchmark not on PATH: no comparison');
} else {
  const per = Object.entries(redisBest.perTest)
    .map(([t, v]) => `${t} ${Math.round(v)}`)
    .join(', ');
  console.log(`redis-server 7.0 via redis-benchmark -P ${PIPELINE} -c 1 -n ${REQUESTS}: ${Math.round(redisBest.rps)} requests/s mixed (${per})`);
  console.log(`ratio aofsim/redis: ${(best / redisBest.rps).toFixed(2)}`);
}
