// Whether the running incarnation's everysec timing is Redis's to judge at all, for the
// 'everysec-bound' and 'fsync-cadence' checkers. Not after a CONFIG command or under another
// policy (`spoils`), a wall-clock jump (unixtime paces everysec), an injected error, short write or
// full disk, or a syscall failing for another reason than a missing or existing temp file (the 7.0
// done handler opens and unlinks temp files that may not exist: normal operation, not a fault).
//
// Invariant: once spoiled, an incarnation stays spoiled until reset() at the next start.

import type { AofConfig } from '../../../src/aof/config.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { Request } from '../../world/world.ts';
import type { CheckerContext, SyscallFaults } from './checker.ts';

export class EverysecJudgeable {
  private spoiled = false;
  private jumpsAtStart = 0;

  constructor(
    private readonly ctx: CheckerContext,
    /** The tracked server's config (after a command) leaves Redis's everysec bound. */
    private readonly spoils: (config: AofConfig | undefined) => boolean,
  ) {}

  onExecuted(req: Request): void {
    if (req.argv[0]?.toUpperCase() === 'CONFIG' || this.spoils(this.ctx.trackedServer()?.config)) this.spoiled = true;
  }

  onSyscall(e: SyscallEvent, faults: SyscallFaults): void {
    if (faults.harmful || (e.error !== undefined && e.error !== 'ENOENT' && e.error !== 'EEXIST')) this.spoiled = true;
  }

  /** Something else (a checker's own reason) takes the bound away for this incarnation. */
  spoil(): void {
    this.spoiled = true;
  }

  /** Nothing has spoiled the incarnation and the wall clock has not jumped since its start. */
  get judged(): boolean {
    return !this.spoiled && this.ctx.world.clockJumps === this.jumpsAtStart;
  }

  reset(): void {
    this.spoiled = false;
    this.jumpsAtStart = this.ctx.world.clockJumps;
  }
}
