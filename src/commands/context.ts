// What a command handler sees while it runs (redis: the client `c`, `c->db`, server.dirty,
// alsoPropagate, rewriteClientCommandVector, lookupKeyRead/Write with expireIfNeeded, setKey, dbAdd,
// dbDelete, setExpire). One CommandContext lives in the Executor and is re-armed for each call.
//
// Invariants: a handler only touches user keys through these methods, so lazy expiry and WATCH
// invalidation cannot be bypassed; `nowMs` is fixed for the whole execution unit (redis 7.0:
// commandTimeSnapshot; an EXEC's commands all see the time EXEC started). While the client is the
// AOF loader nothing expires (redis: expireIfNeeded returns 0 when server.loading).

import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Bytes, Db, Value } from '../keyspace/types.ts';
import type { Log } from '../ports/log.ts';
import type { Random } from '../ports/random.ts';
import type { ScriptingRuntime } from '../scripting/runtime.ts';
import type { Reply } from './reply.ts';
import type { ClientState, Propagated } from './types.ts';
import type { Profile } from '../base/profile.ts';
import { defaultEncodingLimits, type EncodingLimits } from './encoding.ts';

/** What a script's redis.call does: one command run inside the script's execution unit. */
export interface NestedCall {
  reply: Reply;
  /** What the command propagates (effects), in the profile's order. */
  propagate: Propagated[];
  dirty: number;
  /** A write command passed the checks and ran, whatever its outcome (redis 4.0: lua_write_dirty). */
  writeCommand: boolean;
  /** The lazy-expiry DELs among `propagate` (redis: propagateExpire feeds them at once). */
  expired: Propagated[];
}

/** The executor's side of scripting (redis: scriptCall from script_lua.c / call() nested). */
export interface ScriptCaller {
  callFromScript(client: ClientState, argv: Bytes[], nowMs: number, readOnly: boolean): NestedCall;
}

/** Callbacks into the executor for WATCH bookkeeping. */
export interface KeyTouchSink {
  touchKey(db: number, key: Bytes): void;
  touchDb(db: number): void;
}

/** What a blocked command waits for (see CommandContext.requestBlock). */
export interface BlockRequest {
  keys: Bytes[];
  /** Relative timeout in ms; 0 blocks forever. */
  timeoutMs: number;
  /** XREAD/XREADGROUP: the ID each key waits to pass, as text ('$' resolved; '>' for a group), aligned with keys. */
  ids?: Bytes[];
}

export class CommandContext {
  client!: ClientState;
  nowMs = 0;
  /** The argv of the command being run (as typed). */
  argv: Bytes[] = [];
  /** Commands pushed by alsoPropagate / lazy expiry during this call, in order. */
  readonly ops: Propagated[] = [];
  /** The entries of `ops` that are lazy-expiry deletions (the 4.0 profile orders them first). */
  readonly expiryOps = new Set<Propagated>();
  argvOverride: Bytes[] | null = null;
  prevented = false;
  forced = false;
  dirtyCount = 0;
  /** Lazily expired keys during this call (for stats / tests). */
  expiredCount = 0;
  /** Read lookups that found / missed their key, since the context was made (INFO keyspace_hits/misses). */
  keyspaceHits = 0;
  keyspaceMisses = 0;
  /**
   * True only for a command a client sent itself (not inside EXEC, a script or the AOF loader):
   * only such a command may block (redis: blocking commands inside MULTI or a script act as if
   * the timeout had expired at once).
   */
  blockingAllowed = false;
  /** Set by a blocking command that found no data and may block (redis: blockForKeys). */
  blockRequest: BlockRequest | null = null;
  /** The *-max-* encoding limits in force (one object shared with the Executor; CONFIG SET changes it). */
  encodingLimits: EncodingLimits = defaultEncodingLimits();
  /** Scripting state and the way back into the executor (set by the Executor). */
  scripting: ScriptingRuntime | null = null;
  scriptCaller: ScriptCaller | null = null;
  /**
   * The dict entry of one key the executor read just before the handler (see prefetched), or null.
   * Handed to the first lookup if it is for that key, so an in-place write probes the dict once;
   * dropped by that first lookup whatever its key, and by every write to a dict through this context.
   */
  private preKey: Bytes | null = null;
  private preDb = 0;
  private preValue: Value | undefined = undefined;
  /** The prefetched key while no dict has been written through this context since (see entryIfUnwritten). */
  private unwrittenKey: Bytes | null = null;

  constructor(
    readonly keyspace: Keyspace,
    readonly profile: Profile,
    readonly random: Random,
    readonly log: Log,
    readonly lazyfreeLazyExpire: boolean,
    readonly lazyfreeLazyServerDel: boolean,
    private readonly sink: KeyTouchSink,
    readonly lazyfreeLazyUserDel: boolean = false,
  ) {}

