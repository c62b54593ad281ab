// One incarnation of the server process (redis-server between a start and its crash or exit): the
// Server, its bio threads and rewrite child (SimTasks), its client connections, and its event loop
// (redis: aeMain -> aeProcessEvents -> beforeSleep). The World makes a new one per start; only the
// filesystem and the clock (with the trace and the records, which belong to the world) outlive it.
//
// Event loop, one turn (iterate): read a prefix of the commands that arrived (its length drawn from
// the scheduler stream), execute them, run serverCron when due or beforeSleep otherwise (AOF flush,
// fsync under always), then release the replies once the iteration's blocking calls have cost
// their virtual time. Replies leave in turn order: a turn first sends what earlier turns still hold
// (redis: a turn's replies are written in its beforeSleep, before the next poll), because the next
// turn may be due at the very instant the previous turn's replies are, and the scheduler's
// tie-break may run it first. Each reply goes to its connection's oldest unanswered request, so
// this order is what pairs every reply with its own request. Every step of this process runs
// through guard(): a crash point unwinds it and the world crashes there; a ProcessExit ends the
// incarnation with the files and page cache kept.
//
// FAULT: child-killed faults at a step (SimTasks asks childSignal) and fork failures come from the
// world's injector; crash points at named events go to the world's crash-trigger matching.
//
// Invariants: nothing of a previous incarnation is reachable from a new one (clients, requests in
// flight, the loop's schedule, fork order); once not running, an incarnation never runs a step
// again; a connection's replies come in the order of its requests, each the reply of its own
// request, whatever the tie-breaks; deterministic (the batch sizes come from the scheduler stream
// the world hands in).

import type { CoverageMark, Log } from '../../src/ports/log.ts';
import type { AofEvent } from '../../src/ports/events.ts';
import type { ClientState } from '../../src/commands/types.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { HeldReply, ServerDeps, ServerLike } from '../../src/server-types.ts';
import { isProcessExit } from '../../src/server-types.ts';
import type { ChildExit } from '../../src/ports/tasks.ts';
import type { VirtualClock } from '../clock/virtual-clock.ts';
import type { Scheduler, ActorName } from '../scheduler/scheduler.ts';
import { SimTasks } from '../tasks/sim-tasks.ts';
import type { Trace, TraceKind } from '../trace/trace.ts';
import { bioDoneText, childExitText, replyText } from '../trace/trace-text.ts';
import type { PrngStream } from '../prng/prng.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import type { SimFs } from '../fs/sim-fs.ts';
import type { CrashTriggers } from './crash-triggers.ts';
import type { LogLine, ProcessState, Request, ServerFactory } from './world-types.ts';
import { Fifo } from './fifo.ts';

/** What an incarnation uses of the world that outlives it. */
export interface IncarnationHost {
  readonly clock: VirtualClock;
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly injector: FaultInjector;
  readonly triggers: CrashTriggers;
  /** The scheduler stream: how many arrived commands one loop turn reads. */
  readonly batchRandom: PrngStream | null;
  readonly childWorkMs: number;
  readonly logLines: LogLine[];
  readonly marks: Map<CoverageMark, number>;
  readonly childExits: ChildExit[];
  record(actor: string, kind: TraceKind, text: string): void;
  /** Virtual ms the actor's blocking calls cost since it last asked (then zero). */
  takeCharge(actor: ActorName): number;
  /** Ends a step unwound by a crash point (true: the world crashed); false for other errors. */
  crashPointUnwound(e: unknown): boolean;
  /** Throws the pending crash point when a catch-all in the code under test swallowed it. */
  rethrowFrozen(): void;
  /** The process ended itself (ProcessExit): the world records it and keeps the files. */
  processExited(inc: Incarnation, exitCode: number, reason: string): void;
  /** Listeners of the driver (oracle, properties). */
  executed(req: Request, server: ServerLike): void;
  replied(req: Request): void;
  aofEvent(e: AofEvent, server: ServerLike): void;
}

export class Incarnation {
  readonly server: ServerLike;
  readonly tasks: SimTasks;
  state: ProcessState = 'running';
  /** world client id -> the server's client state */
  private readonly clients = new Map<number, ClientState>();
  /** server client id -> world client id */
  private readonly clientOf = new Map<number, number>();
  /** Commands that arrived and no loop turn has read yet. */
  private readonly inbox = new Fifo<Request>();
  /** Per client, requests sent and not yet replied (replies come back in order). */
  private readonly outstanding = new Map<number, Fifo<Request>>();
  /** Replies of loop turns whose blocking calls have not yet cost their time, oldest turn first. */
  private readonly unsent = new Fifo<UnsentReplies>();
  private loopAtMs: number | null = null;
  private loopToken = 0;
  private busyUntilMs: number;
  private nextCronAtMs: number;
  private readonly cronPeriodMs: number;
  /** fork order of each child pid (for child-killed faults). */
  private readonly forkNth = new Map<number, number>();

