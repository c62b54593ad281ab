// The shape of one oracle checker (sim/oracle/checkers/*.ts): it receives what the tracker
// (sim/oracle/tracker.ts) sees of a run, keeps its own state, and reports violations of one
// invariant through its context. Each checker file says at its top what it checks and what it
// excuses. What several checkers share (the state history, which commands were acknowledged,
// drained and fsynced, and the judgement of each restart against those promises) is the promise
// ledger's (sim/oracle/promise-ledger.ts), which the context exposes read-only.
//
// Invariant: observation only; a checker never makes a syscall through the world.

import type { Manifest } from '../../../src/aof/manifest/types.ts';
import type { AofConfig } from '../../../src/aof/config.ts';
import type { AofEvent } from '../../../src/ports/events.ts';
import type { ServerLike } from '../../../src/server-types.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { ActorName } from '../../scheduler/scheduler.ts';
import type { Request, World } from '../../world/world.ts';
import type { OracleCheck } from '../checks.ts';
import type { Ack, PromiseLedger, RefusedStart, Restart } from '../promise-ledger.ts';

/** The server as the checkers read it (src/server.ts; duck-typed: ServerLike does not expose these). */
export type AofServer = ServerLike & {
  state?: { aofBuf: string; aofState: string; aofFdPath: string | null; aofDelayedFsync: number; manifest: Manifest | null };
  config?: AofConfig;
  lastLoad?: { status?: string } | null;
};

/** Faults the injector applied to one syscall (its typed record). */
export interface SyscallFaults {
  /** Any syscall fault (latency and blocked writes included). */
  injected: boolean;
  /** An error, a short write or a full disk (not only time). */
  harmful: boolean;
}

export interface CheckerContext {
  readonly world: World<AofConfig>;
  /** What the server promised so far, and the judgement of each restart (read-only for checkers). */
  readonly ledger: PromiseLedger;
  nowMs(): number;
  violate(check: OracleCheck, message: string): void;
  /** The server of the running incarnation, once a history exists (something can be promised). */
  trackedServer(): AofServer | null;
  /** The inode aof_fd writes to while the AOF is ON. */
  currentIno(): number | undefined;
  /** Whether the tracker follows this AOF file (it holds commands). */
  followsFile(ino: number): boolean;
  /** Whether this request was executed by the tracked server (it counts as a write k). */
  tracksRequest(req: Request): boolean;
}

export interface Checker {
  /** A typed event of the running server (before a crash at that point; before the ledger sees it). */
  onAofEvent?(e: AofEvent): void;
  /** After a syscall of any actor (before the ledger sees it). */
  onSyscall?(e: SyscallEvent, actor: ActorName, faults: SyscallFaults): void;
  /** A client command ran on the tracked server (recorded as write k by the ledger). */
  onExecuted?(req: Request): void;
  /** A reply reached its client. */
  onReplied?(req: Request): void;
  /** A reply to a promised command (after onReplied). */
  onAcked?(a: Ack): void;
  /** A start completed after a crash or exit: the recovered state, judged against the promises. */
  onRestart?(r: Restart): void;
  /** A start after a crash or exit ended in exit() while loading. */
  onStartRefused?(r: RefusedStart): void;
  /** A start completed: per-incarnation state resets (after onRestart). */
  onStarted?(): void;
}
