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
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';
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
import { resolveAofConfig } from '../../src/aof/config.ts';
import { isAofError } from '../../src/base/errors.ts';
import { isFsError } from '../../src/ports/fs.ts';
import { chmodSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { RedisLog, consoleLog, isRedisServerForm, parseRedisServeArgs, type RedisForm } from './serve-redis.ts';
import { ConfigFileUnreadable, FatalConfigError } from './serve-config.ts';
import { ReplyWriter, parseRequests } from './serve-resp.ts';
import type { HeldReply } from '../../src/server-types.ts';
import type { OsChildrenOptions } from '../../src/adapters/node/os-children.ts';
import { childEntry } from '../child-entry.ts';
import type { ChildSetup } from '../child-main.ts';

const SPEC = {
  name: 'serve',
  synopsis: '--port N --dir D [--profile redis-4.0|redis-7.0] [--config KEY VALUE]... [--quiet]\n       aofsim serve CONFIGFILE [--name value...]   (as redis-server is started)',
  description: `Runs the aofsim server on real files in D, speaking RESP2 on 127.0.0.1:N (0 = any free port).
Stops on SHUTDOWN, SIGINT or SIGTERM (flushing and fsyncing the AOF first); like Redis it refuses
while the rewrite that turns the AOF on runs, or when the final save fails, and goes on serving.

The second form takes redis-server 7.0's command line: a config file (or - for stdin) and/or
--name value options, every redis.conf directive accepted and checked as Redis checks it. It
honours port (0: no TCP), bind, unixsocket, unixsocketperm, dir, logfile, loglevel, pidfile,
enable-debug-command, the AOF directives, hz, lazyfree-lazy-expire/server-del, plus aofsim-profile
(default redis-7.0) and aofsim-bugs; the rest is kept for CONFIG GET and named once in the log.
It logs Redis's startup lines ("Server initialized", "Ready to accept connections").`,
  options: {
    port: { type: 'string', arg: 'N', help: 'TCP port on 127.0.0.1 (required; 0 = any free port)' },
    dir: { type: 'string', arg: 'D', help: "Redis's dir: where the AOF lives (required; created if missing)" },
    profile: { type: 'string', choices: ['redis-4.0', 'redis-7.0'], help: 'which Redis to behave as (default redis-4.0; or --config aofsim-profile P)' },
    config: {
      type: 'string',
      pair: true,
      arg: 'KEY VALUE',
      help: `a redis.conf setting (repeatable): appendonly (default no, as in Redis), appendfsync,
aof-use-rdb-preamble, aof-load-truncated, aof-timestamp-enabled, auto-aof-rewrite-percentage,
auto-aof-rewrite-min-size, hz, ...; or bugs NAME,NAME (historical-bug switches)`,
    },
    quiet: { type: 'boolean', help: 'no log lines on stdout' },
  },
  footer: `Example:
  aofsim serve --port 6399 --dir /tmp/aof --profile redis-7.0 --config appendonly yes --config appendfsync always
Exit status: 0 after SHUTDOWN or a signal; 1 the server stopped on an error; 2 usage error.`,
} satisfies CommandSpec;

export interface ServeOptions {
  port: number;
  dir: string;
  profile: AofConfig['profile'];
  config: [string, string][];
  quiet: boolean;
  /** Where log lines go (default: stdout unless quiet). */
  log?: Log;
  /** redis: loglevel (the default console log's filter; default notice). */
  logLevel?: LogLevel;
  /** Set when started with redis-server's command line (serve-redis.ts). */
  redis?: RedisForm;
}

/** A startup failure reported as Redis reports it: log lines, then exit status 1. */
export class ServeFatal extends Error {}

export interface ServeHandle {
  port: number;
  server: Server;
  /** Resolves with the exit code when the server stops. */
  done: Promise<number>;
  /** SHUTDOWN-like stop (flush + fsync), forced: it always stops. */
  stop(): Promise<number>;
  /** What a SIGINT / SIGTERM does: a shutdown Redis's way, which may be refused (the server goes on). */
  signal(sig: 'SIGINT' | 'SIGTERM'): void;
}

export function parseServeArgs(args: string[]): ServeOptions {
  const p = parseCommandArgs(SPEC, args);
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
  const portText = p.string('port');
  const dir = p.string('dir');
  if (portText === undefined) throw new UsageError('--port is required');
  if (dir === undefined) throw new UsageError('--dir is required');
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`bad port '${portText}' (0-65535)`);
  const config = p.pairList('config');
  return { port, dir, profile: serveProfile(p.string('profile'), config), config, quiet: p.flag('quiet') };
}

