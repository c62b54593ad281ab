// The FaultInjector: executes a FaultPlan. SimFs consults it at every syscall (op counter, errors,
// short writes, the byte quota, writes blocked behind an in-flight fsync, latency), the simulated
// Tasks at every fork, and the world at named crash points. It decides nothing at random: every
// answer follows from the plan, the counts so far and the facts SimFs passes in (file size, bytes
// in use, when the file's last fsync ends); SimFs only applies the answers.
//
// Invariants:
// - `opIndex` counts syscalls (SimFs calls beginOp() once per syscall, before anything else), so
//   the trace, "crash at op N" and "quota from op N" share one numbering (1-based).
// - Each fault keeps its own count of matching calls; `nth` is 1-based among those.
// - Every fault that takes effect is recorded once per call in `injected` (and passed to onFault).
// - After a crash the world may keep using the same injector for the restarted fs: counts go on,
//   sticky errors stay, fired crashes do not fire again.

import type { Clock } from '../../src/ports/clock.ts';
import type { FsErrorCode } from '../../src/ports/fs.ts';
import { compilePathPattern, type PathMatcher } from './path-pattern.ts';
import {
  validateFaultPlan,
  type ChildKilledFault,
  type CrashFault,
  type Fault,
  type FaultKind,
  type FaultPlan,
  type FaultSyscall,
  type ForkFailureFault,
} from './fault-plan.ts';

export interface InjectedFault {
  /** The syscall index at which it was injected (0 for faults outside syscalls before any op). */
  opIndex: number;
  /** Index into plan.faults; -1 for faults set by hand (setQuota) or follow-ups. */
  faultIndex: number;
  kind: FaultKind;
  /** The syscall, or 'fork' / 'child' / 'crash-point'. */
  syscall: string;
  path: string;
  /** Readable description, e.g. `short write: 5 of 10 bytes`. */
  detail: string;
}

export interface FaultInjectorOptions {
  /** Needed when the plan has time-triggered quota events or write-blocked-by-fsync faults. */
  clock?: Clock;
  onFault?(fault: InjectedFault): void;
}

const DEFAULT_LATENCY_SYSCALLS: readonly FaultSyscall[] = ['fsync', 'fdatasync'];

export class FaultInjector {
  readonly plan: FaultPlan;
  readonly injected: InjectedFault[] = [];
  readonly clock: Clock | undefined;
  private readonly onFault: ((f: InjectedFault) => void) | undefined;
  private ops = 0;
  private readonly matchers: (PathMatcher | null)[];
  private readonly counts: number[];
  private readonly errorsBySyscall = new Map<string, number[]>();
  private readonly shortWrites: number[] = [];
  private readonly latencyBySyscall = new Map<string, number[]>();
  private readonly blocked: number[] = [];
  private readonly quotas: { faultIndex: number; quotaBytes: number | null; atOp?: number; atMs?: number }[] = [];
  private readonly followUps = new Map<number, FsErrorCode>();
  private readonly crashFired: boolean[];
  private readonly pointCounts = new Map<string, number>();
  private forks = 0;

  constructor(plan: FaultPlan, options: FaultInjectorOptions = {}) {
    this.plan = validateFaultPlan(plan);
    this.clock = options.clock;
    this.onFault = options.onFault;
    const faults = plan.faults;
    this.matchers = faults.map((f) => ('path' in f ? compilePathPattern(f.path) : null));
    this.counts = faults.map(() => 0);
    this.crashFired = faults.map(() => false);
    faults.forEach((f, i) => {
      switch (f.kind) {
        case 'error':
          push(this.errorsBySyscall, f.syscall, i);
          break;
        case 'short-write':
          this.shortWrites.push(i);
          break;
        case 'latency':
          for (const s of f.syscalls ?? DEFAULT_LATENCY_SYSCALLS) push(this.latencyBySyscall, s, i);
          break;
        case 'write-blocked-by-fsync':
          this.blocked.push(i);
          break;
        case 'quota':
          this.quotas.push({ faultIndex: i, quotaBytes: f.quotaBytes, atOp: f.atOp, atMs: f.atMs });
          break;
        default:
          break;
      }
    });
    const needsClock = this.blocked.length > 0 || this.quotas.some((q) => q.atMs !== undefined);
    if (needsClock && !this.clock) {
      throw new RangeError('FaultInjector: this plan has time-triggered faults (quota atMs or write-blocked-by-fsync); pass options.clock');
    }
  }

