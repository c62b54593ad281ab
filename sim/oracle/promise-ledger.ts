// The promise ledger: what the running server has promised about durability, in terms of k (the
// number of executed commands, a MULTI/EXEC block counting as one; ARCHITECTURE.md#the-oracle). It
// records the live server's state after every executed command into a StateHistory, which commands
// were acknowledged, which were written to the AOF (aof_buf drained) and which were covered by a
// completed fsync, per AOF file (keyed by inode: renames follow the file). At every restart it
// compares the recovered keyspace with the history under the bounds below and hands the outcome
// (a Restart, or a RefusedStart) to the checkers (sim/oracle/checkers/*.ts), which judge it; the
// ledger itself reports nothing.
//
// Durability facts come from the filesystem, not from a model of our own: whether a file still has
// bytes no fsync made durable (FsCore.isDirty) and whether a name is durable (FsCore.isNameDurable,
// undurableNames). What only the ledger can know is which commands' bytes a file holds.
//
// Bounds (kMin) per crash kind and fsync policy:
// - a command counts as promised only if it was executed while aof_state was ON (writes done with
//   appendonly no or while the enabling rewrite runs are not promised by Redis either);
// - process kill / self-exit: every acknowledged command whose bytes had left aof_buf when it was
//   acknowledged (`always`: every acknowledged command: Redis writes before replying or exits).
//   DIVERGENCE(redis) none: under everysec Redis acknowledges commands whose write() failed (they
//   stay in aof_buf), so a process kill may lose them; that is Redis behaviour, not a bug.
// - power loss: every command covered by completed fsyncs of every AOF file holding it (per-file
//   coverage: Redis 7.0 fsyncs the old INCR in bio-close and the new one in bio-fsync, separate
//   threads, so a new INCR can be fsynced before the old one; excluded here by requiring all files
//   to be covered). The time bound of everysec is the everysec-bound checker's.
// - redis-4.0 renames the rewritten file without fsyncing the directory (docs/redis-bugs.md#bug-4,
//   fixed only in 7.0): until a directory fsync, a power loss may bring back the old file, so
//   coverage earned by fsyncs of a renamed-but-not-dir-synced file does not count (the old file's does).
//
// Invariant: observation only. The ledger never makes a syscall through the world, so traces and
// op indices are the same with and without it.

import type { AofConfig } from '../../src/aof/config.ts';
import { aofDirPath } from '../../src/aof/state.ts';
import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { AofEvent } from '../../src/ports/events.ts';
import { joinPath } from '../../src/ports/fs.ts';
import { Keyspace as KeyspaceImpl } from '../../src/keyspace/keyspace.ts';
import type { SyscallEvent } from '../fs/syscall.ts';
import type { Request, World } from '../world/world.ts';
import type { AofServer } from './checkers/checker.ts';
import { checkRecovery, type OracleVerdict } from './oracle.ts';
import { StateHistory } from './state-history.ts';

/** The promises frozen at a crash (or exit): nothing acks or fsyncs after it. */
export interface PromiseSnapshot {
  executed: number;
  /** Last command acknowledged under `always` (written and fsynced before the reply, or Redis exits). */
  kAck: number;
  /** Last command acknowledged after its bytes left aof_buf. */
  kAckDrained: number;
  /** Last command covered by completed fsyncs of every file holding it, under durable names. */
  kSynced: number;
  /** The same, names aside. */
  kSyncedRaw: number;
  /** The state this incarnation started from (its loaded data is write procBase). */
  procBase: number;
  /** Up to where the loaded data was durable at the start. */
  syncBase: number;
  /** Last command whose bytes had left aof_buf. */
  kDrained: number;
  /** A file other than the current one, still open, holds commands no fsync covered. */
  olderOpenUnsynced: boolean;
  /** Some file holds commands no fsync covered. */
  anyUnsynced: boolean;
  /** The loader truncated a short tail at this incarnation's start (not fsynced, as in Redis). */
  loaderTruncated: boolean;
  /** A short write's ftruncate failed: a partial record stays in the file. */
  ftruncateFailed: boolean;
  /** Every followed file's name (and the directories above) is durable. */
  namesDurable: boolean;
}

