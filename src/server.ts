// The Server: keyspace + executor + AOF (feed, writer, rewrite) + serverCron, generic over the ports.
// redis: server.c main/initServer, processCommand (the MISCONF gate), call -> propagate ->
// feedAppendOnlyFile, beforeSleep (flushAppendOnlyFile before replies), serverCron (postponed flush,
// write-error retry every second, child reaping, scheduled and automatic rewrites, active expiry),
// plus the server-level commands CONFIG (AOF keys), INFO, BGREWRITEAOF, SHUTDOWN, DEBUG LOADAOF;
// RDB snapshots (SAVE, BGSAVE, LASTSAVE, save points, dump.rdb at startup) live in src/persistence.
//
// Event-loop contract (see ServerLike in server-types.ts):
//   execute()*  -> replies are held;
//   beforeSleep() -> flushAppendOnlyFile(0) (write + fsync under `always`), then the held replies
//                    become releasable; takeReplies() hands them out. So under `always` no reply is
//                    observable before its write and fsync returned (docs/redis-bugs.md#bug-20).
//   cron()      -> one serverCron tick followed by the beforeSleep of the same loop iteration
//                  (as in Redis, where the timer event runs inside aeProcessEvents and beforeSleep
//                  follows); drivers call it every 1000/hz ms of (virtual) time.
// Where Redis calls exit(), a ProcessExit is thrown; the server is dead afterwards: every later
// call throws the same ProcessExit. Held replies of a dead server are never released.
//
// Invariants: commands are fed to the AOF in execution order, one execution unit at a time; a reply
// is released only by the beforeSleep that follows its command; time comes only from the Clock port.

import type { Bytes } from './keyspace/types.ts';
import { Keyspace } from './keyspace/keyspace.ts';
import type { Reply } from './commands/reply.ts';
import { NIL_ARRAY, OK, array, bulk, error, unreproducedError } from './commands/reply.ts';
import { BlockedClients, servingArgv } from './server-blocked.ts';
import type { ClientState, CommandExecutor, Propagated } from './commands/types.ts';
import { newClient } from './commands/types.ts';
import type { CommandDef } from './commands/command-def.ts';
import { def } from './commands/command-def.ts';
import { Executor } from './commands/executor.ts';
import { unixtimeS } from './ports/clock.ts';
import { isFsError } from './ports/fs.ts';
import type { ServerDeps, ServerLike, HeldReply } from './server-types.ts';
import { ProcessExit, isProcessExit } from './server-types.ts';
import { resolveAofConfig, type AofConfig, type AofConfigInput } from './aof/config.ts';
import { AOF_CONFIG_KEYS, cString, configGet, configGet40, configGetMatches70, findConfigKey, isKey40, parseConfigValue, parseConfigValue40, stringmatch } from './aof/config-keys.ts';
import { newAofState, hasActiveChild, type AofState } from './aof/state.ts';
import { feedAppendOnlyFile, type RewriteBufferSink } from './aof/feed/feed-append-only-file.ts';
import { flushAppendOnlyFile } from './aof/writer/flush-append-only-file.ts';
import { handleAofBioCompletion } from './aof/writer/bio-fsync.ts';
import { aofDiskErrorMessage } from './aof/writer/disk-error.ts';
import { aofServerStart } from './aof/startup/server-start.ts';
import { startAppendOnly, stopAppendOnly } from './aof/startup/toggle.ts';
import { infoPersistenceSection } from './aof/info.ts';
import { rdbLoaderFor, type LoadResult } from './aof/loader/index.ts';
import { withKeyLoadDelay } from './aof/loader/key-load-delay.ts';
import type { RdbPreambleLoader } from './aof/loader/types.ts';
import {
  aofRewriteLimited,
  bgrewriteaofCommand,
  feedRewriteBuffer,
  killAppendOnlyChild,
  processRewritePipes,
  rewriteAppendOnlyFileBackground,
} from './aof/rewrite/index.ts';
import type { RdbHost } from './persistence/rdb-host.ts';
import { RDB_DIRECTIVES, rdbConfigFrom } from './persistence/rdb-config.ts';
import { newRdbState } from './persistence/rdb-state.ts';
import {
  bgsaveCommand,
  bgsaveErrorMessage,
  checkChildrenDone,
  flushallResetRdb,
  killRDBChild,
  lastsaveCommand,
  rdbDeniesWrites,
  rdbRemoveTempFile,
  rdbSaveSync,
  saveCommand,
  savePointsCron,
  scheduledBgsaveCron,
} from './persistence/rdb-background.ts';
import { loadDataFromDiskRdb } from './persistence/rdb-startup.ts';
import { rdbInfoFields } from './persistence/rdb-info.ts';
import { redis40RdbVersion } from './rdb/index.ts';
import { encodeRdbMemoEmpty } from './server-empty-rdb.ts';
import { debugCommand } from './server-debug.ts';
import { applyEncodingDirective } from './commands/encoding.ts';
import { ClientRegistry, type ConnectionInfo } from './server-clients.ts';
import { infoClientsSection, infoMemorySection, infoServerSection, infoStatsSection, newServerStats, type InfoInputs, type ServerStats } from './server-info.ts';
import { REDIS70_DIRECTIVES, checkDirectiveValue, checkSpecial, findDirective, type Directive } from './server-directives.ts';
import { DIRECTIVES_40, findDirective40, setDirective40, storeKey40, type Directive40 } from './server-directives-40.ts';
import { BASE_COMMAND_TABLE } from './commands/table.ts';
import { parseShutdownArgs, signalShutdownOptions, type ShutdownOptions } from './server-shutdown.ts';

export type { ShutdownOptions } from './server-shutdown.ts';

/** The command layer's FLUSHALL, which the server's own FLUSHALL wraps. */
const BASE_FLUSHALL = BASE_COMMAND_TABLE.get('flushall') as CommandDef;
/** What takeHeldReplies() returns when nothing is held (shared, never written). */
const NO_HELD_REPLIES: readonly HeldReply[] = Object.freeze([]);

