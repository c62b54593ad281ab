// The one launcher of real servers (ARCHITECTURE.md#subjects), used by `aofsim validate` and by the
// conformance suites: a command template (server-command.ts: the redis-server preset for
// redis-server, valkey-server, keydb-server, or a user's `--cmd` for any RESP server) started on a
// free loopback port in a temp dir, driven over RESP (real-resp-client.ts), killed with SIGKILL and
// restarted on the same directory. Optionally wrapped in strace (fault injection, syscall recording).
//
// Invariants: the server runs in its own process group (detached) and stop() SIGKILLs the whole
// group and waits for it, so no server or strace outlives a campaign, even after a failed start;
// a temp dir the subject created is removed by stop() (keepDir leaves it); the preset passes config
// keys as `--key value` after its own flags, then `args`; a user's template gets {port}, {dir} and
// {fsync} filled, and when it has no {fsync} the policy is set with CONFIG SET appendfsync right
// after the start's PING (`startRequests` counts those requests, for recorders of the replies).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../src/commands/reply.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { SubjectDump, SubjectReply, SubjectStart } from './subject.ts';
import { RespClient, replyText } from './real-resp-client.ts';
import { readKeyspace, keyspaceDump } from './real-dump.ts';
import { commandArgv, placeholdersOf, redisServerCommand, type ServerCommand } from './server-command.ts';

export interface RedisServerOptions {
  /** Binary path or name on PATH for the redis-server preset (default AOFSIM_REDIS_SERVER or 'redis-server'). */
  bin?: string;
  /** A command template instead of the preset (server-command.ts); `bin` is then ignored. */
  command?: ServerCommand;
  /** redis.conf keys: appendfsync fills {fsync}; the preset passes every key as --key value. */
  config?: Record<string, string>;
  /** Extra arguments after everything else (the preset's raw flags, e.g. ['--enable-debug-command', 'yes']). */
  args?: string[];
  /** Use this directory instead of a fresh temp dir (not removed by stop()). */
  dir?: string;
  /** Wrap the binary in `strace ARGS... -o traceFile` (syscall recording, --inject faults). */
  strace?: { args: string[]; traceFile?: string };
  /** Give up waiting for the server to accept connections after this long (default 10 s). */
  startTimeoutMs?: number;
  keepDir?: boolean;
}

export const DEFAULT_REDIS_BIN = process.env.AOFSIM_REDIS_SERVER ?? 'redis-server';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The last line redis-server (4.0 to 7.x), Valkey and `aofsim serve` log once they serve clients. */
const READY_LINE = /Ready to accept connections/;

/**
 * Whether a start with these arguments logs READY_LINE (redis: serverLog(LL_NOTICE, ...) in main):
 * the last --loglevel wins, as in Redis's own argument parsing; a config file's level is not read,
 * so a start through one is assumed to log it.
 */
export function readyLineLogged(argv: readonly string[]): boolean {
  let level = 'notice';
  for (let i = 0; i + 1 < argv.length; i++) if (argv[i] === '--loglevel') level = argv[i + 1] as string;
  return level !== 'warning' && level !== 'nothing';
}

export class RedisServerSubject {
  readonly dir: string;
  readonly bin: string;
  private readonly ownDir: boolean;
  private proc: ChildProcess | null = null;
  private conn: RespClient | null = null;
  readonly command: ServerCommand;
  /** Requests the last start sent and got replies to (PING, and CONFIG SET appendfsync when the template has no {fsync}). */
  startRequests = 0;
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  private exited: Promise<void> = Promise.resolve();
  private portNumber = 0;
  /** Log lines of every incarnation (stdout+stderr of the server; strace's own output excluded). */
  readonly log: string[] = [];
  incarnations = 0;

