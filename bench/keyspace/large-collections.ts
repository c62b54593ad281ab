// Large-collection benchmark: one list and one sorted set of N elements (default 1,000,000) built,
// read and drained with the same commands by aofsim's command Executor (in-process) and by a real
// redis-server over a pipelined RESP connection, in one script, rounds interleaved; best and median
// of K rounds (default 3) per side and the ratio aofsim/redis (>1 = aofsim faster).
//
//   npx tsx bench/keyspace/large-collections.ts [--elements N] [--repeat K] [--pipeline P]
//
// Phases (each a run of N commands; the order matters: later phases work on what earlier built):
//   RPUSH     N x `RPUSH list e<i>`               (tail push)
//   LPUSH     N x `LPUSH list2 e<i>`              (head push: O(n) each with Array.unshift)
//   LINDEX    N x `LINDEX list <random index>`
//   LPOP      N x `LPOP list`                     (head pop: O(n) each with Array.shift)
//   RPOP      N x `RPOP list2`
//   ZADD      N x `ZADD z <random score> m<i>`    (O(n) each with a sorted array)
//   ZRANK     N x `ZRANK z m<random>`
//   ZRANGE    N x `ZRANGE z <random rank> +9`     (10 members by rank)
//   ZREM      N x `ZREM z m<i>`
// aofsim has no network or RESP parsing in this figure; redis-server's includes its event loop
// and the pipelined socket (P commands in flight). Not a test: run it by hand; it uses real time.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor } from '../../src/commands/executor.ts';
import { newClient } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom, randomBelow } from '../../src/ports/random.ts';
import { freePort } from '../../sim/subjects/real-redis-server.ts';
import { best, median } from '../stats.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const N = arg('--elements', 1_000_000);
const REPEAT = Math.max(1, arg('--repeat', 3));
const PIPELINE = arg('--pipeline', 64);

interface Phase {
  name: string;
  /** The i-th command of the phase. */
  cmd(i: number, r: SeededRandom): string[];
}

const PHASES: Phase[] = [
  { name: 'RPUSH', cmd: (i) => ['RPUSH', 'list', `e${i}`] },
  { name: 'LPUSH', cmd: (i) => ['LPUSH', 'list2', `e${i}`] },
  { name: 'LINDEX', cmd: (_i, r) => ['LINDEX', 'list', String(randomBelow(r, N))] },
  { name: 'LPOP', cmd: () => ['LPOP', 'list'] },
  { name: 'RPOP', cmd: () => ['RPOP', 'list2'] },
  { name: 'ZADD', cmd: (i, r) => ['ZADD', 'z', String(randomBelow(r, 1_000_000_000)), `m${i}`] },
  { name: 'ZRANK', cmd: (_i, r) => ['ZRANK', 'z', `m${randomBelow(r, N)}`] },
  {
    name: 'ZRANGE',
    cmd: (_i, r) => {
      const s = randomBelow(r, N);
      return ['ZRANGE', 'z', String(s), String(s + 9)];
    },
  },
  { name: 'ZREM', cmd: (i) => ['ZREM', 'z', `m${i}`] },
];

