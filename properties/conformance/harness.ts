// The differential harness: a real redis-server 7.0 started on a free loopback port in a temp dir
// (--save '' --appendonly no), next to an aofsim Executor with the redis-7.0 profile; both run the
// same commands and their replies are normalised to comparable text.
//
// Invariants: the server is started once per test file and killed by stop(); `reset()` empties both
// sides (FLUSHALL, a fresh keyspace); the Executor's clock follows the wall clock so TTL replies agree
// within the tolerance of the generators (which avoid sub-second time dependence).

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor } from '../../src/commands/executor.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { ClientState } from '../../src/commands/types.ts';
import type { Profile } from '../../src/base/profile.ts';
import { newClient } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { RespClient } from './resp-client.ts';

export const REDIS_SERVER = process.env.AOFSIM_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Why the real server cannot be used, or null when it can (7.0.x installed). */
export function redisUnavailableReason(): string | null {
  if (!existsSync(REDIS_SERVER)) return `${REDIS_SERVER} not found`;
  const v = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) return `${REDIS_SERVER} --version failed`;
  if (!/v=7\.0\./.test(v.stdout)) return `${REDIS_SERVER} is not redis 7.0 (${v.stdout.trim()})`;
  return null;
}

function freePort(): Promise<number> {
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

export class RealRedis {
  private constructor(
    private readonly proc: ChildProcess,
    /** The server's working directory (its AOF directory lives here). */
    readonly dir: string,
    readonly client: RespClient,
    readonly port: number,
  ) {}

  /**
   * Starts a server; `extraArgs` override the defaults (e.g. ['--appendonly', 'yes']); `bin` picks
   * another binary (redis-server 4.0.14, valkey-server).
   */
  static async start(extraArgs: string[] = [], bin = REDIS_SERVER): Promise<RealRedis> {
    const dir = mkdtempSync(join(tmpdir(), 'aofsim-conformance-'));
    const port = await freePort();
    const proc = spawn(
      bin,
      [
        '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
        '--daemonize', 'no', '--loglevel', 'warning', '--hz', '100', ...extraArgs,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      try {
        const client = await RespClient.connect(port);
        const pong = await client.call(['PING']);
        if (pong.kind === 'status') return new RealRedis(proc, dir, client, port);
        client.close();
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    throw new Error(`${bin} did not start on port ${port}`);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An aofsim Executor (redis-7.0 profile unless told) with a wall clock, as the "other side". */
export class SimSide {
  ks = new Keyspace();
  ex: Executor;
  client: ClientState = newClient(1);
  constructor(
    seed = 1,
    readonly profile: Profile = 'redis-7.0',
  ) {
    this.ex = this.make(seed);
  }
  private make(seed: number): Executor {
    return new Executor(this.ks, { profile: this.profile, clock: { nowMs: () => Date.now() }, random: new SeededRandom(seed) });
  }
  reset(seed = 1): void {
    this.ks = new Keyspace();
    this.ex = this.make(seed);
    this.client = newClient(1);
  }
  call(argv: string[]): Reply {
    return this.ex.call(this.client, argv).reply;
  }
}

/** A reply as one comparable line (integers as decimal, bulks JSON-escaped). */
export function replyString(r: Reply): string {
  switch (r.kind) {
    case 'status':
      return '+' + r.value;
    case 'error':
      return '-' + r.value;
    case 'integer':
      return ':' + String(r.value);
    case 'bulk':
      return r.value === null ? '$nil' : JSON.stringify(r.value);
    case 'array':
      return r.value === null ? '*nil' : '[' + r.value.map(replyString).join(', ') + ']';
  }
}

/** A command as a redis-cli line (quoted when needed), for replayable counterexamples. */
export function cliLine(argv: string[]): string {
  return argv
    .map((a) => (/^[A-Za-z0-9_.:*~=+()<>$#-]+$/.test(a) ? a : '"' + [...a].map((c) => escapeChar(c)).join('') + '"'))
    .join(' ');
}

function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  if (c === '"' || c === '\\') return '\\' + c;
  if (n < 32 || n > 126) return '\\x' + n.toString(16).padStart(2, '0');
  return c;
}
