// Loader benchmark: aofsim vs redis-server 7.0 loading the same AOF of N commands (default
// 1,000,000 `SET key:N value:N`; with --mix, a mixed-type workload of SET/INCR/RPUSH/SADD/ZADD/HSET:
// workload.ts),
// `aofsim dump` and `aofsim check` as CLI processes vs redis-server's load and redis-check-aof, and
// the CLI start-up on a tiny fixture.
//
//   npx tsx bench/loader/run.ts [--commands N] [--mix] [--repeat K] [--skip-redis] [--skip-cli]
//
// Every measurement is repeated K times (default 3), all sides interleaved within each round, and
// the best and median of each are reported: on a shared, noisy machine the best-of-K ratio is the
// fair one. One temp dir laid out as Redis 7.0 expects (appendonlydir/ + manifest + one INCR).
// Per round:
//  1. the RESP decoder alone (records/s);
//  1b. the JS Map floor (map-floor.ts): the file read in one go, key and value sliced out of each
//     record and inserted into a Map, with and without a `{ type, value }` wrapper: what any loader
//     with a Map keyspace must at least do, against the same redis-server load;
//  1c. the typed-array arena floor (arena-floor.ts): keys and values left in the read buffer, an
//     open-addressing table of offsets: what a keyspace outside the JS heap would at least do;
//  2. aofsim in-process: loadAppendOnlyFiles with the real command Executor;
//  3. redis-server (if on PATH): started with --dir TMP --appendonly yes; load time = the "DB loaded
//     from append only file: X seconds" figure of its log (wall time also shown); peak RSS (VmHWM);
//  4. `aofsim dump DIR` as a child process: wall and peak RSS (start-up, load and JSON output);
//  5. `aofsim check MANIFEST` as a child process vs `redis-check-aof MANIFEST`, wall clock;
//  6. start-up: `aofsim check` vs `redis-check-aof` on a tiny fixture, wall clock.
// Prints each figure, the ratios (>1 = aofsim faster or smaller), and the table rows of the README's
// performance section. Next to wall clock, each side's CPU seconds (user + system of the process:
// process.cpuUsage in-process, /proc/PID/stat for redis-server at its "DB loaded" line, /usr/bin/time
// for the CLIs): on a shared machine a process waits for a core for most of its wall time, and the
// CPU-time ratio is the one that does not depend on the neighbours. Not a test: run it by hand; it
// uses real time.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { loadAppendOnlyFiles } from '../../src/aof/loader/index.ts';
import { checkAof } from '../../src/aof/check/check-aof.ts';
import { Executor } from '../../src/commands/executor.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { nullLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { LoaderDecoder } from '../../src/resp/loader-decoder.ts';
import { best, median, since } from '../stats.ts';
import { arenaFloor } from './arena-floor.ts';
import { mapFloor } from './map-floor.ts';
import { generate } from './workload.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const N = Number(arg('--commands') ?? 1_000_000);
const SKIP_REDIS = process.argv.includes('--skip-redis');
const SKIP_CLI = process.argv.includes('--skip-cli');
const REPEAT = Math.max(1, Number(arg('--repeat') ?? 3));
const MIX = process.argv.includes('--mix');