  constructor(private readonly opts: RedisServerOptions = {}) {
    this.command = opts.command ?? redisServerCommand(opts.bin ?? DEFAULT_REDIS_BIN);
    this.bin = this.command.argv[0] as string;
    this.ownDir = opts.dir === undefined;
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'aofsim-real-'));
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== null && this.exitInfo === null;
  }

  /** How the last process ended (null while running or before the first start). */
  get lastExit(): { code: number | null; signal: string | null } | null {
    return this.exitInfo;
  }

  get port(): number {
    return this.portNumber;
  }

  /** The running server's connection (for tests that drive it directly). */
  get client(): RespClient {
    if (this.conn === null) throw new Error(`${this.bin}: not running`);
    return this.conn;
  }

  /** The policy the template cannot take as {fsync}, to set with CONFIG SET after the start. */
  private get fsyncByConfigSet(): string | undefined {
    const fsync = this.opts.config?.appendfsync;
    return fsync !== undefined && !this.command.configArgs && !placeholdersOf(this.command).has('fsync') ? fsync : undefined;
  }

  /** The argv of the next start (program first). */
  argv(): string[] {
    const config = this.opts.config ?? {};
    return commandArgv(this.command, { port: String(this.portNumber), dir: this.dir, fsync: config.appendfsync ?? 'everysec' }, config, this.opts.args);
  }

  async start(): Promise<SubjectStart> {
    if (this.running) throw new Error('redis-server subject: already running');
    this.portNumber = await freePort();
    this.startRequests = 0;
    this.incarnations++;
    const logFrom = this.log.length;
    const st = this.opts.strace;
    const [prog, ...rest] = this.argv() as [string, ...string[]];
    const cmd = st ? 'strace' : prog;
    const argv = st ? [...st.args, ...(st.traceFile ? ['-o', st.traceFile] : []), prog, ...rest] : rest;
    const proc = spawn(cmd, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exitInfo = null;
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
      proc.once('error', (e) => {
        this.log.push(`spawn error: ${e.message}`);
        this.exitInfo = { code: 127, signal: null };
        resolve();
      });
    });
    // Lines, not chunks: a pipe chunk may end inside a line, whose rest comes with the next chunk.
    const streamsClosed: Promise<void>[] = [];
    for (const stream of [proc.stdout, proc.stderr]) {
      if (stream === null) continue;
      let partial = '';
      const push = (line: string): void => {
        if (line.trim() !== '') this.log.push(line);
      };
      stream.on('data', (d: Buffer) => {
        const lines = (partial + d.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(push);
      });
      streamsClosed.push(
        new Promise((resolve) =>
          stream.once('close', () => {
            push(partial);
            partial = '';
            resolve();
          }),
        ),
      );
    }
    const output = Promise.all(streamsClosed);
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 10_000);
    for (;;) {
      const ended = this.lastExit;
      if (ended !== null) {
        await Promise.race([output, sleep(2_000)]); // the last log lines (a child it forked may hold the pipes open)
        return { outcome: 'exited', exitCode: ended.code, log: this.log.slice(logFrom) };
      }
      try {
        const c = await RespClient.connect(this.portNumber);
        const pong = await c.send(['PING']);
        if (pong !== null && pong.kind === 'status') {
          this.conn = c;
          this.startRequests = 1;
          const fsync = this.fsyncByConfigSet;
          if (fsync !== undefined) {
            const r = await c.send(['CONFIG', 'SET', 'appendfsync', fsync]);
            if (r !== null) this.startRequests++;
            if (r === null || r.kind === 'error') this.log.push(`aofsim: CONFIG SET appendfsync ${fsync} failed: ${replyText(r) ?? '(no reply)'}`);
          }
          // The server logged its start before it answered, but the pipe may deliver those lines
          // after the reply: wait (bounded) for the last one, so callers see the whole start log.
          // It is a notice: under --loglevel warning or nothing it never comes, and waiting for it
          // would only spend the bound (3 s per start of every differential suite).
          if (readyLineLogged(argv)) await this.waitLogLine(READY_LINE, logFrom, 3_000);
          return { outcome: 'ok', exitCode: null, log: this.log.slice(logFrom) };
        }
        c.close();
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`${this.bin} did not accept connections on port ${this.portNumber} within ${this.opts.startTimeoutMs ?? 10_000} ms`);
      }
      await sleep(15);
    }
  }

  /** Waits until a log line from index `from` on matches `re`, or `timeoutMs` passed, or the process exited. */
  private async waitLogLine(re: RegExp, from: number, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && this.exitInfo === null) {
      for (let i = from; i < this.log.length; i++) if (re.test(this.log[i])) return;
      await sleep(5);
    }
  }

  /** One command; null when the server is not running or closed the connection first. */
  async call(argv: string[]): Promise<Reply | null> {
    if (this.conn === null) return null;
    return this.conn.send(argv);
  }

  async exec(argv: string[]): Promise<SubjectReply> {
    return replyText(await this.call(argv));
  }

  /** SIGKILL of the whole process group, then wait for the exit. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (p === null || this.exitInfo !== null) return;
    try {
      if (p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
    } catch {
      p.kill('SIGKILL');
    }
    await this.exited;
    this.conn?.close();
    this.conn = null;
  }

  async crash(kind: 'process-kill'): Promise<void> {
    if (kind !== 'process-kill') throw new Error(`redis-server subject: unsupported crash ${String(kind)}`);
    await this.kill();
  }

  /** Waits (bounded) for the process to exit by itself; true when it did. */
  async waitExit(timeoutMs: number): Promise<boolean> {
    if (this.exitInfo !== null) return true;
    await Promise.race([this.exited, sleep(timeoutMs)]);
    return this.exitInfo !== null;
  }

  async restart(): Promise<SubjectStart> {
    await this.kill();
    this.conn?.close();
    this.conn = null;
    return this.start();
  }

  async keyspace(): Promise<Keyspace> {
    if (this.conn === null) throw new Error(`${this.bin}: not running`);
    return readKeyspace((argv) => this.call(argv));
  }

  async dump(): Promise<SubjectDump> {
    return keyspaceDump(await this.keyspace());
  }

  async stop(): Promise<void> {
    await this.kill();
    this.conn?.close();
    this.conn = null;
    if (this.ownDir && !this.opts.keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
