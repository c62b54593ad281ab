// The differential harness: a real redis-server 7.0 started on a free loopback port in a temp dir
// (--save '' --appendonly no), next to an aofsim Executor with the redis-7.0 profile; both run the
// same commands and their replies are normalised to comparable text.
//
// Invariants: the server is started once per test file (startRealRedis) and killed by stop(); `reset()` empties both
// sides (FLUSHALL, a fresh keyspace); the Executor's clock follows the wall clock so TTL replies agree
// within the tolerance of the generators (which avoid sub-second time dependence).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Executor } from '../../src/commands/executor.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { ClientState } from '../../src/commands/types.ts';
import type { Profile } from '../../src/base/profile.ts';
import { newClient } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import { skipLoudly } from '../../sim/subjects/real-availability.ts';

export const REDIS_SERVER = process.env.AOFSIM_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Why the real server cannot be used, or null when it can (7.0.x installed). */
export function redisUnavailableReason(): string | null {
  if (!existsSync(REDIS_SERVER)) return `${REDIS_SERVER} not found`;
  const v = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) return `${REDIS_SERVER} --version failed`;
  if (!/v=7\.0\./.test(v.stdout)) return `${REDIS_SERVER} is not redis 7.0 (${v.stdout.trim()})`;
  return null;
}

/** Prints the loud skip banner; true when `suite` must be skipped (never with AOFSIM_REQUIRE_REDIS=1). */
export function skipWithoutRedis70(suite: string): boolean {
  return skipLoudly(suite, redisUnavailableReason());
}

/** Throws (in beforeAll or a test) when redis-server 7.0 is missing and the suite was required to run. */
export function requireRedis70(): void {
  const reason = redisUnavailableReason();
  if (reason !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${reason}`);
}

/** A real server of the differential suites: the one launcher (sim/subjects/real-redis-server.ts). */
export type RealRedis = RedisServerSubject;

/**
 * Starts a server in a fresh temp dir (--save '' --appendonly no --loglevel warning --hz 100);
 * `extraArgs` override the defaults (e.g. ['--appendonly', 'yes']); `bin` picks another binary
 * (redis-server 4.0.14, valkey-server). stop() kills it and removes the dir.
 */
export async function startRealRedis(extraArgs: string[] = [], bin = REDIS_SERVER): Promise<RealRedis> {
  const server = new RedisServerSubject({ bin, config: { appendonly: 'no', loglevel: 'warning', hz: '100' }, args: extraArgs });
  const st = await server.start();
  if (st.outcome !== 'ok') {
    await server.stop();
    throw new Error(`${bin} did not start: ${st.log.slice(-3).join(' | ')}`);
  }
  return server;
}

/**
 * startRealRedis, then DEBUG SET-ACTIVE-EXPIRE 0: keys expire lazily only, as in aofsim's Executor,
 * which runs the active expire cycle only when asked. The real server's cycle would delete expired
 * keys (and append their DELs) at times of its own choosing, which DBSIZE, KEYS, RANDOMKEY and the
 * AOF records would then race. `extraArgs` must enable DEBUG on servers that gate it (7.0+:
 * ['--enable-debug-command', 'yes']).
 */
export async function startLazyExpiryRedis(extraArgs: string[] = [], bin = REDIS_SERVER): Promise<RealRedis> {
  const server = await startRealRedis(extraArgs, bin);
  const r = await server.client.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
  if (r.kind === 'error') {
    await server.stop();
    throw new Error(`${bin}: DEBUG SET-ACTIVE-EXPIRE 0 failed: ${r.value}`);
  }
  return server;
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
