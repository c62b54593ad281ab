// The simulated world, as its drivers see it (`aofsim replay`, the scenario runner, the property
// suites, the benchmark): one server process at a time (an Incarnation: redis-server with its bio
// threads, rewrite child, connections and event loop, see incarnation.ts), clients, a filesystem
// that survives the process (SimFs: page cache + durable image), virtual time and a trace. The
// driver starts, crashes and restarts processes, sends commands and runs the scheduler; what
// outlives a process lives here (clock, scheduler, fs, fault injector, crash triggers, records).
//
// Actors (see sim/scheduler): `client` (sends commands, receives replies), `main` (the event loop
// of the incarnation), `bio-*` and `child` (sim/tasks). Which actor goes first at one instant, and
// how many of the arrived commands one loop iteration reads, come from the seed's scheduler stream.
//
// Fault model: the FaultPlan is fixed before the run (logged in the trace); SimFs applies syscall
// faults, SimTasks fork failures and killed children, and the world crash faults: right after
// syscall `atOp`, or when the code reaches a named point (nth time). A crash stops
// the world at that exact point (CrashPoint unwinds the running step; no later syscall of that step
// takes effect), drops the process with its user-space buffers, bio queue and children, and keeps
// the filesystem as the crash decision says (process-kill: everything the kernel has; power loss:
// the durable image chosen by sim/crash). A process can also exit by itself (ProcessExit: `always`
// + write error, fatal load error): recorded, files and page cache kept. restart() starts a new
// Server on the surviving files with the same config and records the load outcome.
//
// Named points (crash faults and child-killed faults of the plan, crashAt): the CrashPointName
// vocabulary of sim/faults/crash-points.ts. The server reports its own as typed events
// (ServerDeps.events: every event kind is a point, e.g. 'rewrite-renamed'); the world reports
// 'rewrite-child-exited' (the child exited, the parent has not reaped it) and hands every syscall to
// the crash-trigger matching (crash-triggers.ts), which derives the syscall points and decides
// which trigger fires. Coverage marks are not points.
//
// DIVERGENCE(redis): a crash or exit of the server takes its rewrite child with it (a SIGKILLed
// redis-server leaves an orphan child that may still finish its temp file); steps are atomic in
// virtual time: a step's blocking calls are charged after it (the next loop iteration and the
// replies wait), so mstime() read after a slow fsync inside the same step is still the step's start.
//
// Invariants: same seed + same inputs -> same trace, byte for byte; every wait has a step cap;
// nothing here reads real time or real randomness.

import type { CoverageMark } from '../../src/ports/log.ts';
import type { AofEvent } from '../../src/ports/events.ts';
import type { Bytes } from '../../src/keyspace/types.ts';
import type { ServerLike } from '../../src/server-types.ts';
import type { ChildExit } from '../../src/ports/tasks.ts';
import { VirtualClock } from '../clock/virtual-clock.ts';
import { Scheduler, type ActorName } from '../scheduler/scheduler.ts';
import type { SimTasks } from '../tasks/sim-tasks.ts';
import { Trace } from '../trace/trace.ts';
import { armedCrashText, clockJumpText, commandText, faultPlanText, faultText, loadText, syscallText } from '../trace/trace-text.ts';
import { Prng, type PrngStream } from '../prng/prng.ts';
import { FaultInjector, type InjectedFault } from '../faults/fault-injector.ts';
import { EMPTY_FAULT_PLAN, type CrashFault } from '../faults/fault-plan.ts';
import { describeCrashDecision, type CrashDecision } from '../crash/crash-decision.ts';
import type { SimFsHooks, SyscallEvent } from '../fs/syscall.ts';
import type { SimFs } from '../fs/sim-fs.ts';
import { WorldFs } from './world-fs.ts';
import type { WorldReuse } from './world-reuse.ts';
import { CrashTriggers } from './crash-triggers.ts';
import { Incarnation, type IncarnationHost } from './incarnation.ts';
import {
  CrashPoint,
  type CrashRecord,
  type CrashTrigger,
  type ExitRecord,
  type LoadOutcome,
  type LogLine,
  type ProcessState,
  type Request,
  type ServerFactory,
  type WorldOptions,
} from './world-types.ts';

