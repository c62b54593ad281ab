// The command executor: processCommand's checks (unknown command, arity, MULTI queueing), call()
// with its dirty accounting and propagation, MULTI/EXEC/DISCARD/WATCH/UNWATCH, and the active
// expire cycle. redis: server.c processCommand, call, propagatePendingCommands, afterCommand
// (7.0.15); multi.c; expire.c activeExpireCycle. Redis 4.0's call()/execCommand for the 4.0 profile.
//
// Propagation, per execution unit (one client command; an EXEC with all its queued commands):
// - redis-7.0: every call appends, in order, what it alsoPropagate'd (lazy-expiry DEL/UNLINK
//   included) and then its own argv (or its rewritten argv) when it dirtied the dataset. At the end of
//   the unit, more than one command is wrapped in MULTI ... EXEC (MULTI carries the first command's
//   db, EXEC the last one's). Hence MULTI + a single write + EXEC propagates the bare write, and a
//   read-only transaction propagates nothing (redis 7.0.15 execCommand never propagates MULTI itself).
//   RANDOMKEY/SCAN (touches-arbitrary-keys) are never wrapped.
// - redis-4.0: lazy-expiry DELs are fed at once, then the command's own argv when dirty, then its
//   alsoPropagate'd commands; nothing is wrapped except by EXEC, which emits MULTI before the first
//   queued command that is neither read-only nor admin and propagates its own argv (as typed) at the
//   end (redis 4.0 execCommandPropagateMulti).
// - The AOF-loading client propagates nothing and never expires keys (redis loads through
//   cmd->proc without call()).
//
// Invariant: a failing command (error reply) changes nothing and propagates nothing beyond
// lazy-expiry deletions it triggered before failing.

import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Bytes } from '../keyspace/types.ts';
import type { Clock } from '../ports/clock.ts';
import type { Log } from '../ports/log.ts';
import { nullLog } from '../ports/log.ts';
import type { Random } from '../ports/random.ts';
import type { CommandDef } from './command-def.ts';
import { commandKeys } from './command-def.ts';
import { CommandContext } from './context.ts';
import type { KeyTouchSink, NestedCall, ScriptCaller } from './context.ts';
import { ScriptingRuntime } from '../scripting/runtime.ts';
import type { Reply } from './reply.ts';
import { NIL_ARRAY, OK, QUEUED, array, error } from './reply.ts';
import { redis40Def, redis40Rejects, redis40Reply, redis40UnknownCommandMessage } from './redis40-profile.ts';
import { BASE_COMMAND_TABLE, buildCommandTable } from './table.ts';
import type { ClientState, CommandExecutor, CommandSpec, ExecResult, Propagated } from './types.ts';
import type { Profile } from '../base/profile.ts';
import { beforeWrite, beforeWriteValue, modifiesInPlace, noteWrite, type EncodingLimits } from './encoding.ts';

export interface ExecutorOptions {
  profile: Profile;
  clock: Clock;
  random: Random;
  log?: Log;
  /** redis: lazyfree-lazy-expire (expired keys propagate as UNLINK). */
  lazyfreeLazyExpire?: boolean;
  /**
   * redis: lazyfree-lazy-server-del. Accepted for configuration parity; in 7.0.15 it only changes how
   * memory is freed, never what is propagated (later versions propagate SPOP-all as UNLINK with it).
   */
  lazyfreeLazyServerDel?: boolean;
  /** redis: lazyfree-lazy-user-del (GETDEL propagates UNLINK instead of DEL). */
  lazyfreeLazyUserDel?: boolean;
  /** Extra or replacement command definitions (tests, other families). */
  extraCommands?: readonly CommandDef[];
}

interface WatchedKey {
  db: number;
  key: Bytes;
  /** The key was logically expired when WATCH ran (redis: watchedKey.expired). */
  expired: boolean;
}

const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';

/** Commands processCommand does not queue inside MULTI. */
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** ASCII-lower-cases a command name (redis compares names with strcasecmp). */
function lowerName(s: Bytes): string {
  return s.toLowerCase();
}

