// Wires the oracle (ARCHITECTURE.md#the-oracle) to a running World: the promise ledger
// (sim/oracle/promise-ledger.ts) follows what the server promised and judges every restart against
// it; the checkers (sim/oracle/checkers/*.ts, one invariant per file, each stating what it checks
// and what it excuses) report violations. The tracker only dispatches: the world's hooks go to the
// checkers first, then to the ledger, whose restart judgements and acknowledgements go back to the
// checkers. Which checks run is a subset of ORACLE_CHECKS (sim/oracle/checks.ts).
//
// How it attaches: `attach(world)` uses the World's hooks only: the server's typed events
// (onAofEvent, src/ports/events.ts), onExecuted/onReplied for requests and onSyscallEvent for
// syscalls. It never patches the server and never reads log text; durability facts are asked of
// the filesystem (FsCore), and which injected faults hit a syscall comes from the fault injector's
// typed record.
//
// Invariant: observation only. Nothing here makes a syscall through the world, so traces and op
// indices are the same with and without the oracle.

import type { AofConfig } from '../../src/aof/config.ts';
import type { AofEvent } from '../../src/ports/events.ts';
import type { SyscallEvent } from '../fs/syscall.ts';
import type { ActorName } from '../scheduler/scheduler.ts';
import type { Request, World } from '../world/world.ts';
import type { AofServer, Checker, CheckerContext, SyscallFaults } from './checkers/checker.ts';
import { DurableNamesChecker } from './checkers/durable-names.ts';
import { EverysecBoundChecker } from './checkers/everysec-bound.ts';
import { FsyncCadenceChecker } from './checkers/fsync-cadence.ts';
import { MisconfClearsChecker } from './checkers/misconf-clears.ts';
import { NoGarbageChecker } from './checkers/no-garbage.ts';
import { PostponeWindowChecker } from './checkers/postpone-window.ts';
import { RecoveryChecker } from './checkers/recovery.ts';
import { RewriteSwitchChecker } from './checkers/rewrite-switch.ts';
import { StartDecisionChecker } from './checkers/start-decision.ts';
import { RdbSnapshotChecker } from './checkers/rdb-snapshot.ts';
import { RewriteLivenessChecker } from './checkers/rewrite-liveness.ts';
import { ORACLE_CHECKS, type OracleCheck } from './checks.ts';
import { PromiseLedger } from './promise-ledger.ts';

export { ORACLE_CHECKS, type OracleCheck } from './checks.ts';

export interface OracleViolation {
  check: OracleCheck;
  atMs: number;
  incarnation: number;
  message: string;
}

/** The checkers, by the check whose violations they report (durable names report 'recovery'). */
const CHECKERS: readonly [OracleCheck, new (ctx: CheckerContext) => Checker][] = [
  ['recovery', RecoveryChecker],
  ['recovery', DurableNamesChecker],
  ['everysec-bound', EverysecBoundChecker],
  ['no-garbage', NoGarbageChecker],
  ['rewrite-switch', RewriteSwitchChecker],
  ['misconf-clears', MisconfClearsChecker],
  ['postpone-window', PostponeWindowChecker],
  ['fsync-cadence', FsyncCadenceChecker],
  ['start-decision', StartDecisionChecker],
  ['rdb-snapshot', RdbSnapshotChecker],
  ['rewrite-liveness', RewriteLivenessChecker],
];

export class OracleTracker {
  readonly violations: OracleViolation[] = [];
  private readonly checks: Set<OracleCheck>;
  private world: World<AofConfig> | null = null;
  private ledger: PromiseLedger | null = null;
  private checkers: Checker[] = [];
  /** How many of the injector's injected faults the syscall handler has looked at. */
  private faultsSeen = 0;

  constructor(checks: Iterable<OracleCheck> = ORACLE_CHECKS) {
    this.checks = new Set(checks);
  }

  /** Restarts judged (recoveries and refused starts after a crash or exit). */
  get crashChecks(): number {
    return this.ledger?.crashChecks ?? 0;
  }

  /** Recoveries not judged because Redis gives no answer there (the ledger's excuses). */
  get excused(): number {
    return this.ledger?.excused ?? 0;
  }

  attach(world: World<AofConfig>): void {
    this.world = world;
    const each = (f: (c: Checker) => void): void => {
      for (const c of this.checkers) f(c);
    };
    const ledger = new PromiseLedger(world, {
      onRestart: (r) => each((c) => c.onRestart?.(r)),
      onStartRefused: (r) => each((c) => c.onStartRefused?.(r)),
      onAcked: (a) => each((c) => c.onAcked?.(a)),
    });
    this.ledger = ledger;
    const ctx: CheckerContext = {
      world,
      ledger,
      nowMs: () => world.nowMs(),
      violate: (check, message) => this.violate(check, message),
      trackedServer: () => ledger.trackedServer(),
      currentIno: () => ledger.currentIno(),
      followsFile: (ino) => ledger.followsFile(ino),
      tracksRequest: (req) => ledger.tracksRequest(req),
    };
    this.checkers = CHECKERS.filter(([check]) => this.checks.has(check)).map(([, C]) => new C(ctx));
    world.onExecuted = (req, server) => {
      ledger.onExecuted(req, server as AofServer);
      if (ledger.tracksRequest(req)) each((c) => c.onExecuted?.(req));
    };
    world.onReplied = (req) => ledger.onReplied(req, () => each((c) => c.onReplied?.(req)));
    world.onSyscallEvent = (e, actor) => {
      const faults = this.faultsOf();
      each((c) => c.onSyscall?.(e, actor, faults));
      ledger.onSyscall(e, actor);
    };
    world.onAofEvent = (e, server) => this.onAofEvent(e, server as AofServer);
  }

  /** One line per violation, for failure messages. */
  describe(): string[] {
    return this.violations.map((v) => `[${v.check}] t=${v.atMs} incarnation ${v.incarnation}: ${v.message}`);
  }

  private onAofEvent(e: AofEvent, server: AofServer): void {
    for (const c of this.checkers) c.onAofEvent?.(e);
    this.ledger!.onAofEvent(e, server);
    if (e.kind === 'server-started') for (const c of this.checkers) c.onStarted?.();
  }

  /** Faults the injector applied to the syscall just made (its typed record; fork and crash faults aside). */
  private faultsOf(): SyscallFaults {
    const out = { injected: false, harmful: false };
    const record = this.world!.injector.injected;
    for (; this.faultsSeen < record.length; this.faultsSeen++) {
      const f = record[this.faultsSeen];
      if (f.kind === 'latency' || f.kind === 'write-blocked-by-fsync') out.injected = true;
      else if (f.kind === 'error' || f.kind === 'short-write' || f.kind === 'quota') out.injected = out.harmful = true;
    }
    return out;
  }

  private violate(check: OracleCheck, message: string): void {
    if (!this.checks.has(check)) return;
    this.violations.push({ check, atMs: this.world ? this.world.nowMs() : 0, incarnation: this.ledger?.incarnation ?? 0, message });
  }
}
