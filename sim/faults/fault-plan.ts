// Faults as data: a FaultPlan is computed before a run (from the seed or written by hand in a
// scenario), logged with describeFaultPlan, and then consulted by the FaultInjector at every
// syscall. Nothing in a plan is decided during the run, so the same plan gives the same faults.
//
// Fault model (what a plan can express):
// - error:        the nth call (1-based) of a syscall on a path matching `path` fails with `code`
//                 (default EIO); `sticky` makes that call and every later matching call fail.
// - short-write:  the nth write to a matching path writes `shortByBytes` fewer bytes than asked
//                 (never fewer than 1 byte: regular files never return 0 for a non-empty write);
//                 `thenError` makes the next write to the same inode fail with that code (Redis
//                 bug 5: "write returns half the bytes then ENOSPC").
// - quota:        ENOSPC above a byte quota on total visible bytes (all live files' sizes). Quota
//                 events apply in plan order; the last one whose trigger passed wins: no trigger
//                 = from the start, `atOp` = from that syscall index, `atMs` = from that virtual
//                 time. `quotaBytes: null` lifts the quota (space freed). A write that partly fits
//                 is short; one that does not fit at all fails with ENOSPC.
// - latency:      matching calls cost `ms` of virtual time (the ith matching call costs
//                 perCallMs[i-1] when given). Default syscalls: fsync and fdatasync.
// - write-blocked-by-fsync: a write to a file whose fsync is still in flight (in virtual time)
//                 costs the time until that fsync completes.
// - fork-failure / child-killed: consumed by the simulated Tasks (fork of the rewrite child).
// - crash:        the world crashes after syscall `atOp`, or at the nth time a named point is
//                 reached (e.g. 'rewrite-child-renamed'), with the given crash model.
// Every injected fault is reported (FaultInjector.injected), so a run can say how many it injected.

import type { FsErrorCode } from '../../src/ports/fs.ts';
import type { Signal } from '../../src/ports/tasks.ts';
import type { CrashModelName } from '../crash/crash-decision.ts';
import type { SyscallName } from '../fs/syscall.ts';
import { crashPointNames, isCrashPointName, type CrashPointName } from './crash-points.ts';

/** A glob (`*`, `**`, `?`) or `re:<regex>`; see path-pattern.ts. */
export type PathPattern = string;

export type FaultSyscall = Exclude<SyscallName, 'readFile'>;

export interface ErrorFault {
  kind: 'error';
  syscall: FaultSyscall;
  path: PathPattern;
  /** 1-based index among matching calls. */
  nth: number;
  code?: FsErrorCode;
  sticky?: boolean;
}

export interface ShortWriteFault {
  kind: 'short-write';
  path: PathPattern;
  nth: number;
  shortByBytes: number;
  thenError?: FsErrorCode;
}

export interface QuotaFault {
  kind: 'quota';
  /** null: no quota (space freed). */
  quotaBytes: number | null;
  atOp?: number;
  atMs?: number;
}

export interface LatencyFault {
  kind: 'latency';
  path: PathPattern;
  ms: number;
  perCallMs?: number[];
  syscalls?: FaultSyscall[];
}

export interface WriteBlockedFault {
  kind: 'write-blocked-by-fsync';
  path: PathPattern;
}

export interface ForkFailureFault {
  kind: 'fork-failure';
  /** 1-based index among fork() calls. */
  nth: number;
  sticky?: boolean;
  /** strerror text for the log, default "Cannot allocate memory". */
  reason?: string;
}

export interface ChildKilledFault {
  kind: 'child-killed';
  /** The child of the nth fork (1-based). */
  nth: number;
  /** Killed after it yielded this many times (0: before its first step)... */
  afterSteps?: number;
  /** ...or when it reaches this named point (see crash-points.ts); give exactly one of the two. */
  point?: CrashPointName;
  signal?: Signal;
}

export interface CrashFault {
  kind: 'crash';
  /** Crash right after this syscall (1-based op index) completes. */
  atOp?: number;
  /** Or at a named point, the nth time (default 1st) it is reached. */
  point?: CrashPointName;
  nth?: number;
  model: CrashModelName;
  /** Sector size for the torn model. */
  sectorBytes?: number;
}

export type Fault =
  | ErrorFault
  | ShortWriteFault
  | QuotaFault
  | LatencyFault
  | WriteBlockedFault
  | ForkFailureFault
  | ChildKilledFault
  | CrashFault;

export type FaultKind = Fault['kind'];

export interface FaultPlan {
  /** The seed the plan was computed from, when it was (informational). */
  seed?: number;
  faults: Fault[];
}

export const EMPTY_FAULT_PLAN: FaultPlan = Object.freeze({ faults: Object.freeze([]) as unknown as Fault[] });

export const FAULT_SYSCALLS: readonly FaultSyscall[] = [
  'open', 'write', 'read', 'fsync', 'fdatasync', 'ftruncate', 'fstat', 'close', 'rename', 'unlink', 'truncate',
  'stat', 'readdir', 'mkdir', 'fsyncDir',
];