  constructor(
    readonly n: number,
    private readonly host: IncarnationHost,
    fs: SimFs,
    wallClock: Clock,
    random: PrngStream,
    createServer: ServerFactory<unknown>,
    config: unknown,
  ) {
    const log = processLog(host, n);
    // Hooks as methods, not arrow functions: tsx (esbuild keepNames) wraps every named arrow in a
    // defineProperty call, a measurable share of a short world's cost.
    const inc = this;
    this.tasks = new SimTasks(fs, {
      schedule(atMs, actor, label, run) {
        host.scheduler.at(atMs, actor, label, () => inc.guard(run));
      },
      nowMs() {
        return host.clock.nowMs();
      },
      onBioStart() {},
      onBioDone(job, error) {
        if (host.trace.enabled) host.record(host.scheduler.current, 'bio', bioDoneText(job, error));
      },
      forkFailure() {
        const f = host.injector.forkFailure();
        return f ? (f.reason ?? 'Cannot allocate memory') : null;
      },
      childSignal(pid, step) {
        const nth = inc.forkNth.get(pid) ?? 0;
        const f = host.injector.childKill(nth);
        if (!f || f.afterSteps !== step) return null;
        host.injector.recordChildKilled(f);
        return f.signal ?? 'SIGKILL';
      },
      takeCharge(actor) {
        return host.takeCharge(actor);
      },
      onFork(pid) {
        inc.forkNth.set(pid, host.injector.forkCount);
        if (host.trace.enabled) host.record('main', 'fork', `pid ${pid}`);
      },
      onChildExit(exit) {
        host.childExits.push(exit);
        if (host.trace.enabled) host.record(host.scheduler.current, 'child-exit', childExitText(exit));
        // Named point: the child is gone but the parent has not reaped it (no done handler yet).
        if (exit.signal === null && host.triggers.needsPointChecks) host.triggers.reach('rewrite-child-exited');
      },
      onPipeWrite() {
        if (inc.state === 'running') inc.wakeLoop(host.clock.nowMs());
      },
      currentActor() {
        return host.scheduler.current;
      },
    }, { childWorkMs: host.childWorkMs, firstPid: 1000 * n });
    const deps: ServerDeps = {
      fs,
      clock: wallClock,
      tasks: this.tasks,
      log,
      random,
      events(e) {
        inc.aofEvent(e);
      },
    };
    this.server = createServer(deps, config);
    this.cronPeriodMs = Math.max(1, Math.round(1000 / this.server.hz));
    this.busyUntilMs = host.clock.nowMs();
    this.nextCronAtMs = host.clock.nowMs() + this.cronPeriodMs;
  }

  /** The fork order (1-based) of the child whose step runs now, or 0. */
  currentChildForkNth(): number {
    return this.forkNth.get(this.tasks.currentChildPid ?? -1) ?? 0;
  }

  /** redis: main -> loadDataFromDisk: the server's start, as one step of the main thread. */
  boot(): void {
    const scheduler = this.host.scheduler;
    const prev = scheduler.current;
    scheduler.current = 'main';
    this.host.takeCharge('main');
    try {
      this.guard(() => this.server.start());
    } finally {
      scheduler.current = prev;
    }
  }

  /** After a successful boot: the loop runs once the load's blocking calls have cost their time. */
  enterLoop(): void {
    this.busyUntilMs = this.host.clock.nowMs() + this.host.takeCharge('main');
    this.wakeLoop(this.nextCronAtMs);
  }

  /** A command arrived on a connection: the loop reads it at its next turn. */
  receive(req: Request): void {
    this.inbox.push(req);
    let q = this.outstanding.get(req.client);
    if (!q) this.outstanding.set(req.client, (q = new Fifo()));
    q.push(req);
    this.wakeLoop(this.host.clock.nowMs());
  }

  /** The process dies (crash): its bio jobs and children go, its connections close unanswered. */
  kill(): void {
    this.state = 'crashed';
    this.tasks.abort();
    this.dropRequests();
  }

  /** Runs a step of this process: crash points and process exits end here. */
  guard(run: () => void): void {
    if (this.state !== 'running') return;
    try {
      run();
      // A crash point swallowed by a catch-all in the code under test still stops the world.
      this.host.rethrowFrozen();
    } catch (e) {
      if (this.host.crashPointUnwound(e)) return;
      if (isProcessExit(e)) {
        this.exit(e.exitCode, e.reason);
        return;
      }
      throw e;
    }
  }

  private exit(exitCode: number, reason: string): void {
    this.state = 'exited';
    this.tasks.abort();
    this.dropRequests();
    this.host.processExited(this, exitCode, reason);
  }

  private dropRequests(): void {
    const host = this.host;
    for (const q of this.outstanding.values()) {
      q.forEach((r) => {
        r.state = 'dropped';
        if (host.trace.enabled) host.record('client', 'reply', `c${r.client} #${r.seq} (connection closed, no reply)`);
      });
    }
    this.outstanding.clear();
    this.inbox.clear();
    this.unsent.clear();
  }

