// Checker 'rewrite-liveness': a rewrite that was asked for happens, or fails for a reason the run
// shows. The other checkers judge what a rewrite that ran did; this one judges that it ran, so a
// server that silently never rewrites, or never finishes turning the AOF on, is caught.
//
// What Redis does (redis: aof.c bgrewriteaofCommand, rewriteAppendOnlyFileBackground,
// startAppendOnly, backgroundRewriteDoneHandler; server.c serverCron; 4.0.14 and 7.0.15 alike
// unless said): BGREWRITEAOF is refused only while a rewrite child runs ("already in progress"),
// is scheduled while another child runs (7.0: or inside EXEC), and otherwise forks at once; the
// fork (and 7.0's mkdir of appendonlydir and open of the new INCR) can fail, and nothing else can.
// `CONFIG SET appendonly yes` (startAppendOnly) does the same through rewriteAppendOnlyFileBackground
// and leaves aof_state WAIT_REWRITE until a rewrite's done handler switches it ON; a rewrite that
// fails while WAIT_REWRITE schedules the next one (the done handler's cleanup). serverCron starts a
// scheduled rewrite whenever no child runs (7.0: unless aofRewriteLimited holds it back after 3
// consecutive failures) and reaps an exited child every period.
//
// Judged, each from the server's INFO-visible state (aof_rewrite_in_progress = aofChildPid,
// aof_rewrite_scheduled, aof_enabled/aof_state, aof_rewrites_consecutive_failures, the RDB child),
// its replies and events (rewrite-switched), and the world's own facts (which children live, which
// faults the injector applied), never from the server's internal bookkeeping:
// 1. A BGREWRITEAOF or `CONFIG SET appendonly yes` refused needs a cause during its execution: an
//    injected error, short write, full disk or fork failure, or a syscall failing. (aofsim's own
//    refusal, 7.0 skipping a rewrite after a short write left aof_buf full, needs a write fault
//    just the same.) Refused is read from the state the command leaves, not from its reply: no
//    rewrite child running and none scheduled, or the AOF still OFF. Commands queued in MULTI and
//    run by EXEC are not judged here (2. and 3. still are).
// 2. A scheduled rewrite starts: the state "scheduled, no child running" never survives a whole
//    cron period plus one (two periods + 1 ms of virtual time between observations) unless such a
//    cause happened meanwhile or 7.0's back-off is in force (3 or more consecutive failures).
// 3. An enable completes or keeps trying: while aof_state is WAIT_REWRITE, a rewrite child runs or
//    one is scheduled (then 2. makes it start), so the AOF reaches ON once a rewrite succeeds.
// 4. An exited rewrite child is reaped: the server does not report aof_rewrite_in_progress for a
//    child the world saw exit more than two cron periods + 1 ms ago.
// 5. A rewrite that ends (reaped) without switching in has a cause since it started: any injected
//    fault (latency included: 4.0's child gives up waiting for the parent's ack), a failing
//    syscall, or a wall-clock step. A child killed by a command (CONFIG SET appendonly, which
//    kills it on purpose and replies) is not judged.
// A started rewrite that never ends is the scenario runner's waitForRewrite timeout; a crash ends
// every obligation of its incarnation.
//
// Observation points: the end of every command (command-executed) and of every event-loop
// iteration (before-sleep, which also follows every serverCron); the rules in time (2. and 4.) only
// at the latter, since the main thread may have been blocked past a cron period (a slow fsync) and
// the overdue serverCron runs after the iteration's commands. Invariant: observation only.

import type { AofEvent } from '../../../src/ports/events.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { Request } from '../../world/world.ts';
import type { AofServer, Checker, CheckerContext } from './checker.ts';

/** The state fields INFO persistence prints from (src/aof/info.ts), as this checker reads them. */
type InfoState = {
  aofState: string;
  aofChildPid: number;
  rdbChildPid: number;
  aofRewriteScheduled: boolean;
  statAofrwConsecutiveFailures: number;
};

