// Clients blocked on keys by BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP,
// XREAD BLOCK, XREADGROUP BLOCK (redis 7.0.15 blocked.c serveClientsBlockedOnStreamKey: a stream
// serves a client once its last ID passes the ID the client waits for, or its group's last ID).
// redis 7.0.15: blocked.c blockForKeys (the client joins db->blocking_keys[key], in order),
// handleClientsBlockedOnKeys / serveClientsBlockedOnListKey / serveClientsBlockedOnSortedSetKey
// (a ready key serves its clients in the order they blocked, each one its own execution unit,
// until the key is gone), replyToBlockedClientTimedOut (a nil array) and unblockClient.
//
// Serving re-runs the client's command restricted to the ready key (BLPOP a b 0 served by b runs
// as BLPOP b 0; XREAD BLOCK 0 STREAMS a b $ $ as XREAD BLOCK 0 STREAMS b <b's last ID at block
// time>), so the reply and the propagation (LPOP b, LMOVE s d left right, RPOPLPUSH s d,
// LPOP k n, ZPOPMIN k n, XREADGROUP's XCLAIM/XGROUP SETID, ...) are the ones the command gives
// when data is there.
// DIVERGENCE(redis): a client blocked in XREADGROUP whose group is destroyed gets the NOGROUP
// error XREADGROUP gives, not 7.0's "the consumer group this client was blocked on no longer exists".
//
// DIVERGENCE(redis): Redis serves ready keys in the order they were signalled (dbAdd); here a
// key is ready when it holds a value of the wanted type after a command, and ready keys are taken
// in the order clients first blocked on them. They differ only when one execution unit (EXEC, a
// script) fills two keys that different clients wait on.
//
// Invariants: a blocked client is in `byClient` and in the waiter list of each of its keys, and
// nowhere else; a blocked client never runs another command (drivers must not send it any).

import type { Bytes, StreamId, Value } from './keyspace/types.ts';
import type { ClientState } from './commands/types.ts';
import type { Keyspace } from './keyspace/keyspace.ts';

export interface BlockedClient {
  client: ClientState;
  /** The command as the client sent it. */
  argv: Bytes[];
  db: number;
  keys: Bytes[];
  /** Absolute deadline in ms of the server clock; 0 = never. */
  deadlineMs: number;
  /** The value type that serves it. */
  wants: Value['type'];
  /** XREAD/XREADGROUP: key -> the ID to pass ('>' for a group's last ID). */
  ids?: Map<Bytes, Bytes>;
}

const ZSET_COMMANDS = new Set(['bzpopmin', 'bzpopmax', 'bzmpop']);
const STREAM_COMMANDS = new Set(['xread', 'xreadgroup']);

function wantsOf(name: string): Value['type'] {
  if (ZSET_COMMANDS.has(name)) return 'zset';
  return STREAM_COMMANDS.has(name) ? 'stream' : 'list';
}

const idLess = (a: StreamId, b: StreamId): boolean => a.ms < b.ms || (a.ms === b.ms && a.seq < b.seq);

function parseId(s: Bytes): StreamId {
  const dash = s.indexOf('-');
  return { ms: BigInt(s.slice(0, dash)), seq: BigInt(s.slice(dash + 1)) };
}

/** The argv index of XREADGROUP's group name. */
function groupNameOf(argv: readonly Bytes[]): Bytes | undefined {
  for (let i = 1; i + 2 < argv.length; i++) if (argv[i].toLowerCase() === 'group') return argv[i + 1];
  return undefined;
}

/** True when `v` has something for `b` (redis: serveClientsBlockedOnStreamKey's last_id test). */
function streamServes(b: BlockedClient, key: Bytes, v: Extract<Value, { type: 'stream' }>): boolean {
  const want = b.ids?.get(key);
  if (want === undefined) return false;
  if (want !== '>') return idLess(parseId(want), v.value.lastId);
  const g = v.value.groups.get(groupNameOf(b.argv) ?? '');
  // A destroyed group: the client is served with the error its command now gives.
  return g === undefined || idLess(g.lastId, v.value.lastId);
}

const slot = (db: number, key: Bytes): string => `${db}\u0000${key}`;

export class BlockedClients {
  private readonly byClient = new Map<number, BlockedClient>();
  /** db+key -> waiters in blocking order (Map order: the order keys were first blocked on). */
  private readonly byKey = new Map<string, { db: number; key: Bytes; waiters: BlockedClient[] }>();

