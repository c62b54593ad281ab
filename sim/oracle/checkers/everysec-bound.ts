// Checker 'everysec-bound': under appendfsync everysec, a power loss loses only about the last
// 2 s: every promised command executed more than EVERYSEC_BOUND_MS before the crash is recovered
// (redis: flushAppendOnlyFile's once-a-second aof_background_fsync). The recovery itself must
// already have been judged valid (checker 'recovery'); this one asks it to be recent enough.
//
// Excused: recoveries the ledger excuses and invalid ones (the 'recovery' checker reports those);
// incarnations where the bound is not Redis's: a CONFIG command or another policy, a wall-clock
// jump (unixtime paces everysec), an injected error, short write or full disk, a syscall failing
// for another reason than a missing temp file, fsync latency of 1 s or more, a file whose name is
// not durable (it can vanish whole: 4.0 creates appendonly.aof and renames the rewritten file
// without a directory fsync); commands still in aof_buf at the crash.

import type { AofEvent } from '../../../src/ports/events.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { ActorName } from '../../scheduler/scheduler.ts';
import type { Request } from '../../world/world.ts';
import { EVERYSEC_BOUND_MS } from '../checks.ts';
import type { Restart } from '../promise-ledger.ts';
import { describeVerdict } from '../oracle.ts';
import type { Checker, CheckerContext, SyscallFaults } from './checker.ts';

export class EverysecBoundChecker implements Checker {
  /** Something in this incarnation makes the bound not Redis's. */
  private spoiled = false;
  private jumpsAtStart = 0;
  /** Whether the bound held for the incarnation that crashed, frozen when the next start began. */
  private validAtCrash: boolean | null = null;

  constructor(private readonly ctx: CheckerContext) {}

  onExecuted(req: Request): void {
    // A policy change or AOF toggle makes "about 2 s" meaningless for this incarnation.
    if (req.argv[0]?.toUpperCase() === 'CONFIG' || this.ctx.trackedServer()?.config?.appendfsync !== 'everysec') this.spoiled = true;
  }

  onSyscall(e: SyscallEvent, _actor: ActorName, faults: SyscallFaults): void {
    if (faults.injected && (faults.harmful || (e.costMs ?? 0) >= 1000)) this.spoiled = true;
    // Errors that are part of normal operation (the 7.0 done handler opens and unlinks temp files
    // that may not exist: ENOENT) are not faults; only injected errors and a full disk are.
    if (e.error !== undefined && e.error !== 'ENOENT' && e.error !== 'EEXIST') this.spoiled = true;
  }

  onAofEvent(e: AofEvent): void {
    if (e.kind === 'server-starting') {
      // The crash (or exit) froze the promises; judge them with the incarnation they belong to.
      if (this.validAtCrash === null) this.validAtCrash = !this.spoiled && this.ctx.world.clockJumps === this.jumpsAtStart;
    } else if (e.kind === 'rewrite-switched' && e.generation === 'redis-4.0' && this.ctx.trackedServer() !== null && this.ctx.currentIno() !== undefined) {
      // 4.0 renames the rewritten file without a directory fsync: a power loss may bring the old file back.
      const path = this.ctx.trackedServer()!.state!.aofFdPath!;
      if (this.ctx.ledger.nameDirty(path)) this.spoiled = true;
    }
  }

  onRestart(r: Restart): void {
    if (r.excuse !== null || !r.verdict.ok || r.kind !== 'power' || this.validAtCrash !== true || !r.snapshot.namesDurable) return;
    const s = r.snapshot;
    const ledger = this.ctx.ledger;
    let k2s = 0;
    for (let k = s.procBase + 1; k <= s.executed; k++) {
      if (ledger.promisedOn(k) && ledger.executedAtMs(k)! <= r.atMs - EVERYSEC_BOUND_MS) k2s = k;
    }
    k2s = Math.min(k2s, s.kDrained);
    const newest = r.verdict.feasible.at(-1)?.[1] ?? 0;
    if (k2s > newest) {
      this.ctx.violate('everysec-bound', `after ${r.label}: commands up to k=${k2s} were executed more than ${EVERYSEC_BOUND_MS} ms before the crash, but the recovery is at most S_${newest} (${describeVerdict(r.verdict)})`);
    }
  }

  onStarted(): void {
    this.spoiled = false;
    this.validAtCrash = null;
    this.jumpsAtStart = this.ctx.world.clockJumps;
  }
}
