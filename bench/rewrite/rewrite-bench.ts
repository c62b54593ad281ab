// Benchmark: background rewrite of a 1M-key mixed dataset, aofsim vs redis-server 7.0 BGREWRITEAOF.
//
//   npx tsx bench/rewrite/rewrite-bench.ts [--keys N] [--redis-server PATH] [--preamble yes|no|both]
//
// Dataset (deterministic): key i -> by i % 20: 14/20 strings (16-40 bytes), 2/20 lists of 5,
// 2/20 hashes of 5 fields, 1/20 sets of 5, 1/20 zsets of 5; 1 key in 10 has an expire far in the
// future. It is built directly in an aofsim Keyspace and, for Redis, fed as the RESP commands aofsim's
// own rewrite emits (redis-cli --pipe over loopback).
//
// aofsim side (what a 7.x rewrite child does, on the real disk through the node Fs adapter):
// Keyspace.clone() (the fork snapshot) + rewriteAppendOnlyFile (RESP, or RDB via encodeRdb) with
// incremental fsync + final fsync + rename. Redis side: wall time from sending BGREWRITEAOF until
// INFO persistence shows aof_rewrite_in_progress:0 and aof_rewrite_scheduled:0 (polled every 5 ms),
// i.e. fork + child + the parent's done handler. Prints both and the ratio aofsim / redis.
// Not a test: run it by hand, once; it uses about 1-2 GB of memory at 1M keys. Timings are wall
// clock: on a shared machine run it when the load is low, or compare only runs made together.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync, statSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { nullLog } from '../../src/ports/log.ts';
import { rewriteAppendOnlyFile, rewriteAppendOnlyFileRio, runSync } from '../../src/aof/rewrite/index.ts';
import { defaultRdbEncoder } from '../../src/aof/rewrite/rdb-body.ts';
import { List } from '../../src/keyspace/list.ts';