/** redis: AOF_REWRITE_LIMITE_THRESHOLD (7.0 aofRewriteLimited): failures before the back-off. */
const BACKOFF_AFTER_FAILURES = 3;

export class RewriteLivenessChecker implements Checker {
  /** Faults that can make a rewrite start fail (errors, short writes, full disk, fork failures) and failing syscalls. */
  private refusalCauses = 0;
  /** Any fault at all (latency, a killed child, a crash point included) and failing syscalls. */
  private anyCauses = 0;
  /** How far this checker has read the injector's record. */
  private injectedSeen = 0;
  /** refusalCauses at the last observation point (the start of the next command's window). */
  private causesAtMark = 0;
  /** Refusal causes during the command that just executed. */
  private lastCommandCaused = false;
  /** Clients inside MULTI (their commands are queued, not run). */
  private readonly inMulti = new Set<number>();
  /** Since when (virtual ms) "scheduled, no child" holds, and refusalCauses then. */
  private idleScheduledSinceMs: number | null = null;
  private idleScheduledCauses = 0;
  /** The rewrite child last seen running: its pid, whether it switched in, the causes and clock steps at its start. */
  private child = { pid: -1, switched: false, causes: 0, jumps: 0 };
  /** Since when (virtual ms) the server reports a child the world saw exit. */
  private unreapedSinceMs: number | null = null;
  /** A violation per kind per incarnation is enough. */
  private readonly reported = new Set<string>();

  constructor(private readonly ctx: CheckerContext) {}

  onSyscall(e: SyscallEvent): void {
    if (e.error !== undefined && e.error !== 'ENOENT' && e.error !== 'EEXIST') {
      this.refusalCauses++;
      this.anyCauses++;
    }
  }

  onAofEvent(e: AofEvent): void {
    this.readInjected();
    if (e.kind === 'rewrite-switched') this.child.switched = true;
    else if (e.kind === 'command-executed') {
      this.lastCommandCaused = this.refusalCauses > this.causesAtMark;
      this.observe(true);
    } else if (e.kind === 'before-sleep') this.observe(false);
  }

  onExecuted(req: Request): void {
    const what = askedFor(req.argv);
    const name = req.argv[0]?.toUpperCase();
    if (name === 'MULTI') this.inMulti.add(req.client);
    else if (name === 'EXEC' || name === 'DISCARD') this.inMulti.delete(req.client);
    // Queued in MULTI: judged (or not: EXEC runs it with Redis's own in_exec rules) when EXEC runs.
    if (what === null || this.inMulti.has(req.client) || this.lastCommandCaused) return;
    const st = this.ctx.trackedServer()?.state as InfoState | undefined;
    if (!st) return;
    // Judged from the state the command left, not from its reply text: accepted is a child running
    // (started now, or "already in progress") or a rewrite scheduled; an enable accepted leaves aof_state not OFF.
    const accepted = what === 'BGREWRITEAOF' ? st.aofChildPid !== -1 || st.aofRewriteScheduled : st.aofState !== 'off';
    if (!accepted) {
      this.ctx.violate('rewrite-liveness', `${what} (command #${req.seq}) was refused (no rewrite running or scheduled${what === 'BGREWRITEAOF' ? '' : ', the AOF still off'}) though no fault or failing syscall came with it (Redis refuses it only when the fork, the AOF directory or the new INCR fails)`);
    }
  }

  onStarted(): void {
    this.readInjected();
    this.inMulti.clear();
    this.idleScheduledSinceMs = null;
    this.unreapedSinceMs = null;
    this.child = { pid: -1, switched: false, causes: this.anyCauses, jumps: this.ctx.world.clockJumps };
    this.reported.clear();
  }

  /** The injector's new records: every fault is a possible cause, some of a refusal. */
  private readInjected(): void {
    const record = this.ctx.world.injector.injected;
    for (; this.injectedSeen < record.length; this.injectedSeen++) {
      const kind = record[this.injectedSeen].kind;
      this.anyCauses++;
      if (kind === 'error' || kind === 'short-write' || kind === 'quota' || kind === 'fork-failure') this.refusalCauses++;
    }
  }