export type CrashKind = 'power' | 'process';

/** Why a recovery is not judged (Redis itself gives no answer there). */
export type RecoveryExcuse = 'ftruncate-failed' | 'base-unsynced' | 'hole-across-incr';

/** A start that completed after a crash or exit, with what was promised before it. */
export interface Restart {
  server: AofServer;
  kind: CrashKind;
  /** The crash came between steps (asked for), not at an operation or point inside one. */
  betweenSteps: boolean;
  /** Virtual time of the crash. */
  atMs: number;
  /** The server's wall clock at the crash: what TTLs were judged by. */
  wallAtMs: number;
  snapshot: PromiseSnapshot;
  history: StateHistory;
  recovered: Keyspace;
  /** The recovered keyspace against [kMin promised, executed]. */
  verdict: OracleVerdict;
  excuse: RecoveryExcuse | null;
  /** e.g. `power loss, appendfsync everysec`, for messages. */
  label: string;
}

/** A start that ended in exit() (the load failed) after a crash or exit. */
export interface RefusedStart {
  reason: string;
  kind: CrashKind;
  /** What was promised before the crash (null: the previous start never completed either). */
  snapshot: PromiseSnapshot | null;
  /** The load failed on a truncated non-last file (AOF_NOT_LAST_FILE). */
  notLastFile: boolean;
  /** A fault was injected since the last completed start (the refusal may be its doing). */
  faultSinceStart: boolean;
  /**
   * A fault was injected after the last write the crashed incarnation acknowledged with its bytes
   * out of aof_buf (or, with none acknowledged, since its start). False: the server went on
   * acknowledging writes after every fault, so it claimed the files sound.
   */
  faultSincePromise: boolean;
}

/** A reply to a command that was promised (executed while aof_state was ON). */
export interface Ack {
  req: Request;
  k: number;
  /** Acknowledged under `always`, newer than every earlier such ack. */
  always: boolean;
  /** Highest k covered by an fsync of the file holding it, names aside. */
  rawCoveredK: number;
}

export interface LedgerListener {
  onRestart(r: Restart): void;
  onStartRefused(r: RefusedStart): void;
  onAcked(a: Ack): void;
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
  /** This process wrote bytes to it since its last fsync. */
  bytesSinceSync?: boolean;
  /** Its fd was closed (7.0: the bio-close job of the old INCR ran). */
  closed?: boolean;
}

export class PromiseLedger {
  /** Restarts judged (recoveries and refused starts after a crash or exit). */
  crashChecks = 0;
  /** Recoveries not judged (see RecoveryExcuse). */
  excused = 0;
  incarnation = 0;
  private history: StateHistory | null = null;
  private server: AofServer | null = null;
  private kOf = new Map<number, number>();
  private onAt = new Map<number, boolean>();
  private execAt: number[] = [];
  private kAck = 0;
  private kAckDrained = 0;
  private kDrained = 0;
  /** AOF files by inode, in the order they started holding commands. */
  private files = new Map<number, FileCov>();
  private order: number[] = [];
  private crashSnapshot: PromiseSnapshot | null = null;
  private crashKind: 'none' | CrashKind = 'none';
  private crashBetweenSteps = true;
  private crashAtMs = 0;
  private crashWallMs = 0;
  /** Between server-starting and server-started (or the exit that ends the start). */
  private starting = false;
  /** The failed load of this start was a truncated non-last file (AOF_NOT_LAST_FILE). */
  private loadNotLastFile = false;
  private ftruncateFailed = false;
  private loaderTruncated = false;
  /** The history restarted from an excused recovery that no fsync has made durable yet. */
  private baseUnsynced = false;
  private startOp = 0;
  /** The fault injector's op index when kAckDrained last advanced. */
  private ackDrainedOp = 0;
  private procBase = 0;
  private syncBase = 0;
  private lastPropagated = false;
  private lastAlways = false;
  /** Highest k covered by an fsync of the file that held it (names and other files aside). */
  private rawCovMax = 0;
  /** Commands that fed aof_buf while appendfsync was always: Redis fsyncs them before replying. */
  private alwaysFed = new Set<number>();
  /** Names already undurable when the current incarnation started. */
  private inheritedDirty: ReadonlySet<string> = new Set();

