// Wires the recovery oracle (sim/oracle, ARCHITECTURE.md#the-oracle) to a running World: records the live
// server's state after every executed command into a StateHistory, tracks which writes were
// acknowledged, which were written to the AOF (aof_buf drained) and which were covered by a
// completed fsync, and at every restart checks the recovered keyspace against those bounds.
// Besides recovery it checks the campaign's other invariants as the run goes (see OracleCheck):
// 'misconf-clears' and 'postpone-window' are checkers of their own (sim/oracle/checkers/*.ts, each
// stating what it checks and excuses), fed by this tracker; 'recovery', 'everysec-bound',
// 'no-garbage', 'rewrite-switch' and the durable-name rule still live here (they share the bounds).
//
// How it attaches: `attach(world)` uses the World's hooks only: the server's typed events
// (onAofEvent, src/ports/events.ts: start, exit, command executed, beforeSleep, flush outcomes,
// rewrite switch...), onExecuted/onReplied for requests and onSyscallEvent for fsyncs. It never
// patches the server and never reads log text. Which names are durable (a directory entry synced)
// is asked of the filesystem (FsCore.isNameDurable / undurableNames), not modelled here; which
// injected faults hit a syscall comes from the fault injector's typed record.
//
// Bounds (kMin) per crash kind and fsync policy, k counting executed commands (a MULTI/EXEC block
// is one: EXEC):
// - a command counts as promised only if it was executed while aof_state was ON (writes done with
//   appendonly no or while the enabling rewrite runs are not promised by Redis either);
// - process kill / self-exit: every acknowledged command whose bytes had left aof_buf when it was
//   acknowledged (`always`: every acknowledged command: Redis writes before replying or exits).
//   DIVERGENCE(redis) none: under everysec Redis acknowledges commands whose write() failed (they
//   stay in aof_buf), so a process kill may lose them; that is Redis behaviour, not a bug.
// - power loss, `always`: every acknowledged command (an ack without a completed fsync fails).
// - power loss, `everysec`: every command covered by completed fsyncs of every AOF file holding
//   it (per-file coverage: Redis 7.0 fsyncs the old INCR in bio-close and the new one in
//   bio-fsync, separate threads, so a new INCR can be fsynced before the old one; excluded here by
//   requiring all files to be covered), and, while fsync latency stays under 1 s and no error/short
//   write fault happened, every command executed more than EVERYSEC_BOUND_MS before the crash.
// - power loss, `no`: 0 (R must still be exactly some S_k).
// - redis-4.0 renames the rewritten file without fsyncing the directory (docs/redis-bugs.md#bug-4, fixed only
//   in 7.0): until a directory fsync, a power loss may bring back the old file, so coverage earned
//   by fsyncs of a renamed-but-not-dir-synced file does not count (the old file's does).
//
// Invariant: observation only. The tracker never makes a syscall through the world, so traces and
// op indices are the same with and without it.

import type { AofConfig } from '../../src/aof/config.ts';
import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { AofEvent } from '../../src/ports/events.ts';
import type { ActorName } from '../scheduler/scheduler.ts';
import type { AofServer, Checker, CheckerContext } from './checkers/checker.ts';
import { MisconfClearsChecker } from './checkers/misconf-clears.ts';
import { PostponeWindowChecker } from './checkers/postpone-window.ts';
import { StateHistory } from './state-history.ts';
import { checkRecovery, describeVerdict } from './oracle.ts';
import type { Request, World } from '../world/world.ts';
import type { SyscallEvent } from '../fs/syscall.ts';
import { Keyspace as KeyspaceImpl } from '../../src/keyspace/keyspace.ts';
import { loadOffline } from './load-offline.ts';

import { EVERYSEC_BOUND_MS, ORACLE_CHECKS, type OracleCheck } from './checks.ts';

export { ORACLE_CHECKS, type OracleCheck } from './checks.ts';

export interface OracleViolation {
  check: OracleCheck;
  atMs: number;
  incarnation: number;
  message: string;
}

interface Snapshot {
  executed: number;
  kAck: number;
  kAckDrained: number;
  kSynced: number;
  kSyncedRaw: number;
  procBase: number;
  syncBase: number;
  olderOpenUnsynced: boolean;
  anyUnsynced: boolean;
  loaderTruncated: boolean;
  ftruncateFailed: boolean;
  k2s: number;
  boundValid: boolean;
}

