// Benchmark: crash + restart + full-state check cycles per second, simulated vs a real redis-server,
// and the simulator against an older checkout of itself.
//
//   npx tsx bench/sim/crash-cycle.ts [--rounds K] [--cycles N] [--seconds S] [--redis PATH]
//                                    [--profile redis-4.0|redis-7.0] [--against DIR]
//
// One cycle, both sides: start a server with appendonly yes / appendfsync always in an empty
// directory, send a small workload (50 writes over 20 keys, pipelined), kill the process (SIGKILL /
// the world's process-kill), start it again on the same files, read the whole state back and check
// it equals what the live server had before the kill (simulated: the dead server's keyspace and the
// restarted one compared key by key, same-state.ts; real: MGET of every key before and after). The simulated cycle builds a World per cycle
// (SimFs, scheduler, Server) with a new seed each time, tracing off, reusing what a WorldReuse
// allows across runs (today the virtual clock: sim/world/world-reuse.ts). The real cycle runs redis-server on a
// free loopback port in a temp directory for S seconds (default 3).
//
// Simulated rates: K rounds (default 7) of N cycles (default 3000); with --against DIR (a checkout of
// an older commit, with its node_modules) both simulators run in each round, interleaved, the order
// alternating, so a noisy neighbour hits both alike; prints best and median of each, as cycles/s of
// wall clock and per CPU-second, and the ratios. Not a test: run it by hand; it uses real time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Profile } from '../../src/base/profile.ts';
import { best, median } from '../stats.ts';
import { sameState } from './same-state.ts';

const WRITES = 50;
const KEYS = 20;

// The workload's strings come from tables made once, so that formatting numbers (the driver's own
// work, the same for both sides of --against) is not counted as simulation: same commands as
// `k${x % KEYS}`, `n${x % KEYS}`, `v${i}-${x % 1000}`.
const K_NAMES = Array.from({ length: KEYS }, (_, i) => `k${i}`);
const N_NAMES = Array.from({ length: KEYS }, (_, i) => `n${i}`);
const V_PREFIXES = Array.from({ length: WRITES }, (_, i) => `v${i}-`);
const DIGITS = Array.from({ length: 1000 }, (_, i) => String(i));

function workload(seed: number): string[][] {
  const out: string[][] = [];
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < WRITES; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(i % 3 === 2 ? ['INCR', N_NAMES[x % KEYS]] : ['SET', K_NAMES[x % KEYS], V_PREFIXES[i] + DIGITS[x % 1000]]);
  }
  return out;
}

// ---- simulated -----------------------------------------------------------------------------------

type Cycle = (seed: number) => void;

/**
 * The simulated cycle of the checkout at `root`, with its own modules (an older checkout may lack
 * WorldReuse: it then reuses only a VirtualClock, as it did).
 */
async function simSide(root: string, profile: Profile): Promise<Cycle> {
  const load = (rel: string): Promise<Record<string, any>> => import(pathToFileURL(resolve(root, rel)).href);
  const { World } = await load('sim/world/world.ts');
  const { VirtualClock } = await load('sim/clock/virtual-clock.ts');
  const { loadServerFactory } = await load('sim/world/server-factory.ts');
  const { resolveAofConfig } = await load('src/aof/config.ts');
  const reuseMod = await load('sim/world/world-reuse.ts').catch(() => null);
  const createServer = await loadServerFactory();
  const config = resolveAofConfig({ profile, appendonly: true, appendfsync: 'always', dir: '/data' });
  const shared = reuseMod ? { reuse: new reuseMod.WorldReuse() } : { clock: new VirtualClock() };
  return (seed) => {
    const world = new World({ seed, config, createServer, ...shared, trace: false, files: { '/data/.keep': '' } });
    world.start();
    const reqs = workload(seed).map((argv) => world.send(argv));
    if (!world.settle(reqs)) throw new Error(`seed ${seed}: replies missing`);
    const live = world.server!.keyspace;
    world.crash({ model: 'process-kill' });
    const outcome = world.restart();
    if (outcome.outcome !== 'ok') throw new Error(`seed ${seed}: restart failed: ${outcome.reason}`);
    if (!sameState(live, world.server!.keyspace, world.nowMs())) throw new Error(`seed ${seed}: recovered state differs from the live state`);
  };
}

