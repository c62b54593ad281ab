// Checker 'misconf-clears': once injected faults stop, write errors clear, so MISCONF is not
// returned more than MISCONF_CLEAR_MS after the last fault (a write error is retried at the next
// serverCron and a success clears it; redis: serverCron, flushAppendOnlyFile).
//
// Excused: while a bio fsync error stands (6.2+ aof_bio_fsync_status lasts until an fsync
// succeeds; Redis 7.0 advances aof_fsync_offset when it submits the fsync, so nothing retries it
// while writes are refused: MISCONF can last; found by this property, the implementation matches);
// while a disk quota is in force (the disk is full: an error that lasts, not a past fault). The
// clock restarts when a bio fsync succeeds after an error (the server learns of it when it polls the
// job) and when CONFIG SET appendonly yes turns the AOF on (startAppendOnly forgets both errors,
// redis/redis#8030). Errors that are part of normal operation (ENOENT, EEXIST of the 7.0 done
// handler's temp files) are not faults, and neither is EINTR: write(2) is retried at once (redis:
// aofWrite), so an interrupted write must never lead to MISCONF.

import { MISCONF_CLEAR_MS } from '../checks.ts';
import type { AofEvent } from '../../../src/ports/events.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { ActorName } from '../../scheduler/scheduler.ts';
import type { Request } from '../../world/world.ts';
import type { Checker, CheckerContext, SyscallFaults } from './checker.ts';

export class MisconfClearsChecker implements Checker {
  /** A bio fsync failed and no bio fsync of the AOF succeeded since. */
  private bioFsyncError = false;
  private lastFaultAtMs = -Infinity;

  constructor(private readonly ctx: CheckerContext) {}

  onAofEvent(e: AofEvent): void {
    if (e.kind === 'aof-enabled') {
      if (this.bioFsyncError) this.faultEnded();
    } else if (e.kind === 'bio-fsync-error' && this.ctx.trackedServer() !== null) this.bioFsyncError = true;
  }

  onSyscall(e: SyscallEvent, actor: ActorName, faults: SyscallFaults): void {
    const benign = e.error === undefined || e.error === 'ENOENT' || e.error === 'EEXIST' || e.error === 'EINTR';
    if ((faults.injected && e.error !== 'EINTR') || !benign) this.lastFaultAtMs = this.ctx.nowMs();
    if (e.error !== undefined || e.ino === undefined || (e.name !== 'fsync' && e.name !== 'fdatasync')) return;
    const s = this.ctx.trackedServer();
    if (!s || !s.state || (!this.ctx.followsFile(e.ino) && e.ino !== this.ctx.currentIno())) return;
    // A bio job's fsync succeeded: the error state ends now. The main thread's fsync (appendfsync
    // always) does not reset aof_bio_fsync_status in Redis.
    if (this.bioFsyncError && actor.startsWith('bio')) this.faultEnded();
  }

  onReplied(req: Request): void {
    if (!this.ctx.tracksRequest(req)) return;
    const reply = req.reply;
    if (!reply || reply.kind !== 'error' || !reply.value.startsWith('MISCONF') || this.bioFsyncError) return;
    if (this.ctx.world.injector.quotaBytes() !== null) return;
    const since = this.ctx.nowMs() - this.lastFaultAtMs;
    if (since > MISCONF_CLEAR_MS) this.ctx.violate('misconf-clears', `command #${req.seq} refused with ${reply.value} ${since} ms after the last injected fault`);
  }

  private faultEnded(): void {
    this.bioFsyncError = false;
    this.lastFaultAtMs = this.ctx.nowMs();
  }
}