interface FileCov {
  /** Its name now (renames follow the inode). */
  path: string;
  /** Last k whose bytes are in this file (page cache). */
  lastK: number;
  /** Last k covered by a completed fsync of this file. */
  syncedK: number;
  /** Covered by an fsync while the file's name was not durable (4.0 rename without dir fsync). */
  pendingSyncedK: number;
  /** Covered by an fsync, whether or not the name was durable. */
  rawSyncedK: number;
  /** Not all of its content is known to be covered by an fsync. */
  unsynced?: boolean;
  /** This process wrote bytes to it since its last fsync. */
  bytesSinceSync?: boolean;
  /** Its fd was closed (7.0: the bio-close job of the old INCR ran). */
  closed?: boolean;
}


export class OracleTracker {
  readonly violations: OracleViolation[] = [];
  /** Recovery checks done (restarts checked). */
  crashChecks = 0;
  private world: World<AofConfig> | null = null;
  private readonly checks: Set<OracleCheck>;
  private history: StateHistory | null = null;
  private server: AofServer | null = null;
  private incarnation = 0;
  private kOf = new Map<number, number>();
  private onAt = new Map<number, boolean>();
  private execAt: number[] = [];
  private kAck = 0;
  private kAckDrained = 0;
  private kDrained = 0;
  /** AOF files by inode, in the order they started holding commands. */
  private files = new Map<number, FileCov>();
  private order: number[] = [];
  private boundSpoiled = false;
  private crashSnapshot: Snapshot | null = null;
  private crashKind: 'none' | 'process' | 'power' = 'none';
  private crashBetweenSteps = true;
  private crashAtMs = 0;
  /** The server's wall clock at the crash: what TTLs were judged by. */
  private crashWallMs = 0;
  private jumpsAtStart = 0;

  /** The invariants kept apart, one file each; the tracker feeds them and answers their queries. */
  private checkers: Checker[] = [];

  constructor(checks: Iterable<OracleCheck> = ORACLE_CHECKS) {
    this.checks = new Set(checks);
  }

  attach(world: World<AofConfig>): void {
    this.world = world;
    const tracker = this;
    const ctx: CheckerContext = {
      world,
      nowMs: () => tracker.now(),
      violate: (check, message) => tracker.violate(check, message),
      trackedServer: () => (tracker.history === null ? null : tracker.server),
      currentIno: () => tracker.currentIno(),
      followsFile: (ino) => tracker.files.has(ino),
      tracksRequest: (req) => tracker.kOf.has(req.seq),
    };
    this.checkers = [];
    if (this.checks.has('misconf-clears')) this.checkers.push(new MisconfClearsChecker(ctx));
    if (this.checks.has('postpone-window')) this.checkers.push(new PostponeWindowChecker(ctx));
    world.onExecuted = (req, server) => this.onExecuted(req, server as AofServer);
    world.onReplied = (req) => this.onReplied(req);
    world.onSyscallEvent = (e, actor) => this.onSyscall(e, actor);
    world.onAofEvent = (e, server) => this.onAofEvent(e, server as AofServer);
  }

  /** The server's typed events (src/ports/events.ts). */
  private onAofEvent(e: AofEvent, server: AofServer): void {
    this.dispatchEvent(e);
    switch (e.kind) {
      case 'server-starting':
        this.starting = true;
        this.loadNotLastFile = false;
        this.beforeStart(server);
        return;
      case 'server-started':
        this.starting = false;
        this.afterStart(server);
        return;
      case 'load-failed':
        this.loadNotLastFile = e.errorCode === 'AOF_NOT_LAST_FILE';
        return;
      case 'process-exiting':
        if (this.starting && server === this.server) {
          this.starting = false;
          this.loadExited(e.reason);
        }
        return;
      case 'command-executed':
        this.lastPropagated = e.fedAofBuf;
        this.lastAlways = server.config?.appendfsync === 'always';
        return;
      case 'before-sleep':
        if (this.server === server) this.observeDrain();
        return;
      default:
        this.onServerFact(e);
    }
  }

  /** Hands a server event to the checkers that own one invariant each (sim/oracle/checkers). */
  private dispatchEvent(e: AofEvent): void {
    for (const c of this.checkers) c.onAofEvent?.(e);
  }

  /** Between server-starting and server-started (or the exit that ends the start). */
  private starting = false;
  /** The failed load of this start was a truncated non-last file (AOF_NOT_LAST_FILE). */
  private loadNotLastFile = false;
  /** How many of the injector's injected faults the syscall handler has looked at. */
  private faultsSeen = 0;