  /** Syscalls begun so far (the index of the current one while it runs). */
  get opIndex(): number {
    return this.ops;
  }

  get injectedCount(): number {
    return this.injected.length;
  }

  /** Injected faults so far, per kind (for "faults injected: ..." summaries). */
  countsByKind(): Partial<Record<FaultKind, number>> {
    const out: Partial<Record<FaultKind, number>> = {};
    for (const f of this.injected) out[f.kind] = (out[f.kind] ?? 0) + 1;
    return out;
  }

  /** Starts the next syscall; returns its 1-based index. */
  beginOp(): number {
    return ++this.ops;
  }

  /** Records an injected fault. */
  record(faultIndex: number, kind: FaultKind, syscall: string, path: string, detail: string): void {
    const f: InjectedFault = { opIndex: this.ops, faultIndex, kind, syscall, path, detail };
    this.injected.push(f);
    this.onFault?.(f);
  }

  /** FAULT: the errno this call must fail with, or null. Counts the call for every matching fault. */
  errorFor(syscall: FaultSyscall, path: string, ino = -1): FsErrorCode | null {
    if (syscall === 'write' && ino >= 0 && this.followUps.size > 0) {
      const code = this.followUps.get(ino);
      if (code !== undefined) {
        this.followUps.delete(ino);
        this.record(-1, 'short-write', syscall, path, `write after a short write fails with ${code}`);
        return code;
      }
    }
    const list = this.errorsBySyscall.get(syscall);
    if (list === undefined) return null;
    let result: FsErrorCode | null = null;
    for (const i of list) {
      if (!this.matchers[i]!(path)) continue;
      const n = ++this.counts[i];
      const f = this.plan.faults[i] as Extract<Fault, { kind: 'error' }>;
      if (result === null && (n === f.nth || (f.sticky === true && n > f.nth))) {
        result = f.code ?? 'EIO';
        this.record(i, 'error', syscall, path, `${syscall} fails with ${result}${f.sticky ? ' (sticky)' : ''}`);
      }
    }
    return result;
  }

  /**
   * FAULT: how many of `lengthBytes` this write writes (short write), counting the call for every
   * short-write fault matching the path. Returns lengthBytes when no fault applies.
   */
  writeBytes(path: string, ino: number, lengthBytes: number): number {
    let result = lengthBytes;
    for (const i of this.shortWrites) {
      if (!this.matchers[i]!(path)) continue;
      const n = ++this.counts[i];
      const f = this.plan.faults[i] as Extract<Fault, { kind: 'short-write' }>;
      if (n === f.nth && result === lengthBytes && lengthBytes > 1) {
        result = Math.max(1, lengthBytes - f.shortByBytes);
        if (f.thenError !== undefined) this.followUps.set(ino, f.thenError);
        this.record(i, 'short-write', 'write', path, `short write: ${result} of ${lengthBytes} bytes${f.thenError ? `, next write ${f.thenError}` : ''}`);
      }
    }
    return result;
  }

  /** The byte quota on total visible bytes now, or null for none. */
  quotaBytes(): number | null {
    let q: number | null = null;
    if (this.quotas.length === 0) return q;
    const now = this.clock ? this.clock.nowMs() : 0;
    for (const e of this.quotas) {
      if (e.atOp !== undefined && this.ops < e.atOp) continue;
      if (e.atMs !== undefined && now < e.atMs) continue;
      q = e.quotaBytes;
    }
    return q;
  }

  /** Sets the quota from now on (a scenario step such as "free space"); null lifts it. */
  setQuota(quotaBytes: number | null): void {
    this.quotas.push({ faultIndex: -1, quotaBytes, atOp: this.ops });
  }

  /** FAULT: virtual time this call costs (sum of matching latency faults). */
  latencyMs(syscall: FaultSyscall, path: string): number {
    const list = this.latencyBySyscall.get(syscall);
    if (list === undefined) return 0;
    let total = 0;
    for (const i of list) {
      if (!this.matchers[i]!(path)) continue;
      const n = ++this.counts[i];
      const f = this.plan.faults[i] as Extract<Fault, { kind: 'latency' }>;
      const ms = f.perCallMs !== undefined && n <= f.perCallMs.length ? f.perCallMs[n - 1] : f.ms;
      if (ms > 0) {
        total += ms;
        this.record(i, 'latency', syscall, path, `${syscall} takes ${ms}ms`);
      }
    }
    return total;
  }