/** redis 7.0 processCommand's unknown-command message. */
export function unknownCommandMessage(argv: readonly Bytes[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += "'" + argv[i].slice(0, 128 - args.length) + "' ";
  }
  const msg = `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`;
  return msg.replace(/[\r\n]/g, ' ');
}

export function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity > 0 ? argc === spec.arity : argc >= -spec.arity;
}

export class Executor implements CommandExecutor, KeyTouchSink, ScriptCaller {
  readonly profile: Profile;
  private readonly clock: Clock;
  readonly log: Log;
  /** opts.extraCommands by name; looked up before the shared BASE_COMMAND_TABLE. */
  private readonly extra: ReadonlyMap<string, CommandDef>;
  private readonly extraDefs: readonly CommandDef[];
  /** Command names as clients spell them -> definition (skips lower-casing on the hot path). */
  private readonly bySpelling = new Map<Bytes, CommandDef>();
  /** 4.0 profile: command name -> its 4.0 definition, or null when 4.0 has no such command. */
  private readonly defs40 = new Map<string, CommandDef | null>();
  private readonly ctx: CommandContext;
  /** The context of commands a script runs (scripts do not nest, so one is enough). */
  private readonly scriptCtx: CommandContext;
  /** Sum of all dirty counts since creation (redis: server.dirty). */
  totalDirty = 0;
  /** The next runCommand is a client's own blocking command (see CommandContext.blockingAllowed). */
  private blockingPending = false;
  /** Keys expired lazily or actively (redis: stat_expiredkeys). */
  expiredKeys = 0;
  /** The *-max-* encoding limits in force (CONFIG SET changes them in place). */
  get encodingLimits(): EncodingLimits {
    return this.ctx.encodingLimits;
  }
  /** redis: stat_keyspace_hits / stat_keyspace_misses (read lookups). */
  get keyspaceHits(): number {
    return this.ctx.keyspaceHits + this.scriptCtx.keyspaceHits;
  }
  get keyspaceMisses(): number {
    return this.ctx.keyspaceMisses + this.scriptCtx.keyspaceMisses;
  }
  private readonly watchedByClient = new Map<number, WatchedKey[]>();
  private readonly watchers = new Map<string, Set<number>>();
  private readonly dirtyCas = new Set<number>();

  constructor(
    readonly keyspace: Keyspace,
    opts: ExecutorOptions,
  ) {
    this.profile = opts.profile;
    this.clock = opts.clock;
    this.log = opts.log ?? nullLog;
    this.extraDefs = opts.extraCommands ?? [];
    const extra = new Map<string, CommandDef>();
    for (const d of this.extraDefs) extra.set(d.name, d);
    this.extra = extra;
    // The client's context and the one scripts run their redis.call()s in are built alike.
    this.ctx = this.newContext(opts);
    this.scriptCtx = this.newContext(opts);
    this.scriptCtx.encodingLimits = this.ctx.encodingLimits;
    // The VM's own PRNG (7.0: not reseeded per script) starts from the run's randomness, drawn only
    // when a first script needs the VM (runs without scripts keep their random streams as they were).
    this.ctx.scripting = new ScriptingRuntime(opts.profile, keyspace);
    this.ctx.scriptCaller = this;
  }

  /**
   * One redis.call from a script: processCommand's checks as scripts see them, then call() with
   * its propagation returned to the script's unit (redis 7.0 script.c scriptCall; 4.0
   * luaRedisGenericCommand). Errors are replies.
   */
  callFromScript(client: ClientState, argv: Bytes[], nowMs: number, readOnly: boolean): NestedCall {
    const none = (reply: Reply): NestedCall => ({ reply, propagate: [], dirty: 0, writeCommand: false, expired: [] });
    // Under 4.0 a script sees 4.0's table, arities and option checks, also inside an AOF being
    // loaded (4.0.14's lookupCommand in luaRedisGenericCommand knows no later command).
    const d = this.profile === 'redis-4.0' ? this.adapted40(argv[0]) : this.lookup(argv[0]);
    if (d === undefined) return none(error('ERR Unknown Redis command called from script'));
    if (!arityOk(d, argv.length)) return none(error('ERR Wrong number of args calling Redis command from script'));
    if (d.flags.includes('noscript')) return none(error('ERR This Redis command is not allowed from script')); // 7.0.15 script.c wording
    if (readOnly && d.flags.includes('write')) return none(error('ERR Write commands are not allowed from read-only scripts.'));
    const ctx = this.scriptCtx;
    ctx.begin(client, argv, nowMs);
    if (this.profile === 'redis-4.0') {
      const rejected = redis40Rejects(d.name, argv, this.peekLiveType);
      if (rejected !== null) return none(rejected);
    }
    if (modifiesInPlace(d.name)) this.beforeInPlaceWrite(ctx, d, argv, client.db);
    const handled = d.handler(ctx, argv);
    const reply = this.profile === 'redis-4.0' ? redis40Reply(handled) : handled;
    const dirty = this.afterHandler(ctx, client, d, argv);
    const out: Propagated[] = [];
    this.propagateInto(ctx, client, argv, out);
    const expired = ctx.expiryOps.size === 0 ? [] : out.filter((op) => ctx.expiryOps.has(op));
    return { reply, propagate: out, dirty, writeCommand: d.flags.includes('write'), expired };
  }

