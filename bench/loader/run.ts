// Loader benchmark: aofsim vs redis-server 7.0 loading the same AOF of N `SET key:N value:N`
// commands (default 1,000,000), and aofsim check vs redis-check-aof on the same file.
//
//   npx tsx bench/loader/run.ts [--commands N] [--repeat K] [--skip-redis] [--skip-cli]
//
// Each load is repeated K times (default 3), aofsim and redis-server interleaved, and the best and
// median of each are reported: on a shared, noisy machine the best-of-K ratio is the fair one.
// Measures, on one temp dir laid out as Redis 7.0 expects (appendonlydir/ + manifest + one INCR):
//  1. the RESP decoder alone (records/s);
//  2. aofsim in-process: loadAppendOnlyFiles with the real command Executor (falls back to the
//     loader's MapExecutor, and says so, if the executor has no SET yet);
//  3. `aofsim dump DIR` as a child process (tsx start-up, load and JSON output included);
//  4. redis-server (if on PATH): started on loopback with --dir TMP --appendonly yes; load time =
//     the "DB loaded from append only file: X seconds" figure of its log (wall time also shown);
//  5. `aofsim check` (in-process checkAof) vs `redis-check-aof` (child process, wall time).
// Prints each rate and the aofsim/redis ratios. Not a test: run it by hand; it uses real time.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync, existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { loadAppendOnlyFiles } from '../../src/aof/loader/index.ts';
import { MapExecutor } from '../../src/aof/loader/map-executor.ts';
import { checkAof } from '../../src/aof/check/check-aof.ts';
import { Executor } from '../../src/commands/executor.ts';
import type { CommandExecutor } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { nullLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { LoaderDecoder } from '../../src/resp/loader-decoder.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const N = Number(arg('--commands') ?? 1_000_000);
const SKIP_REDIS = process.argv.includes('--skip-redis');
const SKIP_CLI = process.argv.includes('--skip-cli');
const REPEAT = Math.max(1, Number(arg('--repeat') ?? 3));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs: number[]) => Math.min(...xs);

const fmtRate = (n: number, s: number) => `${(n / s / 1e6).toFixed(3)} M cmd/s`;

/** Writes `*3 $3 SET $k key:i $v value:i` x n into path, in 4 MiB batches. */
function generate(path: string, n: number): number {
  const fd = openSync(path, 'w');
  let total = 0;
  let batch = '';
  for (let i = 0; i < n; i++) {
    const k = `key:${i}`;
    const v = `value:${i}`;
    batch += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
    if (batch.length > 4 << 20) {
      total += writeSync(fd, Buffer.from(batch, 'latin1'));
      batch = '';
    }
  }
  total += writeSync(fd, Buffer.from(batch, 'latin1'));
  closeSync(fd);
  return total;
}

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

/** Starts redis-server on `dir`, waits for the "DB loaded" log line; returns its figure and wall time. */
async function timeRedisLoad(redisServer: string, dir: string): Promise<{ logSeconds: number; wallSeconds: number }> {
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
        return { logSeconds: Number(m[1]), wallSeconds };
      }
      if (/Fatal error|Bad file format|Unexpected end of file/.test(text)) throw new Error(`redis-server refused the AOF; see ${logfile}`);
    }
    throw new Error('redis-server did not finish loading');
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

