// SHUTDOWN, shutdown signals and DEBUG POPULATE against the real servers (redis-server 7.0.15 and
// 4.0.14). redis 7.0.15: db.c shutdownCommand, server.c prepareForShutdown / finishShutdown /
// sigShutdownHandler / serverCron, debug.c DEBUG POPULATE; redis 4.0.14: the same functions
// (prepareForShutdown does what 7.0 splits in two; serverCron logs its own line when a signal's
// shutdown is refused).
// - SHUTDOWN's arguments that do not shut down (syntax errors, ABORT): the same reply from aofsim
//   (an in-process Server, properties/conformance/aofsim-server-side.ts) and the real server;
// - DEBUG POPULATE with counts, prefixes (a NUL, 200 bytes: snprintf's 128-byte buffer), sizes
//   (0, shorter, longer than the value: NUL padding) and bad arguments: the reply, DBSIZE, DEBUG
//   DIGEST and OBJECT ENCODING of the first key match; names that exist are kept;
// - a SIGTERM while the rewrite that turns the AOF on runs: both refuse with the same log lines
//   ("Writing initial AOF, can't exit." and the version's own refusal line), keep serving, and a
//   SIGTERM after the rewrite exits 0. Both servers are real processes (`aofsim serve CONFIGFILE`
//   and redis-server on the same generated config), their log files compared line by line (the
//   messages, and each line's format: 4.0.14's timestamps have no year, the signal handler's
//   lines are "PID:signal-handler (unixtime) ...").
// Without a real binary its part skips LOUDLY; AOFSIM_REQUIRE_REDIS=1 turns that into a failure.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src/base/profile.ts';
import { RespClient } from '../../sim/subjects/real-resp-client.ts';
import { freePort } from '../../sim/subjects/real-redis-server.ts';
import { parseInfo } from '../../src/aof/info.ts';
import { AofsimServerSide } from './aofsim-server-side.ts';
import { REDIS_SERVER, redisUnavailableReason, replyString, requireRedis70, skipWithoutRedis70, startRealRedis, type RealRedis } from './harness.ts';
import { REDIS40_BIN, REDIS40_MISSING, require40, skip40, startRedis40 } from './redis40.ts';