export * from './world-types.ts';

export const DEFAULT_STEP_CAP = 2_000_000;

export class World<C = unknown> {
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly injector: FaultInjector;
  /** The filesystem across crashes (`worldFs.current` is the SimFs processes use now). */
  readonly worldFs: WorldFs;
  readonly config: C;
  readonly prng: Prng;
  readonly logLines: LogLine[] = [];
  readonly marks = new Map<CoverageMark, number>();
  readonly requests: Request[] = [];
  readonly loads: LoadOutcome[] = [];
  readonly exits: ExitRecord[] = [];
  readonly crashes: CrashRecord[] = [];
  readonly childExits: ChildExit[] = [];
  /** Called after each command ran in the server (the oracle snapshots live states here). */
  onExecuted: ((req: Request, server: ServerLike) => void) | null = null;
  /** Called when a reply reaches its client. */
  onReplied: ((req: Request) => void) | null = null;
  /** Called with every event the running server emits, before a crash at that point (the oracle). */
  onAofEvent: ((e: AofEvent, server: ServerLike) => void) | null = null;
  /** Called after every syscall with the actor that made it (e.g. to track completed fsyncs). */
  get onSyscallEvent(): ((e: SyscallEvent, actor: ActorName) => void) | null {
    return this.syscallListener;
  }

  set onSyscallEvent(listener: ((e: SyscallEvent, actor: ActorName) => void) | null) {
    this.syscallListener = listener;
    this.syncSyscallHook();
  }

  private readonly createServer: ServerFactory<C>;
  private readonly reuse: WorldReuse | null;
  private readonly crashRandom: PrngStream;
  /** The process now (running, or the last one that crashed or exited); null before the first start. */
  private proc: Incarnation | null = null;
  /** Virtual ms of blocking calls per actor, not yet charged to its next event (the cost meter). */
  private readonly charges = new Map<ActorName, number>();
  /** Crash faults and armed crashes: which point or op stops the world (crash-triggers.ts). */
  private readonly triggers: CrashTriggers;
  /** What every incarnation sees of this world. */
  private readonly host: IncarnationHost;
  private syscallListener: ((e: SyscallEvent, actor: ActorName) => void) | null = null;
  /** The hooks every SimFs of this world shares; onSyscall is set only while someone needs events. */
  private readonly fsHooks: SimFsHooks;
  /** Set while a crash point unwinds a step: every further syscall of that step is refused. */
  private frozen: CrashPoint | null = null;