  lookup(name: Bytes): CommandDef | undefined {
    const hit = this.bySpelling.get(name);
    if (hit !== undefined) return hit;
    const lower = lowerName(name);
    const d = this.extra.get(lower) ?? BASE_COMMAND_TABLE.get(lower);
    if (d !== undefined && this.bySpelling.size < 4096) this.bySpelling.set(name, d);
    return d;
  }

  /**
   * The definition a client gets: under the 4.0 profile only 4.0's commands, with 4.0's arities
   * and flags (server commands handed in as extras are the profile's own).
   * The AOF-loading client keeps 7.0's table and arities: the loader (src/aof/loader,
   * load-single-file.ts) refuses a command 4.0 lacks before it gets here, as Redis 4.0.14 does
   * ("Unknown command ... reading the append only file").
   */
  private clientDef(name: Bytes, client: ClientState): CommandDef | undefined {
    if (this.profile !== 'redis-4.0' || client.aofLoading) return this.lookup(name);
    return this.adapted40(name);
  }

  /** 4.0's definition of a command (its arity and flags), or undefined when 4.0 lacks it. */
  private adapted40(name: Bytes): CommandDef | undefined {
    const d = this.lookup(name);
    if (d === undefined || this.extra.has(d.name)) return d;
    let adapted = this.defs40.get(d.name);
    if (adapted === undefined) {
      adapted = redis40Def(d) ?? null;
      this.defs40.set(d.name, adapted);
    }
    return adapted ?? undefined;
  }

  /** The profile's unknown-command reply text. */
  private unknownCommand(argv: readonly Bytes[]): string {
    return this.profile === 'redis-4.0' ? redis40UnknownCommandMessage(argv) : unknownCommandMessage(argv);
  }

  /** All command definitions (for COMMAND-like listings and coverage tables). */
  commands(): CommandDef[] {
    return [...buildCommandTable(this.extraDefs).values()];
  }