const fmtRate = (n: number, s: number) => `${(n / s / 1e6).toFixed(3)} M cmd/s`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Starts redis-server on `dir`, waits for the "DB loaded" log line; returns its figure, wall time and peak RSS. */
async function timeRedisLoad(
  redisServer: string,
  dir: string,
): Promise<{ logSeconds: number; wallSeconds: number; rssBytes: number; cpuSeconds: number }> {
  const port = await freePort();
  const logfile = join(dir, 'redis.log');
  rmSync(logfile, { force: true }); // a previous round's "DB loaded" line must not count
  const t0 = process.hrtime.bigint();
  const child = spawn(
    redisServer,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appenddirname', 'appendonlydir',
      '--appendfilename', 'appendonly.aof', '--save', '', '--logfile', logfile, '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  try {
    for (let step = 0; step < 600_000; step++) {
      await new Promise((r) => setTimeout(r, 5));
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}); see ${logfile}`);
      const text = existsSync(logfile) ? readFileSync(logfile, 'utf8') : '';
      const m = /DB loaded from append only file: ([0-9.]+) seconds/.exec(text);
      if (m) {
        const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const hwm = /VmHWM:\s+([0-9]+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return { logSeconds: Number(m[1]), wallSeconds, rssBytes: hwm ? Number(hwm[1]) * 1024 : 0, cpuSeconds: procCpuSeconds(child.pid) };
      }
      if (/Fatal error|Bad file format|Unexpected end of file/.test(text)) throw new Error(`redis-server refused the AOF; see ${logfile}`);
    }
    throw new Error('redis-server did not finish loading');
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

/** utime + stime of a live process (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s). */
function procCpuSeconds(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return (Number(f[11]) + Number(f[12])) / 100;
}

function time<T>(f: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const value = f();
  const seconds = since(t0);
  const c = process.cpuUsage(c0);
  return { value, seconds, cpuSeconds: (c.user + c.system) / 1e6 };
}

/** Runs a command; wall seconds, exit status and (through /usr/bin/time when present) peak RSS and CPU seconds. */
function timeProcess(argv: string[]): { seconds: number; status: number | null; rssBytes: number; cpuSeconds: number; stderr: string } {
  const gnuTime = existsSync('/usr/bin/time');
  const full = gnuTime ? ['/usr/bin/time', '-f', 'maxrss-kb %M cpu %U %S', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const seconds = since(t0);
  const stderr = String(r.stderr);
  const m = /maxrss-kb ([0-9]+) cpu ([0-9.]+) ([0-9.]+)/.exec(stderr);
  return { seconds, status: r.status, rssBytes: m ? Number(m[1]) * 1024 : 0, cpuSeconds: m ? Number(m[2]) + Number(m[3]) : 0, stderr };
}

const AOFSIM = [process.execPath, join(ROOT, 'bin/aofsim.cjs')];
const TINY = join(ROOT, 'fixtures/redis-7.0.15/preamble-no/1-fresh-start/appendonly.aof.manifest');
const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'aofsim-bench-'));
  try {
    const aofDir = join(tmp, 'appendonlydir');
    mkdirSync(aofDir);
    const incr = join(aofDir, 'appendonly.aof.1.incr.aof');
    const manifest = join(aofDir, 'appendonly.aof.manifest');
    const gen = time(() => generate(incr, MIX ? 'mix' : 'set', N));
    writeFileSync(manifest, 'file appendonly.aof.1.incr.aof seq 1 type i\n');
    const what = MIX ? 'mixed-type (SET/INCR/RPUSH/SADD/ZADD/HSET)' : 'SET';
    console.log(`AOF: ${N} ${what} commands, ${(gen.value / 1e6).toFixed(1)} MB, generated in ${gen.seconds.toFixed(2)} s (${tmp})`);

    const bytes = readFileSync(incr);
    const redisServer = SKIP_REDIS ? undefined : which('redis-server');
    const rca = SKIP_REDIS ? undefined : which('redis-check-aof');
    const f = {
      decode: [] as number[],
      floorObject: [] as number[],
      floorBare: [] as number[],
      floorArena: [] as number[],
      load: [] as number[],
      redis: [] as number[],
      redisWall: [] as number[],
      redisRss: [] as number[],
      dump: [] as number[],
      dumpRss: [] as number[],
      check: [] as number[],
      rca: [] as number[],
      startCheck: [] as number[],
      startRca: [] as number[],
      // CPU seconds of the same runs
      loadCpu: [] as number[],
      floorObjectCpu: [] as number[],
      floorBareCpu: [] as number[],
      floorArenaCpu: [] as number[],
      redisCpu: [] as number[],
      dumpCpu: [] as number[],
      checkCpu: [] as number[],
      rcaCpu: [] as number[],
    };
    let keys = 0;
    for (let round = 0; round < REPEAT; round++) {
      const dec = time(() => {
        const d = new LoaderDecoder();
        d.push(bytes);
        d.finish();
        let n = 0;
        while (d.next() === 'command') n++;
        return n;
      });
      if (dec.value !== N) throw new Error(`decoded ${dec.value} commands`);
      f.decode.push(dec.seconds);

      // The floor reads the file itself (in one read, as cheap as reading gets).
      for (const variant of ['object', 'bare'] as const) {
        const fl = time(() => mapFloor(readFileSync(incr), variant));
        (variant === 'object' ? f.floorObject : f.floorBare).push(fl.seconds);
        (variant === 'object' ? f.floorObjectCpu : f.floorBareCpu).push(fl.cpuSeconds);
      }
      const fa = time(() => arenaFloor(readFileSync(incr)));
      if (fa.value !== mapFloor(bytes, 'bare')) throw new Error(`arena floor: ${fa.value} keys, the Map floor has another count`);
      f.floorArena.push(fa.seconds);
      f.floorArenaCpu.push(fa.cpuSeconds);

      const keyspace = new Keyspace();
      const executor = new Executor(keyspace, { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
      const cfg = { dir: tmp, appendFilename: 'appendonly.aof', appendDirname: 'appendonlydir', loadTruncated: true, layout: 'multi-part' as const };
      const load = time(() => loadAppendOnlyFiles({ fs: createNodeFs(), log: nullLog, executor, modify: false }, cfg));
      if (load.value.status !== 'ok') throw new Error(`aofsim load: ${load.value.status} ${load.value.error?.message ?? ''}`);
      keys = keyspace.size();
      f.load.push(load.seconds);
      f.loadCpu.push(load.cpuSeconds);

      if (redisServer) {
        const r = await timeRedisLoad(redisServer, tmp);
        f.redis.push(r.logSeconds);
        f.redisWall.push(r.wallSeconds);
        f.redisRss.push(r.rssBytes);
        f.redisCpu.push(r.cpuSeconds);
      }
      if (!SKIP_CLI) {
        const d = timeProcess([...AOFSIM, 'dump', tmp, '--at-ms', '0']);
        if (d.status !== 0) throw new Error(`aofsim dump exited ${d.status}: ${d.stderr.split('\n').slice(-3).join(' ')}`);
        f.dump.push(d.seconds);
        f.dumpRss.push(d.rssBytes);
        f.dumpCpu.push(d.cpuSeconds);
        const c = timeProcess([...AOFSIM, 'check', manifest]);
        if (c.status !== 0) throw new Error(`aofsim check exited ${c.status}`);
        f.check.push(c.seconds);
        f.checkCpu.push(c.cpuSeconds);
        f.startCheck.push(timeProcess([...AOFSIM, 'check', TINY]).seconds);
      }
      if (rca) {
        const c = timeProcess([rca, manifest]);
        f.rca.push(c.seconds);
        f.rcaCpu.push(c.cpuSeconds);
        f.startRca.push(timeProcess([rca, TINY]).seconds);
      }
    }
    const line = (label: string, xs: number[]) =>
      console.log(`${label.padEnd(32)} best ${fmtRate(N, best(xs))} (${best(xs).toFixed(3)} s), median ${fmtRate(N, median(xs))} (${median(xs).toFixed(3)} s)`);
    const secs = (label: string, xs: number[]) => console.log(`${label.padEnd(32)} best ${best(xs).toFixed(3)} s, median ${median(xs).toFixed(3)} s`);
    const cpu = (xs: number[]) => `best ${best(xs).toFixed(2)} s, median ${median(xs).toFixed(2)} s`;
    const ratio = (ours: number[], theirs: number[]) =>
      `${(best(theirs) / best(ours)).toFixed(2)}x best, ${(median(theirs) / median(ours)).toFixed(2)}x median`;
    console.log(`${REPEAT} rounds, interleaved (${keys} keys loaded):`);
    line('decoder only:', f.decode);
    line('JS Map floor, {type, value}:', f.floorObject);
    line('JS Map floor, bare strings:', f.floorBare);
    line('typed-array arena floor:', f.floorArena);
    line('aofsim load (in-process):', f.load);
    const rows: string[] = [];
    const label = `${N >= 1e6 ? `${N / 1e6}M` : N} ${MIX ? 'mixed-type' : '`SET`'} AOF (${(gen.value / 1e6).toFixed(1)} MB)`;
    if (f.redis.length > 0) {
      line('redis-server load (its log):', f.redis);
      line('redis-server load (wall):', f.redisWall);
      console.log(`  (${spawnSync(redisServer as string, ['--version'], { encoding: 'utf8' }).stdout.trim()}; peak RSS ${mb(best(f.redisRss))})`);
      console.log(`ratio aofsim in-process / redis-server load: ${ratio(f.load, f.redis)} (>1 = aofsim faster)`);
      console.log(`  CPU seconds: aofsim ${cpu(f.loadCpu)}, redis-server ${cpu(f.redisCpu)}: ${ratio(f.loadCpu, f.redisCpu)}`);
      rows.push(
        `| load ${label}, in-process | ${fmtRate(N, best(f.load))}, ${best(f.loadCpu).toFixed(2)} CPU-s | redis-server 7.0.15: ${fmtRate(N, best(f.redis))}, ` +
          `${best(f.redisCpu).toFixed(2)} CPU-s | wall ${ratio(f.load, f.redis)}; CPU ${ratio(f.loadCpu, f.redisCpu)} |`,
      );
      console.log(
        `ratio JS Map floor / redis-server load: {type, value} ${ratio(f.floorObject, f.redis)}; bare ${ratio(f.floorBare, f.redis)}\n` +
          `  CPU seconds: {type, value} ${cpu(f.floorObjectCpu)}: ${ratio(f.floorObjectCpu, f.redisCpu)}; bare ${cpu(f.floorBareCpu)}: ${ratio(f.floorBareCpu, f.redisCpu)}`,
      );
      rows.push(
        `| JS Map floor of the same load (map-floor.ts), in-process | {type, value}: ${fmtRate(N, best(f.floorObject))}, ${best(f.floorObjectCpu).toFixed(2)} CPU-s; ` +
          `bare: ${fmtRate(N, best(f.floorBare))}, ${best(f.floorBareCpu).toFixed(2)} CPU-s | (same redis-server rounds) | ` +
          `{type, value}: wall ${ratio(f.floorObject, f.redis)}, CPU ${ratio(f.floorObjectCpu, f.redisCpu)}; bare: wall ${ratio(f.floorBare, f.redis)}, CPU ${ratio(f.floorBareCpu, f.redisCpu)} |`,
      );
      console.log(`ratio typed-array arena floor / redis-server load: ${ratio(f.floorArena, f.redis)}\n  CPU seconds: ${cpu(f.floorArenaCpu)}: ${ratio(f.floorArenaCpu, f.redisCpu)}`);
      rows.push(
        `| typed-array arena floor of the same load (arena-floor.ts), in-process | ${fmtRate(N, best(f.floorArena))}, ${best(f.floorArenaCpu).toFixed(2)} CPU-s | (same redis-server rounds) | ` +
          `wall ${ratio(f.floorArena, f.redis)}, CPU ${ratio(f.floorArenaCpu, f.redisCpu)} |`,
      );
    }
    if (f.dump.length > 0) {
      secs('aofsim dump (CLI, wall):', f.dump);
      console.log(`  (peak RSS ${mb(best(f.dumpRss))}, start-up, load and JSON output included)`);
      if (f.redisWall.length > 0) {
        console.log(`ratio aofsim dump CLI / redis-server load wall: ${ratio(f.dump, f.redisWall)}; peak RSS ${(best(f.dumpRss) / best(f.redisRss)).toFixed(2)}x redis-server's`);
        console.log(`  CPU seconds: aofsim dump ${cpu(f.dumpCpu)}, redis-server load ${cpu(f.redisCpu)}: ${ratio(f.dumpCpu, f.redisCpu)}`);
        rows.push(
          `| \`aofsim dump\` of ${label}, CLI | ${best(f.dump).toFixed(2)} s, ${best(f.dumpCpu).toFixed(2)} CPU-s, RSS ${mb(best(f.dumpRss))} | ` +
            `redis-server load: ${best(f.redisWall).toFixed(2)} s, ${best(f.redisCpu).toFixed(2)} CPU-s, RSS ${mb(best(f.redisRss))} | ` +
            `wall ${ratio(f.dump, f.redisWall)}; CPU ${ratio(f.dumpCpu, f.redisCpu)}; RSS ${(best(f.dumpRss) / best(f.redisRss)).toFixed(2)}x |`,
        );
      }
      secs('aofsim check (CLI, wall):', f.check);
      secs('aofsim check tiny (start-up):', f.startCheck);
    }
    if (f.rca.length > 0) {
      secs('redis-check-aof (wall):', f.rca);
      secs('redis-check-aof tiny (start-up):', f.startRca);
      if (f.check.length > 0) {
        console.log(`ratio aofsim check CLI / redis-check-aof: ${ratio(f.check, f.rca)} (>1 = aofsim faster)`);
        console.log(`  CPU seconds: aofsim check ${cpu(f.checkCpu)}, redis-check-aof ${cpu(f.rcaCpu)}: ${ratio(f.checkCpu, f.rcaCpu)}`);
        rows.push(
          `| check ${label}, CLI | ${best(f.check).toFixed(2)} s, ${best(f.checkCpu).toFixed(2)} CPU-s | redis-check-aof: ${best(f.rca).toFixed(2)} s, ` +
            `${best(f.rcaCpu).toFixed(2)} CPU-s | wall ${ratio(f.check, f.rca)}; CPU ${ratio(f.checkCpu, f.rcaCpu)} |`,
        );
        rows.push(`| CLI start-up (\`check\` of a 2-file fixture) | ${(best(f.startCheck) * 1000).toFixed(0)} ms | redis-check-aof: ${(best(f.startRca) * 1000).toFixed(0)} ms | ${ratio(f.startCheck, f.startRca)} |`);
      }
    }
    // 7. checker in-process, once (the CLI figure above includes start-up and reading)
    const chk = time(() => checkAof(createNodeFs(), manifest));
    console.log(`aofsim check (in-process, once): ${fmtRate(N, chk.seconds)} (${chk.seconds.toFixed(3)} s, exit ${chk.value.exitCode})`);
    if (rows.length > 0) console.log(['', 'README rows:', ...rows].join('\n'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