const ERROR_CODES: ReadonlySet<string> = new Set<FsErrorCode>([
  'ENOENT', 'EEXIST', 'ENOSPC', 'EIO', 'EBADF', 'EINVAL', 'EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'EACCES', 'EDQUOT', 'EINTR',
]);
const CRASH_MODEL_NAMES: ReadonlySet<string> = new Set(['process-kill', 'strict', 'prefix', 'torn', 'zero-fill', 'reorder']);
const SIGNALS: ReadonlySet<string> = new Set(['SIGUSR1', 'SIGKILL', 'SIGTERM']);

function fail(i: number, f: unknown, msg: string): never {
  throw new RangeError(`fault plan: faults[${i}] ${JSON.stringify(f)}: ${msg}`);
}

function posInt(i: number, f: unknown, name: string, v: unknown): void {
  if (!Number.isSafeInteger(v) || (v as number) < 1) fail(i, f, `${name} must be an integer >= 1, got ${String(v)}`);
}

function natInt(i: number, f: unknown, name: string, v: unknown): void {
  if (!Number.isSafeInteger(v) || (v as number) < 0) fail(i, f, `${name} must be an integer >= 0, got ${String(v)}`);
}

function pattern(i: number, f: unknown, v: unknown): void {
  if (typeof v !== 'string' || v.length === 0) fail(i, f, `path must be a non-empty pattern ('**' for every file)`);
}

function code(i: number, f: unknown, name: string, v: unknown): void {
  if (v !== undefined && !ERROR_CODES.has(v as string)) fail(i, f, `${name} must be an errno code like 'EIO', got ${String(v)}`);
}

/** Checks a plan's shape (e.g. one read from a scenario file) and throws an actionable RangeError. */
export function validateFaultPlan(plan: FaultPlan): FaultPlan {
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.faults)) {
    throw new RangeError(`fault plan must be { faults: [...] }, got ${JSON.stringify(plan)}`);
  }
  plan.faults.forEach((f, i) => {
    switch (f.kind) {
      case 'error':
        if (!FAULT_SYSCALLS.includes(f.syscall)) fail(i, f, `syscall must be one of ${FAULT_SYSCALLS.join(', ')}`);
        pattern(i, f, f.path);
        posInt(i, f, 'nth', f.nth);
        code(i, f, 'code', f.code);
        break;
      case 'short-write':
        pattern(i, f, f.path);
        posInt(i, f, 'nth', f.nth);
        posInt(i, f, 'shortByBytes', f.shortByBytes);
        code(i, f, 'thenError', f.thenError);
        break;
      case 'quota':
        if (f.quotaBytes !== null) natInt(i, f, 'quotaBytes', f.quotaBytes);
        if (f.atOp !== undefined) natInt(i, f, 'atOp', f.atOp);
        if (f.atMs !== undefined) natInt(i, f, 'atMs', f.atMs);
        if (f.atOp !== undefined && f.atMs !== undefined) fail(i, f, 'give atOp or atMs, not both');
        break;
      case 'latency':
        pattern(i, f, f.path);
        natInt(i, f, 'ms', f.ms);
        for (const ms of f.perCallMs ?? []) natInt(i, f, 'perCallMs[]', ms);
        for (const s of f.syscalls ?? []) if (!FAULT_SYSCALLS.includes(s)) fail(i, f, `unknown syscall ${s}`);
        break;
      case 'write-blocked-by-fsync':
        pattern(i, f, f.path);
        break;
      case 'fork-failure':
        posInt(i, f, 'nth', f.nth);
        break;
      case 'child-killed':
        posInt(i, f, 'nth', f.nth);
        if ((f.afterSteps === undefined) === (f.point === undefined)) fail(i, f, 'give exactly one of afterSteps or point');
        if (f.afterSteps !== undefined) natInt(i, f, 'afterSteps', f.afterSteps);
        if (f.point !== undefined && (typeof f.point !== 'string' || !isCrashPointName(f.point))) fail(i, f, `point must be one of ${crashPointNames()}`);
        if (f.signal !== undefined && !SIGNALS.has(f.signal)) fail(i, f, `signal must be SIGKILL, SIGTERM or SIGUSR1`);
        break;
      case 'crash':
        if (!CRASH_MODEL_NAMES.has(f.model)) fail(i, f, `model must be one of ${[...CRASH_MODEL_NAMES].join(', ')}`);
        if ((f.atOp === undefined) === (f.point === undefined)) fail(i, f, 'give exactly one of atOp or point');
        if (f.atOp !== undefined) posInt(i, f, 'atOp', f.atOp);
        if (f.point !== undefined && (typeof f.point !== 'string' || !isCrashPointName(f.point))) fail(i, f, `point must be one of ${crashPointNames()}`);
        if (f.nth !== undefined) posInt(i, f, 'nth', f.nth);
        if (f.sectorBytes !== undefined) posInt(i, f, 'sectorBytes', f.sectorBytes);
        break;
      default:
        fail(i, f, `unknown fault kind ${(f as { kind: unknown }).kind}`);
    }
  });
  return plan;
}