/**
 * The profile of the `--port/--dir` form: `--profile`, or a `--config aofsim-profile X` pair (the
 * key the CONFIGFILE form reads), default redis-4.0. Both given and different is a usage error, not
 * a silent choice of one.
 */
function serveProfile(flag: string | undefined, config: readonly [string, string][]): ServeOptions['profile'] {
  const pair = config.filter(([k]) => k.toLowerCase() === 'aofsim-profile').at(-1)?.[1];
  if (pair !== undefined && pair !== 'redis-4.0' && pair !== 'redis-7.0') {
    throw new UsageError(`--config aofsim-profile '${pair}': must be redis-4.0 or redis-7.0`);
  }
  if (flag !== undefined && pair !== undefined && flag !== pair) {
    throw new UsageError(`--profile ${flag} and --config aofsim-profile ${pair} disagree: give one`);
  }
  return (flag ?? pair ?? 'redis-4.0') as ServeOptions['profile'];
}

interface Conn {
  socket: net.Socket;
  client: ClientState;
  /** Input not parsed yet: reads kept as they came, joined when a parse can make progress. */
  input: Buffer[];
  inputBytes: number;
  /** No command completes before the input holds this many bytes (a bulk still arriving). */
  inputNeed: number;
  closeAfterReplies: boolean;
  quitPending: boolean;
  /** A protocol error to reply once the earlier replies are out; the connection then closes. */
  protocolError?: string;
  /** Parsed commands not run yet: a blocked client's input waits (redis: no processing while CLIENT_BLOCKED). */
  queue: string[][];
  /** A protocol error met after the queued commands. */
  queueError?: string;
  /** Its replies, encoded as they are made; written after the beforeSleep that releases them. */
  out: ReplyWriter;
  /** On the list of connections with bytes to write. */
  outListed: boolean;
}

function listenOn(where: { port: number; host: string } | { path: string }): Promise<net.Server> {
  const srv = net.createServer({ noDelay: true });
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    const ok = () => {
      srv.off('error', reject);
      resolve(srv);
    };
    if ('path' in where) srv.listen(where.path, ok);
    else srv.listen(where.port, where.host, ok);
  });
}

const VERSION: Record<AofConfig['profile'], string> = { 'redis-4.0': '4.0.14', 'redis-7.0': '7.0.15' };