  /** One line per violation, for failure messages. */
  describe(): string[] {
    return this.violations.map((v) => `[${v.check}] t=${v.atMs} incarnation ${v.incarnation}: ${v.message}`);
  }

  // ---- events ------------------------------------------------------------------------------

  private now(): number {
    return this.world ? this.world.nowMs() : 0;
  }

  private violate(check: OracleCheck, message: string): void {
    if (!this.checks.has(check)) return;
    this.violations.push({ check, atMs: this.now(), incarnation: this.incarnation, message });
  }

  /**
   * A short write whose ftruncate also failed leaves a partial record in the file and Redis goes on
   * ("Could not remove short write ... Redis may refuse to load the AOF", docs/redis-bugs.md#bug-5; 4.0 also
   * writes SET + PEXPIREAT of one command unwrapped, so half a unit can survive). Redis has no
   * answer to that: the next recovery is excused from 'recovery' and 'no-garbage'.
   */
  private ftruncateFailed = false;
  /** The loader truncated a short tail at this start (not fsynced, as in Redis). */
  private loaderTruncated = false;
  /** The history restarted from an excused recovery that no fsync has made durable yet. */
  private baseUnsynced = false;
  /** Recoveries excused (see ftruncateFailed). */
  excused = 0;

  private beforeStart(server: AofServer): void {
    // A crash (or exit) since the last start freezes the bounds: nothing acks or fsyncs any more.
    this.noteCrash();
    this.loaderTruncated = false;
    // After a power loss the filesystem is the durable image: every name is durable.
    this.inheritedDirty = new Set(this.world ? this.world.fs.core.undurableNames().map((n) => n.path) : []);
    this.server = server;
    this.incarnation++;
  }

  private noteCrash(): void {
    const w = this.world;
    if (!w || this.history === null) return;
    const prevInc = this.incarnation;
    const crashes = w.crashes.filter((c) => c.incarnation === prevInc);
    if (this.crashSnapshot !== null) {
      // The last start never completed (crashed or exited while loading): a power loss then
      // still counts against the state promised before it.
      if (crashes.some((c) => c.decision.startsWith('power-loss'))) this.crashKind = 'power';
      if (crashes.length > 0) this.crashBetweenSteps = false;
      return;
    }
    const exited = w.exits.some((x) => x.incarnation === prevInc);
    if (crashes.length === 0 && !exited) return;
    this.crashKind = crashes.some((c) => c.decision.startsWith('power-loss')) ? 'power' : 'process';
    this.crashBetweenSteps = crashes.every((c) => c.cause === 'step') && !(exited && crashes.length > 0 && crashes[0].cause !== 'step');
    const at = crashes.length > 0 ? crashes[0] : w.exits.find((x) => x.incarnation === prevInc)!;
    this.crashAtMs = at.atMs;
    this.crashWallMs = at.wallAtMs;
    this.crashSnapshot = this.snapshot(this.crashAtMs);
  }

  private snapshot(atMs: number): Snapshot {
    const h = this.history!;
    let k2s = 0;
    for (let k = this.procBase + 1; k <= h.executed; k++) if (this.onAt.get(k) && this.execAt[k] <= atMs - EVERYSEC_BOUND_MS) k2s = k;
    return {
      executed: h.executed,
      kAck: this.kAck,
      kAckDrained: this.kAckDrained,
      kSynced: this.kSynced(),
      kSyncedRaw: this.rawCovMax,
      procBase: this.procBase,
      syncBase: this.syncBase,
      anyUnsynced: [...this.files.values()].some((f) => f.syncedK < f.lastK),
      loaderTruncated: this.loaderTruncated,
      olderOpenUnsynced: this.order.some((ino) => {
        const f = this.files.get(ino)!;
        return ino !== this.currentIno() && f.syncedK < f.lastK && !f.closed;
      }),
      ftruncateFailed: this.ftruncateFailed,
      k2s: Math.min(k2s, this.kDrainedAll()),
      // A file whose name is not durable yet (e.g. appendonly.aof created at startup, never a
      // directory fsync) can vanish whole: the "about 2 s" bound is Redis's only for durable names.
      // A wall-clock jump moves unixtime, which paces everysec: the bound is for a sane clock.
      boundValid: !this.boundSpoiled && this.world?.clockJumps === this.jumpsAtStart && ![...this.files.values()].some((f) => this.nameDirty(f.path)),
    };
  }

  private kDrainedAll(): number {
    return this.kDrained;
  }