  constructor(options: WorldOptions<C>) {
    this.seed = options.seed;
    this.prng = Prng.fromSeed(options.seed);
    this.reuse = options.reuse ?? null;
    this.clock = this.reuse ? this.reuse.claim(this, options.startMs) : new VirtualClock(options.startMs);
    const schedRandom = this.prng.stream('scheduler');
    this.crashRandom = this.prng.stream('crash');
    this.scheduler = new Scheduler(this.clock, schedRandom);
    this.trace = new Trace(options.trace ?? true);
    this.config = options.config;
    this.createServer = options.createServer;
    const plan = options.faults ?? EMPTY_FAULT_PLAN;
    // Hooks as methods, not arrow functions: tsx (esbuild keepNames) wraps every named arrow in a
    // defineProperty call, a measurable share of a short world's cost.
    const world = this;
    this.injector = new FaultInjector(plan, {
      clock: this.clock,
      onFault(f) {
        world.onFault(f);
      },
    });
    this.triggers = new CrashTriggers(plan, {
      injector: this.injector,
      currentActor() {
        return world.scheduler.current;
      },
      currentChildForkNth() {
        return world.proc?.currentChildForkNth() ?? 0;
      },
      stopping(cp) {
        world.frozen = cp;
        world.worldFs.freeze(`crash point ${cp.cause_}`);
      },
    });
    this.host = {
      clock: this.clock,
      scheduler: this.scheduler,
      trace: this.trace,
      injector: this.injector,
      triggers: this.triggers,
      batchRandom: (options.randomBatches ?? true) ? schedRandom : null,
      childWorkMs: options.childWorkMs ?? 1,
      logLines: this.logLines,
      marks: this.marks,
      childExits: this.childExits,
      record(actor, kind, text) {
        world.record(actor, kind, text);
      },
      takeCharge(actor) {
        return world.takeCharge(actor);
      },
      crashPointUnwound(e) {
        return world.crashPointUnwound(e);
      },
      rethrowFrozen() {
        if (world.frozen) throw world.frozen;
      },
      processExited(inc, exitCode, reason) {
        world.processExited(inc, exitCode, reason);
      },
      executed(req, server) {
        if (world.onExecuted) world.onExecuted(req, server);
      },
      replied(req) {
        if (world.onReplied) world.onReplied(req);
      },
      aofEvent(e, server) {
        if (world.onAofEvent) world.onAofEvent(e, server);
      },
    };
    this.fsHooks = {
      onCost(ms) {
        const actor = world.scheduler.current;
        world.charges.set(actor, (world.charges.get(actor) ?? 0) + ms);
      },
      onCrashDue(f) {
        world.triggers.stop(f, `op ${world.injector.opIndex}`);
      },
    };
    this.wallClock = {
      nowMs() {
        return world.wallNowMs();
      },
    };
    this.syncSyscallHook();
    this.worldFs = WorldFs.create(options.files ?? {}, this.injector, this.fsHooks, this.reuse?.pathParts);
    if (plan.faults.length > 0) this.note('faults', faultPlanText(plan.faults));
  }

  // ---- queries ---------------------------------------------------------------------------

  get server(): ServerLike | null {
    return this.proc?.server ?? null;
  }

  get processState(): ProcessState {
    return this.proc?.state ?? 'down';
  }

  get incarnation(): number {
    return this.proc?.n ?? 0;
  }

  /** The filesystem as it is now (after a crash: the survivor). */
  get fs(): SimFs {
    return this.worldFs.current;
  }