  constructor(
    private readonly world: World<AofConfig>,
    private readonly listener: LedgerListener,
  ) {}

  // ---- queries (for the checkers) ----------------------------------------------------------

  /** The server of the running incarnation, once a history exists (something can be promised). */
  trackedServer(): AofServer | null {
    return this.history === null ? null : this.server;
  }

  /** The state history, once the first start completed. */
  currentHistory(): StateHistory | null {
    return this.history;
  }

  /** Whether this request was executed by the tracked server (it counts as a write k). */
  tracksRequest(req: Request): boolean {
    return this.kOf.has(req.seq);
  }

  /** Whether the ledger follows this AOF file (it holds commands). */
  followsFile(ino: number): boolean {
    return this.files.has(ino);
  }

  /** Last command whose bytes left aof_buf. */
  drainedK(): number {
    return this.kDrained;
  }

  /** Virtual time command k was executed (undefined for k the history no longer holds). */
  executedAtMs(k: number): number | undefined {
    return this.execAt[k];
  }

  /** Whether command k was executed while aof_state was ON (Redis promises nothing else). */
  promisedOn(k: number): boolean {
    return this.onAt.get(k) === true;
  }

  /** Inode of the file aof_fd writes to now (aofFdPath names it; 4.0 renames the new file there). */
  currentIno(): number | undefined {
    const st = this.server?.state;
    // Only while ON: in WAIT_REWRITE (appendonly yes just set) commands go to the rewrite buffer
    // (4.0) or a temp INCR (7.0) and nothing is promised until the rewrite switches in.
    if (!st || st.aofFdPath === null || st.aofState !== 'on') return undefined;
    return this.world.worldFs.inoOf(st.aofFdPath);
  }

  /**
   * Whether the name (or a directory above it) was created/renamed since its directory's last
   * fsync (asked of the filesystem); with `inheritedAside`, names already undurable when this
   * incarnation started do not count (Redis does not fsync at startup what it loads).
   */
  nameDirty(path: string, inheritedAside = false): boolean {
    const core = this.world.fs.core;
    if (!inheritedAside || this.inheritedDirty.size === 0) return !core.isNameDurable(path);
    for (const n of core.undurableNames()) {
      if ((path === n.path || path.startsWith(n.path + '/')) && !this.inheritedDirty.has(n.path)) return true;
    }
    return false;
  }

  // ---- what the world reports ----------------------------------------------------------------

  /** A command of a client ran. */
  onExecuted(req: Request, server: AofServer): void {
    if (this.history === null || server !== this.server) return;
    const k = this.history.recordWrite(server.keyspace, 'all');
    this.kOf.set(req.seq, k);
    this.onAt.set(k, server.state?.aofState === 'on');
    if (this.lastPropagated && this.lastAlways) this.alwaysFed.add(k);
    this.execAt[k] = this.world.nowMs();
  }

  /** A reply reached its client; `beforeAck` runs first (the checkers' onReplied). */
  onReplied(req: Request, beforeAck: () => void): void {
    const k = this.kOf.get(req.seq);
    if (k === undefined) return;
    beforeAck();
    if (!this.onAt.get(k)) return;
    if (this.alwaysFed.has(k) && k > this.kAck) {
      this.kAck = k;
      this.listener.onAcked({ req, k, always: true, rawCoveredK: this.rawCovMax });
    }
    if (k <= this.kDrained && k > this.kAckDrained) {
      this.kAckDrained = k;
      this.ackDrainedOp = this.world.injector.opIndex;
    }
  }