  get count(): number {
    return this.byClient.size;
  }

  isBlocked(clientId: number): boolean {
    return this.byClient.has(clientId);
  }

  /** redis: blockForKeys. */
  block(client: ClientState, argv: Bytes[], keys: Bytes[], deadlineMs: number, ids?: Bytes[] | Map<Bytes, Bytes>): void {
    const b: BlockedClient = { client, argv, db: client.db, keys: [...new Set(keys)], deadlineMs, wants: wantsOf(argv[0].toLowerCase()) };
    if (ids instanceof Map) b.ids = ids;
    else if (ids !== undefined) {
      // The first occurrence of a key counts, as in Redis (blockForKeys skips a key already added).
      b.ids = new Map();
      keys.forEach((k, i) => {
        if (!b.ids?.has(k)) b.ids?.set(k, ids[i]);
      });
    }
    this.byClient.set(client.id, b);
    for (const k of b.keys) {
      const s = slot(b.db, k);
      let e = this.byKey.get(s);
      if (e === undefined) this.byKey.set(s, (e = { db: b.db, key: k, waiters: [] }));
      e.waiters.push(b);
    }
  }

  /** redis: unblockClient (the waiter lists lose the client; empty lists go). */
  unblock(clientId: number): BlockedClient | undefined {
    const b = this.byClient.get(clientId);
    if (b === undefined) return undefined;
    this.byClient.delete(clientId);
    for (const k of b.keys) {
      const s = slot(b.db, k);
      const e = this.byKey.get(s);
      if (e === undefined) continue;
      e.waiters = e.waiters.filter((w) => w !== b);
      if (e.waiters.length === 0) this.byKey.delete(s);
    }
    return b;
  }

  /** The first key (in blocking order) holding a value some waiter on it wants, with those waiters in order. */
  nextReady(ks: Keyspace, skip: ReadonlySet<string>): { db: number; key: Bytes; waiters: BlockedClient[] } | null {
    for (const [s, e] of this.byKey) {
      if (skip.has(s)) continue;
      const v = ks.dbs[e.db].dict.get(e.key);
      if (v === undefined) continue;
      const waiters = e.waiters.filter((w) => w.wants === v.type && (v.type !== 'stream' || streamServes(w, e.key, v)));
      if (waiters.length > 0) return { db: e.db, key: e.key, waiters };
    }
    return null;
  }

  /** True while `v` (the value at `key`) still serves `b`: an earlier waiter may have taken it all. */
  serves(b: BlockedClient, key: Bytes, v: Value): boolean {
    return v.type === b.wants && (v.type !== 'stream' || streamServes(b, key, v));
  }

  /**
   * Clients whose deadline passed at `nowMs`, in blocking order. Strictly passed: redis 7.0
   * handleBlockedClientsTimeout stops at `timeout >= now` (checkBlockedClientTimeout: `timeout < now`).
   */
  timedOut(nowMs: number): BlockedClient[] {
    const out: BlockedClient[] = [];
    for (const b of this.byClient.values()) if (b.deadlineMs !== 0 && b.deadlineMs < nowMs) out.push(b);
    return out;
  }
}

/** The command `b` runs when `key` serves it: its own command restricted to that one key. */
export function servingArgv(b: BlockedClient, key: Bytes): Bytes[] {
  const name = b.argv[0].toLowerCase();
  if (name === 'blmpop' || name === 'bzmpop') {
    const numkeys = Number(b.argv[2]);
    return [b.argv[0], '0', '1', key, ...b.argv.slice(3 + numkeys)];
  }
  // redis: serveClientBlockedOnList propagates LMOVE with the shared "left"/"right" objects.
  if (name === 'blmove') return [b.argv[0], b.argv[1], b.argv[2], b.argv[3].toLowerCase(), b.argv[4].toLowerCase(), '0'];
  if (name === 'brpoplpush') return b.argv;
  if (name === 'xread' || name === 'xreadgroup') {
    // The options before STREAMS (BLOCK kept: nothing to read after all keeps it waiting), then the one stream.
    let i = 1;
    while (i < b.argv.length && b.argv[i].toLowerCase() !== 'streams') i += b.argv[i].toLowerCase() === 'group' ? 3 : b.argv[i].toLowerCase() === 'noack' ? 1 : 2;
    return [...b.argv.slice(0, i), b.argv[i] ?? 'STREAMS', key, b.ids?.get(key) ?? '$'];
  }
  return [b.argv[0], key, '0'];
}