  /** The largest k such that every AOF file holding writes <= k has them covered by an fsync. */
  private kSynced(raw = false): number {
    let k = Infinity;
    let all = this.syncBase;
    for (const p of this.order) {
      const f = this.files.get(p)!;
      const synced = raw ? f.rawSyncedK : f.syncedK;
      all = Math.max(all, f.lastK);
      if (synced < f.lastK) k = Math.min(k, synced);
    }
    return k === Infinity ? all : k;
  }

  private loadExited(reason: string): void {
    this.crashChecks++;
    const pre = this.crashSnapshot;
    // The pending crash check (if any) carries over to the next start that completes.
    if (this.history === null) return; // first start: nothing promised
    // Load failures caused by an injected fault during the start itself are not the loader's fault.
    if (this.world && this.world.injector.injected.some((f) => f.opIndex > this.startOp)) return;
    if (pre && this.crashKind === 'power' && (pre.anyUnsynced || pre.syncBase < pre.procBase || pre.loaderTruncated) && this.loadNotLastFile) {
      // Redis 7.0 refuses to start when a non-last INCR is truncated (docs/redis-bugs.md#bug-10), which a power
      // loss produces while an INCR had unsynced bytes and a newer INCR was already in the manifest
      // (e.g. right after the manifest naming the new INCR was persisted), or when the loader's
      // truncation of a short tail at startup (never fsynced, as in Redis) is undone by the power
      // loss after a newer INCR was added. Redis does the same; excused.
      this.excused++;
      return;
    }
    this.violate('recovery', `restart failed${pre ? ` after a ${this.crashKind === 'power' ? 'power loss' : 'process kill'}` : ''}: ${reason}`);
  }

  private startOp = 0;

  private afterStart(server: AofServer): void {
    const w = this.world;
    const ks = server.keyspace;
    let procBase = 0;
    let syncBase = 0;
    if (this.history === null) {
      this.history = new StateHistory(ks);
      this.execAt = [this.now()];
    } else {
      // One history for the whole run: the byte stream continues across restarts, so a later
      // power loss may go back to a state of an earlier incarnation. The recovered state R = S_j
      // continues the history at j (the lost S_j+1.. are cut), recorded as write j+1.
      let j = this.history.executed;
      let prevSynced = this.kSynced();
      if (this.crashSnapshot !== null) {
        this.crashChecks++;
        const v = this.checkRecovered(ks, this.crashSnapshot, server);
        j = v === null ? -1 : v;
        prevSynced = this.crashSnapshot.kSynced;
      }
      if (j < 0) {
        // An excused recovery becomes the new S_0, but Redis does not fsync what it loaded: until
        // an fsync of the AOF, a power loss may go back before it, where the history cannot follow.
        this.baseUnsynced = true;
        this.history = new StateHistory(ks);
        this.execAt = [this.now()];
        this.kOf.clear();
        this.onAt.clear();
        this.alwaysFed.clear();
      } else {
        this.history = truncateHistory(this.history, j);
        this.execAt.length = j + 1;
        for (const k of [...this.alwaysFed]) if (k > j) this.alwaysFed.delete(k);
        for (const k of [...this.onAt.keys()]) if (k > j) this.onAt.delete(k);
        const k = this.history.recordWrite(ks, 'all');
        this.execAt[k] = this.now();
        this.onAt.set(k, true);
        procBase = k;
        syncBase = this.crashKind === 'power' || prevSynced >= j ? k : prevSynced;
      }
    }
    this.crashSnapshot = null;
    this.crashKind = 'none';
    this.kAck = 0;
    this.kAckDrained = 0;
    this.procBase = procBase;
    this.syncBase = syncBase;
    this.rawCovMax = procBase;
    this.kDrained = procBase;
    this.files.clear();
    this.order = [];
    this.boundSpoiled = false;
    for (const c of this.checkers) c.onStarted?.();
    this.startOp = w ? w.injector.opIndex : 0;
    this.jumpsAtStart = w ? w.clockJumps : 0;
    this.ftruncateFailed = false;
    this.noteLoadedUnsynced(server, procBase, syncBase);
    this.observeDrain();
  }