export interface ServerOptions {
  /** redis: lazyfree-lazy-expire. */
  lazyfreeLazyExpire?: boolean;
  /** redis: lazyfree-lazy-server-del. */
  lazyfreeLazyServerDel?: boolean;
  /** redis: active-expire-enabled (default true). */
  activeExpire?: boolean;
  /** getpid() (temp file names of synchronous rewrites). Default 1. */
  pid?: number;
  /** redis: enable-debug-command (`no` rejects DEBUG as 7.0 does). Default true. */
  enableDebugCommand?: boolean;
  /**
   * Values of the redis.conf directives aofsim does not model, as given at startup (canonical
   * name -> CONFIG GET text); CONFIG GET answers them, other directives answer their 7.0 default.
   */
  directives?: ReadonlyMap<string, string>;
  /** For INFO server: the TCP port (0 when none), the executable and config file paths. */
  tcpPort?: number;
  executable?: string;
  configFile?: string;
  /**
   * The config is a complete AofConfig as resolveAofConfig returns it: the Server takes a copy of
   * its own (CONFIG SET changes it) instead of resolving it again, which gives the same values.
   * The simulator starts a Server per incarnation with its world's resolved config, and resolving
   * was a visible share of a short simulated run.
   */
  configResolved?: boolean;
  /** Startup config values a double cannot hold, exactly (configFromPairs's `exact`). */
  configExact?: ReadonlyMap<keyof AofConfig, bigint>;
}


/** Why CONFIG SET changed nothing: an unknown name, a name refused (immutable, given twice), a bad value, or a failed AOF enable. */
type ConfigSetFailure = { kind: 'unknown' | 'name' | 'value' | 'enable'; arg: string; why: string };

export class Server implements ServerLike {
  readonly keyspace: Keyspace;
  readonly config: AofConfig;
  readonly state: AofState;
  readonly executor: Executor;
  /** The AOF context plus flush and RDB encoder (the rewrite and toggles), plus the RDB snapshot state. */
  readonly host: RdbHost;
  /** The last startup load (null before start() or with appendonly no). */
  lastLoad: LoadResult | null = null;
  /** Set once the process "exited" (ProcessExit thrown). */
  exited: ProcessExit | null = null;
  started = false;
  /** redis: server.cronloops. */
  cronloops = 0;
  private pending: HeldReply[] = [];
  private ready: HeldReply[] = [];
  private nextClientId = 1;
  private inExec = false;
  /** redis: active-expire-enabled (DEBUG SET-ACTIVE-EXPIRE). */
  activeExpire: boolean;
  private readonly sink: RewriteBufferSink;
  private readonly enableDebugCommand: boolean;
  private readonly blocked = new BlockedClients();
  /** The clients not closed yet (CLIENT LIST, INFO connected_clients). */
  private readonly clients: ClientRegistry;
  /** INFO stats counters. */
  readonly stats: ServerStats;
  /** The directives aofsim does not model (CONFIG GET/SET keep their values). */
  private readonly directives: Map<string, string>;
  private readonly infoServer: { tcpPort: number; executable: string; configFile: string };
  private readonly tcpPortGiven: boolean;
  /**
   * Config values a double cannot hold (auto-aof-rewrite-min-size past 2^53), from startup or CONFIG
   * SET, for CONFIG GET to print exactly. The rewrite check compares the AOF size (below 2^53) with
   * the double, which orders it as the exact value would.
   */
  private readonly configExact: Map<keyof AofConfig, bigint>;

  constructor(
    readonly deps: ServerDeps,
    config: AofConfigInput = {},
    options: ServerOptions = {},
  ) {
    this.config = options.configResolved === true ? { ...(config as AofConfig) } : resolveAofConfig(config);
    // A method, not an arrow property: tsx (esbuild keepNames) names each arrow with a
    // defineProperty call per Server, and every simulated start builds one.
    const blocked = this.blocked;
    this.clients = new ClientRegistry({
      blocked(c) {
        return blocked.isBlocked(c.id);
      },
    });
    this.keyspace = new Keyspace();
    this.state = newAofState();
    this.activeExpire = options.activeExpire ?? true;
    this.enableDebugCommand = options.enableDebugCommand ?? true;
    this.directives = new Map(options.directives ?? []);
    this.configExact = new Map(options.configExact ?? []);
    this.stats = newServerStats(deps.clock.nowMs(), options.pid ?? 1, deps.random);
    this.infoServer = { tcpPort: options.tcpPort ?? 0, executable: options.executable ?? '', configFile: options.configFile ?? '' };
    this.tcpPortGiven = options.tcpPort !== undefined;
    this.executor = new Executor(this.keyspace, {
      profile: this.config.profile,
      clock: deps.clock,
      random: deps.random,
      log: deps.log,
      lazyfreeLazyExpire: options.lazyfreeLazyExpire,
      lazyfreeLazyServerDel: options.lazyfreeLazyServerDel,
      extraCommands: this.serverCommands(),
    });
    const v7 = this.config.profile === 'redis-7.0';
    const executor = this.executor;
    const directives = this.directives;
    const host: RdbHost = {
      config: this.config,
      state: this.state,
      keyspace: this.keyspace,
      fs: deps.fs,
      clock: deps.clock,
      tasks: deps.tasks,
      log: deps.log,
      random: deps.random,
      events: deps.events,
      // Methods, not arrow properties: tsx names each arrow with a defineProperty call per Server.
      flushAppendOnlyFile(force: boolean) {
        return flushAppendOnlyFile(host, force);
      },
      encodeRdb(ks, aux, nowMs) {
        return [
          encodeRdbMemoEmpty(ks, { nowMs, aofBase: aux === 'aof-base', aofPreamble: aux === 'aof-preamble', redisVer: v7 ? '7.0.15' : '4.0.14', version: v7 ? 10 : redis40RdbVersion(ks) }),
        ];
      },
      pid: options.pid ?? 1,
      rdb: newRdbState(unixtimeS(deps.clock)),
      rdbConfig: rdbConfigFrom((name) => directives.get(name)),
      totalDirty() {
        return executor.totalDirty;
      },
      rdbKeySaveDelayUs() {
        return Number(directives.get('rdb-key-save-delay') ?? '0');
      },
    };
    this.host = host;
    for (const [name, value] of this.directives) applyEncodingDirective(this.executor.encodingLimits, name, value);
    this.sink = {
      rewriteBufferAppend(_ctx, buf) {
        feedRewriteBuffer(host, buf);
      },
    };
  }