  /** `timeMs`: the command's time when the caller already read the clock for it (one read per command). */
  call(client: ClientState, argv: Bytes[], timeMs?: number): ExecResult {
    if (argv.length === 0) return this.result(error('ERR empty command'), [], 0);
    const d = this.clientDef(argv[0], client);
    const name = d === undefined ? lowerName(argv[0]) : d.name;
    if (client.multi !== null && !NOT_QUEUED.has(name)) {
      if (d === undefined) {
        client.multiDirty = true;
        return this.result(error(this.unknownCommand(argv)), [], 0);
      }
      if (!arityOk(d, argv.length)) {
        client.multiDirty = true;
        return this.result(error(`ERR wrong number of arguments for '${d.name}' command`), [], 0);
      }
      client.multi.push(argv);
      return this.result(QUEUED, [], 0);
    }
    if (d === undefined) return this.result(error(this.unknownCommand(argv)), [], 0);
    if (!arityOk(d, argv.length)) {
      return this.result(error(`ERR wrong number of arguments for '${d.name}' command`), [], 0);
    }
    const nowMs = timeMs ?? this.clock.nowMs();
    switch (name) {
      case 'multi':
        if (client.multi !== null) return this.result(error('ERR MULTI calls can not be nested'), [], 0);
        client.multi = [];
        client.multiDirty = false;
        return this.result(OK, [], 0);
      case 'discard':
        if (client.multi === null) return this.result(error('ERR DISCARD without MULTI'), [], 0);
        this.discardTransaction(client);
        return this.result(OK, [], 0);
      case 'exec':
        return this.exec(client, argv, nowMs);
      case 'watch':
        if (client.multi !== null) return this.result(error('ERR WATCH inside MULTI is not allowed'), [], 0);
        this.watch(client, argv, nowMs);
        return this.result(OK, [], 0);
      default: {
        if (client.aofLoading) {
          // The AOF loader's client propagates nothing: skip the execution unit entirely.
          const before = this.totalDirty;
          const reply = this.runCommand(client, d, argv, nowMs, NO_UNIT);
          return this.result(reply, NO_UNIT, this.totalDirty - before);
        }
        const unit: Propagated[] = [];
        const before = this.totalDirty;
        // Only this top-level command may block; runCommand hands the permission to it alone.
        this.blockingPending = d.flags.includes('blocking');
        const reply = this.runCommand(client, d, argv, nowMs, unit);
        const out = this.profile === 'redis-7.0' && !d.touchesArbitraryKeys ? wrapMulti(unit) : unit;
        const res = this.result(reply, client.aofLoading ? [] : out, this.totalDirty - before);
        const block = this.ctx.blockRequest;
        if (block !== null) {
          this.ctx.blockRequest = null;
          res.block = block;
        }
        return res;
      }
    }
  }

  /**
   * Deletes every key whose expire time is <= nowMs, db by db in expires-insertion order, and
   * returns one DEL (UNLINK with lazyfree-lazy-expire) per key, each its own execution unit.
   * DIVERGENCE(redis): Redis samples keys randomly within a time budget; this deterministic full
   * sweep expires the same keys, only the order (and timing) of the DELs differs.
   */
  activeExpireCycle(nowMs: number): Propagated[] {
    const out: Propagated[] = [];
    const del = this.ctx.lazyfreeLazyExpire ? 'UNLINK' : 'DEL';
    this.keyspace.dbs.forEach((db, i) => {
      if (db.expires.size === 0) return;
      const expired: Bytes[] = [];
      for (const [k, t] of db.expires) if (t <= nowMs) expired.push(k);
      for (const k of expired) {
        db.dict.delete(k);
        db.expires.delete(k);
        this.touchKey(i, k);
        this.expiredKeys++;
        out.push({ db: i, argv: [del, k] });
      }
    });
    return out;
  }

  // ---- KeyTouchSink (WATCH) ----

  touchKey(db: number, key: Bytes): void {
    if (this.watchers.size === 0) return;
    const ids = this.watchers.get(db + ':' + key);
    if (ids === undefined) return;
    for (const id of ids) {
      const wk = this.watchedByClient.get(id)?.find((w) => w.db === db && w.key === key);
      if (wk?.expired && !this.keyspace.dbs[db].dict.has(key)) {
        // redis 7.0 touchWatchedKey: an already-expired key got deleted: logically no change.
        wk.expired = false;
        continue;
      }
      this.dirtyCas.add(id);
    }
  }

  touchDb(db: number): void {
    if (this.watchers.size === 0) return;
    const dict = this.keyspace.dbs[db].dict;
    for (const [id, list] of this.watchedByClient) {
      for (const w of list) if (w.db === db && dict.has(w.key)) this.dirtyCas.add(id);
    }
  }

  // ---- internals ----

  /**
   * The type of a key of the running command's db that exists and has not expired at its time (no
   * side effects). One function for the executor's life, not a closure per command.
   */
  private readonly peekLiveType = this.livePeek();

  /**
   * peekLiveType's function, made here: a class-field arrow gets a defineProperty call per
   * Executor under tsx (esbuild keepNames), and every simulated start builds an Executor.
   */
  private livePeek(): (key: Bytes) => string | undefined {
    return (key) => {
      const d = this.keyspace.dbs[this.ctx.client.db];
      const t = d.expires.get(key);
      return t !== undefined && t <= this.ctx.nowMs ? undefined : d.dict.get(key)?.type;
    };
  }