function time<T>(f: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'aofsim-bench-'));
  try {
    const aofDir = join(tmp, 'appendonlydir');
    mkdirSync(aofDir);
    const incr = join(aofDir, 'appendonly.aof.1.incr.aof');
    const gen = time(() => generate(incr, N));
    writeFileSync(join(aofDir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
    console.log(`AOF: ${N} SET commands, ${(gen.value / 1e6).toFixed(1)} MB, generated in ${gen.seconds.toFixed(2)} s (${tmp})`);

    // 1.-4. decoder, in-process load, redis-server load: REPEAT rounds, interleaved.
    const bytes = readFileSync(incr);
    const redisServer = SKIP_REDIS ? undefined : which('redis-server');
    const decodeS: number[] = [];
    const loadS: number[] = [];
    const redisS: number[] = [];
    const redisWallS: number[] = [];
    let executorName = '';
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
      decodeS.push(dec.seconds);

      const keyspace = new Keyspace();
      let executor: CommandExecutor = new Executor(keyspace, {
        profile: 'redis-7.0',
        clock: { nowMs: () => 0 },
        random: new SeededRandom(1),
      });
      executorName = 'src/commands Executor';
      if (executor.lookup('set') === undefined) {
        executor = new MapExecutor();
        executorName = 'MapExecutor (the Executor has no SET yet)';
      }
      const cfg = { dir: tmp, appendFilename: 'appendonly.aof', appendDirname: 'appendonlydir', loadTruncated: true, layout: 'multi-part' as const };
      const load = time(() => loadAppendOnlyFiles({ fs: createNodeFs(), log: nullLog, executor, modify: false }, cfg));
      if (load.value.status !== 'ok') throw new Error(`aofsim load: ${load.value.status} ${load.value.error?.message ?? ''}`);
      keys = executor instanceof MapExecutor ? executor.dbs[0].size : keyspace.db(0).dict.size;
      loadS.push(load.seconds);

      if (redisServer) {
        const r = await timeRedisLoad(redisServer, tmp);
        redisS.push(r.logSeconds);
        redisWallS.push(r.wallSeconds);
      }
    }
    const line = (label: string, xs: number[]) =>
      console.log(`${label.padEnd(30)} best ${fmtRate(N, best(xs))} (${best(xs).toFixed(3)} s), median ${fmtRate(N, median(xs))}`);
    console.log(`${REPEAT} rounds, interleaved:`);
    if (!/max-semi-space-size/.test(`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`)) {
      console.log('  (tip: NODE_OPTIONS=--max-semi-space-size=64 cuts GC time; ~+25% CPU-time load rate at 1M keys here)');
    }
    line('decoder only:', decodeS);
    line(`aofsim load (in-process):`, loadS);
    console.log(`  (${keys} keys loaded, ${executorName})`);
    if (redisServer) {
      const v = spawnSync(redisServer, ['--version'], { encoding: 'utf8' }).stdout.trim();
      line('redis-server load (its log):', redisS);
      line('redis-server load (wall):', redisWallS);
      console.log(`  (${v})`);
      console.log(`ratio aofsim in-process / redis-server: best ${(best(redisS) / best(loadS)).toFixed(2)}x, median ${(median(redisS) / median(loadS)).toFixed(2)}x (>1 = aofsim faster)`);
    } else {
      console.log('redis-server: not found (or --skip-redis): no comparison');
    }

    // aofsim dump as a process (once: includes tsx start-up and writing the JSON)
    if (!SKIP_CLI) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/aofsim.mjs'), 'dump', tmp, '--at-ms', '0'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 1 << 30,
      });
      const dumpSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const note = r.status === 0 ? '' : ` [exit ${r.status}: ${String(r.stderr).split('\n').slice(-2).join(' ')}]`;
      console.log(`aofsim dump (CLI, wall, once):  ${fmtRate(N, dumpSeconds)} (${dumpSeconds.toFixed(3)} s incl. start-up and JSON output)${note}`);
      if (redisWallS.length > 0) console.log(`ratio aofsim dump CLI / redis-server wall (median): ${(median(redisWallS) / dumpSeconds).toFixed(2)}x`);
    }

    // 5. checker
    const chk = time(() => checkAof(createNodeFs(), join(aofDir, 'appendonly.aof.manifest')));
    console.log(`aofsim check (in-process):  ${fmtRate(N, chk.seconds)} (${chk.seconds.toFixed(3)} s, exit ${chk.value.exitCode})`);
    const rca = which('redis-check-aof');
    if (rca) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(rca, [join(aofDir, 'appendonly.aof.manifest')], { stdio: 'ignore' });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`redis-check-aof (wall):     ${fmtRate(N, s)} (${s.toFixed(3)} s, exit ${r.status})`);
      console.log(`ratio aofsim check / redis-check-aof: ${(s / chk.seconds).toFixed(2)}x (>1 = aofsim faster)`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