  get hz(): number {
    return this.config.hz;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** redis: main -> loadDataFromDisk, aofOpenIfNeededOnServerStart (docs/redis-behaviour.md#redis70-startup; 4.0: initServer). */
  start(): void {
    if (this.started) throw new Error('Server.start() called twice');
    this.started = true;
    this.guard(() => {
      this.deps.events?.({ kind: 'server-starting' });
      const host = this.host;
      this.lastLoad = aofServerStart(host, {
        ...this.loaders(),
        loadRdb() {
          loadDataFromDiskRdb(host);
        },
      });
      this.deps.events?.({ kind: 'server-started' });
    });
  }

  /** The loader's executor and RDB hook, slowed by key-load-delay when it is set. */
  loaders(): { executor: CommandExecutor; rdb: RdbPreambleLoader } {
    const delayUs = Number(this.directives.get('key-load-delay') ?? '0');
    return withKeyLoadDelay(delayUs, { executor: this.executor, rdb: rdbLoaderFor(this.keyspace) }, this.keyspace, this.deps.clock, this.deps.random);
  }

  /** A new connection (`conn`: its addresses, for CLIENT LIST / KILL; none in the simulator). */
  newClient(conn?: ConnectionInfo): ClientState {
    const c = newClient(this.nextClientId++);
    this.clients.register(c, this.deps.clock.nowMs(), conn);
    return c;
  }

  /** Ids of the clients CLIENT KILL closed since the last call: the driver ends their connections. */
  takeKilledClients(): number[] {
    return this.clients.takeKilled();
  }

  /** processCommand + call + propagate; the reply is held until the next beforeSleep. */
  execute(client: ClientState, argv: Bytes[]): void {
    if (this.blocked.isBlocked(client.id)) throw new Error(`client ${client.id} is blocked: drivers must hold its commands`);
    const bufBefore = this.state.aofBuf.length;
    // guard() inlined: no closure per command.
    if (this.exited) throw this.exited;
    let reply: Reply | null;
    try {
      this.pollBio();
      reply = this.processCommand(client, argv);
    } catch (e) {
      throw this.exiting(e);
    }
    // A client that blocked gets its reply when served or timed out (redis: blockClient).
    if (reply !== null) {
      if (reply.kind === 'error') this.stats.errorReplies++;
      this.pending.push({ clientId: client.id, reply });
    }
    // redis 7.0 processCommand: call(), then handleClientsBlockedOnKeys for the keys it filled.
    if (this.blocked.count > 0) this.guard(() => this.handleClientsBlockedOnKeys());
    this.deps.events?.({ kind: 'command-executed', fedAofBuf: this.state.aofBuf.length > bufBefore });
  }

  /** Runs one command and returns its reply at once (tools and tests; replies still pass beforeSleep). */
  call(client: ClientState, argv: Bytes[]): Reply {
    this.execute(client, argv);
    this.beforeSleep();
    const replies = this.takeReplies();
    return replies[replies.length - 1].reply;
  }

  /** redis: beforeSleep: rewrite-pipe events (4.0), flushAppendOnlyFile(0), then replies may go. */
  beforeSleep(): void {
    this.guard(() => {
      this.pollBio();
      if (this.state.aofChildPid !== -1) processRewritePipes(this.host);
      // 4.0 profile: only while ON (WAIT_REWRITE feeds nothing to aof_buf; a buffer left by a failed
      // stopAppendOnly must not reach the new file: the done handler drops it, docs/redis-bugs.md#bug-21).
      // 7.0: ON or WAIT_REWRITE (the temp INCR gets writes while the child runs).
      const st = this.state.aofState;
      if (this.blocked.count > 0) {
        this.handleClientsBlockedOnKeys();
        this.handleBlockedClientsTimeout();
      }
      if (st === 'on' || (st === 'wait-rewrite' && this.config.profile === 'redis-7.0')) flushAppendOnlyFile(this.host, false);
    });
    if (this.pending.length > 0) {
      for (const r of this.pending) this.ready.push(r);
      this.pending = [];
    }
    this.deps.events?.({ kind: 'before-sleep' });
  }

  takeReplies(): HeldReply[] {
    const r = this.ready;
    this.ready = [];
    return r;
  }

  /**
   * The replies executed since the last call that no beforeSleep has released yet, for a driver
   * that encodes each reply as it is made (redis: addReply into the client's buffer) and sends the
   * bytes only after the next beforeSleep. What it takes here, takeReplies() does not return.
   */
  takeHeldReplies(): readonly HeldReply[] {
    if (this.pending.length === 0) return NO_HELD_REPLIES;
    const r = this.pending;
    this.pending = [];
    return r;
  }

  /** redis: serverCron (one tick), then the beforeSleep of the same event-loop iteration. */
  cron(): void {
    this.guard(() => this.serverCron());
    this.beforeSleep();
  }

  /** Replies executed but not yet released by a beforeSleep. */
  get heldReplies(): number {
    return this.pending.length;
  }

  // ---- processCommand ------------------------------------------------------------------------

  private processCommand(client: ClientState, argv: Bytes[]): Reply | null {
    if (argv.length === 0) return error('ERR empty command');
    const spec = this.executor.lookup(argv[0]);
    // Only known commands matter below ('exec', 'ping'); table names are lower-case.
    const name = spec === undefined ? '' : spec.name;
    // The table's names are argv[0] lower-cased (lookup finds them so): no second toLowerCase.
    const nowMs = this.deps.clock.nowMs();
    this.clients.commandSent(client, argv, spec === undefined ? null : name, nowMs);
    if (spec !== undefined) this.stats.commandsProcessed++;
    if (name === 'debug' && !this.enableDebugCommand) {
      // redis 7.0: processCommand's allowProtectedAction check (every aofsim connection is local).
      return error(
        'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      );
    }
    const rdbDenies = rdbDeniesWrites(this.host);
    if (spec !== undefined && (rdbDenies || this.state.aofState !== 'off')) {
      let isWrite = spec.flags.includes('write');
      if (!isWrite && name === 'exec' && client.multi !== null && this.config.profile === 'redis-7.0') {
        isWrite = client.multi.some((q) => this.executor.lookup(q[0])?.flags.includes('write') === true);
      }
      if (isWrite || name === 'ping') {
        // redis: writeCommandsDeniedByDiskError: the RDB condition first, then the AOF's.
        const msg = rdbDenies ? bgsaveErrorMessage(this.host) : aofDiskErrorMessage(this.state, this.config);
        if (msg !== null) {
          this.deps.log.mark('server.misconf');
          if (client.multi !== null) {
            if (name === 'exec') {
              // redis 7.0: rejectCommand on EXEC -> execCommandAbort.
              this.executor.call(client, ['DISCARD']);
              return error(`EXECABORT Transaction discarded because of: ${msg}`);
            }
            client.multiDirty = true; // redis: flagTransaction
          }
          return error(msg);
        }
      }
    }
    this.inExec = name === 'exec' && client.multi !== null;
    let res;
    try {
      res = this.executor.call(client, argv, nowMs);
    } finally {
      this.inExec = false;
    }
    if (res.propagate.length > 0) this.feed(res.propagate);
    if (res.block !== undefined) {
      const deadline = res.block.timeoutMs === 0 ? 0 : this.deps.clock.nowMs() + res.block.timeoutMs;
      this.blocked.block(client, argv, res.block.keys, deadline, res.block.ids);
      return null;
    }
    return res.reply;
  }

  // ---- blocked clients (src/server-blocked.ts) -----------------------------------------------

  /** True while `client` waits in a blocking command (its driver must hold its next commands). */
  isBlocked(client: ClientState): boolean {
    return this.blocked.isBlocked(client.id);
  }

  /** Number of blocked clients (INFO blocked_clients). */
  get blockedClients(): number {
    return this.blocked.count;
  }

  /** The connection of `client` closed: a blocked client stops waiting (redis: freeClient -> unblockClient). */
  clientClosed(client: ClientState): void {
    this.blocked.unblock(client.id);
    this.clients.closed(client.id);
  }

  /**
   * redis: handleClientsBlockedOnKeys: every ready key serves its waiters in blocking order, each
   * served command its own execution unit, until no key is ready (serving can fill another key).
   */
  private handleClientsBlockedOnKeys(): void {
    const exhausted = new Set<string>();
    for (let guard = 0; guard < 1_000_000; guard++) {
      const ready = this.blocked.nextReady(this.keyspace, exhausted);
      if (ready === null) return;
      let served = false;
      for (const b of ready.waiters) {
        const v = this.keyspace.dbs[ready.db].dict.get(ready.key);
        if (v === undefined) break;
        // A stream stays but may no longer serve this one (its group's entries went to an earlier waiter).
        if (!this.blocked.serves(b, ready.key, v)) continue;
        this.blocked.unblock(b.client.id);
        const res = this.executor.call(b.client, servingArgv(b, ready.key));
        if (res.block !== undefined) {
          // Nothing to take after all: it keeps waiting, as before.
          this.blocked.block(b.client, b.argv, b.keys, b.deadlineMs, b.ids);
          continue;
        }
        served = true;
        if (res.propagate.length > 0) this.feed(res.propagate);
        this.pending.push({ clientId: b.client.id, reply: res.reply });
      }
      if (!served) exhausted.add(`${ready.db}\u0000${ready.key}`);
    }
  }

  /** redis: handleBlockedClientsTimeout: a nil array to every client whose timeout passed. */
  private handleBlockedClientsTimeout(): void {
    for (const b of this.blocked.timedOut(this.deps.clock.nowMs())) {
      this.blocked.unblock(b.client.id);
      this.pending.push({ clientId: b.client.id, reply: NIL_ARRAY });
    }
  }

  /** redis: propagate -> feedAppendOnlyFile for one execution unit. */
  private feed(units: readonly Propagated[]): void {
    feedAppendOnlyFile(this.host, units, this.sink);
  }

  // ---- serverCron ----------------------------------------------------------------------------

  /** redis: run_with_period(ms) inside serverCron. */
  private runWithPeriod(ms: number): boolean {
    const period = 1000 / this.config.hz;
    return ms <= period || this.cronloops % Math.floor(ms / period) === 0;
  }

  private serverCron(): void {
    const st = this.state;
    const cfg = this.config;
    this.pollBio();
    // databasesCron: active expiry (master), each deletion its own execution unit.
    if (this.activeExpire) {
      const dels = this.executor.activeExpireCycle(this.deps.clock.nowMs());
      if (dels.length > 0) {
        this.feed(dels);
        this.deps.log.mark('expire.active-deleted');
        this.deps.events?.({ kind: 'active-expired' });
      }
    }
    // A rewrite requested while another child ran (or while enabling AOF inside EXEC).
    if (!hasActiveChild(st) && st.aofRewriteScheduled && !aofRewriteLimited(this.host)) {
      rewriteAppendOnlyFileBackground(this.host);
    }
    if (hasActiveChild(st)) {
      checkChildrenDone(this.host);
    } else {
      savePointsCron(this.host);
      if (st.aofState === 'on' && !hasActiveChild(st) && cfg.autoAofRewritePercentage !== 0 && st.aofCurrentSize > cfg.autoAofRewriteMinSizeBytes) {
        // docs/redis-behaviour.md#auto-rewrite: growth = aof_current_size*100/base - 100, integer division.
        const base = st.aofRewriteBaseSize !== 0 ? st.aofRewriteBaseSize : 1;
        const growth = Math.floor((st.aofCurrentSize * 100) / base) - 100;
        if (growth >= cfg.autoAofRewritePercentage && !aofRewriteLimited(this.host)) {
          this.deps.log.log('notice', `Starting automatic rewriting of AOF on ${growth}% growth`);
          this.deps.log.mark('rewrite.auto-started');
          rewriteAppendOnlyFileBackground(this.host);
        }
      }
    }
    // A flush postponed by everysec while a bio fsync was pending.
    if (st.aofState !== 'off' && st.aofFlushPostponedStartS !== 0) flushAppendOnlyFile(this.host, false);
    // After a write error, retry every second (the success clears the error).
    if (this.runWithPeriod(1000) && st.aofState !== 'off' && st.aofLastWriteStatus === 'err') {
      flushAppendOnlyFile(this.host, false);
    }
    // A BGSAVE scheduled while another child ran (redis: after replicationCron, at the end).
    scheduledBgsaveCron(this.host);
    this.cronloops++;
  }

  /** Applies finished bio jobs (redis: the bio thread's atomics, read by the main thread). */
  private pollBio(): void {
    const done = this.deps.tasks.takeBioCompletions();
    for (const c of done) handleAofBioCompletion(this.host, c);
  }

  /** Runs `fn`; a ProcessExit marks the server dead. A dead server rethrows its exit. */
  private guard<T>(fn: () => T): T {
    if (this.exited) throw this.exited;
    try {
      return fn();
    } catch (e) {
      throw this.exiting(e);
    }
  }

  /** A step threw `e`: a ProcessExit marks the server dead (once). Returns `e`, to be rethrown. */
  private exiting(e: unknown): unknown {
    if (isProcessExit(e) && this.exited === null) {
      this.exited = e;
      this.deps.events?.({ kind: 'process-exiting', exitCode: e.exitCode, reason: e.reason });
    }
    return e;
  }

  // ---- server-level commands -----------------------------------------------------------------

  private serverCommands(): CommandDef[] {
    const flagsAdmin: CommandDef['flags'] = ['admin', 'noscript', 'loading', 'stale'];
    return [
      def('config', -2, flagsAdmin, [0, 0, 0], (_ctx, argv) => this.configCommand(argv)),
      def('info', -1, ['loading', 'stale'], [0, 0, 0], (_ctx, argv) => bulk(this.info(argv[1]))),
      def('bgrewriteaof', 1, ['admin', 'noscript'], [0, 0, 0], () => bgrewriteaofCommand(this.host, this.inExec)),
      def('save', 1, ['admin', 'noscript', 'no-multi'], [0, 0, 0], () => saveCommand(this.host)),
      def('bgsave', -1, ['admin', 'noscript'], [0, 0, 0], (_ctx, argv) => bgsaveCommand(this.host, argv.slice(1), this.inExec)),
      def('lastsave', 1, ['loading', 'stale', 'fast'], [0, 0, 0], () => lastsaveCommand(this.host)),
      // FLUSHALL as the command layer has it, then what it does for snapshots (kill, save).
      def('flushall', -1, ['write'], [0, 0, 0], (ctx, argv) => {
        const reply = BASE_FLUSHALL.handler(ctx, argv);
        if (reply.kind !== 'error') flushallResetRdb(this.host, ctx.dirtyCount);
        return reply;
      }),
      def('shutdown', -1, flagsAdmin, [0, 0, 0], (_ctx, argv) => this.shutdownCommand(argv)),
      def('debug', -2, flagsAdmin, [0, 0, 0], (ctx, argv) => debugCommand(this, ctx, argv)),
      def('client', -2, ['admin', 'noscript', 'loading', 'stale'], [0, 0, 0], (ctx, argv) =>
        this.clients.command(ctx.client, argv, this.deps.clock.nowMs(), (id) => this.blocked.unblock(id)),
      ),
      // redis: timeCommand (gettimeofday: seconds and microseconds, from the server's clock).
      def('time', 1, ['fast', 'loading', 'stale'], [0, 0, 0], () => {
        const us = Math.floor(this.deps.clock.nowMs() * 1000);
        return array([bulk(String(Math.floor(us / 1e6))), bulk(String(us % 1e6))]);
      }),
    ];
  }

  /** redis: configCommand (GET / SET / RESETSTAT / REWRITE) for the AOF keys. */
  private configCommand(argv: Bytes[]): Reply {
    const sub = argv[1].toLowerCase();
    if (this.config.profile === 'redis-4.0') return this.configCommand40(argv);
    if (sub === 'get' && argv.length >= 3) return this.configGetCommand(argv.slice(2));
    if (sub === 'set' && argv.length >= 4 && argv.length % 2 === 0) return this.configSetCommand(argv.slice(2));
    if (sub === 'resetstat' && argv.length === 2) {
      this.state.aofDelayedFsync = 0;
      this.state.statAofRewrites = 0;
      return OK;
    }
    if (sub === 'rewrite' && argv.length === 2) return error('ERR The server is running without a config file');
    if (sub === 'get' || sub === 'set') return error(`ERR wrong number of arguments for 'config|${sub}' command`);
    return error(`ERR unknown subcommand '${argv[1]}'. Try CONFIG HELP.`);
  }

  /**
   * CONFIG GET for the directives aofsim does not model: name/value pairs of those `matches` names.
   * A name and its alias are each listed when each matches (redis 7.0.15 registers an alias as its
   * own dict entry); a hidden directive only for its exact name.
   */
  private otherDirectives(pattern: string, matches: (pattern: string, name: string) => boolean): [string, string][] {
    const out: [string, string][] = [];
    for (const d of REDIS70_DIRECTIVES) {
      if (findConfigKey(d.name) !== undefined) continue;
      // `aofsim serve` in redis-server form passes Redis's default save points as a directive.
      const value = this.directives.get(d.name) ?? this.unsetDirective(d.name, d.def);
      if (d.hidden === true) {
        if (pattern.toLowerCase() === d.name) out.push([d.name, value]);
        continue;
      }
      if (matches(pattern, d.name)) out.push([d.name, value]);
      if (d.alias !== undefined && matches(pattern, d.alias)) out.push([d.alias, value]);
    }
    return out;
  }

  /**
   * redis 4.0 configCommand: one pattern for GET, one pair for SET, and its own words (checked
   * against redis-server 4.0.14): a bad value is "Invalid argument '<value>' for CONFIG SET '<name as
   * spelled>'", a name CONFIG SET does not take (unknown or fixed at startup) is "Unsupported CONFIG
   * parameter: <name>", a wrong count names the subcommand as spelled.
   */
  private configCommand40(argv: Bytes[]): Reply {
    const sub = argv[1].toLowerCase();
    const arity = { get: 3, set: 4, resetstat: 2, rewrite: 2 }[sub];
    if (arity === undefined) return error('ERR CONFIG subcommand must be one of GET, SET, RESETSTAT, REWRITE');
    if (argv.length !== arity) return error(`ERR Wrong number of arguments for CONFIG ${argv[1]}`);
    // configGetCommand reads the pattern as a C string; stringmatch folds case itself.
    if (sub === 'get') return this.configGetCommand([cString(argv[2]!)]);
    if (sub === 'resetstat') {
      this.state.aofDelayedFsync = 0;
      this.state.statAofRewrites = 0;
      return OK;
    }
    if (sub === 'rewrite') return error('ERR The server is running without a config file');
    const [name, value] = [argv[2]!, argv[3]!];
    const aof = findConfigKey(cString(name));
    if (aof !== undefined) return this.configSetAof40(aof, name, value);
    return this.configSetOther40(name, value);
  }

  /**
   * redis 4.0.14 configSetCommand for a directive aofsim does not model: its place in the else-if
   * chain decides (src/server-directives-40.ts setDirective40); a name the chain lacks (7.0-only,
   * fixed at startup, unknown) is "Unsupported CONFIG parameter". Name and value print as C strings
   * and addReplyErrorFormat turns CR and LF into spaces.
   */
  private configSetOther40(name: Bytes, value: Bytes): Reply {
    const errorFormat = (text: string): Reply => error(text.replace(/[\r\n]/g, ' '));
    const d = findDirective40(name);
    if (d === undefined || d.set === undefined) return errorFormat(`ERR Unsupported CONFIG parameter: ${cString(name)}`);
    const r = setDirective40(d, value, { current: (n) => this.value40(findDirective40(n)!), hz: this.config.hz });
    if ('badfmt' in r) return errorFormat(`ERR Invalid argument '${cString(value)}' for CONFIG SET '${cString(name)}'`);
    if ('error' in r) return r.error.startsWith('aofsim cannot reproduce') ? unreproducedError(`ERR ${r.error}`) : error(`ERR ${r.error}`);
    const key = storeKey40(d.name);
    this.directives.set(key, r.value);
    this.applyDirectives([key]);
    return OK;
  }

  /** The value 4.0.14's CONFIG GET prints for a directive aofsim does not model (its default unless given or set). */
  private value40(d: Directive40): string {
    return this.directives.get(storeKey40(d.name)) ?? this.unsetDirective(d.name, d.def);
  }

  /**
   * CONFIG GET of a directive nobody gave: the port it was started on (`aofsim serve --port N`
   * passes it as tcpPort, not as a directive), no save points (DIVERGENCE(redis): a Server built
   * without a `save` directive has none; the simulator's worlds opt in), else the default.
   */
  private unsetDirective(name: string, def: string): string {
    if (name === 'port' && this.tcpPortGiven) return String(this.infoServer.tcpPort);
    return name === 'save' ? '' : def;
  }

  /**
   * redis 4.0.14 configGetCommand: every name of its fixed sequence that the pattern matches, in
   * that order, by its own name; the AOF keys answer from the config (configGet40). aofsim's own
   * aofsim-profile, absent from Redis, comes last.
   */
  private configGet40(pattern: string): [string, string][] {
    const aof = new Map(configGet40(this.config, pattern, this.state.aofState !== 'off', this.configExact));
    const out: [string, string][] = [];
    for (const d of DIRECTIVES_40) {
      if (d.get === 'aof') {
        const v = aof.get(d.name);
        if (v !== undefined) out.push([d.name, v]);
        aof.delete(d.name);
      } else if (stringmatch(pattern, d.name)) out.push([d.name, this.value40(d)]);
    }
    return [...out, ...aof];
  }

  /** After directives changed: the encoding limits and the RDB settings read from them. */
  private applyDirectives(names: readonly string[]): void {
    for (const name of names) applyEncodingDirective(this.executor.encodingLimits, name, this.directives.get(name) ?? findDirective(name)!.def);
    if (names.some((name) => (RDB_DIRECTIVES as readonly string[]).includes(name))) {
      Object.assign(this.host.rdbConfig, rdbConfigFrom((n) => this.directives.get(n)));
    }
  }

  /**
   * redis 4.0.14 configSetCommand for an AOF key (its name compared as a C string, in any case):
   * the keys 4.0.14 does not set answer "Unsupported CONFIG parameter", a value parseConfigValue40
   * refuses answers "Invalid argument"; both print name and value as C strings, and
   * addReplyErrorFormat turns CR and LF into spaces. Nothing else is checked: one pair, no rollback.
   */
  private configSetAof40(k: NonNullable<ReturnType<typeof findConfigKey>>, name: Bytes, value: Bytes): Reply {
    const errorFormat = (text: string): Reply => error(text.replace(/[\r\n]/g, ' '));
    if (!isKey40(k)) return errorFormat(`ERR Unsupported CONFIG parameter: ${cString(name)}`);
    if (k.field === 'dir') {
      // DIVERGENCE(redis): 4.0.14 chdir()s here ("Changing directory: <strerror>" when that fails), so
      // the next rewrite and every file opened afterwards land in the new directory while the open AOF
      // fd stays. aofsim joins every AOF path to the dir given at startup and does not model a change
      // of working directory, so it refuses instead of answering OK and writing to the old place.
      return unreproducedError(`ERR aofsim cannot reproduce CONFIG SET dir (redis 4.0.14 would chdir to it): give dir at startup`);
    }
    const r = parseConfigValue40(k, value);
    if (r === null) return errorFormat(`ERR Invalid argument '${cString(value)}' for CONFIG SET '${cString(name)}'`);
    if (k.field === 'appendonly') {
      const err = this.setAppendonly(r.value as boolean);
      return err === null ? OK : error(`ERR ${err}`);
    }
    (this.config as unknown as Record<string, unknown>)[k.field] = r.value;
    if (r.exact !== undefined) this.configExact.set(k.field, r.exact);
    else this.configExact.delete(k.field);
    return OK;
  }

  /**
   * redis 7.0 configGetCommand: a name without glob characters is answered as the client spelled
   * it, a pattern with the names it matches; a name is listed once (compared without case). Both
   * profiles match patterns with stringmatch (configGetMatches70 adds 7.0's exact-name lookup).
   */
  private configGetCommand(patterns: Bytes[]): Reply {
    const out: Reply[] = [];
    const seen = new Set<string>();
    if (this.config.profile === 'redis-4.0') return array(patterns.flatMap((p) => this.configGet40(p)).flatMap(([k, v]) => [bulk(k), bulk(v)]));
    for (const pattern of patterns) {
      const exact = !/[[*?]/.test(cString(pattern));
      const aof = configGet(this.config, pattern, this.configExact);
      for (const [k, v] of [...aof, ...this.otherDirectives(pattern, configGetMatches70)]) {
        const name = exact ? pattern : k;
        if (seen.has(name.toLowerCase())) continue;
        seen.add(name.toLowerCase());
        out.push(bulk(name), bulk(v));
      }
    }
    return array(out);
  }

  /**
   * redis 7.0 configSetCommand. First every name is checked: unknown, immutable, or given twice (an
   * alias counts as its name); the first problem wins and is named as the client spelled it. Then
   * every value is parsed, in order; the first bad one is named by its canonical name. Nothing changes
   * unless all are good, and when turning the AOF on fails (updateAppendonly runs after the other
   * values are set) every value is put back.
   */
  private configSetCommand(pairs: Bytes[]): Reply {
    const failure = this.configSet(pairs);
    if (failure === null) return OK;
    if (failure.kind === 'unknown') return error(`ERR Unknown option or number of arguments for CONFIG SET - '${failure.arg}'`);
    return error(`ERR CONFIG SET failed (possibly related to argument '${failure.arg}') - ${failure.why}`);
  }

  /** The checks and the change of configSetCommand; null when every pair was set. */
  private configSet(pairs: Bytes[]): ConfigSetFailure | null {
    type AofConfigKey = NonNullable<ReturnType<typeof findConfigKey>>;
    type Target = { name: string; aof: AofConfigKey } | { name: string; other: Directive };
    const targets: Target[] = [];
    let invalid = false;
    let unknown: string | undefined;
    let nameError: ConfigSetFailure | undefined;
    for (let i = 0; i < pairs.length; i += 2) {
      const typed = pairs[i];
      const k = findConfigKey(typed);
      const aof = k !== undefined && k.kind !== 'profile' ? k : undefined;
      const other = aof === undefined ? findDirective(typed) : undefined;
      if (aof === undefined && other === undefined) {
        if (!invalid) unknown = typed;
        invalid = true;
        continue;
      }
      if (invalid) continue;
      const target: Target = aof !== undefined ? { name: aof.name, aof } : { name: other!.name, other: other! };
      if (aof !== undefined ? !aof.mutable : other!.immutable === true) {
        nameError = { kind: 'name', arg: typed, why: "can't set immutable config" };
        invalid = true;
      }
      if (targets.some((t) => t.name === target.name)) {
        nameError = { kind: 'name', arg: typed, why: 'duplicate parameter' };
        invalid = true;
      }
      targets.push(target);
    }
    if (unknown !== undefined) return { kind: 'unknown', arg: unknown, why: '' };
    if (nameError !== undefined) return nameError;

    const changes: [AofConfigKey, unknown, bigint | undefined][] = [];
    const others: [string, string][] = [];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const value = pairs[2 * i + 1]!;
      if ('aof' in t) {
        const r = parseConfigValue(t.aof, value);
        if ('error' in r) return { kind: 'value', arg: t.name, why: r.error };
        changes.push([t.aof, r.value, r.exact]);
      } else {
        const d = t.other;
        const r = d.kind === 'special' ? checkSpecial(d, value === '' ? [''] : value.split(' ').filter((w) => w !== '')) : checkDirectiveValue(d, value);
        if ('error' in r) return { kind: 'value', arg: t.name, why: r.error };
        others.push([d.name, r.value]);
      }
    }

    const fields = this.config as unknown as Record<string, unknown>;
    const oldFields = changes.map(([k]) => [k.field, fields[k.field], this.configExact.get(k.field)] as const);
    const oldDirectives = others.map(([name]) => [name, this.directives.get(name)] as const);
    const applyOthers = (): void => this.applyDirectives(others.map(([name]) => name));
    const setExact = (field: keyof AofConfig, big: bigint | undefined): void => {
      if (big !== undefined) this.configExact.set(field, big);
      else this.configExact.delete(field);
    };
    for (const [k, v, big] of changes) {
      if (k.field === 'appendonly') continue;
      fields[k.field] = v;
      setExact(k.field, big);
    }
    for (const [name, value] of others) this.directives.set(name, value);
    applyOthers();
    const appendonly = changes.find(([k]) => k.field === 'appendonly');
    if (appendonly !== undefined) {
      const err = this.setAppendonly(appendonly[1] as boolean);
      if (err) {
        for (const [field, v, big] of oldFields) {
          if (field === 'appendonly') continue;
          fields[field] = v;
          setExact(field, big);
        }
        for (const [name, v] of oldDirectives) {
          if (v === undefined) this.directives.delete(name);
          else this.directives.set(name, v);
        }
        applyOthers();
        return { kind: 'enable', arg: 'appendonly', why: err };
      }
    }
    return null;
  }

  /** CONFIG SET appendonly (redis 7.0 updateAppendonly). Returns an error text or null. */
  setAppendonly(enable: boolean): string | null {
    if (!enable && this.state.aofState !== 'off') stopAppendOnly(this.host);
    else if (enable && this.state.aofState === 'off') {
      if (startAppendOnly(this.host, this.inExec) === 'err') return 'Unable to turn on AOF. Check server logs.';
    }
    this.config.appendonly = enable;
    return null;
  }

  /** INFO [section]: server, clients, memory, persistence, stats, keyspace (the sections aofsim has). */
  info(section?: Bytes): string {
    const s = (section ?? 'default').toLowerCase();
    const all = s === 'default' || s === 'all' || s === 'everything';
    const parts: string[] = [];
    const keys = this.keyspace.size();
    const inputs: InfoInputs = {
      nowMs: this.deps.clock.nowMs(),
      version: this.config.profile === 'redis-7.0' ? '7.0.15' : '4.0.14',
      profile: this.config.profile,
      hz: this.config.hz,
      ...this.infoServer,
      connectedClients: this.clients.size,
      blockedClients: this.blocked.count,
      totalConnections: this.clients.totalConnections,
      expiredKeys: this.executor.expiredKeys,
      keyspaceHits: this.executor.keyspaceHits,
      keyspaceMisses: this.executor.keyspaceMisses,
      totalForks: this.state.statAofRewrites + this.host.rdb.statRdbForks,
      // A rough figure: redis 7.0's empty-server baseline plus ~64 bytes per key.
      usedMemoryBytes: 876200 + 64 * keys,
    };
    if (all || s === 'server') parts.push(infoServerSection(this.stats, inputs));
    if (all || s === 'clients') parts.push(infoClientsSection(inputs));
    if (all || s === 'memory') parts.push(infoMemorySection(inputs));
    if (all || s === 'persistence') parts.push(infoPersistenceSection(this.host, false, rdbInfoFields(this.host)));
    if (all || s === 'stats') parts.push(infoStatsSection(this.stats, inputs));
    if (all || s === 'keyspace') {
      let ks = '# Keyspace\r\n';
      this.keyspace.dbs.forEach((db, i) => {
        if (db.dict.size > 0) ks += `db${i}:keys=${db.dict.size},expires=${db.expires.size},avg_ttl=0\r\n`;
      });
      parts.push(ks);
    }
    return parts.join('\r\n');
  }

  /**
   * redis: shutdownCommand. 4.0: SHUTDOWN [NOSAVE|SAVE]; 7.0: SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE]
   * [ABORT] (src/server-shutdown.ts). Returns only when the shutdown was refused.
   */
  private shutdownCommand(argv: Bytes[]): Reply {
    const req = parseShutdownArgs(argv.slice(1), this.config.profile);
    if (req.kind === 'syntax-error') return error('ERR syntax error');
    if (req.kind === 'abort') return error('ERR No shutdown in progress.');
    this.shutdown(req.options);
    return error('ERR Errors trying to SHUTDOWN. Check logs.');
  }

  /**
   * redis: serverCron's shutdown after a SIGINT or SIGTERM: prepareForShutdown with no flags (4.0)
   * or shutdown-on-sigint / shutdown-on-sigterm's (7.0). Throws ProcessExit, or returns when
   * refused (the server goes on, as Redis does).
   */
  shutdownOnSignal(signal: 'SIGINT' | 'SIGTERM'): void {
    const setting = this.directives.get(signal === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm');
    this.shutdown(signalShutdownOptions(this.config.profile, setting));
    // 4.0.14 names SIGTERM whichever signal it was.
    if (this.config.profile === 'redis-4.0') this.deps.log.log('warning', 'SIGTERM received but errors trying to shut down the server, check the logs for more information');
  }

  /**
   * redis: prepareForShutdown (4.0) / finishShutdown (7.0): kills the RDB child, then the rewrite
   * child (refused in WAIT_REWRITE: 4.0 always, 7.0 unless FORCE), flushes and fsyncs the AOF,
   * saves dump.rdb when save points are set (or SAVE), then the process exits. Returns only when
   * refused. `true` is aofsim's own stop (`aofsim serve`'s stop(), drivers): FORCE, under 4.0 too.
   */
  shutdown(options: boolean | ShutdownOptions = false): void {
    const opts: ShutdownOptions = typeof options === 'boolean' ? { force: options, save: null } : options;
    const force = opts.force;
    const st = this.state;
    const log = this.deps.log;
    const v7 = this.config.profile === 'redis-7.0';
    log.log('warning', 'User requested shutdown...');
    if (st.rdbChildPid !== -1) {
      // Its temp file goes now: the exit comes before the done handler could remove it.
      log.log('warning', 'There is a child saving an .rdb. Killing it!');
      const pid = st.rdbChildPid;
      killRDBChild(this.host);
      rdbRemoveTempFile(this.host, pid);
    }
    // DIVERGENCE(redis): 7.0.15 refuses only while the enabling rewrite child runs; aofsim also
    // while the rewrite waits for another child (no AOF file holds the data yet either way).
    const initialRewrite = st.aofState === 'wait-rewrite' && (v7 || st.aofChildPid !== -1);
    if (initialRewrite && !force) {
      log.log('warning', "Writing initial AOF, can't exit.");
      if (v7) log.log('warning', 'Errors trying to shut down the server. Check the logs for more information.');
      return;
    }
    if (st.aofChildPid !== -1) {
      if (v7 && st.aofState === 'wait-rewrite') log.log('warning', 'Writing initial AOF. Exit anyway.');
      // 4.0.14 looks for the child only while the AOF is on (a BGREWRITEAOF's child outlives it).
      if (v7 || st.aofState !== 'off') log.log('warning', 'There is a child rewriting the AOF. Killing it!');
      killAppendOnlyChild(this.host);
    }
    if (st.aofState !== 'off' && st.aofFd !== null) {
      log.log('notice', 'Calling fsync() on the AOF file.');
      flushAppendOnlyFile(this.host, true);
      try {
        st.aofFd.fdatasync();
      } catch (e) {
        // FAULT: the last fsync failed: 7.0 logs it, 4.0.14 ignores aof_fsync's result; both exit.
        if (!isFsError(e)) throw e;
        if (v7) log.log('warning', `Fail to fsync the AOF file: ${e.strerror}.`);
      }
    }
    if ((this.host.rdbConfig.savePoints.length > 0 && opts.save !== 'nosave') || opts.save === 'save') {
      log.log('notice', 'Saving the final RDB snapshot before exiting.');
      if (rdbSaveSync(this.host) !== 'ok') {
        // FAULT: the final save failed: Redis keeps running unless FORCE.
        if (v7 && force) log.log('warning', 'Error trying to save the DB. Exit anyway.');
        else {
          log.log('warning', "Error trying to save the DB, can't exit.");
          if (v7) log.log('warning', 'Errors trying to shut down the server. Check the logs for more information.');
          return;
        }
      }
    }
    // redis: the pid file and the unix socket are removed here (`aofsim serve` unlinks them as it stops).
    if ((this.directives.get('pidfile') ?? '') !== '') log.log('notice', 'Removing the pid file.');
    if ((this.directives.get('unixsocket') ?? '') !== '') log.log('notice', 'Removing the unix socket file.');
    log.log('warning', 'Redis is now ready to exit, bye bye...');
    throw new ProcessExit(0, 'shutdown');
  }

  /** Current unixtime (server.unixtime) for drivers and tests. */
  unixtime(): number {
    return unixtimeS(this.deps.clock);
  }

  /** The AOF config keys this server understands (CONFIG GET *). */
  static configKeys(): string[] {
    return AOF_CONFIG_KEYS.map((k) => k.name);
  }
}