  /**
   * FAULT write-blocked-by-fsync: how long (ms) a write to `path` waits behind an fsync of the same
   * file that is in flight until `fsyncBusyUntilMs` (virtual time); 0 when no such fault matches
   * or nothing is in flight. A wait is recorded.
   */
  blockedWriteMs(path: string, fsyncBusyUntilMs: number): number {
    if (this.blocked.length === 0 || this.clock === undefined) return 0;
    for (const i of this.blocked) {
      if (!this.matchers[i]!(path)) continue;
      const wait = fsyncBusyUntilMs - this.clock.nowMs();
      if (wait <= 0) return 0;
      this.record(i, 'write-blocked-by-fsync', 'write', path, `write waits ${wait}ms for an in-flight fsync`);
      return wait;
    }
    return 0;
  }

  /**
   * FAULT quota: how many of `lengthBytes` (> 0) written at `offsetBytes` into a file of
   * `fileBytes` fit under the byte quota when `usedBytes` are in use: all of them without a quota,
   * fewer at the quota (a short write), 0 when nothing fits (the write fails with ENOSPC).
   * Overwrites of existing bytes always fit; only growth counts. A cut is recorded.
   */
  quotaWriteBytes(path: string, offsetBytes: number, lengthBytes: number, fileBytes: number, usedBytes: number): number {
    const quota = this.quotaBytes();
    if (quota === null) return lengthBytes;
    const growth = Math.max(0, offsetBytes + lengthBytes - fileBytes);
    const room = quota - usedBytes;
    if (growth <= room) return lengthBytes;
    const fits = Math.max(0, fileBytes + Math.max(0, room) - offsetBytes);
    if (fits <= 0) {
      this.record(-1, 'quota', 'write', path, `ENOSPC: quota ${quota} bytes, ${usedBytes} used`);
      return 0;
    }
    const n = Math.min(fits, lengthBytes);
    this.record(-1, 'quota', 'write', path, `short write at quota ${quota}: ${n} of ${lengthBytes} bytes`);
    return n;
  }

  /** A crash fault due right after syscall `opIndex`, marked fired; null when none. */
  crashAfterOp(opIndex: number): CrashFault | null {
    const faults = this.plan.faults;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i];
      if (f.kind === 'crash' && f.atOp === opIndex && !this.crashFired[i]) {
        this.crashFired[i] = true;
        this.record(i, 'crash', 'crash-op', '', `crash (${f.model}) after op ${opIndex}`);
        return f;
      }
    }
    return null;
  }

  /** Called each time the world reaches a named point; returns the crash fault that fires there. */
  crashAtPoint(point: string): CrashFault | null {
    const n = (this.pointCounts.get(point) ?? 0) + 1;
    this.pointCounts.set(point, n);
    const faults = this.plan.faults;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i];
      if (f.kind === 'crash' && f.point === point && (f.nth ?? 1) === n && !this.crashFired[i]) {
        this.crashFired[i] = true;
        this.record(i, 'crash', 'crash-point', point, `crash (${f.model}) at ${point} #${n}`);
        return f;
      }
    }
    return null;
  }

  /** Called at each fork(); the fork-failure fault that applies to it, or null. */
  forkFailure(): ForkFailureFault | null {
    const n = ++this.forks;
    const faults = this.plan.faults;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i];
      if (f.kind === 'fork-failure' && (n === f.nth || (f.sticky === true && n > f.nth))) {
        this.record(i, 'fork-failure', 'fork', '', `fork #${n} fails: ${f.reason ?? 'Cannot allocate memory'}`);
        return f;
      }
    }
    return null;
  }

  /** Forks so far (the 1-based index of the last fork). */
  get forkCount(): number {
    return this.forks;
  }

  /** The child-killed fault for the child of fork #forkNth, or null (not recorded until killChild). */
  childKill(forkNth: number): ChildKilledFault | null {
    for (const f of this.plan.faults) if (f.kind === 'child-killed' && f.nth === forkNth) return f;
    return null;
  }

  /** Records that the simulated Tasks killed a child because of a child-killed fault. */
  recordChildKilled(fault: ChildKilledFault): void {
    const i = this.plan.faults.indexOf(fault);
    const when = fault.point !== undefined ? `at '${fault.point}'` : `after ${fault.afterSteps} steps`;
    this.record(i, 'child-killed', 'child', fault.point ?? '', `child of fork #${fault.nth} killed with ${fault.signal ?? 'SIGKILL'} ${when}`);
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