  private observe(byCommand: boolean): void {
    this.causesAtMark = this.refusalCauses;
    const server = this.ctx.trackedServer();
    const st = server?.state as (NonNullable<AofServer['state']> & InfoState) | undefined;
    if (!server || !st || !server.config) return;
    const now = this.ctx.nowMs();
    const periodMs = Math.max(1, Math.round(1000 / server.hz));
    this.followChild(st, byCommand);
    // 3. WAIT_REWRITE is backed by a running rewrite or a scheduled one.
    if (st.aofState === 'wait-rewrite' && st.aofChildPid === -1 && !st.aofRewriteScheduled) {
      this.report('enable', `the AOF is being enabled (aof_state WAIT_REWRITE) but no rewrite runs and none is scheduled: it can never reach ON`);
    }
    // The rules in time (2. and 4.) are judged only after an iteration's serverCron had its chance:
    // at the end of a command, a cron may be overdue because the last iteration blocked (an fsync
    // under always), and it runs after the commands of this iteration.
    if (byCommand) return;
    // 2. A scheduled rewrite starts at the next serverCron with no child.
    const idle = st.aofRewriteScheduled && st.aofChildPid === -1 && st.rdbChildPid === -1 && st.statAofrwConsecutiveFailures < BACKOFF_AFTER_FAILURES;
    if (!idle || this.refusalCauses !== this.idleScheduledCauses) {
      this.idleScheduledSinceMs = idle ? now : null;
      this.idleScheduledCauses = this.refusalCauses;
    } else if (this.idleScheduledSinceMs === null) this.idleScheduledSinceMs = now;
    else if (now - this.idleScheduledSinceMs > 2 * periodMs) {
      this.report('scheduled', `a rewrite has been scheduled (aof_rewrite_scheduled:1) with no child running since t=${this.idleScheduledSinceMs}, ${now - this.idleScheduledSinceMs} ms (cron period ${periodMs} ms), and no fault kept it from starting`);
    }
    // 4. An exited child is reaped within two cron periods.
    const live = this.ctx.world.tasks?.childPids ?? [];
    if (st.aofChildPid === -1 || live.includes(st.aofChildPid)) this.unreapedSinceMs = null;
    else if (this.unreapedSinceMs === null) this.unreapedSinceMs = now;
    else if (now - this.unreapedSinceMs > 2 * periodMs) {
      this.report('reap', `the rewrite child ${st.aofChildPid} exited at or before t=${this.unreapedSinceMs} but the server still reports aof_rewrite_in_progress:1 ${now - this.unreapedSinceMs} ms later`);
    }
  }

  /** 5. A rewrite child that ended: it switched in, or something explains why not. */
  private followChild(st: InfoState, byCommand: boolean): void {
    const c = this.child;
    if (st.aofChildPid === c.pid) return;
    if (c.pid !== -1 && !byCommand && !c.switched && this.anyCauses === c.causes && this.ctx.world.clockJumps === c.jumps) {
      this.report('ended', `the rewrite child ${c.pid} ended without its rewrite being switched in, and no fault, failing syscall or clock step since it started explains it`);
    }
    this.child = { pid: st.aofChildPid, switched: false, causes: this.anyCauses, jumps: this.ctx.world.clockJumps };
  }

  private report(kind: string, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.ctx.violate('rewrite-liveness', message);
  }
}

/** The requests judged by the state they leave (CONFIG SET with appendonly yes among its pairs). */
function askedFor(argv: readonly string[]): 'BGREWRITEAOF' | 'CONFIG SET appendonly yes' | null {
  const name = argv[0]?.toUpperCase();
  if (name === 'BGREWRITEAOF') return 'BGREWRITEAOF';
  if (name !== 'CONFIG' || argv[1]?.toUpperCase() !== 'SET') return null;
  for (let i = 2; i + 1 < argv.length; i += 2) {
    if (argv[i].toLowerCase() === 'appendonly' && argv[i + 1].toLowerCase() === 'yes') return 'CONFIG SET appendonly yes';
  }
  return null;
}
