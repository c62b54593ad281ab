// The World's public vocabulary: options, requests, load/exit/crash records, log lines, crash
// triggers and the CrashPoint signal. Kept apart from world.ts so drivers (scenario runner,
// property suites, benchmarks) can read the contract without the machinery.

import type { LogLevel } from '../../src/ports/log.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { Bytes } from '../../src/keyspace/types.ts';
import type { ServerDeps, ServerLike } from '../../src/server-types.ts';
import type { WorldReuse } from './world-reuse.ts';
import type { FaultPlan, CrashFault } from '../faults/fault-plan.ts';
import type { CrashDecision } from '../crash/crash-decision.ts';
import type { CrashPointName } from '../faults/crash-points.ts';

export type ServerFactory<C> = (deps: ServerDeps, config: C) => ServerLike;

export interface WorldOptions<C> {
  seed: number;
  config: C;
  createServer: ServerFactory<C>;
  /** Files present (and durable) before the first start, by absolute path. */
  files?: Record<string, string | Uint8Array>;
  faults?: FaultPlan;
  startMs?: number;
  /**
   * Parts shared with the worlds built before and after this one (world-reuse.ts): loops that build
   * many short worlds one after another pass the same WorldReuse. Never two live worlds at once: a
   * world whose WorldReuse a newer world claimed refuses further driver calls.
   */
  reuse?: WorldReuse;
  /** Record the trace (default true; benchmarks turn it off). */
  trace?: boolean;
  /** Virtual ms a child's `work` yield costs on top of its syscalls (default 1). */
  childWorkMs?: number;
  /** Pick a random prefix of the arrived commands per loop iteration (default true). */
  randomBatches?: boolean;
}

export type RequestState = 'queued' | 'executed' | 'replied' | 'dropped';

export interface Request {
  /** 1-based, in send order over the whole run. */
  seq: number;
  client: number;
  argv: Bytes[];
  sentAtMs: number;
  state: RequestState;
  reply: Reply | null;
  /** Which process incarnation executed it (0 when never executed). */
  incarnation: number;
  executedAtMs: number;
  repliedAtMs: number;
}

export type ProcessState = 'down' | 'running' | 'exited' | 'crashed';

export interface LoadOutcome {
  incarnation: number;
  /** 'ok': start() returned; 'exited': the process exited while loading (ProcessExit). */
  outcome: 'ok' | 'exited';
  /** The loader's own status when the server exposes it (`lastLoad.status`: ok, not-exist, truncated...). */
  status: string | null;
  exitCode: number | null;
  reason: string | null;
  atMs: number;
}

export interface ExitRecord {
  incarnation: number;
  exitCode: number;
  reason: string;
  atMs: number;
  /** The server's wall clock then (differs from atMs after a clock jump). */
  wallAtMs: number;
}

export interface CrashRecord {
  incarnation: number;
  decision: string;
  /** What caused it: 'step' (asked for), `op N`, `point NAME #n`. */
  cause: string;
  atMs: number;
  /** The server's wall clock then (differs from atMs after a clock jump). */
  wallAtMs: number;
}

export interface LogLine {
  incarnation: number;
  atMs: number;
  level: LogLevel;
  message: string;
}

/** Thrown through the running step when a crash point is reached. Never escapes the world. */
export class CrashPoint extends Error {
  /** An exact decision (armed crashes); otherwise one is drawn from the seed for fault.model. */
  decision: CrashDecision | null = null;
  constructor(
    readonly fault: CrashFault,
    readonly cause_: string,
  ) {
    super(`crash point: ${cause_}`);
    this.name = 'CrashPoint';
  }
}

/** Where an armed crash fires: after syscall `atOp`, or the nth time a named point is reached. */
export type CrashTrigger = { atOp: number } | { point: CrashPointName; nth?: number };