  private newContext(opts: ExecutorOptions): CommandContext {
    return new CommandContext(
      this.keyspace,
      opts.profile,
      opts.random,
      this.log,
      opts.lazyfreeLazyExpire ?? false,
      opts.lazyfreeLazyServerDel ?? false,
      this,
      opts.lazyfreeLazyUserDel ?? false,
    );
  }

  private result(reply: Reply, propagate: Propagated[], dirty: number): ExecResult {
    return { reply, propagate, dirty };
  }

  /** redis: call() for one command; appends its propagation to `unit` in the profile's order. */
  private runCommand(client: ClientState, d: CommandDef, argv: Bytes[], nowMs: number, unit: Propagated[]): Reply {
    const mayBlock = this.blockingPending;
    this.blockingPending = false;
    if (d.name === 'unwatch') {
      this.unwatchAll(client);
      return OK;
    }
    const ctx = this.ctx;
    ctx.begin(client, argv, nowMs);
    if (this.profile === 'redis-4.0') {
      // Also while loading: 4.0.14 answers such a record with an error and loads on without it.
      const rejected = redis40Rejects(d.name, argv, this.peekLiveType);
      if (rejected !== null) return rejected;
    }
    ctx.blockingAllowed = mayBlock;
    if (modifiesInPlace(d.name)) this.beforeInPlaceWrite(ctx, d, argv, client.db);
    const handled = d.handler(ctx, argv);
    const reply = this.profile === 'redis-4.0' ? redis40Reply(handled) : handled;
    this.afterHandler(ctx, client, d, argv);
    if (!client.aofLoading) this.propagateInto(ctx, client, argv, unit);
    return reply;
  }

  /**
   * beforeWrite for a command that may modify a collection in place. A command with one key (HSET,
   * SADD, ZADD, ...) reads its entry here and hands it to the context, so the handler's own lookup
   * does not probe the dict a second time; numkeys and multi-key forms go through commandKeys.
   */
  private beforeInPlaceWrite(ctx: CommandContext, d: CommandDef, argv: Bytes[], db: number): void {
    const dict = this.keyspace.dbs[db].dict;
    const k = d.firstKey;
    if (d.keys === undefined && k > 0 && d.lastKey === k && k < argv.length) {
      const key = argv[k];
      const v = dict.get(key);
      if (v !== undefined) beforeWriteValue(v, ctx.encodingLimits);
      ctx.prefetched(key, db, v);
    } else {
      beforeWrite(commandKeys(d, argv), dict, ctx.encodingLimits);
    }
  }

  /** call()'s bookkeeping once a handler ran in `ctx`: dirty and expiry counts, WATCH touches. Returns the dirty count. */
  private afterHandler(ctx: CommandContext, client: ClientState, d: CommandDef, argv: Bytes[]): number {
    const dirty = ctx.dirtyCount;
    this.totalDirty += dirty;
    // A key read before the handler and not written since is still mapped to what was read.
    if (dirty > 0) noteWrite(d.name, argv, this.keyspace.dbs[client.db].dict, ctx.encodingLimits, ctx.entryIfUnwritten, ctx.prefetchedValue);
    this.expiredKeys += ctx.expiredCount;
    if (dirty > 0 && this.watchers.size > 0) {
      for (const k of commandKeys(d, argv)) this.touchKey(client.db, k);
    }
    return dirty;
  }

  /** Appends what the command just run in `ctx` propagates to `unit`, in the profile's order. */
  private propagateInto(ctx: CommandContext, client: ClientState, argv: Bytes[], unit: Propagated[]): void {
    const main = (ctx.dirtyCount > 0 || ctx.forced) && !ctx.prevented ? { db: client.db, argv: ctx.argvOverride ?? argv } : null;
    if (this.profile === 'redis-7.0') {
      for (const op of ctx.ops) unit.push(op);
      if (main) unit.push(main);
    } else {
      // 4.0: expiry DELs were written at once (propagateExpire), before the command; the command
      // itself goes next, its alsoPropagate list last.
      for (const op of ctx.ops) if (isExpiryOp(op, ctx)) unit.push(op);
      if (main) unit.push(main);
      for (const op of ctx.ops) if (!isExpiryOp(op, ctx)) unit.push(op);
    }
  }