interface Round {
  wallS: number;
  cpuS: number;
}

function timeRound(cycle: Cycle, firstSeed: number, n: number): Round {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) cycle(firstSeed + i);
  const c = process.cpuUsage(c0);
  return { wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
}

/** "best / median" of cycles per second over the rounds, by wall clock and by CPU time. */
function rates(rounds: readonly Round[], n: number): { wall: [number, number]; cpu: [number, number] } {
  const wall = rounds.map((r) => r.wallS);
  const cpu = rounds.map((r) => r.cpuS);
  return { wall: [n / best(wall), n / median(wall)], cpu: [n / best(cpu), n / median(cpu)] };
}

// ---- real redis-server ---------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function encode(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}

/** Counts complete top-level RESP2 replies in `buf` from `pos`; returns [count, next pos] (simple types + bulk + flat arrays). */
function parseReplies(buf: string, out: (string | null)[]): number {
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) return pos;
    const t = buf[pos];
    const line = buf.slice(pos + 1, eol);
    if (t === '+' || t === '-' || t === ':') {
      out.push(t === '-' ? `ERR:${line}` : line);
      pos = eol + 2;
    } else if (t === '$') {
      const n = Number(line);
      if (n < 0) {
        out.push(null);
        pos = eol + 2;
      } else {
        if (buf.length < eol + 2 + n + 2) return pos;
        out.push(buf.slice(eol + 2, eol + 2 + n));
        pos = eol + 2 + n + 2;
      }
    } else if (t === '*') {
      // MGET reply: an array of bulk strings; parse it whole or not at all.
      const n = Number(line);
      const items: (string | null)[] = [];
      let p = eol + 2;
      for (let i = 0; i < n; i++) {
        const e = buf.indexOf('\r\n', p);
        if (e < 0) return pos;
        const len = Number(buf.slice(p + 1, e));
        if (len < 0) {
          items.push(null);
          p = e + 2;
          continue;
        }
        if (buf.length < e + 2 + len + 2) return pos;
        items.push(buf.slice(e + 2, e + 2 + len));
        p = e + 2 + len + 2;
      }
      out.push(JSON.stringify(items));
      pos = p;
    } else throw new Error(`unexpected reply byte ${JSON.stringify(t)}`);
  }
}

function connect(port: number, deadlineMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const sock = createConnection({ port, host: '127.0.0.1' });
      sock.once('connect', () => resolve(sock));
      sock.once('error', () => {
        sock.destroy();
        if (performance.now() > deadlineMs) reject(new Error(`redis-server did not accept connections on port ${port}`));
        else setTimeout(attempt, 1);
      });
    };
    attempt();
  });
}

function roundTrip(sock: Socket, cmds: string[][]): Promise<(string | null)[]> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const replies: (string | null)[] = [];
    const onData = (d: Buffer): void => {
      buf += d.toString('latin1');
      const used = parseReplies(buf, replies);
      buf = buf.slice(used);
      if (replies.length >= cmds.length) {
        sock.off('data', onData);
        resolve(replies);
      }
    };
    sock.on('data', onData);
    sock.once('error', reject);
    sock.write(cmds.map(encode).join(''));
  });
}

function startRedis(bin: string, dir: string, port: number): ChildProcess {
  return spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always',
    '--save', '', '--daemonize', 'no', '--logfile', '', '--loglevel', 'warning'], { stdio: 'ignore' });
}

function waitExit(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) resolve();
    else p.once('exit', () => resolve());
  });
}

