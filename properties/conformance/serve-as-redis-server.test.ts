// `aofsim serve` started exactly as a harness starts redis-server: a generated config file with
// the directives such harnesses write (save "", databases, loglevel, unixsocket, logfile, pidfile,
// enable-debug-command, lua-time-limit, ...), the process spawned, its log file read for readiness.
// Then a persistence scenario: writes, a BLMPOP blocked on empty lists and served by a later LPUSH,
// DEBUG DIGEST equal across a SHUTDOWN + restart and equal to redis-server 7.0.15's for the same
// writes, and a corrupt INCR file refused with Redis's error as the last log line (exit status 1).
// Then the same two scenarios run on aofsim serve and on redis-server 7.0.15, each started from the
// same generated config and driven over its unix socket, with the observations compared: a rewrite
// child found as the server's child process (as Redis's own tests find it: pgrep -P), slowed by
// rdb-key-save-delay, killed with SIGKILL (the failure as INFO, the log and the manifest show it,
// then a rewrite that succeeds); and a BGSAVE during which AOF is enabled (the rewrite waits for it).
//
// Without redis-server 7.0 the comparison with Redis skips LOUDLY (AOFSIM_REQUIRE_REDIS=1 fails).

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RespClient } from '../../sim/subjects/real-resp-client.ts';
import { freePort } from '../../sim/subjects/real-redis-server.ts';
import { startRealRedis, redisUnavailableReason, replyString, REDIS_SERVER } from './harness.ts';
import { parseInfo } from '../../src/aof/info.ts';

const DEV = fileURLToPath(new URL('../../cli/dev.mjs', import.meta.url));
const REQUIRED = process.env.AOFSIM_REQUIRE_REDIS === '1';
const unavailable = redisUnavailableReason();
if (unavailable !== null && !REQUIRED) console.warn(`\n!!! serve-as-redis-server: the comparison with redis-server is SKIPPED: ${unavailable} !!!\n`);

const dir = mkdtempSync(join(tmpdir(), 'aofsim-serve-harness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const WRITES: string[][] = [
  ['SET', 'a', '1'],
  ['RPUSH', 'l', 'x', 'y'],
  ['ZADD', 'z', '1', 'm', '2.5', 'n'],
  ['HSET', 'h', 'f', 'v'],
  ['SADD', 's', 'p', 'q'],
];

interface Started {
  proc: ChildProcess;
  exit: Promise<number>;
  log: string;
}

/** Spawns serve on a generated config; resolves once the log says it is ready or the process ended. */
async function startServeProcess(port: number): Promise<Started> {
  const conf = join(dir, 'redis.conf');
  const log = join(dir, 'redis.log');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      'save ""',
      'databases 16',
      'loglevel notice',
      'unixsocket redis.sock',
      'unixsocketperm 700',
      'logfile redis.log',
      'pidfile redis.pid',
      'enable-debug-command yes',
      'lua-time-limit 5000',
      'appendonly yes',
      'appendfsync always',
      'dbfilename dump.rdb',
      '',
    ].join('\n'),
  );
  const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
  const proc = spawn(process.execPath, [DEV, 'serve', conf], { stdio: 'ignore' });
  const exit = new Promise<number>((r) => proc.once('exit', (code) => r(code ?? -1)));
  let ended = false;
  void exit.then(() => (ended = true));
  for (let i = 0; i < 600 && !ended; i++) {
    const text = existsSync(log) ? readFileSync(log, 'utf8').slice(before) : '';
    if (text.includes('Ready to accept connections')) return { proc, exit, log: text };
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!ended) await exit;
  return { proc, exit, log: readFileSync(log, 'utf8').slice(before) };
}

const lastLogLine = (): string => readFileSync(join(dir, 'redis.log'), 'utf8').trimEnd().split('\n').pop() ?? '';