  /** Re-arms the context for one call (executor only). */
  begin(client: ClientState, argv: Bytes[], nowMs: number): void {
    this.client = client;
    this.argv = argv;
    this.nowMs = nowMs;
    if (this.ops.length !== 0) this.ops.length = 0; // a runtime call even when empty
    // Set.clear allocates a fresh hash table even when empty: skip it in the common case (one
    // call per command, millions while loading an AOF).
    if (this.expiryOps.size > 0) this.expiryOps.clear();
    this.argvOverride = null;
    this.prevented = false;
    this.forced = false;
    this.dirtyCount = 0;
    this.expiredCount = 0;
    this.blockRequest = null;
    this.preKey = null;
    this.unwrittenKey = null;
  }

  /**
   * The executor read `key`'s dict entry in db `dbIndex` (`value`, undefined when absent) right
   * before running the handler: the handler's first lookup, if it is of that key, uses it instead
   * of probing the dict again. Call after begin().
   */
  prefetched(key: Bytes, dbIndex: number, value: Value | undefined): void {
    this.preKey = key;
    this.preDb = dbIndex;
    this.preValue = value;
    this.unwrittenKey = key;
  }

  /**
   * After the handler: the prefetched key (null when there was none, or when a dict was written
   * through this context since, which may have replaced or removed its entry). While it is not
   * null, the db prefetched() named still maps it to prefetchedValue.
   */
  get entryIfUnwritten(): Bytes | null {
    return this.unwrittenKey;
  }

  /** The value prefetched() was given; meaningful only while entryIfUnwritten is not null. */
  get prefetchedValue(): Value | undefined {
    return this.preValue;
  }

  /** A dict is about to be written: what was read from it before may be stale. */
  private willWrite(): void {
    this.preKey = null;
    this.unwrittenKey = null;
  }

  /**
   * redis: blockForKeys. Asks the server to park the client on `keys` (of the current db) until one
   * becomes ready or `timeoutMs` (0 = never) passes; the handler's own reply (the timeout reply)
   * is what a driver without blocking (a bare Executor) sends at once. Ignored unless allowed.
   */
  requestBlock(keys: Bytes[], timeoutMs: number, ids?: Bytes[]): void {
    if (this.blockingAllowed) this.blockRequest = ids === undefined ? { keys, timeoutMs } : { keys, timeoutMs, ids };
  }

  /** The client's selected database index. */
  get dbIndex(): number {
    return this.client.db;
  }

  /** The client's selected database. */
  get db(): Db {
    return this.keyspace.dbs[this.client.db];
  }

  get loading(): boolean {
    return this.client.aofLoading;
  }

  // ---- lookups (redis: db.c lookupKey*, expireIfNeeded) ----

  /** The value at key in the client's db (or `dbIndex`), after lazy expiry. */
  lookupRead(key: Bytes, dbIndex: number = this.client.db): Value | undefined {
    const v = this.lookupWrite(key, dbIndex);
    if (v === undefined) this.keyspaceMisses++;
    else this.keyspaceHits++;
    return v;
  }

  /** lookupRead without the hit/miss stats (redis: lookupKeyWrite passes LOOKUP_WRITE). */
  lookupWrite(key: Bytes, dbIndex: number = this.client.db): Value | undefined {
    let v: Value | undefined;
    const pre = this.preKey;
    if (pre !== null && pre === key && this.preDb === dbIndex) {
      v = this.preValue;
      this.preKey = null;
    } else {
      this.preKey = null;
      v = this.keyspace.dbs[dbIndex].dict.get(key);
    }
    if (v === undefined) return undefined;
    if (this.expireIfNeeded(dbIndex, key)) return undefined;
    return v;
  }

  /** True when key exists (after lazy expiry). */
  exists(key: Bytes, dbIndex: number = this.client.db): boolean {
    return this.lookupRead(key, dbIndex) !== undefined;
  }

  /**
   * Deletes key if its expire time has passed and propagates DEL (UNLINK with lazyfree-lazy-expire).
   * Returns true when the key was expired. redis: db.c expireIfNeeded + deleteExpiredKeyAndPropagate.
   */
  expireIfNeeded(dbIndex: number, key: Bytes): boolean {
    const db = this.keyspace.dbs[dbIndex];
    const when = db.expires.get(key);
    if (when === undefined) return false;
    if (this.client.aofLoading) return false;
    if (when > this.nowMs) return false;
    this.willWrite();
    db.dict.delete(key);
    db.expires.delete(key);
    this.expiredCount++;
    this.sink.touchKey(dbIndex, key);
    const op = { db: dbIndex, argv: [this.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key] };
    this.ops.push(op);
    this.expiryOps.add(op);
    return true;
  }

  /**
   * A lazy-expiry DEL that happened in a nested call (a script's redis.call) and goes out with this
   * command as its own expiry DELs do: under 4.0 ahead of the command (propagateExpire feeds at once).
   */
  propagateExpired(op: Propagated): void {
    this.ops.push(op);
    this.expiryOps.add(op);
  }