  /** The server's typed events (src/ports/events.ts), after the checkers saw them. */
  onAofEvent(e: AofEvent, server: AofServer): void {
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

  /** After a syscall of any actor (after the checkers saw it). */
  onSyscall(e: SyscallEvent, actor: string): void {
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
    if (e.name === 'write' && e.ino === cur && e.result !== '0') {
      const f = this.fileCov(e.ino, st.aofFdPath!);
      f.bytesSinceSync = true;
      // It may now hold bytes of any command executed so far (an over-estimate is safe: it only
      // asks for more fsync coverage).
      f.lastK = Math.max(f.lastK, this.history.executed);
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
      f.bytesSinceSync = false;
      // Durable once the current file is fsynced under a durable name (4.0 never fsyncs the
      // directory after its rename: a power loss may bring the old, unsynced file back).
      if (e.ino === cur && !this.nameDirty(st.aofFdPath ?? e.path)) this.baseUnsynced = false;
      this.covered(f, cov);
    }
  }

  // ---- starts and crashes --------------------------------------------------------------------

  private beforeStart(server: AofServer): void {
    // A crash (or exit) since the last start freezes the bounds: nothing acks or fsyncs any more.
    this.noteCrash();
    this.loaderTruncated = false;
    // After a power loss the filesystem is the durable image: every name is durable.
    this.inheritedDirty = new Set(this.world.fs.core.undurableNames().map((n) => n.path));
    this.server = server;
    this.incarnation++;
  }

  private noteCrash(): void {
    const w = this.world;
    if (this.history === null) return;
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
    this.crashSnapshot = this.snapshot();
  }

  private snapshot(): PromiseSnapshot {
    return {
      executed: this.history!.executed,
      kAck: this.kAck,
      kAckDrained: this.kAckDrained,
      kSynced: this.kSynced(),
      kSyncedRaw: this.rawCovMax,
      procBase: this.procBase,
      syncBase: this.syncBase,
      kDrained: this.kDrained,
      anyUnsynced: [...this.files.values()].some((f) => f.syncedK < f.lastK),
      loaderTruncated: this.loaderTruncated,
      olderOpenUnsynced: this.order.some((ino) => {
        const f = this.files.get(ino)!;
        return ino !== this.currentIno() && f.syncedK < f.lastK && !f.closed;
      }),
      ftruncateFailed: this.ftruncateFailed,
      namesDurable: ![...this.files.values()].some((f) => this.nameDirty(f.path)),
    };
  }

  /** The largest k such that every AOF file holding writes <= k has them covered by an fsync. */
  private kSynced(): number {
    let k = Infinity;
    let all = this.syncBase;
    for (const p of this.order) {
      const f = this.files.get(p)!;
      all = Math.max(all, f.lastK);
      if (f.syncedK < f.lastK) k = Math.min(k, f.syncedK);
    }
    return k === Infinity ? all : k;
  }

  private loadExited(reason: string): void {
    this.crashChecks++;
    // The pending crash check (if any) carries over to the next start that completes.
    if (this.history === null) return; // first start: nothing promised
    this.listener.onStartRefused({
      reason,
      kind: this.crashKind === 'power' ? 'power' : 'process',
      snapshot: this.crashSnapshot,
      notLastFile: this.loadNotLastFile,
      faultSinceStart: this.world.injector.injected.some((f) => f.opIndex > this.startOp),
      faultSincePromise: this.world.injector.injected.some((f) => f.opIndex > Math.max(this.startOp, this.ackDrainedOp)),
    });
  }

  private afterStart(server: AofServer): void {
    const w = this.world;
    const ks = server.keyspace;
    let procBase = 0;
    let syncBase = 0;
    if (this.history === null) {
      this.history = new StateHistory(ks);
      this.execAt = [w.nowMs()];
    } else {
      // One history for the whole run: the byte stream continues across restarts, so a later
      // power loss may go back to a state of an earlier incarnation. The recovered state R = S_j
      // continues the history at j (the lost S_j+1.. are cut), recorded as write j+1.
      let j = this.history.executed;
      let prevSynced = this.kSynced();
      if (this.crashSnapshot !== null) {
        this.crashChecks++;
        const v = this.judgeRecovered(ks, this.crashSnapshot, server);
        j = v === null ? -1 : v;
        prevSynced = this.crashSnapshot.kSynced;
      }
      if (j < 0) {
        // An excused recovery becomes the new S_0, but Redis does not fsync what it loaded: until
        // an fsync of the AOF, a power loss may go back before it, where the history cannot follow.
        this.baseUnsynced = true;
        this.history = new StateHistory(ks);
        this.execAt = [w.nowMs()];
        this.kOf.clear();
        this.onAt.clear();
        this.alwaysFed.clear();
      } else {
        this.history = truncateHistory(this.history, j);
        this.execAt.length = j + 1;
        for (const k of [...this.alwaysFed]) if (k > j) this.alwaysFed.delete(k);
        for (const k of [...this.onAt.keys()]) if (k > j) this.onAt.delete(k);
        const k = this.history.recordWrite(ks, 'all');
        this.execAt[k] = w.nowMs();
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
    this.startOp = w.injector.opIndex;
    this.ackDrainedOp = this.startOp;
    this.ftruncateFailed = false;
    this.noteLoadedUnsynced(server, procBase, syncBase);
    this.observeDrain();
  }

  /**
   * Redis 7.0 does not fsync the files it loaded, and it writes on into the last INCR only: loaded
   * commands that never reached the disk and sit in an older INCR (one a rewrite start had already
   * followed by a new INCR) stay unsynced until a rewrite switch retires that file, whatever the
   * current INCR's fsyncs cover. Followed as a closed file that no fsync covers.
   */
  private noteLoadedUnsynced(server: AofServer, procBase: number, syncBase: number): void {
    if (syncBase >= procBase || server.config?.profile !== 'redis-7.0') return;
    const m = server.state?.manifest;
    if (!m) return;
    // The files the loaded manifest names (redis: the BASE and INCRs loadAppendOnlyFiles read).
    const dir = aofDirPath(server.config);
    const loaded = new Set([...(m.base ? [m.base] : []), ...m.incrs].map((i) => joinPath(dir, i.name)));
    const cur = this.currentIno();
    const older = this.world.worldFs.current.pendingSummary().files.find((f) => f.ino !== cur && loaded.has(f.path));
    if (older === undefined) return;
    this.files.set(-1, { path: older.path, lastK: procBase, syncedK: syncBase, pendingSyncedK: syncBase, rawSyncedK: syncBase, closed: true });
    this.order.push(-1);
  }

  /** Compares the recovered keyspace with the promises; returns the k it continues from (the newest feasible), or null. */
  private judgeRecovered(ks: Keyspace, s: PromiseSnapshot, server: AofServer): number | null {
    const h = this.history!;
    const kind: CrashKind = this.crashKind === 'power' ? 'power' : 'process';
    // kAck: acknowledged under always (written and fsynced before the reply, or Redis exits);
    // kAckDrained: acknowledged after its bytes left aof_buf; kSynced: covered by completed fsyncs.
    // Power loss: only completed fsyncs count, and only for files whose names were durable (Redis
    // never fsyncs the directory after creating appendonly.aof (4.0) or appendonlydir (7.0) at
    // startup, nor after the 4.0 rename: a power loss may take those names away with the data).
    // A restart with appendonly no loads dump.rdb and ignores the AOF, so the AOF's promises do not
    // hold (the snapshot's are the 'rdb-snapshot' check's): that is what Redis does when appendonly was
    // switched on by CONFIG SET and the config file still says no.
    const aofLoaded = server.config?.appendonly !== false;
    const promised = kind === 'process' ? Math.max(s.procBase, s.kAck, s.kAckDrained) : s.kSynced;
    const kMin = aofLoaded ? Math.min(promised, s.executed) : 0;
    // Judged at the restart, not at the crash: that is when a client first sees the recovered state,
    // and an RDB load (dump.rdb, as opposed to an AOF and its preamble) drops the keys whose expire
    // time passed in between (redis rdbLoadRio: expired keys are skipped when loading as a master).
    // A key that expired while the server was down is absent to every client either way.
    const verdict = checkRecovery(h, ks, { kMin, kMax: s.executed, atMs: Math.max(this.crashWallMs, this.world.wallNowMs()) });
    let excuse: RecoveryExcuse | null = null;
    if (s.ftruncateFailed) excuse = 'ftruncate-failed';
    else if (kind === 'power' && this.baseUnsynced) excuse = 'base-unsynced';
    else if (!verdict.ok && kind === 'power' && server.config?.profile === 'redis-7.0' && (s.syncBase < s.procBase || s.olderOpenUnsynced)) excuse = 'hole-across-incr';
    if (excuse !== null) this.excused++;
    this.listener.onRestart({
      server,
      kind,
      betweenSteps: this.crashBetweenSteps,
      atMs: this.crashAtMs,
      wallAtMs: this.crashWallMs,
      snapshot: s,
      history: h,
      recovered: ks,
      verdict,
      excuse,
      label: `${kind === 'power' ? 'power loss' : 'process kill'}, appendfsync ${server.config?.appendfsync}`,
    });
    return excuse === null && verdict.ok ? verdict.feasible.at(-1)![1] : null;
  }

  // ---- drains, files and fsync coverage -------------------------------------------------------

  /** After beforeSleep: an empty aof_buf means every executed command is in the current file. */
  private observeDrain(): void {
    const s = this.server;
    if (!s || !s.state || this.history === null) return;
    const ino = this.currentIno();
    if (s.state.aofBuf !== '' || ino === undefined) return;
    this.kDrained = this.history.executed;
    const f = this.fileCov(ino, s.state.aofFdPath!);
    f.lastK = Math.max(f.lastK, this.kDrained);
    // No bytes of the file wait for an fsync (asked of the filesystem): everything drained is durable.
    if (!this.world.fs.core.isDirty(ino)) this.covered(f, this.kDrained);
    else if (!f.bytesSinceSync) {
      // Nothing written by this process since the file's last fsync: the commands since then propagated nothing.
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
      f = { path, lastK: base, syncedK: synced, pendingSyncedK: synced, rawSyncedK: this.order.length === 0 ? base : synced };
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

  private covered(f: FileCov, cov: number): void {
    f.rawSyncedK = Math.max(f.rawSyncedK, cov);
    if (cov > this.rawCovMax) this.rawCovMax = cov;
    if (this.nameDirty(f.path)) f.pendingSyncedK = Math.max(f.pendingSyncedK, cov);
    else f.syncedK = Math.max(f.syncedK, cov);
  }

  /** Facts of the running server that move the bounds (once a history exists). */
  private onServerFact(e: AofEvent): void {
    if (this.history === null || !this.server) return;
    switch (e.kind) {
      case 'ftruncate-failed':
        // A short write whose ftruncate also failed leaves a partial record in the file and Redis
        // goes on ("Could not remove short write ... Redis may refuse to load the AOF",
        // docs/redis-bugs.md#bug-5; 4.0 also writes SET + PEXPIREAT of one command unwrapped, so
        // half a unit can survive). Redis has no answer to that: the next recovery is excused.
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
          this.execAt[k] = this.world.nowMs();
        }
        return;
      case 'rewrite-switched':
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
   * rename, docs/redis-bugs.md#bug-4: a power loss may bring the old file back, so it stays counted).
   */
  private switched(generation: 'redis-4.0' | 'redis-7.0'): void {
    const st = this.server!.state!;
    // 7.0 sets the state ON right after this event when the rewrite was the one enabling the AOF.
    const enabling = generation === 'redis-7.0' && st.aofState === 'wait-rewrite' && st.aofFdPath !== null;
    const cur = enabling ? this.world.worldFs.inoOf(st.aofFdPath!) : this.currentIno();
    if (cur === undefined) return;
    const known = this.files.has(cur);
    const f = this.fileCov(cur, st.aofFdPath!);
    if (!known && enabling) {
      // AOF just enabled (WAIT_REWRITE -> ON): the temp INCR, now current, took the commands fed
      // while waiting, written and fsynced (or not) by the policy of the time while nothing was
      // followed; none of it counts as synced until an fsync of this file is seen.
      f.lastK = Math.max(f.lastK, this.history!.executed);
      f.bytesSinceSync = true;
    }
    if (generation === 'redis-4.0') {
      // The rewritten file holds every command; the parent wrote the diff after the child's fsync.
      f.lastK = Math.max(f.lastK, this.kDrained);
      f.syncedK = Math.min(f.syncedK, this.procBase);
      f.pendingSyncedK = f.syncedK;
      if (this.nameDirty(f.path)) return;
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
