// Benchmark: what serve's real rewrite child costs the parent at fork time, on a 1M-key dataset.
//
//   npx tsx bench/child/fork-snapshot.ts [--keys N] [--serve]
//
// Redis's fork() costs the parent page-table copying (INFO stats latest_fork_usec); aofsim's parent
// instead encodes the dataset as RDB bytes for the child (src/child/snapshot.ts), during which it
// serves no client. Printed, each the best of 3 runs: Keyspace.clone() (the snapshot of an in-process
// child, the cost before the child was a process), encodeSnapshot() (the parent's cost now), and
// decodeSnapshot() (the child's start-up, which the parent does not wait for); the ratios
// encode/clone and decode/encode.
// With --serve it also starts `aofsim serve` (the source CLI, profile redis-7.0, appendonly yes) in a
// temp dir, loads the keys with pipelined MSETs, sends BGREWRITEAOF and prints how long its reply
// took (the parent's stall), the largest PING round trip while the child runs, and the rewrite's
// wall time until INFO shows aof_rewrite_in_progress:0.
// Dataset (deterministic): key i -> 14/20 strings of 16-40 bytes, 2/20 lists of 5, 2/20 hashes of
// 5 fields, 1/20 sets of 5, 1/20 zsets of 5; 1 key in 10 has an expire far in the future.
// Not a test: run it by hand; wall-clock numbers on a shared machine vary, compare ratios.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { List } from '../../src/keyspace/list.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { decodeSnapshot, encodeSnapshot } from '../../src/child/snapshot.ts';
import { RespClient } from '../../sim/subjects/real-resp-client.ts';

function parseArgs(argv: string[]): { keys: number; serve: boolean } {
  const a = { keys: 1_000_000, serve: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--keys') a.keys = Number(argv[++i]);
    else if (argv[i] === '--serve') a.serve = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

function text(i: number): string {
  return `value-${i}-${'x'.repeat(8 + (i % 25))}`;
}

function dataset(keys: number): Keyspace {
  const ks = new Keyspace();
  const db = ks.db(0);
  for (let i = 0; i < keys; i++) {
    const key = `key:${i}`;
    const k = i % 20;
    const five = [0, 1, 2, 3, 4].map((j) => `${j}-${i}`);
    if (k < 14) db.dict.set(key, { type: 'string', value: text(i) });
    else if (k < 16) db.dict.set(key, { type: 'list', value: List.from(five) });
    else if (k < 18) db.dict.set(key, { type: 'hash', value: new Map(five.map((f) => [f, text(i)])) });
    else if (k < 19) db.dict.set(key, { type: 'set', value: new Set(five) });
    else {
      const z = new ZSet();
      five.forEach((m, j) => z.set(m, j * 1.5));
      db.dict.set(key, { type: 'zset', value: z });
    }
    if (i % 10 === 0) db.expires.set(key, 4_000_000_000_000 + i);
  }
  return ks;
}

function best(label: string, runs: number, fn: () => unknown): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(`${label.padEnd(28)} ${min.toFixed(0).padStart(7)} ms`);
  return min;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function serveRun(keys: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aofsim-bench-child-'));
  const log = join(dir, 'log.txt');
  const port = await freePort();
  writeFileSync(join(dir, 'redis.conf'), `port ${port}\ndir ${dir}\nappendonly yes\nappendfsync no\nlogfile ${log}\n`);
  const dev = fileURLToPath(new URL('../../cli/dev.mjs', import.meta.url));
  const proc = spawn(process.execPath, [dev, 'serve', join(dir, 'redis.conf')], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 600 && !(existsSync(log) && readFileSync(log, 'utf8').includes('Ready to accept')); i++) await new Promise((r) => setTimeout(r, 100));
    const c = await RespClient.connect(port);
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < keys; i += 1000) {
      const argv = ['MSET'];
      for (let j = i; j < Math.min(keys, i + 1000); j++) argv.push(`key:${j}`, text(j));
      pending.push(c.call(argv));
      if (pending.length >= 50) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    const dbsize = (await c.call(['DBSIZE'])).value;
    const t0 = performance.now();
    const reply = (await c.call(['BGREWRITEAOF'])).value;
    const stallMs = performance.now() - t0;
    console.log(`serve: DBSIZE ${String(dbsize)}, BGREWRITEAOF -> ${String(reply)}`);
    let maxPingMs = 0;
    for (let polls = 0; polls < 100_000; polls++) {
      const p0 = performance.now();
      await c.call(['PING']);
      maxPingMs = Math.max(maxPingMs, performance.now() - p0);
      const info = String((await c.call(['INFO', 'persistence'])).value);
      if (info.includes('aof_rewrite_in_progress:0')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const totalMs = performance.now() - t0;
    console.log(`serve, ${keys} string keys: BGREWRITEAOF reply ${stallMs.toFixed(0)} ms (parent stall), max PING while the child runs ${maxPingMs.toFixed(0)} ms, rewrite done after ${totalMs.toFixed(0)} ms`);
    await c.call(['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
    c.close();
  } finally {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = parseArgs(process.argv.slice(2));
const ks = dataset(args.keys);
console.log(`dataset: ${args.keys} keys`);
const clone = best('Keyspace.clone()', 3, () => ks.clone());
let bytes: Uint8Array = new Uint8Array();
const encode = best('encodeSnapshot() (parent)', 3, () => (bytes = encodeSnapshot(ks)));
const decode = best('decodeSnapshot() (child)', 3, () => decodeSnapshot(bytes, 16));
console.log(`snapshot: ${(bytes.length / 1e6).toFixed(1)} MB; encode/clone ${(encode / clone).toFixed(2)}; decode/encode ${(decode / encode).toFixed(2)}`);
if (args.serve) await serveRun(args.keys);
