// Library API, the simulated world (`createWorld`): one aofsim server (this project's port of Redis
// 4.0 / 7.0 AOF persistence) on a simulated filesystem with virtual time, for a user's own property
// or test. A thin facade over sim/world's World, built the way a scenario file builds it
// (sim/scenario openScenarioWorld: same config names, bug switches, files, fault plan and oracle),
// so anything done here can be written down as a scenario and replayed with `aofsim replay`.
//
// Invariants: deterministic (the seed decides every tie, random batch and crash survivor set; no
// real time or randomness); options are validated before the world is built, with the scenario
// format's messages (`createWorld: $.config.appendfsync: expected always, everysec or no; got ...`);
// the World itself is not exposed, so its internals may change without breaking users.

import type { AofConfig } from '../src/aof/config.ts';
import { Server } from '../src/server.ts';
import { canonicalDump, type CanonicalDump } from '../src/keyspace/canonical-dump.ts';
import { fromUtf8 } from '../src/keyspace/types.ts';
import { CRASH_MODELS, type CrashDecision, type CrashModelName } from '../sim/crash/crash-decision.ts';
import type { Fault } from '../sim/faults/fault-plan.ts';
import type { OracleCheck } from '../sim/oracle/checks.ts';
import { installedFiles } from '../sim/campaign/model-run.ts';
import type { PendingSummary } from '../sim/fs/pending.ts';
import type { SimFs } from '../sim/fs/sim-fs.ts';
import { validateScenario } from '../sim/scenario/parse-scenario.ts';
import { crashDecision, openScenarioWorld, waitForRewrite } from '../sim/scenario/run-scenario.ts';
import { formatReply } from '../sim/trace/reply-text.ts';
import type { OracleTracker } from '../sim/oracle/tracker.ts';
import type { Request, ServerFactory, World } from '../sim/world/world.ts';

/** The server every world and property of the library runs: src/server.ts. */
export const createAofServer: ServerFactory<AofConfig> = (deps, config) => new Server(deps, config);

export type Profile = 'redis-4.0' | 'redis-7.0';

export interface WorldOptions {
  /** Which generation of Redis AOF the server behaves as. */
  profile: Profile;
  /**
   * redis.conf names and values (`appendfsync`, `aof-use-rdb-preamble`, `aof-load-truncated`,
   * `auto-aof-rewrite-percentage`, `dir`, `hz`, ...). `appendonly` defaults to yes here.
   */
  config?: Record<string, string | number | boolean>;
  /** Historical Redis bug switches to turn on (`listBugSwitches()`); none by default. */
  bugs?: readonly string[];
  /** Decides every tie, batch and drawn crash (default 1). */
  seed?: number;
  /** Faults fixed before the run (short writes, ENOSPC, EIO, latency, fork failure, crashes...). */
  faults?: readonly Fault[];
  /**
   * Files present (and durable) before the first start, by path relative to `dir` (latin1
   * strings). Default: a fresh install's, as the campaign's runs start (an empty `appendonly.aof`
   * for redis-4.0, an existing `appendonlydir/` for redis-7.0), because Redis never fsyncs the
   * directory after creating them: without them no write of the first process is durable by name.
   */
  files?: Record<string, string>;
  /** Check the recovery oracle as the world runs: true for every check, or a list. */
  oracle?: boolean | readonly OracleCheck[];
  /** Record the trace for `timeline()` (default true). */
  trace?: boolean;
  /** Virtual start time, Unix ms (default the scenario format's). */
  startMs?: number;
}

export interface StartOutcome {
  /** Whether the server started (false: it exited while loading, e.g. a refused AOF). */
  ok: boolean;
  /** The loader's status: ok, not-exist, empty, truncated, failed... (null when unknown). */
  status: string | null;
  exitCode: number | null;
  reason: string | null;
}

/** How a crash keeps the files: a model (its survivors drawn from the seed) or an exact decision. */
export type CrashSpec = CrashModelName | CrashDecision;

const DEFAULT_TIMEOUT_MS = 10_000;