const DEV = fileURLToPath(new URL('../../cli/dev.mjs', import.meta.url));
const skip70 = skipWithoutRedis70('the SHUTDOWN / DEBUG POPULATE differential suite (redis-server 7.0.15)');
const skip4 = skip40('the SHUTDOWN / DEBUG POPULATE differential suite (redis-server 4.0.14)');
const root = mkdtempSync(join(tmpdir(), 'aofsim-shutdown-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** SHUTDOWN argument lists that never shut a server down: syntax errors under either version, and ABORT. */
const SHUTDOWN_ARGS: Record<Profile, string[][]> = {
  'redis-7.0': [['ABORT'], ['abort', 'NOW'], ['ABORT', 'force'], ['ABORT', 'SAVE'], ['SAVE', 'NOSAVE'], ['nosave', 'now', 'save'], ['BOGUS'], ['NOW', 'bogus'], ['']],
  'redis-4.0': [['FORCE'], ['NOW'], ['ABORT'], ['SAVE', 'NOSAVE'], ['NOSAVE', 'NOSAVE'], ['save', 'save'], ['BOGUS'], ['']],
};

/** DEBUG POPULATE arguments (after POPULATE), each run on an empty db holding only `pre`. */
const POPULATE_CASES: { args: string[]; pre?: string[][] }[] = [
  { args: ['10'] },
  { args: ['5', 'pfx'] },
  { args: ['3', 'p', '0'] },
  { args: ['3', 'p', '4'] },
  { args: ['3', 'p', '7'] },
  { args: ['3', 'p', '60'] },
  { args: ['12', 'a\0b', '9'] },
  { args: ['3', 'x'.repeat(200)] },
  { args: ['2', ''] },
  { args: ['0'] },
  { args: ['-1'] },
  { args: ['0', 'p', 'bad'] },
  { args: ['2', 'p', 'bad'] },
  { args: ['abc'] },
  { args: [' 3'] },
  { args: ['3', 'p', '-1'], pre: [] },
  { args: ['4'], pre: [['SET', 'key:1', 'mine'], ['SET', 'key:2', 'x', 'PX', '1']] },
];

/** The observations of one DEBUG POPULATE case on a server reached through `call`. */
async function populateCase(call: (argv: string[]) => Promise<string>, c: (typeof POPULATE_CASES)[number]): Promise<string[]> {
  await call(['FLUSHALL']);
  for (const argv of c.pre ?? []) await call(argv);
  if (c.pre?.some((a) => a.includes('PX'))) await new Promise((r) => setTimeout(r, 5));
  const reply = await call(['DEBUG', 'POPULATE', ...c.args]);
  const prefix = c.args.length >= 2 ? c.args[1]!.split('\0')[0]! : 'key';
  const first = `${prefix}:0`.slice(0, 127);
  return [reply, await call(['DBSIZE']), await call(['DEBUG', 'DIGEST']), await call(['OBJECT', 'ENCODING', first]), await call(['GET', 'key:1']), await call(['GET', first])];
}

function differential(profile: Profile, skip: boolean, start: () => Promise<RealRedis>, requireIt: () => void): void {
  describe(`SHUTDOWN and DEBUG POPULATE vs the real ${profile === 'redis-7.0' ? 'redis-server 7.0.15' : 'redis-server 4.0.14'}`, () => {
    let real: RealRedis | null = null;
    beforeAll(async () => {
      if (skip) return;
      requireIt();
      real = await start();
    });
    afterAll(async () => {
      await real?.stop();
    });

    it.skipIf(skip)("SHUTDOWN's syntax errors and ABORT: the same replies, and the server goes on", async () => {
      const sim = new AofsimServerSide(root, { profile });
      for (const args of SHUTDOWN_ARGS[profile]) {
        const argv = ['SHUTDOWN', ...args];
        const want = replyString(await real!.client.call(argv));
        expect(replyString(sim.reply(argv)), JSON.stringify(argv)).toBe(want);
      }
      expect(replyString(await real!.client.call(['PING']))).toBe('+PONG');
    });

    it.skipIf(skip)('DEBUG POPULATE: the same reply, keys, values and encodings', async () => {
      const sim = new AofsimServerSide(root, { profile });
      for (const c of POPULATE_CASES) {
        if (profile === 'redis-4.0' && c.args[2] === '-1') {
          // 4.0.14 would allocate (size_t)-1 bytes per key and abort: refused, not sent.
          expect(replyString(sim.reply(['DEBUG', 'POPULATE', ...c.args]))).toMatch(/^-ERR aofsim cannot reproduce DEBUG POPULATE with size -1/);
          continue;
        }
        const want = await populateCase(async (argv) => replyString(await real!.client.call(argv)), c);
        const got = await populateCase(async (argv) => replyString(sim.reply(argv)), c);
        expect(got, JSON.stringify(c)).toEqual(want);
      }
    });
  });
}

differential('redis-7.0', skip70, () => startRealRedis(['--enable-debug-command', 'yes']), () => {
  if (redisUnavailableReason() !== null) requireRedis70();
});
differential('redis-4.0', skip4, () => startRedis40(), () => {
  if (REDIS40_MISSING !== null) require40();
});


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connect(port: number, exited: () => boolean): Promise<RespClient> {
  for (let i = 0; i < 300 && !exited(); i++) {
    try {
      return await RespClient.connect(port);
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`no server on port ${port}`);
}

interface SignalRun {
  /** The log's lines from the first signal on: "signal-handler: message" or the message alone. */
  messages: string[];
  /** Every line of the log that breaks the version's line format. */
  badLines: string[];
  exitCode: number | null;
  /** PING's reply after the refused signal. */
  pingAfterRefusal: string;
}

/**
 * Starts `command` on a config file in a fresh dir, fills db 0 with DEBUG POPULATE, turns the AOF
 * on (a rewrite starts) and sends SIGTERM at once; then waits for the rewrite, sends SIGTERM again
 * and waits for the exit.
 */
async function signalDuringInitialRewrite(profile: Profile, command: string[], aofsim: boolean): Promise<SignalRun> {
  const dir = join(root, `${aofsim ? 'aofsim' : 'real'}-${profile}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const v7 = profile === 'redis-7.0';
  const conf = [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'logfile server.log', 'save ""', 'appendonly no'];
  if (v7) conf.push('enable-debug-command yes', 'rdb-key-save-delay 100');
  if (aofsim) conf.push(`aofsim-profile ${profile}`);
  writeFileSync(join(dir, 'redis.conf'), conf.join('\n') + '\n');
  const proc: ChildProcess = spawn(command[0]!, [...command.slice(1), join(dir, 'redis.conf')], { stdio: 'ignore' });
  let exitCode: number | null = null;
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve((exitCode = code))));
  let client: RespClient | null = null;
  try {
    client = await connect(port, () => exitCode !== null);
    const ok = async (argv: string[]) => expect(replyString(await client!.call(argv)), argv.join(' ')).toBe('+OK');
    // 7.0: 20,000 keys x 100 us of rdb-key-save-delay; 4.0.14 has no such delay: 2M keys (about 1-3 s).
    await ok(['DEBUG', 'POPULATE', v7 ? '20000' : '2000000']);
    await ok(['CONFIG', 'SET', 'appendonly', 'yes']);
    proc.kill('SIGTERM');
    const logFile = join(dir, 'server.log');
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'latin1') : '');
    for (let i = 0; i < 100 && !/can't exit/.test(log()) && exitCode === null; i++) await sleep(50);
    const pingAfterRefusal = exitCode === null ? replyString(await client.call(['PING'])) : 'exited';
    for (let i = 0; i < 600 && exitCode === null; i++) {
      const r = await client.call(['INFO', 'persistence']);
      const info = parseInfo(r.kind === 'bulk' && r.value !== null ? r.value : '');
      if (info.get('aof_rewrite_in_progress') === '0' && info.get('aof_rewrite_scheduled') === '0') break;
      await sleep(100);
    }
    client.close();
    client = null;
    proc.kill('SIGTERM');
    const code = await Promise.race([exit, sleep(20_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') proc.kill('SIGKILL');
    const lines = log().split('\n').filter((l) => /^\d+:/.test(l));
    const from = lines.findIndex((l) => l.includes('signal-handler'));
    const lineFormat = v7 ? /^\d+:[MC] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} [#*.-] / : /^\d+:[MC] \d\d [A-Z][a-z]{2} \d\d:\d\d:\d\d\.\d{3} [#*.-] /;
    const handlerFormat = /^\d+:signal-handler \(\d{10}\) /;
    return {
      messages: lines.slice(from < 0 ? lines.length : from).map((l) => (handlerFormat.test(l) ? `signal-handler: ${l.replace(handlerFormat, '')}` : l.replace(lineFormat, ''))),
      badLines: lines.filter((l) => !lineFormat.test(l) && !handlerFormat.test(l)),
      exitCode: code === 'timeout' ? null : code,
      pingAfterRefusal,
    };
  } finally {
    client?.close();
    if (exitCode === null) proc.kill('SIGKILL');
  }
}

/** The lines that must match: the shutdown ones (the rewrite's own lines differ between aofsim and Redis in detail). */
const SHUTDOWN_LINE = /^signal-handler: |shut down|shutdown|can't exit|Exit anyway|ready to exit|Calling fsync|Saving the final/;

for (const [profile, skip, bin] of [
  ['redis-7.0', skip70, REDIS_SERVER],
  ['redis-4.0', skip4, REDIS40_BIN],
] as const) {
  describe(`a SIGTERM during the initial AOF rewrite, aofsim serve vs ${bin}`, () => {
    it.skipIf(skip)('both refuse with the same log lines, go on serving, and exit 0 on a SIGTERM after the rewrite', async () => {
      const real = await signalDuringInitialRewrite(profile, [bin], false);
      const sim = await signalDuringInitialRewrite(profile, [process.execPath, DEV, 'serve'], true);
      expect(real.messages.filter((m) => SHUTDOWN_LINE.test(m))).toContain("Writing initial AOF, can't exit.");
      expect(sim.messages.filter((m) => SHUTDOWN_LINE.test(m))).toEqual(real.messages.filter((m) => SHUTDOWN_LINE.test(m)));
      expect(sim.badLines).toEqual([]);
      expect(real.badLines).toEqual([]);
      expect([sim.pingAfterRefusal, sim.exitCode]).toEqual([real.pingAfterRefusal, real.exitCode]);
      expect(real.exitCode).toBe(0);
    }, 120_000);
  });
}
