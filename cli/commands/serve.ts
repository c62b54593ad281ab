// `aofsim serve`: the Server on real files (node:fs), real time and real async bio/child work,
// speaking RESP2 on 127.0.0.1, so redis-cli, redis-benchmark and process-level harness subjects can
// drive it like a redis-server. redis: the ae event loop of server.c (readQueryFromClient ->
// processCommand, beforeSleep -> flushAppendOnlyFile -> handleClientsWithPendingWrites,
// serverCron on a timer at `hz`).
//
// Loop shape: bytes read from sockets are parsed and executed at once (replies held by the Server);
// one setImmediate later the loop runs beforeSleep and only then writes the released replies, so a
// pipelined batch shares one AOF write (and one fsync under `always`) and no reply leaves before its
// command reached the AOF. A ProcessExit ends the serve run with its exit code (SHUTDOWN -> 0).

import * as net from 'node:net';
import * as nodePath from 'node:path';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { Server } from '../../src/server.ts';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { NodeTasks } from '../../src/adapters/node/node-tasks.ts';
import type { Log, LogLevel } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { isProcessExit } from '../../src/server-types.ts';
import type { ClientState } from '../../src/commands/types.ts';
import type { AofConfig } from '../../src/aof/config.ts';
import { configFromPairs } from '../../src/aof/config-keys.ts';
import { encodeReply, parseRequests } from './serve-resp.ts';

const USAGE = `Usage: aofsim serve --port N --dir D [--profile redis-4.0|redis-7.0] [--config key value ...] [--quiet]

Runs the aofsim server on real files in D, speaking RESP2 on 127.0.0.1:N (0 = any free port).
The profile defaults to redis-4.0 (the seed); appendonly defaults to no, as in Redis.
--config takes redis.conf names (appendonly, appendfsync, aof-use-rdb-preamble, aof-load-truncated,
aof-timestamp-enabled, auto-aof-rewrite-percentage, auto-aof-rewrite-min-size, hz, ...) and
'bugs' (comma-separated historical-bug switches). Example:
  aofsim serve --port 6399 --dir /tmp/aof --profile redis-7.0 --config appendonly yes --config appendfsync always
Stops on SHUTDOWN, SIGINT or SIGTERM (flushing and fsyncing the AOF first).`;

export interface ServeOptions {
  port: number;
  dir: string;
  profile: AofConfig['profile'];
  config: [string, string][];
  quiet: boolean;
  /** Where log lines go (default: stdout unless quiet). */
  log?: Log;
}

export interface ServeHandle {
  port: number;
  server: Server;
  /** Resolves with the exit code when the server stops. */
  done: Promise<number>;
  /** SHUTDOWN-like stop (flush + fsync). */
  stop(): Promise<number>;
}

const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };

function consoleLog(quiet: boolean): Log {
  return {
    log(level, message) {
      if (quiet || level === 'debug') return;
      process.stdout.write(`${process.pid}:M ${new Date().toISOString()} ${LEVEL_CHAR[level]} ${message}\n`);
    },
    mark() {},
  };
}

export function parseServeArgs(args: string[]): ServeOptions {
  const opts: ServeOptions = { port: 6379, dir: '.', profile: 'redis-4.0', config: [], quiet: false };
  let sawPort = false;
  let sawDir = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const need = (n: number) => {
      if (i + n >= args.length) throw new UsageError(`${a} needs ${n} argument${n > 1 ? 's' : ''}`);
    };
    if (a === '--port') {
      need(1);
      const p = Number(args[++i]);
      if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UsageError(`bad port '${args[i]}'`);
      opts.port = p;
      sawPort = true;
    } else if (a === '--dir') {
      need(1);
      opts.dir = args[++i];
      sawDir = true;
    } else if (a === '--profile') {
      need(1);
      const p = args[++i];
      if (p !== 'redis-4.0' && p !== 'redis-7.0') throw new UsageError(`bad profile '${p}' (redis-4.0 or redis-7.0)`);
      opts.profile = p;
    } else if (a === '--config') {
      need(2);
      opts.config.push([args[i + 1], args[i + 2]]);
      i += 2;
    } else if (a === '--quiet') {
      opts.quiet = true;
    } else {
      throw new UsageError(`unknown option '${a}'`);
    }
  }
  if (!sawPort) throw new UsageError('--port is required');
  if (!sawDir) throw new UsageError('--dir is required');
  return opts;
}

interface Conn {
  socket: net.Socket;
  client: ClientState;
  buf: string;
  closeAfterReplies: boolean;
  quitPending: boolean;
}

