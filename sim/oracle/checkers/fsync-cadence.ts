// Checker 'fsync-cadence': under appendfsync everysec, a background fsync of the AOF starts at
// least once a second while the current file holds bytes this process wrote since the start of
// its last fsync and no fsync is running, as Redis does (redis: flushAppendOnlyFile: after a write
// and from the empty-buffer path, `unixtime > aof_last_fsync` and no bio fsync pending ->
// aof_background_fsync; aof_last_fsync takes the second of every attempt, also when a running
// fsync made it skip, and 7.0 takes it when it hands the old INCR to the bio-close job at a
// rewrite start). Judged from the trace: the fsync syscalls themselves (their start and the
// latency they cost), the writes to the current file and the main thread's blocking syscalls,
// never from the server's own bookkeeping (aof_fsync_offset, aof_last_fsync), whose bugs are what
// this checker is for.
//
// The deadline of an fsync, in the server's wall clock: the later of the first write no fsync
// start covers, the end of the running fsync, and the second after the last attempt (the last
// fsync start, or a write made while an fsync was running: Redis then skips the fsync but takes
// the second); plus one cron period (beforeSleep runs at least that often) and plus the time the
// main thread spent blocked in syscalls since the obligation began (it cannot run beforeSleep).
//
// Excused (the incarnation is not judged any more): another policy than everysec or a CONFIG
// command, no-appendfsync-on-rewrite, a wall-clock jump, an injected error / short write / full
// disk, a syscall failing for another reason than a missing temp file. Latency is not an excuse:
// it moves the deadline by what it measured.

import type { AofEvent } from '../../../src/ports/events.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { ActorName } from '../../scheduler/scheduler.ts';
import type { Request } from '../../world/world.ts';
import type { Checker, CheckerContext, SyscallFaults } from './checker.ts';
import { EverysecJudgeable } from './everysec-judgeable.ts';
import { MainThreadBlocking } from './main-thread-blocking.ts';

export class FsyncCadenceChecker implements Checker {
  /** Another policy than everysec, no-appendfsync-on-rewrite, a fault or clock jump: not judged. */
  private readonly judgeable: EverysecJudgeable;
  /** Per AOF inode: the first write (wall ms) no fsync start covers yet. */
  private dirtySinceMs = new Map<number, number>();
  /** When the last fsync of the AOF ends (its start + its latency), wall ms. */
  private fsyncBusyUntilMs = -Infinity;
  /** The second (unixtime) of the last fsync attempt. */
  private lastAttemptS = -Infinity;
  /** The main thread's blocked time since the start. */
  private readonly blocked = new MainThreadBlocking();
  /** A violation was reported for the current dirty episode. */
  private reported = false;

  constructor(private readonly ctx: CheckerContext) {
    this.judgeable = new EverysecJudgeable(ctx, (config) => config?.appendfsync !== 'everysec' || config.noAppendfsyncOnRewrite);
  }

  onExecuted(req: Request): void {
    this.judgeable.onExecuted(req);
  }

  onSyscall(e: SyscallEvent, actor: ActorName, faults: SyscallFaults): void {
    this.judgeable.onSyscall(e, faults);
    const s = this.ctx.trackedServer();
    if (s === null || e.error !== undefined) return;
    const now = this.wallNowMs();
    const cost = e.costMs ?? 0;
    if (actor === 'main' && cost > 0) this.blocked.note(now, cost);
    const isFsync = e.name === 'fsync' || e.name === 'fdatasync';
    // The bio-close job of the old INCR (7.0 rewrite start) is an attempt too: Redis takes the second.
    if (isFsync && actor === 'bio-close') this.lastAttemptS = Math.max(this.lastAttemptS, Math.floor(now / 1000));
    const cur = this.ctx.currentIno();
    if (e.ino === undefined || e.ino !== cur) return;
    if (isFsync) {
      this.check(now);
      // Bytes written before the start are durable once it ends; later writes start a new episode.
      this.dirtySinceMs.delete(e.ino);
      this.reported = false;
      this.fsyncBusyUntilMs = Math.max(this.fsyncBusyUntilMs, now + cost);
      this.lastAttemptS = Math.floor(now / 1000);
    } else if (e.name === 'write' && e.result !== '0') {
      this.check(now);
      // At the very ms the running fsync ends, the server may still see it pending (same-time order).
      if (now <= this.fsyncBusyUntilMs) this.lastAttemptS = Math.max(this.lastAttemptS, Math.floor(now / 1000));
      if (!this.dirtySinceMs.has(e.ino)) this.dirtySinceMs.set(e.ino, now);
    }
  }

  onAofEvent(e: AofEvent): void {
    if (e.kind === 'before-sleep') this.check(this.wallNowMs());
    else if (e.kind === 'aof-enabled') this.lastAttemptS = Math.floor(this.wallNowMs() / 1000);
  }

  onStarted(): void {
    this.judgeable.reset();
    this.dirtySinceMs.clear();
    this.fsyncBusyUntilMs = -Infinity;
    // Redis sets aof_last_fsync at startup (initServer / startAppendOnly).
    this.lastAttemptS = Math.floor(this.wallNowMs() / 1000);
    this.blocked.reset();
    this.reported = false;
  }

  private wallNowMs(): number {
    return this.ctx.world.wallNowMs();
  }

  /** Whether an fsync that is due has not started by `now`. */
  private check(now: number): void {
    const s = this.ctx.trackedServer();
    if (this.reported || !this.judgeable.judged || s === null) return;
    if (s.config?.appendfsync !== 'everysec' || s.config.noAppendfsyncOnRewrite) return;
    const cur = this.ctx.currentIno();
    const dirtySince = cur === undefined ? undefined : this.dirtySinceMs.get(cur);
    if (dirtySince === undefined || now < this.fsyncBusyUntilMs) return;
    const from = Math.max(dirtySince, this.fsyncBusyUntilMs, (this.lastAttemptS + 1) * 1000);
    const deadline = from + 1000 / s.hz + this.blocked.overlapMs(from, now);
    if (now <= deadline) return;
    this.reported = true;
    this.ctx.violate(
      'fsync-cadence',
      `appendfsync everysec: the AOF had bytes no fsync covered since wall ${dirtySince} ms and an fsync was due by ${Math.round(deadline)} ms (last attempt in second ${this.lastAttemptS}, last fsync running until ${this.fsyncBusyUntilMs}), but none started until ${now} ms`,
    );
  }
}
