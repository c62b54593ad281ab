// The `redis-server` subject (ARCHITECTURE.md#subjects): a real binary (redis-server, valkey-server,
// keydb-server: any path) started on 127.0.0.1 on a free port in a temp dir, driven over RESP,
// killed with SIGKILL and restarted on the same directory. Optionally wrapped in strace (fault
// injection, syscall recording).
//
// Invariants: the server runs in its own process group (detached) and stop() SIGKILLs the whole
// group and waits for it, so no server or strace outlives a campaign, even after a failed start;
// a temp dir the subject created is removed by stop() (keepDir leaves it); config keys are passed
// through as `--key value` arguments after the subject's own (port, bind, dir, daemonize, save).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { SubjectDump, SubjectReply, SubjectStart } from './subject.ts';
import { RealRespClient, replyText, type RespValue } from './real-resp-client.ts';
import { readKeyspace, keyspaceDump } from './real-dump.ts';

export interface RedisServerOptions {
  /** Binary path or name on PATH (default AOFSIM_REDIS_SERVER or 'redis-server'). */
  bin?: string;
  /** redis.conf keys passed through as --key value (e.g. appendonly, appendfsync). */
  config?: Record<string, string>;
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

export class RedisServerSubject {
  readonly dir: string;
  readonly bin: string;
  private readonly ownDir: boolean;
  private proc: ChildProcess | null = null;
  private client: RealRespClient | null = null;
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  private exited: Promise<void> = Promise.resolve();
  private port = 0;
  /** Log lines of every incarnation (stdout+stderr of the server; strace's own output excluded). */
  readonly log: string[] = [];
  incarnations = 0;

  constructor(private readonly opts: RedisServerOptions = {}) {
    this.bin = opts.bin ?? DEFAULT_REDIS_BIN;
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

  args(): string[] {
    const a = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--daemonize', 'no', '--save', ''];
    for (const [k, v] of Object.entries(this.opts.config ?? {})) a.push(`--${k}`, v);
    return a;
  }

  async start(): Promise<SubjectStart> {
    if (this.running) throw new Error('redis-server subject: already running');
    this.port = await freePort();
    this.incarnations++;
    const logFrom = this.log.length;
    const st = this.opts.strace;
    const cmd = st ? 'strace' : this.bin;
    const argv = st ? [...st.args, ...(st.traceFile ? ['-o', st.traceFile] : []), this.bin, ...this.args()] : this.args();
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
    const onData = (d: Buffer): void => {
      for (const line of d.toString('utf8').split('\n')) if (line.trim() !== '') this.log.push(line);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 10_000);
    for (;;) {
      const ended = this.lastExit;
      if (ended !== null) {
        await sleep(20); // let the last log lines arrive
        return { outcome: 'exited', exitCode: ended.code, log: this.log.slice(logFrom) };
      }
      try {
        const c = await RealRespClient.connect(this.port);
        const pong = await c.call(['PING']);
        if (pong !== null && pong.t === 'status') {
          this.client = c;
          return { outcome: 'ok', exitCode: null, log: this.log.slice(logFrom) };
        }
        c.close();
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`${this.bin} did not accept connections within ${this.opts.startTimeoutMs ?? 10_000} ms`);
      }
      await sleep(15);
    }
  }

  async call(argv: string[]): Promise<RespValue | null> {
    if (this.client === null) return null;
    return this.client.call(argv);
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
    this.client?.close();
    this.client = null;
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
    this.client?.close();
    this.client = null;
    return this.start();
  }

  async keyspace(): Promise<Keyspace> {
    if (this.client === null) throw new Error('redis-server subject: not running');
    return readKeyspace((argv) => this.call(argv));
  }

  async dump(): Promise<SubjectDump> {
    return keyspaceDump(await this.keyspace());
  }

  async stop(): Promise<void> {
    await this.kill();
    this.client?.close();
    this.client = null;
    if (this.ownDir && !this.opts.keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