  /**
   * Redis 7.0 does not fsync the files it loaded, and it writes on into the last INCR only: loaded
   * commands that never reached the disk and sit in an older INCR (one a rewrite start had already
   * followed by a new INCR) stay unsynced until a rewrite switch retires that file, whatever the
   * current INCR's fsyncs cover. Tracked as a closed file that no fsync covers.
   */
  private noteLoadedUnsynced(server: AofServer, procBase: number, syncBase: number): void {
    const w = this.world;
    if (!w || syncBase >= procBase || server.config?.profile !== 'redis-7.0') return;
    const cur = this.currentIno();
    const older = w.worldFs.current.pendingSummary().files.find((f) => f.ino !== cur && /\.(incr|base)\.(aof|rdb)$|\/appendonly\.aof$/.test(f.path));
    if (older === undefined) return;
    this.files.set(-1, { path: older.path, lastK: procBase, syncedK: syncBase, pendingSyncedK: syncBase, rawSyncedK: syncBase, unsynced: true, closed: true });
    this.order.push(-1);
  }

  private procBase = 0;
  private syncBase = 0;
  private lastPropagated = false;
  /** Highest k covered by an fsync of the file that held it (names and other files aside). */
  private rawCovMax = 0;
  private lastAlways = false;
  /** Commands that fed aof_buf while appendfsync was always: Redis fsyncs them before replying. */
  private alwaysFed = new Set<number>();

  /** Checks the recovered keyspace; returns the k it continues from (the newest feasible), or null. */
  private checkRecovered(ks: Keyspace, s: Snapshot, server: AofServer): number | null {
    const h = this.history!;
    if (s.ftruncateFailed || (this.crashKind === 'power' && this.baseUnsynced)) {
      this.excused++;
      return null;
    }
    // kAck: acknowledged under always (written and fsynced before the reply, or Redis exits);
    // kAckDrained: acknowledged after its bytes left aof_buf; kSynced: covered by completed fsyncs.
    // Power loss: only completed fsyncs count, and only for files whose names were durable (Redis
    // never fsyncs the directory after creating appendonly.aof (4.0) or appendonlydir (7.0) at
    // startup, nor after the 4.0 rename: a power loss may take those names away with the data).
    let kMin = this.crashKind === 'process' ? Math.max(s.procBase, s.kAck, s.kAckDrained) : s.kSynced;
    kMin = Math.min(kMin, s.executed);
    if (s.kAck > s.kSyncedRaw) {
      this.violate('recovery', `appendfsync always acknowledged command k=${s.kAck} but fsyncs of the AOF cover only up to k=${s.kSyncedRaw}`);
    }
    const v = checkRecovery(h, ks, { kMin, kMax: s.executed, atMs: this.crashWallMs });
    if (!v.ok && this.crashKind === 'power' && server.config?.profile === 'redis-7.0' && (s.syncBase < s.procBase || s.olderOpenUnsynced)) {
      // Redis 7.0 does not fsync the files it loaded at startup and writes on into the last INCR;
      // at rewrite start the old INCR is fsynced by a bio-close job that runs later: while an
      // older INCR still has unsynced bytes, a power loss can drop them while later bytes of the
      // new INCR survive (a hole across files, no prefix). Redis behaves the same; excused. (Once
      // the close job ran, the old INCR must be durable: bug old-incr-not-fsynced is not excused.)
      this.excused++;
      return null;
    }
    const kind = `${this.crashKind === 'power' ? 'power loss' : 'process kill'}, appendfsync ${server.config?.appendfsync}`;
    if (!v.ok) this.violate('recovery', `after ${kind}: ${describeVerdict(v)}`);
    else if (this.crashKind === 'power' && s.boundValid && s.k2s > (v.feasible.at(-1)?.[1] ?? 0)) {
      this.violate('everysec-bound', `after ${kind}: commands up to k=${s.k2s} were executed more than ${EVERYSEC_BOUND_MS} ms before the crash, but the recovery is at most S_${v.feasible.at(-1)?.[1]} (${describeVerdict(v)})`);
    }
    if (this.crashKind === 'process' && this.crashBetweenSteps) {
      const status = server.lastLoad?.status;
      if (status === 'truncated') this.violate('no-garbage', `after ${kind} between steps the AOF had a partial record (loader status ${status})`);
    }
    return v.ok ? v.feasible.at(-1)![1] : null;
  }

  private onExecuted(req: Request, server: AofServer): void {
    if (this.history === null || server !== this.server) return;
    const k = this.history.recordWrite(server.keyspace, 'all');
    this.kOf.set(req.seq, k);
    // A policy change or AOF toggle makes "about 2 s" meaningless for this incarnation.
    if (req.argv[0]?.toUpperCase() === 'CONFIG' || server.config?.appendfsync !== 'everysec') this.boundSpoiled = true;
    this.onAt.set(k, server.state?.aofState === 'on');
    if (this.lastPropagated && this.lastAlways) this.alwaysFed.add(k);
    this.execAt[k] = this.now();
  }