describe('aofsim serve started as redis-server by a harness', () => {
  let digest = '';

  it('starts from a config file, logs Redis lines, serves TCP and a unix socket, writes the pid file', async () => {
    const port = await freePort();
    const s = await startServeProcess(port);
    expect(s.log).toMatch(/Redis version=7\.0\.15, bits=64, commit=00000000, modified=0, pid=\d+, just started/);
    expect(s.log).toContain('Server initialized');
    expect(s.log).toContain(`The server is now ready to accept connections at ${join(dir, 'redis.sock')}`);
    expect(readFileSync(join(dir, 'redis.pid'), 'utf8').trim()).toBe(String(s.proc.pid));
    expect(existsSync(join(dir, 'redis.sock'))).toBe(true);
    const c = await RespClient.connect(port);
    const waiter = await RespClient.connect(port);
    try {
      for (const w of WRITES) await c.call(w);
      // A BLMPOP on empty lists, served by a later LPUSH (the example: 3 taken, 2 left).
      const served = waiter.call(['BLMPOP', '0', '2', 'e1', 'e2', 'LEFT', 'COUNT', '3']);
      for (let i = 0; i < 1000 && !/blocked_clients:1/.test(String((await c.call(['INFO', 'clients'])).value)); i++) await new Promise((r) => setImmediate(r));
      expect(replyString(await c.call(['RPUSH', 'e2', '1', '2', '3', '4', '5']))).toBe(':5');
      expect(replyString(await served)).toBe('["e2", ["1", "2", "3"]]');
      expect(replyString(await c.call(['LRANGE', 'e2', '0', '-1']))).toBe('["4", "5"]');
      const d = await c.call(['DEBUG', 'DIGEST']);
      expect(d.kind).toBe('status');
      digest = String(d.value);
      await c.call(['SHUTDOWN']).catch(() => undefined);
    } finally {
      c.close();
      waiter.close();
    }
    expect(await s.exit).toBe(0);
    expect(lastLogLine()).toMatch(/Redis is now ready to exit, bye bye\.\.\.$/);
    expect(existsSync(join(dir, 'redis.pid'))).toBe(false);
  });

  it('DEBUG DIGEST is the same after a restart from the AOF', async () => {
    expect(digest).toMatch(/^[0-9a-f]{40}$/);
    const port = await freePort();
    const s = await startServeProcess(port);
    const c = await RespClient.connect(port);
    try {
      expect(replyString(await c.call(['DEBUG', 'DIGEST']))).toBe('+' + digest);
      await c.call(['SHUTDOWN']).catch(() => undefined);
    } finally {
      c.close();
    }
    expect(await s.exit).toBe(0);
  });

  it.skipIf(unavailable !== null && !REQUIRED)('DEBUG DIGEST equals redis-server 7.0.15 after the same writes', async () => {
    if (unavailable !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${unavailable}`);
    const real = await startRealRedis(['--enable-debug-command', 'yes']);
    try {
      for (const w of WRITES) await real.client.call(w);
      await real.client.call(['RPUSH', 'e2', '1', '2', '3', '4', '5']);
      await real.client.call(['LPOP', 'e2', '3']);
      expect(replyString(await real.client.call(['DEBUG', 'DIGEST']))).toBe('+' + digest);
    } finally {
      await real.stop();
    }
  });

  it("a corrupt INCR file is refused: exit status 1 and Redis's error as the last log line", async () => {
    const aofDir = join(dir, 'appendonlydir');
    const incr = readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'));
    expect(incr).toBeDefined();
    appendFileSync(join(aofDir, incr as string), 'garbage\r\n');
    const s = await startServeProcess(await freePort());
    expect(await s.exit).toBe(1);
    expect(lastLogLine()).toMatch(/Bad file format reading the append only file/);
  });
});

type Side = 'aofsim' | 'redis-server';

interface Running {
  proc: ChildProcess;
  exit: Promise<number>;
  dir: string;
  logText(): string;
  c: RespClient;
}

/** Starts `side` as a harness starts redis-server: a generated config, readiness read from its log file. */
async function startSide(side: Side, extra: string[]): Promise<Running> {
  const d = mkdtempSync(join(tmpdir(), `aofsim-serve-${side}-`));
  const conf = join(d, 'redis.conf');
  const log = join(d, 'redis.log');
  writeFileSync(
    conf,
    ['port 0', `dir ${d}`, 'save ""', 'databases 16', 'loglevel notice', 'unixsocket redis.sock', 'unixsocketperm 700', 'logfile redis.log', 'enable-debug-command yes', 'hz 100', ...extra, ''].join('\n'),
  );
  const proc = side === 'aofsim' ? spawn(process.execPath, [DEV, 'serve', conf], { stdio: 'ignore', cwd: d }) : spawn(REDIS_SERVER, [conf], { stdio: 'ignore', cwd: d });
  const exit = new Promise<number>((r) => proc.once('exit', (code) => r(code ?? -1)));
  const logText = (): string => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  for (let i = 0; i < 600 && !logText().includes('ready to accept connections at'); i++) await pause(100);
  const c = await RespClient.connectUnix(join(d, 'redis.sock'));
  return { proc, exit, dir: d, logText, c };
}

async function stopSide(r: Running): Promise<void> {
  await r.c.call(['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
  r.c.close();
  await r.exit;
  rmSync(r.dir, { recursive: true, force: true });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls every 50 ms, at most `polls` times (a step cap, not a timed assertion). */
async function until(cond: () => Promise<boolean> | boolean, polls = 1200): Promise<boolean> {
  for (let i = 0; i < polls; i++) {
    if (await cond()) return true;
    await pause(50);
  }
  return false;
}

async function infoOf(r: Running): Promise<Map<string, string>> {
  return parseInfo(String((await r.c.call(['INFO', 'persistence'])).value));
}

/** The pids whose parent is `pid` (redis tests: get_child_pid, `pgrep -P`), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === pid && rest[0] !== 'Z') out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

async function fill(c: RespClient, n: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const argv = ['MSET'];
    for (let j = i; j < Math.min(n, i + 100); j++) argv.push(`key:${j}`, `value:${j}`);
    await c.call(argv);
  }
}

const manifestOf = (r: Running): string => readFileSync(join(r.dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');

/** Both sides, or aofsim alone (loudly) without redis-server 7.0. */
const SIDES: Side[] = unavailable === null || REQUIRED ? ['aofsim', 'redis-server'] : ['aofsim'];

async function killedRewriteChild(side: Side): Promise<Record<string, unknown>> {
  const r = await startSide(side, ['appendonly yes', 'appendfsync everysec']);
  try {
    await fill(r.c, 3000);
    await r.c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '1000']);
    const started = replyString(await r.c.call(['BGREWRITEAOF']));
    let child = -1;
    await until(() => {
      child = childrenOf(r.proc.pid as number).find((p) => existsSync(join(r.dir, `temp-rewriteaof-${p}.aof`))) ?? -1;
      return child !== -1;
    });
    const during = await infoOf(r);
    process.kill(child, 'SIGKILL');
    await until(async () => (await infoOf(r)).get('aof_rewrite_in_progress') === '0');
    const after = await infoOf(r);
    await until(() => !readdirSync(r.dir).some((f) => f.startsWith('temp-rewriteaof')));
    const failedManifest = manifestOf(r);
    await r.c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
    await r.c.call(['SET', 'after', 'kill']);
    const again = replyString(await r.c.call(['BGREWRITEAOF']));
    await until(async () => (await infoOf(r)).get('aof_rewrite_in_progress') === '0');
    const done = await infoOf(r);
    return {
      started,
      childFound: child !== -1,
      inProgress: during.get('aof_rewrite_in_progress'),
      afterKill: [after.get('aof_last_bgrewrite_status'), after.get('aof_rewrites_consecutive_failures'), after.get('aof_rewrite_in_progress')],
      loggedSignal: r.logText().includes('Background AOF rewrite terminated by signal 9'),
      tempFilesLeft: readdirSync(r.dir).filter((f) => f.startsWith('temp-')),
      failedManifest,
      again,
      afterRetry: [done.get('aof_last_bgrewrite_status'), done.get('aof_rewrites_consecutive_failures'), done.get('aof_rewrites')],
      manifest: manifestOf(r),
      digest: replyString(await r.c.call(['DEBUG', 'DIGEST'])),
    };
  } finally {
    await stopSide(r);
  }
}

async function bgsaveDuringAofEnable(side: Side): Promise<Record<string, unknown>> {
  const r = await startSide(side, ['appendonly no']);
  try {
    await fill(r.c, 3000);
    await r.c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '1000']);
    const bgsave = replyString(await r.c.call(['BGSAVE']));
    const enable = replyString(await r.c.call(['CONFIG', 'SET', 'appendonly', 'yes']));
    const waiting = await infoOf(r);
    await r.c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
    await r.c.call(['SET', 'during', 'enable']);
    await until(async () => {
      const i = await infoOf(r);
      return i.get('rdb_bgsave_in_progress') === '0' && i.get('aof_rewrite_in_progress') === '0' && i.get('aof_rewrite_scheduled') === '0';
    });
    const done = await infoOf(r);
    return {
      bgsave,
      enable,
      waiting: ['aof_enabled', 'rdb_bgsave_in_progress', 'aof_rewrite_in_progress', 'aof_rewrite_scheduled'].map((k) => `${k}:${waiting.get(k)}`),
      loggedWait: r.logText().includes('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.'),
      done: ['aof_enabled', 'rdb_last_bgsave_status', 'aof_last_bgrewrite_status'].map((k) => `${k}:${done.get(k)}`),
      dumpRdb: existsSync(join(r.dir, 'dump.rdb')),
      manifest: manifestOf(r),
      digest: replyString(await r.c.call(['DEBUG', 'DIGEST'])),
    };
  } finally {
    await stopSide(r);
  }
}

describe.skipIf(process.platform !== 'linux')('aofsim serve and redis-server 7.0.15, the same persistence scenarios over the unix socket', () => {
  it('a rewrite child found as the server process child, slowed, killed with SIGKILL: the same failure, then the same successful rewrite', async () => {
    const seen = new Map<Side, Record<string, unknown>>();
    for (const side of SIDES) seen.set(side, await killedRewriteChild(side));
    const ours = seen.get('aofsim') as Record<string, unknown>;
    expect(ours.childFound).toBe(true);
    expect(ours.afterKill).toEqual(['err', '1', '0']);
    expect(ours.loggedSignal).toBe(true);
    expect(ours.tempFilesLeft).toEqual([]);
    expect(ours.afterRetry).toEqual(['ok', '0', '2']);
    if (SIDES.includes('redis-server')) expect(ours).toEqual(seen.get('redis-server'));
  });

  it('BGSAVE during CONFIG SET appendonly yes: the AOF rewrite waits for the BGSAVE child, as in Redis', async () => {
    const seen = new Map<Side, Record<string, unknown>>();
    for (const side of SIDES) seen.set(side, await bgsaveDuringAofEnable(side));
    const ours = seen.get('aofsim') as Record<string, unknown>;
    expect(ours.waiting).toEqual(['aof_enabled:1', 'rdb_bgsave_in_progress:1', 'aof_rewrite_in_progress:0', 'aof_rewrite_scheduled:1']);
    expect(ours.loggedWait).toBe(true);
    expect(ours.done).toEqual(['aof_enabled:1', 'rdb_last_bgsave_status:ok', 'aof_last_bgrewrite_status:ok']);
    if (SIDES.includes('redis-server')) expect(ours).toEqual(seen.get('redis-server'));
  });
});