/** Starts serving; resolves once listening. */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  let partial: Partial<AofConfig>;
  try {
    partial = configFromPairs(opts.config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const fs = createNodeFs();
  const log = opts.log ?? consoleLog(opts.quiet);
  const tasks = new NodeTasks(fs);
  const dir = nodePath.resolve(opts.dir);
  fs.mkdir(dir, true);
  const server = new Server(
    { fs, clock: nodeClock, tasks, log, random: new SeededRandom(Date.now() >>> 0) },
    { ...partial, profile: opts.profile, dir },
    { pid: process.pid },
  );

  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const conns = new Map<number, Conn>();
  let loopScheduled = false;
  let stopped = false;
  let cronTimer: ReturnType<typeof setInterval> | null = null;

  const netServer = net.createServer({ noDelay: true });

  function finish(code: number): void {
    if (stopped) return;
    stopped = true;
    if (cronTimer) clearInterval(cronTimer);
    tasks.close();
    for (const c of conns.values()) c.socket.destroy();
    conns.clear();
    netServer.close();
    log.log('notice', `aofsim serve stopped (exit code ${code})`);
    resolveDone(code);
  }

  /** Runs `fn` against the server; a ProcessExit stops serving. Returns false when stopped. */
  function guarded(fn: () => void): boolean {
    if (stopped) return false;
    try {
      fn();
      return true;
    } catch (e) {
      if (isProcessExit(e)) {
        finish(e.exitCode);
        return false;
      }
      throw e;
    }
  }

  function deliver(): void {
    // One socket write per connection per loop iteration (pipelined replies batched, in order).
    const out = new Map<Conn, string>();
    for (const r of server.takeReplies()) {
      const c = conns.get(r.clientId);
      if (!c) continue;
      out.set(c, (out.get(c) ?? '') + encodeReply(r.reply));
    }
    for (const [c, text] of out) c.socket.write(Buffer.from(text, 'latin1'));
    for (const c of conns.values()) {
      if (!c.closeAfterReplies) continue;
      if (c.quitPending) c.socket.write('+OK\r\n');
      c.quitPending = false;
      c.socket.end();
    }
  }

  function loopIteration(): void {
    loopScheduled = false;
    if (guarded(() => server.beforeSleep())) deliver();
  }

  function scheduleLoop(): void {
    if (loopScheduled || stopped) return;
    loopScheduled = true;
    setImmediate(loopIteration);
  }

  function onData(c: Conn, chunk: Buffer): void {
    if (stopped || c.closeAfterReplies) return;
    c.buf += chunk.toString('latin1');
    const parsed = parseRequests(c.buf);
    c.buf = c.buf.slice(parsed.consumed);
    for (const argv of parsed.commands) {
      if (argv[0].toLowerCase() === 'quit') {
        // QUIT's +OK goes out after the replies of the commands before it (see deliver()).
        c.quitPending = true;
        c.closeAfterReplies = true;
        break;
      }
      if (!guarded(() => server.execute(c.client, argv))) return;
    }
    if (parsed.error) {
      c.socket.write(`-ERR ${parsed.error}\r\n`);
      c.closeAfterReplies = true;
    }
    scheduleLoop();
  }

  guarded(() => server.start());
  if (stopped) return { port: 0, server, done, stop: () => done };

  netServer.on('connection', (socket) => {
    const c: Conn = { socket, client: server.newClient(), buf: '', closeAfterReplies: false, quitPending: false };
    conns.set(c.client.id, c);
    socket.on('data', (chunk: Buffer) => onData(c, chunk));
    socket.on('close', () => conns.delete(c.client.id));
    socket.on('error', () => conns.delete(c.client.id));
  });

  await new Promise<void>((resolve, reject) => {
    netServer.once('error', reject);
    netServer.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const addr = netServer.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  // serverCron every 1000/hz ms; CONFIG SET hz takes effect at the next tick.
  let timerHz = server.hz;
  const startCron = (): void => {
    cronTimer = setInterval(() => {
      if (!guarded(() => server.cron())) return;
      deliver();
      if (server.hz !== timerHz && cronTimer) {
        clearInterval(cronTimer);
        timerHz = server.hz;
        startCron();
      }
    }, Math.max(1, Math.floor(1000 / timerHz)));
  };
  startCron();
  log.log('notice', `Ready to accept connections tcp on 127.0.0.1:${port} (profile ${opts.profile}, dir ${dir})`);

  const stop = (): Promise<number> => {
    guarded(() => server.shutdown(true));
    finish(0);
    return done;
  };
  return { port, server, done, stop };
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the aofsim server on real files, speaking RESP2 on 127.0.0.1',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const opts = parseServeArgs(args);
    const h = await startServe(opts);
    const onSignal = () => void h.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const code = await h.done;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return code;
  },
};