  // ---- the event loop ----------------------------------------------------------------------

  private wakeLoop(atMs: number): void {
    const t = Math.max(atMs, this.busyUntilMs);
    if (this.loopAtMs !== null && this.loopAtMs <= t) return;
    this.loopAtMs = t;
    const token = ++this.loopToken;
    this.host.scheduler.at(t, 'main', 'loop', () => {
      if (token !== this.loopToken) return;
      this.loopAtMs = null;
      this.guard(() => this.iterate());
    });
  }

  /** One turn of the event loop (redis: aeProcessEvents + beforeSleep + reply writes). */
  private iterate(): void {
    const host = this.host;
    const now = host.clock.nowMs();
    const server = this.server;
    host.takeCharge('main');
    // A turn never runs before busyUntilMs (wakeLoop), so everything earlier turns hold is due.
    if (this.unsent.size > 0) this.sendDue();
    let n = this.inbox.size;
    if (n > 1 && host.batchRandom) n = 1 + host.batchRandom.below(n);
    for (let i = 0; i < n; i++) {
      const req = this.inbox.shift()!;
      const cs = this.clientState(req.client);
      req.incarnation = this.n;
      req.executedAtMs = now;
      server.execute(cs, req.argv);
      req.state = 'executed';
      host.executed(req, server);
    }
    if (now >= this.nextCronAtMs) {
      // ServerLike.cron() is serverCron followed by the beforeSleep of the same iteration.
      while (this.nextCronAtMs <= now) this.nextCronAtMs += this.cronPeriodMs;
      server.cron();
    } else server.beforeSleep();
    const replies = server.takeReplies();
    const cost = host.takeCharge('main');
    this.busyUntilMs = now + cost;
    if (replies.length > 0) {
      if (cost === 0 && this.unsent.size === 0) this.deliver(replies);
      else {
        this.unsent.push({ atMs: this.busyUntilMs, replies });
        host.scheduler.at(this.busyUntilMs, 'main', 'replies', () => this.guard(() => this.sendDue()));
      }
    }
    if (this.inbox.size > 0) this.wakeLoop(this.busyUntilMs);
    this.wakeLoop(this.nextCronAtMs);
  }

  /** Sends the held replies that are due now, oldest turn first (a later turn's may be due too). */
  private sendDue(): void {
    const now = this.host.clock.nowMs();
    for (let u = this.unsent.peek(); u !== undefined && u.atMs <= now; u = this.unsent.peek()) {
      this.unsent.shift();
      this.deliver(u.replies);
    }
  }

  /** Each reply to its connection's oldest unanswered request, which the server executed. */
  private deliver(replies: readonly HeldReply[]): void {
    const host = this.host;
    const now = host.clock.nowMs();
    for (const h of replies) {
      const client = this.clientOf.get(h.clientId);
      if (client === undefined) throw new Error(`incarnation ${this.n}: a reply for server client ${h.clientId}, which no connection of the world opened`);
      const q = this.outstanding.get(client);
      const req = q?.shift();
      if (!req) throw new Error(`incarnation ${this.n}: a reply for c${client}, which has no unanswered request`);
      if (req.state !== 'executed' || req.incarnation !== this.n) {
        throw new Error(`incarnation ${this.n}: a reply for c${client} would go to #${req.seq}, which this process has not executed (state ${req.state})`);
      }
      req.state = 'replied';
      req.reply = h.reply;
      req.repliedAtMs = now;
      if (host.trace.enabled) host.record('client', 'reply', replyText(client, req.seq, h.reply));
      host.replied(req);
    }
  }

  private clientState(client: number): ClientState {
    let cs = this.clients.get(client);
    if (!cs) {
      cs = this.server.newClient();
      this.clients.set(client, cs);
      this.clientOf.set(cs.id, client);
    }
    return cs;
  }

  /** An event of the running server: listeners first, then the point it names (may stop the world). */
  private aofEvent(e: AofEvent): void {
    const host = this.host;
    host.aofEvent(e, this.server);
    if (host.triggers.needsPointChecks) host.triggers.reach(e.kind);
  }
}

/** The replies of one loop turn, sent at `atMs` (once its blocking calls have cost their time). */
interface UnsentReplies {
  atMs: number;
  replies: readonly HeldReply[];
}

/** The process's log: lines and coverage marks go to the world's records and trace. */
function processLog(host: IncarnationHost, n: number): Log {
  return {
    log(level, message) {
      host.logLines.push({ incarnation: n, atMs: host.clock.nowMs(), level, message });
      if (host.trace.enabled) host.record(host.scheduler.current, 'log', `${level}: ${message}`);
    },
    mark(name) {
      host.marks.set(name, (host.marks.get(name) ?? 0) + 1);
      if (host.trace.enabled) host.record(host.scheduler.current, 'mark', name);
    },
  };
}