/** One round on aofsim: seconds per phase. */
function roundAofsim(): number[] {
  const ex = new Executor(new Keyspace(), { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  const c = newClient(1);
  const out: number[] = [];
  for (const ph of PHASES) {
    const r = new SeededRandom(7);
    const cmds: string[][] = [];
    for (let i = 0; i < N; i++) cmds.push(ph.cmd(i, r));
    let errors = 0;
    const t0 = process.hrtime.bigint();
    for (const argv of cmds) if (ex.call(c, argv).reply.kind === 'error') errors++;
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (errors > 0) throw new Error(`aofsim ${ph.name}: ${errors} commands failed`);
  }
  return out;
}

/** Counts complete RESP replies in buf from pos; returns [count, next pos]. Arrays count as one. */
function countReplies(buf: Buffer, pos: number): [number, number] {
  let n = 0;
  for (;;) {
    const p = skipReply(buf, pos);
    if (p < 0) return [n, pos];
    if (buf[pos] === 0x2d) throw new Error(`redis-server error: ${buf.toString('latin1', pos, buf.indexOf(13, pos))}`);
    pos = p;
    n++;
  }
}

function skipReply(buf: Buffer, pos: number): number {
  const eol = buf.indexOf(13, pos);
  if (eol < 0 || eol + 1 >= buf.length) return -1;
  const t = buf[pos];
  const next = eol + 2;
  if (t === 0x24) {
    const len = Number(buf.toString('latin1', pos + 1, eol));
    if (len < 0) return next;
    return buf.length >= next + len + 2 ? next + len + 2 : -1;
  }
  if (t === 0x2a) {
    const k = Number(buf.toString('latin1', pos + 1, eol));
    let p = next;
    for (let i = 0; i < k; i++) {
      p = skipReply(buf, p);
      if (p < 0) return -1;
    }
    return p;
  }
  return next;
}

function encode(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Sends the commands with up to PIPELINE in flight (in batches) and waits for every reply. */
function pipelined(sock: Socket, cmds: string[][]): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let received = 0;
    let buf: Buffer = Buffer.alloc(0);
    const sendBatch = (): void => {
      let s = '';
      const stop = Math.min(cmds.length, sent + PIPELINE);
      for (; sent < stop; sent++) s += encode(cmds[sent]);
      sock.write(Buffer.from(s, 'latin1'));
    };
    const onData = (d: Buffer): void => {
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      try {
        const [n, p] = countReplies(buf, 0);
        received += n;
        buf = buf.subarray(p);
      } catch (e) {
        sock.off('data', onData);
        reject(e as Error);
        return;
      }
      if (received === cmds.length) {
        sock.off('data', onData);
        resolve();
      } else if (received === sent) sendBatch();
    };
    sock.on('data', onData);
    sendBatch();
  });
}

/** One round on a fresh redis-server: seconds per phase, or null when redis-server is missing. */
async function roundRedis(): Promise<number[] | null> {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'aofsim-bench-large-'));
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  let sock: Socket | null = null;
  try {
    for (let step = 0; step < 200 && sock === null; step++) {
      sock = await new Promise<Socket | null>((resolve) => {
        const s = connect({ port, host: '127.0.0.1' }, () => resolve(s));
        s.once('error', () => resolve(null));
      });
      if (sock === null) await new Promise((r) => setTimeout(r, 50));
    }
    if (sock === null) throw new Error('redis-server did not accept connections');
    sock.setNoDelay(true);
    const out: number[] = [];
    for (const ph of PHASES) {
      const r = new SeededRandom(7);
      const cmds: string[][] = [];
      for (let i = 0; i < N; i++) cmds.push(ph.cmd(i, r));
      const t0 = process.hrtime.bigint();
      await pipelined(sock, cmds);
      out.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return out;
  } finally {
    sock?.destroy();
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const ours: number[][] = PHASES.map(() => []);
const theirs: number[][] = PHASES.map(() => []);
for (let k = 0; k < REPEAT; k++) {
  const a = roundAofsim();
  a.forEach((s, i) => ours[i].push(s));
  console.log(`round ${k + 1} aofsim: ${PHASES.map((ph, i) => `${ph.name} ${a[i].toFixed(2)} s`).join(', ')}`);
  const r = await roundRedis();
  if (r !== null) {
    r.forEach((s, i) => theirs[i].push(s));
    console.log(`round ${k + 1} redis-server: ${PHASES.map((ph, i) => `${ph.name} ${r[i].toFixed(2)} s`).join(', ')}`);
  }
}
const rate = (s: number) => `${(N / s / 1e3).toFixed(0).padStart(6)}k/s`;
console.log(`${N} elements per collection, ${REPEAT} rounds interleaved, redis-server pipelined -P ${PIPELINE}`);
console.log('phase     aofsim best/median        redis-server best/median  ratio best (median)');
PHASES.forEach((ph, i) => {
  const a = ours[i];
  const b = theirs[i];
  const cmp = b.length > 0 ? `${rate(best(b))} ${rate(median(b))}   ${(best(b) / best(a)).toFixed(2)}x (${(median(b) / median(a)).toFixed(2)}x)` : 'redis-server not found';
  console.log(`${ph.name.padEnd(8)}  ${rate(best(a))} ${rate(median(a))}   ${cmp}`);
});