  private onReplied(req: Request): void {
    const k = this.kOf.get(req.seq);
    if (k === undefined) return;
    for (const c of this.checkers) c.onReplied?.(req);
    if (!this.onAt.get(k)) return;
    if (this.alwaysFed.has(k) && k > this.kAck) {
      this.kAck = k;
      // always: the reply goes out only after the write and fsync of its command (or Redis exits).
      if (this.rawCovMax < k) this.violate('recovery', `appendfsync always acknowledged command #${req.seq} (k=${k}) before an fsync covered it (fsyncs cover up to k=${this.rawCovMax})`);
      // 7.0 makes every name it creates durable (the manifest persist fsyncs appendonlydir) before
      // writing to the file, so an acknowledged write's file must have a durable name too. (4.0
      // never fsyncs the directory after its rename, docs/redis-bugs.md#bug-4: not asked of it.)
      // Names left undurable by the previous incarnation (a crash between a manifest rename and its
      // directory fsync) are not asked of this one: Redis does not fsync at startup what it loads.
      const path = this.server?.state?.aofFdPath;
      if (this.server?.config?.profile === 'redis-7.0' && this.server.state?.aofState === 'on' && path && this.nameDirty(path, this.inheritedDirty)) {
        this.violate('recovery', `appendfsync always acknowledged command #${req.seq} (k=${k}) while the name ${path} was not durable (no directory fsync since it was created or renamed)`);
      }
    }
    if (k <= this.kDrained && k > this.kAckDrained) this.kAckDrained = k;
  }

  /** Inode of the file aof_fd writes to now (aofFdPath names it; 4.0 renames the new file there). */
  private currentIno(): number | undefined {
    const st = this.server?.state;
    // Only while ON: in WAIT_REWRITE (appendonly yes just set) commands go to the rewrite buffer
    // (4.0) or a temp INCR (7.0) and nothing is promised until the rewrite switches in.
    if (!st || st.aofFdPath === null || st.aofState !== 'on' || !this.world) return undefined;
    return this.world.worldFs.inoOf(st.aofFdPath);
  }

  /** After beforeSleep: an empty aof_buf means every executed command is in the current file. */
  private observeDrain(): void {
    const s = this.server;
    if (!s || !s.state || this.history === null) return;
    const ino = this.currentIno();
    if (s.state.aofBuf !== '' || ino === undefined) return;
    this.kDrained = this.history.executed;
    const f = this.fileCov(ino, s.state.aofFdPath!);
    f.lastK = Math.max(f.lastK, this.kDrained);
    // Nothing written since the file's last fsync: the commands since then propagated nothing.
    if (!f.unsynced) this.covered(f, this.kDrained);
    else if (!f.bytesSinceSync) {
      f.rawSyncedK = Math.max(f.rawSyncedK, this.kDrained);
      if (this.kDrained > this.rawCovMax) this.rawCovMax = this.kDrained;
    }
  }

  private fileCov(ino: number, path: string): FileCov {
    let f = this.files.get(ino);
    if (!f) {
      // The first file after a start holds what was loaded (synced as far as syncBase); a later
      // one starts after everything drained so far.
      const base = Math.max(this.procBase, this.kDrainedBefore());
      const synced = this.order.length === 0 ? Math.min(this.syncBase, base) : base;
      f = { path, lastK: base, syncedK: synced, pendingSyncedK: synced, rawSyncedK: this.order.length === 0 ? base : synced, unsynced: synced < base };
      this.files.set(ino, f);
      this.order.push(ino);
    }
    return f;
  }

  /** A new file starts holding commands after everything drained so far (those live elsewhere). */
  private kDrainedBefore(): number {
    let m = 0;
    for (const f of this.files.values()) m = Math.max(m, f.lastK);
    return m;
  }

