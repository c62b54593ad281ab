// Checker 'postpone-window': an everysec flush postponed behind a running bio fsync is written
// within Redis's 2 s window (POSTPONE_LIMIT_MS: whole seconds, plus a cron period), and the flush
// that ends a postponement is counted in aof_delayed_fsync exactly when the fsync it waited for is
// still running (redis: flushAppendOnlyFile, AOF_FLUSH_POSTPONE).
//
// Excused: a flush ending at the very instant the bio fsync ends (either count is right then). Not
// modelled: a forced flush (e.g. at BGREWRITEAOF) would not count; the properties that select this
// check do not force flushes. A postponement ends at the write of the current AOF file, or at a
// write error / short write of the flush.

import { POSTPONE_LIMIT_MS } from '../checks.ts';
import type { AofEvent } from '../../../src/ports/events.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { ActorName } from '../../scheduler/scheduler.ts';
import type { Checker, CheckerContext } from './checker.ts';

export class PostponeWindowChecker implements Checker {
  private postponedSinceMs: number | null = null;
  /** aof_delayed_fsync when the postponement began. */
  private delayedAtPostpone = 0;
  /** When the last bio fsync syscall ends (its start + its latency). */
  private bioFsyncBusyUntilMs = -Infinity;

  constructor(private readonly ctx: CheckerContext) {}

  onAofEvent(e: AofEvent): void {
    const s = this.ctx.trackedServer();
    if (s === null) return;
    if (e.kind === 'flush-postponed') {
      if (this.postponedSinceMs === null) {
        this.postponedSinceMs = this.ctx.nowMs();
        this.delayedAtPostpone = s.state?.aofDelayedFsync ?? 0;
      }
    } else if (e.kind === 'flush-write-error' || e.kind === 'flush-short-write') this.end(e.kind);
  }

  onSyscall(e: SyscallEvent, actor: ActorName): void {
    const s = this.ctx.trackedServer();
    if (!s || !s.state || e.error !== undefined || e.ino === undefined) return;
    if (e.name === 'write' && e.ino === this.ctx.currentIno()) this.end('write');
    if ((e.name === 'fsync' || e.name === 'fdatasync') && actor === 'bio-fsync') this.bioFsyncBusyUntilMs = this.ctx.nowMs() + (e.costMs ?? 0);
  }

  onStarted(): void {
    this.postponedSinceMs = null;
  }

  private end(what: 'write' | 'flush-write-error' | 'flush-short-write'): void {
    if (this.postponedSinceMs === null) return;
    const now = this.ctx.nowMs();
    const dur = now - this.postponedSinceMs;
    this.postponedSinceMs = null;
    if (dur > POSTPONE_LIMIT_MS) this.ctx.violate('postpone-window', `a flush was postponed for ${dur} ms (> ${POSTPONE_LIMIT_MS}) before ${what}`);
    const counted = this.ctx.trackedServer()?.state?.aofDelayedFsync;
    // The write that ends a postponement counts once if the fsync it waited for (seen as a bio
    // syscall with its latency) is still running, else not at all.
    if (what === 'write' && counted !== undefined && now !== this.bioFsyncBusyUntilMs) {
      const running = now < this.bioFsyncBusyUntilMs;
      const want = this.delayedAtPostpone + (running ? 1 : 0);
      if (counted !== want) this.ctx.violate('postpone-window', `the flush that ended a postponement ${running ? 'while a bio fsync ran' : 'after the bio fsync ended'} left aof_delayed_fsync at ${counted}, expected ${want}`);
    }
  }
}