  private exec(client: ClientState, argv: Bytes[], nowMs: number): ExecResult {
    if (client.multi === null) return this.result(error('ERR EXEC without MULTI'), [], 0);
    if (this.isWatchedKeyExpired(client, nowMs)) this.dirtyCas.add(client.id);
    if (client.multiDirty || this.dirtyCas.has(client.id)) {
      const reply = client.multiDirty ? error(EXECABORT) : NIL_ARRAY;
      this.discardTransaction(client);
      return this.result(reply, [], 0);
    }
    this.unwatchAll(client);
    const queued = client.multi;
    client.multi = null;
    client.multiDirty = false;
    const unit: Propagated[] = [];
    const replies: Reply[] = [];
    const before = this.totalDirty;
    let mustPropagate = false;
    for (const q of queued) {
      const d = this.clientDef(q[0], client);
      if (d === undefined) {
        replies.push(error(this.unknownCommand(q)));
        continue;
      }
      if (this.profile === 'redis-4.0' && !mustPropagate && !client.aofLoading) {
        if (!d.flags.includes('readonly') && !d.flags.includes('admin')) {
          unit.push({ db: client.db, argv: ['MULTI'] });
          mustPropagate = true;
        }
      }
      replies.push(this.runCommand(client, d, q, nowMs, unit));
    }
    let out = unit;
    if (this.profile === 'redis-4.0') {
      if (mustPropagate) {
        this.totalDirty++;
        unit.push({ db: client.db, argv });
      }
    } else {
      out = wrapMulti(unit);
    }
    return this.result(array(replies), client.aofLoading ? [] : out, this.totalDirty - before);
  }

  private discardTransaction(client: ClientState): void {
    client.multi = null;
    client.multiDirty = false;
    this.unwatchAll(client);
  }

  private watch(client: ClientState, argv: Bytes[], nowMs: number): void {
    if (this.dirtyCas.has(client.id)) return;
    let list = this.watchedByClient.get(client.id);
    if (!list) {
      list = [];
      this.watchedByClient.set(client.id, list);
    }
    for (let i = 1; i < argv.length; i++) {
      const key = argv[i];
      const db = client.db;
      if (list.some((w) => w.db === db && w.key === key)) continue;
      const t = this.keyspace.dbs[db].expires.get(key);
      list.push({ db, key, expired: t !== undefined && t <= nowMs && !client.aofLoading });
      const id = db + ':' + key;
      let set = this.watchers.get(id);
      if (!set) {
        set = new Set();
        this.watchers.set(id, set);
      }
      set.add(client.id);
    }
  }

  private isWatchedKeyExpired(client: ClientState, nowMs: number): boolean {
    const list = this.watchedByClient.get(client.id);
    if (!list || client.aofLoading) return false;
    for (const w of list) {
      if (w.expired) continue;
      const t = this.keyspace.dbs[w.db].expires.get(w.key);
      if (t !== undefined && t <= nowMs && this.keyspace.dbs[w.db].dict.has(w.key)) return true;
    }
    return false;
  }

  private unwatchAll(client: ClientState): void {
    const list = this.watchedByClient.get(client.id);
    this.dirtyCas.delete(client.id);
    if (!list) return;
    for (const w of list) {
      const id = w.db + ':' + w.key;
      const set = this.watchers.get(id);
      if (set) {
        set.delete(client.id);
        if (set.size === 0) this.watchers.delete(id);
      }
    }
    this.watchedByClient.delete(client.id);
  }
}

function isExpiryOp(op: Propagated, ctx: CommandContext): boolean {
  return ctx.expiryOps.has(op);
}

/** redis 7.0 propagatePendingCommands: more than one command is wrapped in MULTI/EXEC. */
/** The unit runCommand gets for the loading client (it returns before touching it), and the propagation of its results. */
const NO_UNIT: Propagated[] = Object.freeze([]) as unknown as Propagated[];

function wrapMulti(unit: Propagated[]): Propagated[] {
  if (unit.length <= 1) return unit;
  return [{ db: unit[0].db, argv: ['MULTI'] }, ...unit, { db: unit[unit.length - 1].db, argv: ['EXEC'] }];
}
