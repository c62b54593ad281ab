// Checker 'everysec-bound': under appendfsync everysec, a power loss loses only about the last
// 2 s: every promised command executed more than EVERYSEC_BOUND_MS before the crash is recovered
// (redis: flushAppendOnlyFile's once-a-second aof_background_fsync). The recovery itself must
// already have been judged valid (checker 'recovery'); this one asks it to be recent enough.
//
// Latency relaxes the bound by what it measured, command by command, never for a whole
// incarnation: a command executed at time e is owed when the crash comes later than
// e + EVERYSEC_BOUND_MS + the time AOF fsyncs kept running from e on (the fsync running at e and
// any queued behind it: the flush is postponed and the next fsync waits for them) + the time the
// main thread spent blocked in syscalls between e and the crash (no beforeSleep, no flush, no
// fsync submit meanwhile). The simulated fsync makes data durable when it starts
// (sim/tasks/sim-tasks.ts), so the latency of the fsync that covers the command adds nothing.
//
// Excused: recoveries the ledger excuses and invalid ones (the 'recovery' checker reports those);
// incarnations where the bound is not Redis's: a CONFIG command or another policy, a wall-clock
// jump (unixtime paces everysec), an injected error, short write or full disk, a syscall failing
// for another reason than a missing temp file, a file whose name is not durable (it can vanish
// whole: 4.0 creates appendonly.aof and renames the rewritten file without a directory fsync);
// commands still in aof_buf at the crash.

import type { AofEvent } from '../../../src/ports/events.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { ActorName } from '../../scheduler/scheduler.ts';
import type { Request } from '../../world/world.ts';
import { EVERYSEC_BOUND_MS } from '../checks.ts';
import type { Restart } from '../promise-ledger.ts';
import { describeVerdict } from '../oracle.ts';
import type { Checker, CheckerContext, SyscallFaults } from './checker.ts';
import { EverysecJudgeable } from './everysec-judgeable.ts';
import { MainThreadBlocking } from './main-thread-blocking.ts';

export class EverysecBoundChecker implements Checker {
  /** Something in this incarnation makes the bound not Redis's. */
  private readonly judgeable: EverysecJudgeable;
  /** Whether the bound held for the incarnation that crashed, frozen when the next start began. */
  private validAtCrash: boolean | null = null;
  /** AOF fsyncs of the bio thread since the start, in start order: [from, to) in virtual ms (their latency). */
  private fsyncs: [number, number][] = [];
  /** The main thread's blocked time since the start. */
  private readonly blocked = new MainThreadBlocking();

  constructor(private readonly ctx: CheckerContext) {
    // A policy change or AOF toggle makes "about 2 s" meaningless for this incarnation.
    this.judgeable = new EverysecJudgeable(ctx, (config) => config?.appendfsync !== 'everysec');
  }

  onExecuted(req: Request): void {
    this.judgeable.onExecuted(req);
  }

  onSyscall(e: SyscallEvent, actor: ActorName, faults: SyscallFaults): void {
    this.judgeable.onSyscall(e, faults);
    const now = this.ctx.nowMs();
    const cost = e.costMs ?? 0;
    if (actor === 'bio-fsync' && (e.name === 'fsync' || e.name === 'fdatasync')) this.fsyncs.push([now, now + cost]);
    else if (actor === 'main' && cost > 0) this.blocked.note(now, cost);
  }

  onAofEvent(e: AofEvent): void {
    if (e.kind === 'server-starting') {
      // The crash (or exit) froze the promises; judge them with the incarnation they belong to.
      if (this.validAtCrash === null) this.validAtCrash = this.judgeable.judged;
    } else if (e.kind === 'rewrite-switched' && e.generation === 'redis-4.0' && this.ctx.trackedServer() !== null && this.ctx.currentIno() !== undefined) {
      // 4.0 renames the rewritten file without a directory fsync: a power loss may bring the old file back.
      const path = this.ctx.trackedServer()!.state!.aofFdPath!;
      if (this.ctx.ledger.nameDirty(path)) this.judgeable.spoil();
    }
  }

  onRestart(r: Restart): void {
    if (r.excuse !== null || !r.verdict.ok || r.kind !== 'power' || this.validAtCrash !== true || !r.snapshot.namesDurable) return;
    const s = r.snapshot;
    const ledger = this.ctx.ledger;
    let owed = 0;
    let owedRelaxMs = 0;
    for (let k = Math.min(s.executed, s.kDrained); k > s.procBase && owed === 0; k--) {
      const e = ledger.executedAtMs(k);
      if (!ledger.promisedOn(k) || e === undefined) continue;
      const relaxMs = this.relaxMs(e, r.atMs);
      if (r.atMs - e > EVERYSEC_BOUND_MS + relaxMs) {
        owed = k;
        owedRelaxMs = relaxMs;
      }
    }
    const newest = r.verdict.feasible.at(-1)?.[1] ?? 0;
    if (owed > newest) {
      this.ctx.violate(
        'everysec-bound',
        `after ${r.label}: command k=${owed} was executed more than ${EVERYSEC_BOUND_MS} ms + ${owedRelaxMs} ms of measured fsync latency and main-thread blocking before the crash, but the recovery is at most S_${newest} (${describeVerdict(r.verdict)})`,
      );
    }
  }

  /** What delays a command executed at `e` beyond the plain bound, until the crash at `crashMs`. */
  private relaxMs(e: number, crashMs: number): number {
    // The fsyncs running from e on, one after the other (a queued job starts when the previous ends).
    // `fsyncs` is in start order (virtual time only moves forward), so one pass chains them: an
    // fsync that starts after the chain's end cannot join it once a later-starting one extends it.
    let busyUntil = e;
    for (const [a, b] of this.fsyncs) {
      if (a > busyUntil) break;
      if (busyUntil < b) busyUntil = b;
    }
    return busyUntil - e + this.blocked.overlapMs(e, crashMs);
  }

  onStarted(): void {
    this.fsyncs = [];
    this.blocked.reset();
    this.judgeable.reset();
    this.validAtCrash = null;
  }
}
