// Crash-trigger matching: decides, at each named point the world reaches and after each syscall,
// whether a crash (or a child kill) is due, and stops the running step there. Sources of triggers:
// crash and child-killed faults of the FaultPlan at a named point, crash faults at an op index
// (SimFs reports those through onCrashDue), and crashes armed by the driver (World.crashAt) with an
// exact decision.
//
// Named points (sim/faults/crash-points.ts): every AofEvent kind the server emits, plus the ones
// derived here from syscalls: 'rewrite-child-renamed' (a rename by the child actor),
// 'manifest-renamed' (any rename onto a *.manifest, before its directory fsync),
// 'manifest-dir-fsynced' (the fsyncDir of that directory that follows), and
// `after:<syscall>:<basename>` after a successful syscall (for rename, of the target); the world
// reports 'rewrite-child-exited' itself (a child exit it observes). A point's nth counts from the
// start of the run (plan faults) or from when the crash was armed.
//
// FAULT: a crash stops the world at that exact point: CrashPoint unwinds the running step, and the
// host freezes the filesystem so no later syscall of that step takes effect.
//
// Invariants: deterministic (counts only, no randomness: decisions are drawn by the world); points
// are evaluated only when some trigger names a point (needsPointChecks), so runs without point
// faults pay nothing per event.

import type { ActorName } from '../scheduler/scheduler.ts';
import { ChildKilledSignal } from '../tasks/sim-tasks.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import type { CrashFault, FaultPlan } from '../faults/fault-plan.ts';
import type { CrashPointName } from '../faults/crash-points.ts';
import type { CrashDecision } from '../crash/crash-decision.ts';
import type { SyscallEvent } from '../fs/syscall.ts';
import { CrashPoint, type CrashTrigger } from './world-types.ts';

/** What the matching needs from the world. */
export interface CrashTriggerHost {
  readonly injector: FaultInjector;
  /** The actor whose step runs now. */
  currentActor(): ActorName;
  /** The fork order (1-based) of the child whose step runs now, or 0. */
  currentChildForkNth(): number;
  /** Called with the crash point just before it is thrown: the host freezes its filesystem. */
  stopping(cp: CrashPoint): void;
}

interface ArmedCrash {
  trigger: CrashTrigger;
  /** Evaluated when the crash fires (paths resolve to the inodes of that moment). */
  decide: () => CrashDecision;
  seen: number;
}

export class CrashTriggers {
  /** Whether some trigger names a point (world-level points are derived only then). */
  private hasPointFaults: boolean;
  private hasAfterPoints: boolean;
  private readonly planHasPoints: boolean;
  private readonly childKillPoints: boolean;
  /** Directory of a manifest renamed since its last fsyncDir (for 'manifest-dir-fsynced'). */
  private manifestDirPending: string | null = null;
  private armed: ArmedCrash[] = [];

  constructor(
    plan: FaultPlan,
    private readonly host: CrashTriggerHost,
  ) {
    this.childKillPoints = plan.faults.some((f) => f.kind === 'child-killed' && f.point !== undefined);
    this.hasPointFaults = this.childKillPoints || plan.faults.some((f) => f.kind === 'crash' && f.point !== undefined);
    this.hasAfterPoints = plan.faults.some((f) => f.kind === 'crash' && f.point !== undefined && f.point.startsWith('after:'));
    this.planHasPoints = this.hasPointFaults;
  }

  /** Whether reaching a named point can matter (callers skip the call otherwise). */
  get needsPointChecks(): boolean {
    return this.hasPointFaults;
  }

  /** Whether syscall events are needed (an armed crash or a point derived from syscalls). */
  get needsSyscalls(): boolean {
    return this.armed.length > 0 || this.hasPointFaults;
  }

  /** Arms a crash that fires once, with the decision `decide()` returns at that moment. */
  arm(trigger: CrashTrigger, decide: () => CrashDecision): void {
    this.armed.push({ trigger, decide, seen: 0 });
    if ('point' in trigger) {
      this.hasPointFaults = true;
      if (trigger.point.startsWith('after:')) this.hasAfterPoints = true;
    }
  }

  /** A named point was reached; may stop the world (CrashPoint) or kill the child running now. */
  reach(name: CrashPointName): void {
    if (!this.hasPointFaults) return;
    if (this.armed.length > 0) this.checkArmed(name, -1);
    if (!this.planHasPoints) return;
    const injector = this.host.injector;
    if (this.childKillPoints && this.host.currentActor() === 'child') {
      // FAULT: the child of the nth fork is killed when it reaches this point.
      const f = injector.childKill(this.host.currentChildForkNth());
      if (f && f.point === name) {
        injector.recordChildKilled(f);
        throw new ChildKilledSignal(f.signal ?? 'SIGKILL');
      }
    }
    const f = injector.crashAtPoint(name);
    if (f) this.stop(f, `point ${name} #${f.nth ?? 1}`);
  }

  /** After a syscall: armed crashes at its op index, then the points it derives. */
  afterSyscall(e: SyscallEvent): void {
    if (this.armed.length > 0) this.checkArmed(null, e.opIndex);
    if (!this.hasPointFaults || e.error !== undefined) return;
    const target = e.name === 'rename' && e.path2 !== undefined ? e.path2 : e.path;
    if (this.hasAfterPoints) this.reach(`after:${e.name}:${target.slice(target.lastIndexOf('/') + 1)}`);
    if (e.name === 'rename') {
      if (target.endsWith('.manifest')) {
        // The manifest swapped into place, before the directory fsync that makes it durable.
        this.manifestDirPending = target.slice(0, target.lastIndexOf('/'));
        this.reach('manifest-renamed');
      } else if (this.host.currentActor() === 'child') this.reach('rewrite-child-renamed');
    } else if (e.name === 'fsyncDir' && this.manifestDirPending !== null && e.path === this.manifestDirPending) {
      this.manifestDirPending = null;
      this.reach('manifest-dir-fsynced');
    }
  }

  /** Stops the world for a crash fault of the plan (at an op index or a point). */
  stop(f: CrashFault, cause: string): never {
    const cp = new CrashPoint(f, cause);
    this.host.stopping(cp); // later syscalls of this step fail
    throw cp;
  }

  /** Fires an armed crash whose trigger is this point (name) or this op index. */
  private checkArmed(point: CrashPointName | null, opIndex: number): void {
    for (let i = 0; i < this.armed.length; i++) {
      const a = this.armed[i];
      const t = a.trigger;
      const hit = 'atOp' in t ? t.atOp === opIndex : point === t.point && ++a.seen === (t.nth ?? 1);
      if (!hit) continue;
      this.armed.splice(i, 1);
      const decision = a.decide();
      const cause = 'atOp' in t ? `op ${opIndex}` : `point ${point} #${a.seen}`;
      const cp = new CrashPoint({ kind: 'crash', model: decision.model, ...('atOp' in t ? { atOp: t.atOp } : { point: t.point }) }, cause);
      cp.decision = decision;
      this.host.stopping(cp);
      throw cp;
    }
  }
}
