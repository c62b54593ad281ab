// The vocabulary SimFs uses to report its syscalls: names (POSIX calls Redis makes, as the Fs port
// exposes them), the event each call produces for the trace, and the hooks a scheduler plugs in.
//
// Invariants: one event per syscall, emitted after the call finished (with its result or errno),
// in call order; `opIndex` counts every syscall of the run (it is the FaultInjector's op counter
// when one is attached, so "crash at op N" and the trace agree).

import type { FsErrorCode } from '../../src/ports/fs.ts';
import type { CrashFault } from '../faults/fault-plan.ts';

export type SyscallName =
  | 'open'
  | 'write'
  | 'read'
  | 'fsync'
  | 'fdatasync'
  | 'ftruncate'
  | 'fstat'
  | 'close'
  | 'rename'
  | 'unlink'
  | 'truncate'
  | 'stat'
  | 'readdir'
  | 'mkdir'
  | 'fsyncDir'
  | 'readFile';

export interface SyscallEvent {
  /** 1-based index of this syscall in the run. */
  opIndex: number;
  name: SyscallName;
  path: string;
  /** Second path (rename target). */
  path2?: string;
  /** The inode the call acted on, when there is one. */
  ino?: number;
  /** Short argument summary, e.g. `len=42`, `mode=append`, `size=0`. */
  args: string;
  /** Result summary when the call succeeded (`42`, `ok`, `ino=3`). */
  result?: string;
  /** errno when the call failed. */
  error?: FsErrorCode;
  /** Human-readable description of the faults injected into this call, if any. */
  faults?: string[];
  /** Virtual time the call cost (latency, blocking), already reported through onCost. */
  costMs?: number;
}

export interface SimFsHooks {
  /** Called once per syscall, after it finished. */
  onSyscall?(event: SyscallEvent): void;
  /** Virtual time the current syscall costs the calling actor (fsync latency, blocking). */
  onCost?(ms: number, reason: string): void;
  /**
   * A crash fault of the plan is due right after the syscall that just finished (its event was
   * already emitted). The world decides what to do, typically throw to unwind the actor, then
   * applyCrash. Without this hook, atOp crash faults are not evaluated.
   */
  onCrashDue?(fault: CrashFault): void;
}