  private onSyscall(e: SyscallEvent, actor: string): void {
    // Faults the injector applied to this syscall (its typed record; fork and crash faults aside).
    let injected = false;
    let harmful = false;
    const record = this.world ? this.world.injector.injected : [];
    for (; this.faultsSeen < record.length; this.faultsSeen++) {
      const f = record[this.faultsSeen];
      if (f.kind === 'latency' || f.kind === 'write-blocked-by-fsync') injected = true;
      else if (f.kind === 'error' || f.kind === 'short-write' || f.kind === 'quota') injected = harmful = true;
    }
    if (injected && (harmful || (e.costMs ?? 0) >= 1000)) this.boundSpoiled = true;
    // Errors that are part of normal operation (the 7.0 done handler opens and unlinks temp files
    // that may not exist: ENOENT) are not faults; only injected errors and a full disk are.
    if (e.error !== undefined && e.error !== 'ENOENT' && e.error !== 'EEXIST') this.boundSpoiled = true;
    for (const c of this.checkers) c.onSyscall?.(e, actor as ActorName, { injected, harmful });
    // Renames move a tracked file's name; a directory fsync may make names durable (asked of the fs).
    if (e.error === undefined) {
      if (e.name === 'rename' && e.path2 !== undefined) {
        for (const f of this.files.values()) if (f.path === e.path) f.path = e.path2;
      } else if (e.name === 'fsyncDir') {
        for (const f of this.files.values()) if (!this.nameDirty(f.path)) f.syncedK = Math.max(f.syncedK, f.pendingSyncedK);
      }
    }
    const s = this.server;
    if (!s || !s.state || this.history === null || e.error !== undefined || e.ino === undefined) return;
    const st = s.state;
    const cur = this.currentIno();
    if (e.name === 'close' && actor === 'bio-close' && e.ino !== cur) {
      const f = this.files.get(e.ino);
      if (f) f.closed = true;
    }
    if (e.name === 'write' && e.ino === cur) {
      if (e.result !== '0') {
        const f = this.fileCov(e.ino, st.aofFdPath!);
        f.unsynced = true;
        f.bytesSinceSync = true;
        // It may now hold bytes of any command executed so far (an over-estimate is safe: it only
        // asks for more fsync coverage).
        f.lastK = Math.max(f.lastK, this.history.executed);
      }
    }
    if (e.name === 'ftruncate' && e.ino === cur) {
      // The short-write rollback: the partial bytes are gone, so the file holds only what was
      // drained before (the over-estimate made at the write no longer holds).
      const f = this.files.get(e.ino);
      if (f) f.lastK = Math.min(f.lastK, Math.max(this.kDrained, f.syncedK));
    }
    if (e.name === 'fsync' || e.name === 'fdatasync') {
      if (!this.files.has(e.ino) && e.ino !== cur) return;
      const f = this.fileCov(e.ino, e.path);
      // Quiescent moment (bio thread) or right after the write in flushAppendOnlyFile: an empty
      // aof_buf means every executed command is in the file being fsynced, if it is the current one.
      const cov = st.aofBuf === '' && e.ino === cur ? this.history.executed : f.lastK;
      if (cov > f.lastK) f.lastK = cov;
      f.unsynced = false;
      f.bytesSinceSync = false;
      // Durable once the current file is fsynced under a durable name (4.0 never fsyncs the
      // directory after its rename: a power loss may bring the old, unsynced file back).
      if (e.ino === cur && !this.nameDirty(st.aofFdPath ?? e.path)) this.baseUnsynced = false;
      this.covered(f, cov);
    }
  }

  private covered(f: FileCov, cov: number): void {
    f.rawSyncedK = Math.max(f.rawSyncedK, cov);
    if (cov > this.rawCovMax) this.rawCovMax = cov;
    if (this.nameDirty(f.path)) f.pendingSyncedK = Math.max(f.pendingSyncedK, cov);
    else f.syncedK = Math.max(f.syncedK, cov);
  }

  /**
   * Whether the file's name (or a directory above it) was created/renamed since its dir's last
   * fsync; names in `except` do not count.
   */
  private nameDirty(path: string, except?: ReadonlySet<string>): boolean {
    const core = this.world?.fs.core;
    if (!core) return false;
    if (except === undefined || except.size === 0) return !core.isNameDurable(path);
    // Dirty through an undurable entry (the name or a directory above it) that is not excepted.
    for (const n of core.undurableNames()) {
      if ((path === n.path || path.startsWith(n.path + '/')) && !except.has(n.path)) return true;
    }
    return false;
  }

  /** Names already undurable when the current incarnation started. */
  private inheritedDirty: ReadonlySet<string> = new Set();

