// Clients blocked on keys by BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP.
// redis 7.0.15: blocked.c blockForKeys (the client joins db->blocking_keys[key], in order),
// handleClientsBlockedOnKeys / serveClientsBlockedOnListKey / serveClientsBlockedOnSortedSetKey
// (a ready key serves its clients in the order they blocked, each one its own execution unit,
// until the key is gone), replyToBlockedClientTimedOut (a nil array) and unblockClient.
//
// Serving re-runs the client's command restricted to the ready key (BLPOP a b 0 served by b runs
// as BLPOP b 0), so the reply and the propagation (LPOP b, LMOVE s d left right, RPOPLPUSH s d,
// LPOP k n, ZPOPMIN k n, ...) are the ones the command gives when data is there.
//
// DIVERGENCE(redis): Redis serves ready keys in the order they were signalled (dbAdd); here a
// key is ready when it holds a value of the wanted type after a command, and ready keys are taken
// in the order clients first blocked on them. They differ only when one execution unit (EXEC, a
// script) fills two keys that different clients wait on.
//
// Invariants: a blocked client is in `byClient` and in the waiter list of each of its keys, and
// nowhere else; a blocked client never runs another command (drivers must not send it any).

import type { Bytes, Value } from './keyspace/types.ts';
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
}

const ZSET_COMMANDS = new Set(['bzpopmin', 'bzpopmax', 'bzmpop']);

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
  block(client: ClientState, argv: Bytes[], keys: Bytes[], deadlineMs: number): void {
    const b: BlockedClient = { client, argv, db: client.db, keys: [...new Set(keys)], deadlineMs, wants: ZSET_COMMANDS.has(argv[0].toLowerCase()) ? 'zset' : 'list' };
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
      const waiters = e.waiters.filter((w) => w.wants === v.type);
      if (waiters.length > 0) return { db: e.db, key: e.key, waiters };
    }
    return null;
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
  return [b.argv[0], key, '0'];
}