  // ---- writes (redis: db.c dbAdd, dbOverwrite, setKey, dbDelete, setExpire, removeExpire) ----

  /** Adds a key that does not exist (redis: dbAdd). */
  addKey(key: Bytes, value: Value, dbIndex: number = this.client.db): void {
    this.willWrite();
    this.keyspace.dbs[dbIndex].dict.set(key, value);
    this.sink.touchKey(dbIndex, key);
  }

  /** Replaces the value of an existing key, keeping its TTL (redis: dbOverwrite). */
  overwrite(key: Bytes, value: Value, dbIndex: number = this.client.db): void {
    this.willWrite();
    this.keyspace.dbs[dbIndex].dict.set(key, value);
    this.sink.touchKey(dbIndex, key);
  }

  /**
   * Sets key to value, dropping its TTL unless keepTtl (redis: setKey). Like Redis's setKey (4.0 and
   * 7.0 alike) it looks the key up for writing first, so an expired key met here is deleted and its
   * DEL/UNLINK propagated before the command (MSET, BITOP, SORT STORE, 7.0's *STORE commands on an
   * expired destination). A no-op when the handler already looked the key up.
   */
  setKey(key: Bytes, value: Value, keepTtl = false, dbIndex: number = this.client.db): void {
    this.expireIfNeeded(dbIndex, key);
    this.willWrite();
    const db = this.keyspace.dbs[dbIndex];
    db.dict.set(key, value);
    if (!keepTtl) db.expires.delete(key);
    this.sink.touchKey(dbIndex, key);
  }

  /** Deletes key and its TTL; true when it existed (redis: dbDelete). No expiry check. */
  deleteKey(key: Bytes, dbIndex: number = this.client.db): boolean {
    this.willWrite();
    const db = this.keyspace.dbs[dbIndex];
    if (!db.dict.delete(key)) return false;
    db.expires.delete(key);
    this.sink.touchKey(dbIndex, key);
    return true;
  }

  /**
   * Replaces key by value without looking it up (redis 4.0: `dbDelete` then `dbAdd`, the STORE tail
   * of SUNIONSTORE/SINTERSTORE/SDIFFSTORE/ZUNIONSTORE/ZINTERSTORE): an expired destination vanishes
   * without a DEL of its own, where 7.0's setKey propagates one.
   */
  replaceWithoutLookup(key: Bytes, value: Value, dbIndex: number = this.client.db): void {
    this.deleteKey(key, dbIndex);
    this.addKey(key, value, dbIndex);
  }

  /** Deletes key when its collection became empty (redis: the `if (len == 0) dbDelete` idiom). */
  deleteIfEmpty(key: Bytes, size: number, dbIndex: number = this.client.db): boolean {
    return size === 0 ? this.deleteKey(key, dbIndex) : false;
  }

  setExpire(key: Bytes, whenMs: number, dbIndex: number = this.client.db): void {
    this.keyspace.dbs[dbIndex].expires.set(key, whenMs);
    this.sink.touchKey(dbIndex, key);
  }

  removeExpire(key: Bytes, dbIndex: number = this.client.db): boolean {
    return this.keyspace.dbs[dbIndex].expires.delete(key);
  }

  getExpire(key: Bytes, dbIndex: number = this.client.db): number | undefined {
    return this.keyspace.dbs[dbIndex].expires.get(key);
  }

  /** Marks a key modified for WATCH (redis: signalModifiedKey). */
  signalModifiedKey(key: Bytes, dbIndex: number = this.client.db): void {
    this.sink.touchKey(dbIndex, key);
  }

  /** Marks every key of a db modified (redis: touchAllWatchedKeysInDb / signalFlushedDb). */
  signalFlushedDb(dbIndex: number): void {
    this.sink.touchDb(dbIndex);
  }

  // ---- propagation (redis: server.dirty, alsoPropagate, rewriteClientCommandVector) ----

  /** Counts n changes to the dataset (redis: server.dirty += n). */
  dirty(n = 1): void {
    this.dirtyCount += n;
  }

  /** Propagates an extra command in this execution unit (redis: alsoPropagate). */
  alsoPropagate(argv: Bytes[], dbIndex: number = this.client.db): void {
    this.ops.push({ db: dbIndex, argv });
  }

  /** Alias of alsoPropagate. */
  propagate(argv: Bytes[], dbIndex: number = this.client.db): void {
    this.ops.push({ db: dbIndex, argv });
  }

  /** Propagates argv instead of the command as typed (redis: rewriteClientCommandVector). */
  rewriteArgv(argv: Bytes[]): void {
    this.argvOverride = argv;
  }

  /** The command propagates even if it changed nothing (redis: forceCommandPropagation). */
  forcePropagation(): void {
    this.forced = true;
  }

  /** The command itself is not propagated (redis: preventCommandPropagation). */
  preventPropagation(): void {
    this.prevented = true;
  }
}