/** Builds and starts a simulated world. Throws an Error naming the bad option when one is invalid. */
export function createWorld(options: WorldOptions): SimWorld {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createWorld: expected an options object such as { profile: 'redis-7.0' }; got ${String(options)}`);
  }
  const oracle = options.oracle === true ? true : options.oracle ? [...options.oracle] : undefined;
  const scenario = validateScenario(
    {
      name: 'world',
      source: 'createWorld',
      profile: options.profile,
      config: { appendonly: 'yes', ...(options.config ?? {}) },
      bugs: [...(options.bugs ?? [])],
      seed: options.seed ?? 1,
      ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
      files: options.files ?? installedFiles(options.profile),
      faults: [...(options.faults ?? [])],
      steps: [],
      ...(oracle !== undefined ? { oracle } : {}),
    },
    'createWorld',
  );
  const opened = openScenarioWorld(scenario, { createServer: createAofServer, file: 'createWorld', trace: options.trace ?? true });
  return new SimWorld(opened.world, opened.tracker, opened.abs);
}

/** One simulated server process, its clients, its filesystem and virtual time. */
export class SimWorld {
  /** @internal use createWorld */
  constructor(
    private readonly world: World<AofConfig>,
    private readonly tracker: OracleTracker | null,
    private readonly abs: (p: string) => string,
  ) {}

  /** Virtual time now (Unix ms). */
  nowMs(): number {
    return this.world.nowMs();
  }

  /** 'running', 'crashed', 'exited' (by itself: a write error under always, a refused load) or 'down'. */
  get processState(): 'down' | 'running' | 'exited' | 'crashed' {
    return this.world.processState;
  }

  /**
   * Sends one command and runs the world until its reply: the reply as redis-cli shows it (`OK`,
   * `(integer) 1`, `"v"`, `(nil)`, `(error) MISCONF ...`), or null when none came within
   * `timeoutMs` virtual ms (the process crashed or exited, or the command blocks).
   */
  call(argv: readonly string[], options: { client?: number; timeoutMs?: number } = {}): string | null {
    return this.pipeline([argv], options)[0];
  }

  /** Sends commands back to back on one connection and waits for all the replies (see call). */
  pipeline(commands: readonly (readonly string[])[], options: { client?: number; timeoutMs?: number } = {}): (string | null)[] {
    const reqs: Request[] = commands.map((argv) => this.world.send(argv.map(fromUtf8), options.client ?? 0));
    this.world.settle(reqs, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return reqs.map((r) => (r.state === 'replied' && r.reply !== null ? formatReply(r.reply) : null));
  }

  /** Lets virtual time pass: serverCron, everysec fsyncs, bio jobs and a rewrite child run. */
  advance(ms: number): void {
    this.world.note('tick', `+${ms}ms`);
    this.world.advance(ms);
  }

  /** Runs until no rewrite child is left and serverCron has reaped it; false on timeout. */
  waitForRewrite(timeoutMs = DEFAULT_TIMEOUT_MS): boolean {
    return waitForRewrite(this.world, timeoutMs);
  }

  /** What a crash now could keep or lose: the writes and directory changes not yet durable. */
  pending(): PendingSummary {
    return this.world.fs.pendingSummary();
  }

  /** @internal the simulated disk itself, for crashDecisionArbitrary (it reads the pending bytes to cut torn writes on record boundaries) */
  simFs(): SimFs {
    return this.world.fs;
  }

  /**
   * Crashes the server now. A model name draws the surviving writes from the seed (`process-kill`
   * keeps everything the kernel has); a CrashDecision (e.g. from crashDecisionArbitrary) says
   * exactly which pending writes survive.
   */
  crash(spec: CrashSpec, options: { sectorBytes?: number } = {}): void {
    const model = typeof spec === 'string' ? spec : (spec as { model?: unknown } | null)?.model;
    if (!CRASH_MODELS.includes(model as CrashModelName)) {
      throw new TypeError(`SimWorld.crash: expected a crash model (${CRASH_MODELS.join(', ')}) or a crash decision with one; got ${JSON.stringify(spec)}`);
    }
    const decision = typeof spec === 'string' ? crashDecision(this.world, { model: spec, random: true, ...options }, this.abs) : spec;
    this.world.crash(decision);
  }

  /** Starts a new server process on the files that survived; with the oracle on, checks recovery. */
  restart(): StartOutcome {
    const load = this.world.restart();
    return { ok: load.outcome === 'ok', status: load.status, exitCode: load.exitCode, reason: load.reason };
  }

  /** The running server's logical state (the canonical dump); keys expired at atMs are left out. */
  dump(atMs?: number): CanonicalDump {
    const server = this.world.server;
    if (server === null) throw new Error(`aofsim: no running server to dump (process ${this.world.processState})`);
    return canonicalDump(server.keyspace, atMs);
  }

  /** Files as processes see them now under the server's dir, by relative path: feed them to loadAof/checkAof. */
  files(which: 'visible' | 'durable' = 'visible'): Record<string, Uint8Array> {
    const prefix = this.abs('');
    const out: Record<string, Uint8Array> = {};
    for (const f of this.world.fs.listFiles(which)) if (f.path.startsWith(prefix)) out[f.path.slice(prefix.length)] = f.data;
    return out;
  }

  /** Log lines of every incarnation containing `substring` (Redis's wording). */
  log(substring = ''): string[] {
    return this.world.logged(substring).map((l) => l.message);
  }

  /** Oracle violations so far, one line each (empty: every check held; always empty without the oracle). */
  violations(): string[] {
    return this.tracker?.describe() ?? [];
  }

  /** The trace as a readable timeline (syscalls, commands, replies, faults, crashes, loads). */
  timeline(): string {
    return this.world.trace.timeline();
  }
}