/** redis: main's first log lines (after the config was loaded), then what aofsim does not model. */
function announceStart(log: Log, opts: ServeOptions, redis: RedisForm): void {
  log.log('warning', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.log('warning', `Redis version=${VERSION[opts.profile]}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`);
  log.log('warning', redis.configFile === null ? 'Warning: no config file specified, using the default config. In order to specify a config file use aofsim serve /path/to/redis.conf' : 'Configuration loaded');
  log.log('notice', `aofsim serve: the aofsim AOF model behaving as Redis ${VERSION[opts.profile]} (profile ${opts.profile}), not redis-server`);
  for (const name of redis.notModelled) log.log('notice', `aofsim serve: directive '${name}' accepted; aofsim does not model it`);
  if (log instanceof RedisLog) log.role = 'M';
}

const ERRNO_TEXT: Record<string, string> = {
  EADDRINUSE: 'Address already in use',
  EACCES: 'Permission denied',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENOENT: 'No such file or directory',
  EAFNOSUPPORT: 'Address family not supported by protocol',
};

/**
 * redis: initServer -> listenToPort (every bind address; a '-' prefix makes one optional) and the
 * unix socket (unlinked first, then chmod unixsocketperm). A failure is logged as Redis logs it
 * and ends the start with ServeFatal.
 */
async function listenRedisStyle(redis: RedisForm, port: number, log: Log, out: net.Server[]): Promise<void> {
  const why = (e: unknown) => ERRNO_TEXT[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message;
  const fail = (msg: string): never => {
    for (const l of out) l.close();
    throw new ServeFatal(msg);
  };
  if (port !== 0) {
    for (const b of redis.bind) {
      try {
        out.push(await listenOn({ port, host: b.addr }));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (b.optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
        log.log('warning', `Warning: Could not create server TCP listening socket ${b.addr}:${port}: bind: ${why(e)}`);
        fail(`Failed listening on port ${port} (TCP), aborting.`);
      }
    }
  }
  if (redis.unixsocket !== null) {
    rmSync(redis.unixsocket, { force: true });
    try {
      out.push(await listenOn({ path: redis.unixsocket }));
      if (redis.unixsocketperm !== 0) chmodSync(redis.unixsocket, redis.unixsocketperm);
    } catch (e) {
      fail(`Failed opening Unix socket: ${why(e)}`);
    }
  }
  log.log('notice', `Running mode=standalone, port=${port}.`);
}

/**
 * Where the rewrite child runs: a real process (redis: fork) started from the child entry, with the
 * log settings it needs; null (in this process) for profile redis-4.0 or an unbuilt package.
 */
function childProcesses(opts: ServeOptions, log: Log): OsChildrenOptions | undefined {
  if (opts.profile === 'redis-4.0') {
    log.log('notice', 'aofsim serve: profile redis-4.0 runs the rewrite child inside the server process (its diff and ack pipes are in memory)');
    return undefined;
  }
  const entry = childEntry();
  if (entry === null) {
    log.log('warning', 'aofsim serve: the child process entry is missing (run npm run build); the rewrite child runs inside the server process');
    return undefined;
  }
  const setup: ChildSetup = { redisForm: opts.redis !== undefined, profile: opts.profile, logfile: opts.redis?.logfile ?? null, loglevel: opts.logLevel ?? 'notice', quiet: opts.quiet };
  return { entry, setup };
}

/** Starts serving; resolves once listening. A user's mistake throws UsageError before anything is created. */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  let partial: Partial<AofConfig>;
  let exact: ReadonlyMap<keyof AofConfig, bigint>;
  try {
    // Read as the profile's redis-server reads its config (4.0.14 and 7.0.15 differ).
    ({ config: partial, exact } = configFromPairs(opts.config, opts.profile));
    resolveAofConfig({ ...partial, profile: opts.profile }); // bug names and values, before the disk
  } catch (e) {
    throw new UsageError(isAofError(e) ? e.reason : (e as Error).message);
  }
  const dir = nodePath.resolve(opts.dir);
  const redis = opts.redis;
  const log = opts.log ?? consoleLog(opts.quiet, opts.logLevel ?? 'notice');
  const listeners: net.Server[] = [];
  const closeListeners = (): void => {
    for (const l of listeners) l.close();
  };
  let port = opts.port;
  if (redis === undefined) {
    const existing = statSync(dir, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) throw new UsageError(`--dir ${opts.dir}: Not a directory`);
    // Bind the port before touching the disk: a port in use is reported and nothing is created.
    try {
      listeners.push(await listenOn({ port: opts.port, host: '127.0.0.1' }));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'address already in use' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      throw new UsageError(`--port ${opts.port}: ${why} (127.0.0.1:${opts.port})`);
    }
    const addr = listeners[0].address();
    port = typeof addr === 'object' && addr ? addr.port : opts.port;
  } else {
    announceStart(log, opts, redis);
    await listenRedisStyle(redis, opts.port, log, listeners);
  }
  const fs = createNodeFs();
  try {
    fs.mkdir(dir, true);
  } catch (e) {
    closeListeners();
    throw new UsageError(`--dir ${opts.dir}: ${isFsError(e) ? e.strerror : (e as Error).message}`);
  }
  if (redis?.pidfile) {
    try {
      writeFileSync(redis.pidfile, `${process.pid}\n`);
    } catch (e) {
      // redis: createPidFile only warns.
      log.log('warning', `Failed to write PID file: ${(e as Error).message}`);
    }
  }
  const tasks = new NodeTasks(fs, undefined, childProcesses(opts, log));
  const server = new Server(
    { fs, clock: nodeClock, tasks, log, random: new SeededRandom(Date.now() >>> 0) },
    { ...partial, profile: opts.profile, dir },
    {
      pid: process.pid,
      tcpPort: port,
      executable: process.argv[1] ?? '',
      configFile: redis?.configFile != null && redis.configFile !== '-' ? nodePath.resolve(redis.configFile) : '',
      ...redis?.serverOptions,
      configExact: exact,
    },
  );

  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const conns = new Map<number, Conn>();
  /** Connections whose writer holds bytes. */
  const withOutput: Conn[] = [];
  let loopScheduled = false;
  let stopped = false;
  let cronTimer: ReturnType<typeof setInterval> | null = null;

  function finish(code: number): void {
    if (stopped) return;
    stopped = true;
    if (cronTimer) clearInterval(cronTimer);
    tasks.close();
    for (const c of conns.values()) c.socket.destroy();
    conns.clear();
    closeListeners();
    // redis: prepareForShutdown removes the pid file and the unix socket; the last log line stays
    // Redis's own (an exit's reason, or "ready to exit").
    if (redis?.pidfile) rmSync(redis.pidfile, { force: true });
    if (redis?.unixsocket) rmSync(redis.unixsocket, { force: true });
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

  /** Encodes each reply into its connection's writer (a reply to a closed connection is dropped). */
  function encode(replies: readonly HeldReply[]): void {
    for (let i = 0; i < replies.length; i++) {
      const c = conns.get(replies[i].clientId);
      if (c === undefined) continue;
      c.out.reply(replies[i].reply);
      if (!c.outListed) {
        c.outListed = true;
        withOutput.push(c);
      }
    }
  }

  /**
   * After a beforeSleep: every byte encoded so far belongs to a reply it released, so it goes out,
   * one socket write per connection (pipelined replies batched, in order).
   */
  function deliver(): void {
    encode(server.takeReplies());
    for (const c of withOutput) {
      c.outListed = false;
      if (!c.socket.destroyed) c.out.flushTo(c.socket);
    }
    withOutput.length = 0;
    // CLIENT KILL: the connection ends after the replies already due (the killer's OK included).
    for (const id of server.takeKilledClients()) {
      const c = conns.get(id);
      if (c === undefined) continue;
      c.queue.length = 0;
      c.closeAfterReplies = true;
    }
    for (const c of conns.values()) {
      if (!c.closeAfterReplies || c.socket.writableEnded) continue;
      if (c.quitPending) c.socket.write('+OK\r\n');
      if (c.protocolError !== undefined) c.socket.write(`-ERR ${c.protocolError}\r\n`);
      c.quitPending = false;
      c.protocolError = undefined;
      c.socket.end();
    }
    // A client just served or timed out runs the commands it sent while blocked (their replies
    // wait for the next beforeSleep).
    for (const c of conns.values()) if (c.queue.length > 0 && !server.isBlocked(c.client)) runQueue(c);
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
    c.input.push(chunk);
    c.inputBytes += chunk.length;
    // A large bulk arrives in many reads: the input is joined and parsed once it is all there,
    // not once per read (which would copy it over and over).
    if (c.inputBytes < c.inputNeed) return;
    // The input as text to parse and as bytes to copy long arguments from (serve-resp.ts).
    const bytes = c.input.length === 1 ? c.input[0] : Buffer.concat(c.input, c.inputBytes);
    const parsed = parseRequests(bytes.toString('latin1'), bytes);
    const rest = bytes.length - parsed.consumed;
    c.input = rest === 0 ? [] : [bytes.subarray(parsed.consumed)];
    c.inputBytes = rest;
    c.inputNeed = parsed.need === undefined ? 0 : parsed.need - parsed.consumed;
    if (c.queue.length === 0) c.queue = parsed.commands;
    else for (const argv of parsed.commands) c.queue.push(argv);
    if (parsed.error) c.queueError = parsed.error;
    runQueue(c);
  }

  /** Runs the connection's queued commands until it blocks (a blocking command waits for data). */
  function runQueue(c: Conn): void {
    const queue = c.queue;
    let next = 0;
    while (next < queue.length && !server.isBlocked(c.client)) {
      const argv = queue[next++];
      if (argv[0].length === 4 && argv[0].toLowerCase() === 'quit') {
        // QUIT's +OK goes out after the replies of the commands before it (see deliver()).
        c.quitPending = true;
        c.closeAfterReplies = true;
        next = queue.length;
        c.queueError = undefined;
        break;
      }
      if (stopped) return;
      try {
        server.execute(c.client, argv);
      } catch (e) {
        if (!isProcessExit(e)) throw e;
        finish(e.exitCode);
        return;
      }
    }
    // What a blocking command left waiting stays queued (the commands run are dropped at once,
    // not one shift at a time).
    c.queue = next === queue.length ? [] : queue.slice(next);
    encode(server.takeHeldReplies());
    if (c.queue.length === 0 && c.queueError !== undefined) {
      // After the replies of the commands before it, then the connection closes (setProtocolError).
      c.protocolError = c.queueError;
      c.queueError = undefined;
      c.closeAfterReplies = true;
    }
    scheduleLoop();
  }

  if (redis !== undefined) log.log('warning', 'Server initialized');
  guarded(() => server.start());
  if (stopped) return { port: 0, server, done, stop: () => done, signal: () => {} };

  const onConnection = (socket: net.Socket, listener: net.Server): void => {
    // CLIENT LIST's addr/laddr: ip:port, or the socket path and 0 for a unix socket (as Redis).
    const where = listener.address();
    const local = typeof where === 'string' ? `${where}:0` : `${socket.localAddress}:${socket.localPort}`;
    const peer = typeof where === 'string' ? local : `${socket.remoteAddress}:${socket.remotePort}`;
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    const client = server.newClient({ addr: peer, laddr: local, fd });
    const c: Conn = { socket, client, input: [], inputBytes: 0, inputNeed: 0, closeAfterReplies: false, quitPending: false, queue: [], out: new ReplyWriter(4 * 1024), outListed: false };
    conns.set(c.client.id, c);
    const gone = (): void => {
      conns.delete(c.client.id);
      server.clientClosed(c.client);
    };
    socket.on('data', (chunk: Buffer) => onData(c, chunk));
    socket.on('close', gone);
    socket.on('error', gone);
  };
  for (const l of listeners) l.on('connection', (socket: net.Socket) => onConnection(socket, l));

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
  if (redis === undefined) log.log('notice', `Ready to accept connections tcp on 127.0.0.1:${port} (profile ${opts.profile}, dir ${dir})`);
  else {
    log.log('notice', 'Ready to accept connections');
    if (redis.unixsocket !== null) log.log('notice', `The server is now ready to accept connections at ${redis.unixsocket}`);
  }

  const stop = (): Promise<number> => {
    guarded(() => server.shutdown(true));
    finish(0);
    return done;
  };
  const signal = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (guarded(() => server.shutdownOnSignal(sig))) deliver();
  };
  return { port, server, done, stop, signal };
}

export const serveCommand: CliCommand = {
  usage: helpText(SPEC),
  async run(args: string[]): Promise<number> {
    let opts: ServeOptions;
    if (isRedisServerForm(args)) {
      try {
        opts = parseRedisServeArgs(args, process.cwd());
      } catch (e) {
        // redis: a config error goes to stderr; an unreadable config file is a log line.
        if (e instanceof FatalConfigError) process.stderr.write(e.render());
        else if (e instanceof ConfigFileUnreadable) new RedisLog(null, 'notice', process.pid).log('warning', e.message);
        else throw e;
        return 1;
      }
      opts.log = new RedisLog(opts.redis?.logfile ?? null, opts.logLevel ?? 'notice', process.pid, opts.profile);
    } else opts = parseServeArgs(args);
    let h: ServeHandle;
    try {
      h = await startServe(opts);
    } catch (e) {
      if (!(e instanceof ServeFatal) || !opts.log) throw e;
      opts.log.log('warning', e.message);
      return 1;
    }
    // redis: sigShutdownHandler logs and sets shutdown_asap; serverCron then shuts down without
    // FORCE (7.0: with shutdown-on-sigint/sigterm's flags). A refused shutdown (the initial AOF
    // rewrite still running, a failed final save) leaves the server running, as Redis does; the
    // next signal tries again.
    const onSignal = (sig: 'SIGINT' | 'SIGTERM') => {
      const message = `Received ${sig} scheduling shutdown...`;
      if (opts.log instanceof RedisLog) opts.log.fromHandler(message);
      else opts.log?.log('warning', message);
      h.signal(sig);
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const code = await h.done;
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    return code;
  },
};