  /** Facts of the running server that move the bounds (once a history exists). */
  private onServerFact(e: AofEvent): void {
    if (this.history === null || !this.server) return;
    switch (e.kind) {
      case 'ftruncate-failed':
        this.ftruncateFailed = true;
        return;
      case 'loader-truncated':
        this.loaderTruncated = true;
        return;
      case 'active-expired':
        if (this.server.state) {
          // Active expiry changed the state between requests (a DEL per key, propagated): a write of
          // its own, so that a wall clock stepped back later cannot make the history's keys alive again.
          const k = this.history.recordWrite(this.server.keyspace, 'all');
          this.onAt.set(k, this.server.state.aofState === 'on');
          this.execAt[k] = this.now();
        }
        return;
      case 'rewrite-switched':
        this.checkSwitch(e.generation);
        this.switched(e.generation);
        return;
      default:
        return;
    }
  }

  /**
   * After a switch the current file (4.0: the rewritten file; 7.0: the INCR opened at rewrite
   * start, with the new BASE before it) holds everything: older files no longer matter for
   * durability, unless the new name is not durable yet (4.0 never fsyncs the directory after the
   * rename, docs/redis-bugs.md#bug-4: a power loss may bring the old file back, so it stays counted and the
   * "about 2 s" bound does not apply).
   */
  private switched(generation: 'redis-4.0' | 'redis-7.0'): void {
    const st = this.server!.state!;
    // 7.0 sets the state ON right after this mark when the rewrite was the one enabling the AOF.
    const enabling = generation === 'redis-7.0' && st.aofState === 'wait-rewrite' && st.aofFdPath !== null && this.world !== null;
    const cur = enabling ? this.world!.worldFs.inoOf(st.aofFdPath!) : this.currentIno();
    if (cur === undefined) return;
    const known = this.files.has(cur);
    const f = this.fileCov(cur, this.server!.state!.aofFdPath!);
    if (!known && enabling) {
      // AOF just enabled (WAIT_REWRITE -> ON): the temp INCR, now current, took the commands fed
      // while waiting, written and fsynced (or not) by the policy of the time while nothing was
      // tracked; none of it counts as synced until an fsync of this file is seen.
      f.lastK = Math.max(f.lastK, this.history!.executed);
      f.unsynced = true;
      f.bytesSinceSync = true;
    }
    if (generation === 'redis-4.0') {
      // The rewritten file holds every command; the parent wrote the diff after the child's fsync.
      f.lastK = Math.max(f.lastK, this.kDrained);
      f.unsynced = true;
      f.syncedK = Math.min(f.syncedK, this.procBase);
      f.pendingSyncedK = f.syncedK;
      if (this.nameDirty(f.path)) {
        this.boundSpoiled = true;
        return;
      }
    }
    // 7.0: what came before lives in the new BASE, durable only if the directory entries are.
    if (this.nameDirty(f.path)) {
      const before = this.kSynced();
      f.syncedK = Math.min(f.syncedK, before);
      f.pendingSyncedK = Math.max(f.pendingSyncedK, f.syncedK);
    }
    for (const ino of [...this.order]) {
      if (ino === cur) continue;
      this.files.delete(ino);
      this.order.splice(this.order.indexOf(ino), 1);
    }
  }

  /** At the switch, the files now current load to a live state at least as new as aof_buf's drain. */
  private checkSwitch(generation: 'redis-4.0' | 'redis-7.0'): void {
    const at = `the ${generation} rewrite switch`;
    if (!this.checks.has('rewrite-switch') || !this.world || !this.server?.config) return;
    const h = this.history!;
    const st = this.server.state!;
    // With appendonly no (4.0 allows BGREWRITEAOF then) the files are not meant to follow the live state.
    if (st.aofState === 'off') return;
    const files = this.world.fs.snapshot('visible');
    const wallMs = this.world.wallNowMs();
    const loaded = loadOffline(files, this.server.config, wallMs);
    if (loaded.error !== null) {
      this.violate('rewrite-switch', `at ${at} the current files do not load: ${loaded.error}`);
      return;
    }
    const kMin = st.aofBuf === '' ? h.executed : this.kDrained;
    const v = checkRecovery(h, loaded.keyspace!, { kMin, kMax: h.executed, atMs: wallMs });
    if (!v.ok) this.violate('rewrite-switch', `at ${at} the current files do not load to the live state: ${describeVerdict(v)}`);
  }
}

/** The history up to write j (versions after j dropped), as a new StateHistory. */
function truncateHistory(h: StateHistory, j: number): StateHistory {
  const empty = new KeyspaceImpl();
  const out = new StateHistory(empty);
  for (const [slot, list] of h.versions) {
    const kept = list.filter((v) => v.k <= j);
    if (kept.length > 0) out.versions.set(slot, kept.map((v) => ({ ...v })));
  }
  for (let i = 0; i < j; i++) out.recordWrite(empty, []);
  return out;
}