  get tasks(): SimTasks | null {
    return this.proc?.tasks ?? null;
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  /**
   * The wall clock the server reads (redis: mstime()): virtual time plus an offset that clock
   * jumps change (an NTP step, a VM resumed with a stale clock). Virtual time itself, which orders
   * events and measures durations, never goes back.
   */
  wallNowMs(): number {
    return this.clock.nowMs() + this.wallOffsetMs;
  }

  private wallOffsetMs = 0;
  /** Clock jumps so far. */
  clockJumps = 0;
  /** The Clock the server reads (see wallNowMs); built in the constructor, a method rather than a named arrow. */
  private readonly wallClock: { nowMs(): number };

  /** Steps the server's wall clock by `deltaMs` (negative: backwards) from now on. */
  jumpWallClock(deltaMs: number): void {
    this.wallOffsetMs += deltaMs;
    this.clockJumps++;
    this.record('world', 'clock', clockJumpText(deltaMs, this.wallOffsetMs));
  }

  /** Log lines of every incarnation containing `substring`. */
  logged(substring: string, incarnation?: number): LogLine[] {
    return this.logLines.filter((l) => l.message.includes(substring) && (incarnation === undefined || l.incarnation === incarnation));
  }

  // ---- process lifecycle -------------------------------------------------------------------

  /** Starts the server (first boot or restart after a crash/exit) and records the load outcome. */
  start(): LoadOutcome {
    this.assertOwner();
    if (this.proc && this.proc.state === 'running') throw new Error('world: the server is running; crash it first');
    const n = (this.proc?.n ?? 0) + 1; // every start makes the next incarnation
    const createServer = this.createServer as ServerFactory<unknown>;
    const proc = new Incarnation(n, this.host, this.worldFs.current, this.wallClock, this.prng.stream(`server-${n}`), createServer, this.config);
    this.proc = proc;
    if (this.trace.enabled) this.record('world', 'restart', `incarnation ${n}`);
    proc.boot();
    const exit = this.exits.at(-1);
    const outcome: LoadOutcome =
      proc.state === 'running'
        ? { incarnation: n, outcome: 'ok', status: loadStatus(proc.server), exitCode: null, reason: null, atMs: this.clock.nowMs() }
        : {
            incarnation: n,
            outcome: 'exited',
            status: loadStatus(proc.server),
            exitCode: exit?.incarnation === n ? exit.exitCode : null,
            reason: exit?.incarnation === n ? exit.reason : `process ${proc.state} while loading`,
            atMs: this.clock.nowMs(),
          };
    this.loads.push(outcome);
    if (this.trace.enabled) this.record('main', 'load', loadText(outcome));
    if (proc.state === 'running') proc.enterLoop();
    return outcome;
  }

  /** Same as start(); reads better after crash(). */
  restart(): LoadOutcome {
    return this.start();
  }

  /**
   * Crashes the world now: the process (if any) dies with its buffers, bio jobs and children;
   * a power-loss decision then keeps only the durable image it chooses.
   */
  crash(decision: CrashDecision, cause = 'step'): void {
    this.assertOwner();
    const p = this.proc;
    if (p && p.state === 'running') p.kill();
    this.scheduler.cancel(PROCESS_ACTORS);
    this.worldFs.crash(decision);
    const text = describeCrashDecision(decision);
    this.crashes.push({ incarnation: p?.n ?? 0, decision: text, cause, atMs: this.clock.nowMs(), wallAtMs: this.wallNowMs() });
    if (this.trace.enabled) this.record('world', 'crash', `${text} (${cause})`);
  }

  /**
   * Arms a crash that fires later, in the middle of whatever step reaches the trigger, with the
   * decision `decide()` returns at that moment (like a crash fault of the plan, but with an exact
   * decision instead of one drawn from the seed). Fires once.
   */
  crashAt(trigger: CrashTrigger, decide: CrashDecision | (() => CrashDecision)): void {
    this.triggers.arm(trigger, typeof decide === 'function' ? decide : () => decide);
    this.syncSyscallHook();
    this.record('world', 'fault', armedCrashText(trigger));
  }

  // ---- clients -----------------------------------------------------------------------------

  /** Sends a command from client `client` now; it runs when the event loop reads it. */
  send(argv: Bytes[], client = 0): Request {
    this.assertOwner();
    const req: Request = {
      seq: this.requests.length + 1,
      client,
      argv,
      sentAtMs: this.clock.nowMs(),
      state: 'queued',
      reply: null,
      incarnation: 0,
      executedAtMs: -1,
      repliedAtMs: -1,
    };
    this.requests.push(req);
    if (this.trace.enabled) this.record('client', 'command', commandText(client, req.seq, argv));
    const p = this.proc;
    if (!p || p.state !== 'running') {
      req.state = 'dropped'; // connection refused: nobody listens.
      this.record('client', 'reply', `c${client} #${req.seq} (connection refused)`);
      return req;
    }
    p.receive(req);
    return req;
  }

  // ---- running -----------------------------------------------------------------------------

  /** Runs everything due up to now + ms, then sets the clock there. */
  advance(ms: number, stepCap = DEFAULT_STEP_CAP): void {
    this.assertOwner();
    this.scheduler.runUntilTime(this.clock.nowMs() + ms, stepCap);
  }

  /** Runs until every given request is replied or dropped (or `maxMs` of virtual time passed). */
  settle(reqs: readonly Request[], maxMs = 60_000, stepCap = DEFAULT_STEP_CAP): boolean {
    this.assertOwner();
    const deadline = this.clock.nowMs() + maxMs;
    // Requests settle roughly in order: skip the settled prefix instead of rescanning all of them.
    let i = 0;
    // An anonymous arrow: tsx renames named functions with a defineProperty call at each creation.
    return this.scheduler.runUntil(() => {
      while (i < reqs.length && (reqs[i].state === 'replied' || reqs[i].state === 'dropped')) i++;
      return i === reqs.length;
    }, deadline, stepCap);
  }

  /** Runs until `done()` holds or `maxMs` of virtual time passed. */
  runUntil(done: () => boolean, maxMs = 60_000, stepCap = DEFAULT_STEP_CAP): boolean {
    this.assertOwner();
    return this.scheduler.runUntil(done, this.clock.nowMs() + maxMs, stepCap);
  }

  /** A line in the trace from the driver (scenario steps). */
  note(kind: 'step' | 'tick' | 'faults', text: string): void {
    this.record('world', kind === 'faults' ? 'fault' : kind, text);
  }

  // ---- internals ---------------------------------------------------------------------------

  /** A world whose WorldReuse a newer world claimed shares that world's clock: it must not run. */
  private assertOwner(): void {
    if (this.reuse !== null && !this.reuse.ownedBy(this)) {
      throw new Error(`world (seed ${this.seed}): a newer world claimed its WorldReuse; build one per live world`);
    }
  }

  /** Callers on paths a traceless run takes test trace.enabled first, so they do not format text for nothing. */
  private record(actor: string, kind: Parameters<Trace['record']>[2], text: string): void {
    if (this.trace.enabled) this.trace.record(this.clock.elapsedMs(), actor, kind, text);
  }

  private takeCharge(actor: ActorName): number {
    const c = this.charges.get(actor) ?? 0;
    if (c !== 0) this.charges.set(actor, 0);
    return c;
  }

  /** A step ended by a crash point (or by a syscall refused after one while it unwound): crash here. */
  private crashPointUnwound(e: unknown): boolean {
    const cp = e instanceof CrashPoint ? e : this.frozen;
    if (!cp) return false;
    this.frozen = null;
    this.crash(cp.decision ?? this.decisionFor(cp.fault), cp.cause_);
    return true;
  }

  private decisionFor(f: CrashFault): CrashDecision {
    if (f.model === 'process-kill') return { model: 'process-kill' };
    return this.worldFs.randomDecision(f.model, this.crashRandom, f.sectorBytes);
  }

  private processExited(p: Incarnation, exitCode: number, reason: string): void {
    this.scheduler.cancel(PROCESS_ACTORS);
    // The process is gone, the kernel is not: same as a process kill for the files.
    this.worldFs.crash({ model: 'process-kill' });
    this.exits.push({ incarnation: p.n, exitCode, reason, atMs: this.clock.nowMs(), wallAtMs: this.wallNowMs() });
    if (this.trace.enabled) this.record('main', 'exit', `code ${exitCode}: ${reason}`);
  }

  private onFault(f: InjectedFault): void {
    if (this.trace.enabled) this.record(this.scheduler.current, 'fault', faultText(f));
  }

  /**
   * Syscall events cost an object and argument strings per call: SimFs builds them only while the
   * trace, a listener, an armed crash or a named-point fault needs them.
   */
  private syncSyscallHook(): void {
    const needed = this.trace.enabled || this.syscallListener !== null || this.triggers.needsSyscalls;
    if (!needed) this.fsHooks.onSyscall = undefined;
    else if (this.fsHooks.onSyscall === undefined) {
      this.fsHooks.onSyscall = (e) => this.onSyscall(e);
    }
  }

  private onSyscall(e: SyscallEvent): void {
    if (this.trace.enabled) this.traceSyscall(e);
    if (this.syscallListener) this.syscallListener(e, this.scheduler.current);
    this.triggers.afterSyscall(e);
  }

  private traceSyscall(e: SyscallEvent): void {
    this.record(this.scheduler.current, 'syscall', syscallText(e));
  }
}

/** The loader status a Server exposes as `lastLoad.status` (duck-typed: ServerLike does not have it). */
function loadStatus(server: ServerLike): string | null {
  const last = (server as { lastLoad?: { status?: unknown } | null }).lastLoad;
  return last && typeof last.status === 'string' ? last.status : null;
}

const PROCESS_ACTORS: readonly ActorName[] = ['main', 'bio-fsync', 'bio-close', 'bio-unlink', 'child'];