async function realCycle(bin: string, seed: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aofsim-bench-'));
  try {
    const port = await freePort();
    let p = startRedis(bin, dir, port);
    let sock = await connect(port, performance.now() + 5000);
    const cmds = workload(seed);
    await roundTrip(sock, cmds);
    const keys = Array.from({ length: KEYS }, (_, i) => [`k${i}`, `n${i}`]).flat();
    const [before] = await roundTrip(sock, [['MGET', ...keys]]);
    sock.destroy();
    p.kill('SIGKILL');
    await waitExit(p);
    p = startRedis(bin, dir, port);
    sock = await connect(port, performance.now() + 5000);
    let [after] = await roundTrip(sock, [['MGET', ...keys]]);
    // The port accepts connections while the AOF is still loading: retry until it is loaded.
    for (let i = 0; i < 5000 && after !== null && after.startsWith('ERR:LOADING'); i++) {
      await new Promise((r) => setTimeout(r, 1));
      [after] = await roundTrip(sock, [['MGET', ...keys]]);
    }
    sock.destroy();
    p.kill('SIGKILL');
    await waitExit(p);
    if (after !== before) throw new Error(`redis-server seed ${seed}: state after restart differs: ${before} vs ${after}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
  };
  const seconds = Number(opt('--seconds', '3'));
  const rounds = Number(opt('--rounds', '7'));
  const n = Number(opt('--cycles', '3000'));
  const bin = opt('--redis', '/usr/bin/redis-server');
  const profile = opt('--profile', 'redis-4.0') as Profile;
  const against = opt('--against', '');
  const here = fileURLToPath(new URL('../../', import.meta.url));
  const sides: { name: string; cycle: Cycle; rounds: Round[] }[] = [{ name: 'this checkout', cycle: await simSide(here, profile), rounds: [] }];
  if (against !== '') sides.push({ name: against, cycle: await simSide(against, profile), rounds: [] });

  // Warm-up: until the JIT has settled (its background compiles count as process CPU time), at least
  // 1 s of wall time and 500 cycles per side.
  for (const s of sides) {
    const warm0 = performance.now();
    for (let i = 0; i < 500 || performance.now() - warm0 < 1000; i++) s.cycle(1_000_000 + i);
  }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) s.rounds.push(timeRound(s.cycle, r * n, n));
  }
  const fmt = (x: [number, number]): string => `${x[0].toFixed(0)} / ${x[1].toFixed(0)}`;
  console.log(`simulated (${profile}, always, process-kill), ${rounds} rounds of ${n} cycles${sides.length > 1 ? ', interleaved' : ''}: best / median cycles/s`);
  const stats = sides.map((s) => rates(s.rounds, n));
  sides.forEach((s, i) => console.log(`  ${s.name.padEnd(24)} wall ${fmt(stats[i].wall).padStart(13)}   per CPU-second ${fmt(stats[i].cpu).padStart(13)}`));
  if (sides.length > 1) {
    const [a, b] = stats;
    const ratio = (x: [number, number], y: [number, number]): string => `${(x[0] / y[0]).toFixed(2)}x / ${(x[1] / y[1]).toFixed(2)}x`;
    console.log(`  ratio this / against: wall ${ratio(a.wall, b.wall)}, per CPU-second ${ratio(a.cpu, b.cpu)} (best / median)`);
  }
  const simRate = stats[0].wall[1];

  if (!existsSync(bin)) {
    console.log(`real: ${bin} not found; pass --redis PATH`);
    return;
  }
  await realCycle(bin, 0); // warm-up
  let realCycles = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) await realCycle(bin, realCycles++);
  const realRate = realCycles / ((performance.now() - t0) / 1000);
  console.log(`real redis-server (${bin}, always, SIGKILL): ${realCycles} cycles in ${((performance.now() - t0) / 1000).toFixed(2)} s = ${realRate.toFixed(1)} cycles/s`);
  console.log(`ratio: ${(simRate / realRate).toFixed(0)}x wall-clock, simulated median (target >= 100x); host load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
}

await main();