interface Args {
  keys: number;
  redisServer: string;
  preamble: ('yes' | 'no')[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { keys: 1_000_000, redisServer: 'redis-server', preamble: ['no', 'yes'] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--keys') a.keys = Number(argv[++i]);
    else if (argv[i] === '--redis-server') a.redisServer = argv[++i];
    else if (argv[i] === '--preamble') {
      const v = argv[++i];
      a.preamble = v === 'both' ? ['no', 'yes'] : [v as 'yes' | 'no'];
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(a.keys) || a.keys < 1) throw new Error('--keys takes a positive integer');
  return a;
}

const FUTURE_MS = 4_102_444_800_000; // 2100-01-01

export function buildDataset(n: number): Keyspace {
  const ks = new Keyspace();
  const db = ks.db(0);
  for (let i = 0; i < n; i++) {
    const key = `key:${i}`;
    const kind = i % 20;
    if (kind < 14) {
      db.dict.set(key, { type: 'string', value: `value-${i}-`.padEnd(16 + (i % 25), 'x') });
    } else if (kind < 16) {
      db.dict.set(key, { type: 'list', value: List.from([0, 1, 2, 3, 4].map((j) => `item-${i}-${j}`)) });
    } else if (kind < 18) {
      db.dict.set(key, { type: 'hash', value: new Map([0, 1, 2, 3, 4].map((j) => [`field${j}`, `v${i * 5 + j}`])) });
    } else if (kind < 19) {
      db.dict.set(key, { type: 'set', value: new Set([0, 1, 2, 3, 4].map((j) => `m${(i + j * 7919) % 100_000}`)) });
    } else {
      const z = new ZSet();
      for (let j = 0; j < 5; j++) z.set(`member-${j}`, (i % 1000) + j / 4);
      db.dict.set(key, { type: 'zset', value: z });
    }
    if (i % 10 === 3) db.expires.set(key, FUTURE_MS + i);
  }
  return ks;
}

function timeAofsim(ks: Keyspace, dir: string, preamble: boolean): { ms: number; cloneMs: number; bytes: number } {
  const fs = createNodeFs();
  const t0 = process.hrtime.bigint();
  const snapshot = ks.clone();
  const cloneMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const target = join(dir, `aofsim-base.${preamble ? 'rdb' : 'aof'}`);
  const code = runSync(
    rewriteAppendOnlyFile(
      {
        fs,
        log: nullLog,
        dir,
        snapshot,
        profile: 'redis-7.0',
        nowMs: Date.now(),
        useRdb: preamble,
        encodeRdb: defaultRdbEncoder('redis-7.0'),
        incrementalFsync: true,
        timestampS: null,
      },
      process.pid,
      target,
    ),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (code !== 0) throw new Error('aofsim rewrite failed');
  return { ms, cloneMs, bytes: statSync(target).size };
}

/** One RESP command over a fresh loopback connection; resolves with the raw reply text. */
function redisCommand(port: number, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('error', reject);
    sock.on('data', (d: string) => {
      data += d;
      if (data.startsWith('$')) {
        const nl = data.indexOf('\r\n');
        const len = Number(data.slice(1, nl));
        if (len < 0 || data.length >= nl + 2 + len + 2) {
          sock.end();
          resolve(data.slice(nl + 2, nl + 2 + Math.max(len, 0)));
        }
      } else if (data.endsWith('\r\n')) {
        sock.end();
        resolve(data.trim());
      }
    });
    let out = `*${argv.length}\r\n`;
    for (const a of argv) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
    sock.write(out);
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    try {
      if ((await redisCommand(port, ['PING'])) === '+PONG') return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('redis-server did not start');
}

function infoField(info: string, field: string): string {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m ? m[1].trim() : '';
}

async function timeRedis(port: number, preamble: boolean): Promise<{ ms: number; status: string }> {
  await redisCommand(port, ['CONFIG', 'SET', 'aof-use-rdb-preamble', preamble ? 'yes' : 'no']);
  const t0 = process.hrtime.bigint();
  const reply = await redisCommand(port, ['BGREWRITEAOF']);
  if (!reply.startsWith('+')) throw new Error(`BGREWRITEAOF: ${reply}`);
  for (;;) {
    const info = await redisCommand(port, ['INFO', 'persistence']);
    if (infoField(info, 'aof_rewrite_in_progress') === '0' && infoField(info, 'aof_rewrite_scheduled') === '0') {
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: infoField(info, 'aof_last_bgrewrite_status') };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'aofsim-rewrite-bench-'));
  let server: ChildProcess | null = null;
  try {
    let t = Date.now();
    const ks = buildDataset(args.keys);
    console.log(`dataset: ${ks.size()} keys built in ${Date.now() - t} ms`);

    const aofsimResults: Record<string, { ms: number; cloneMs: number; bytes: number }> = {};
    for (const p of args.preamble) {
      aofsimResults[p] = timeAofsim(ks, work, p === 'yes');
      const a = aofsimResults[p];
      console.log(`aofsim rewrite (preamble ${p}): ${a.ms.toFixed(0)} ms (of which snapshot clone ${a.cloneMs.toFixed(0)} ms), ${a.bytes} bytes`);
    }

    // Feed Redis the same dataset: the RESP commands of aofsim's rewrite.
    const feedPath = join(work, 'feed.resp');
    const fd = openSync(feedPath, 'w');
    for (const chunk of rewriteAppendOnlyFileRio(ks, { profile: 'redis-7.0', nowMs: Date.now(), chunkBytes: 1 << 20 })) {
      writeSync(fd, Buffer.from(chunk, 'latin1'));
    }
    closeSync(fd);
    const port = 20000 + (process.pid % 20000);
    const redisDir = join(work, 'redis');
    spawnSync('mkdir', ['-p', redisDir]);
    server = spawn(
      args.redisServer,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', redisDir, '--appendonly', 'yes', '--save', '', '--appendfsync', 'everysec', '--auto-aof-rewrite-percentage', '0', '--daemonize', 'no', '--logfile', join(work, 'redis.log')],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
    t = Date.now();
    const pipe = spawnSync('sh', ['-c', `redis-cli -p ${port} --pipe < ${feedPath}`], { encoding: 'utf8' });
    if (pipe.status !== 0) throw new Error(`redis-cli --pipe failed: ${pipe.stderr}`);
    const dbsize = await redisCommand(port, ['DBSIZE']);
    console.log(`redis-server: loaded ${dbsize.slice(1)} keys over loopback in ${Date.now() - t} ms`);

    for (const p of args.preamble) {
      const r = await timeRedis(port, p === 'yes');
      const a = aofsimResults[p];
      const base = readdirSync(join(redisDir, 'appendonlydir')).find((n) => n.includes('.base.'));
      const bytes = base ? statSync(join(redisDir, 'appendonlydir', base)).size : 0;
      console.log(`redis-server BGREWRITEAOF (preamble ${p}): ${r.ms.toFixed(0)} ms, ${bytes} bytes, status ${r.status}`);
      console.log(`ratio aofsim/redis (preamble ${p}): ${(a.ms / r.ms).toFixed(2)}x`);
    }
  } finally {
    if (server) server.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
