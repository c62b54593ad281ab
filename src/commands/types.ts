// The contract between the command layer and its callers (the server, the AOF loader's fake client,
// the rewrite). A command runs against the keyspace for one client and reports what it propagates.
//
// Propagation: `ExecResult.propagate` is the ordered list of commands this execution unit writes to
// the AOF, already in the dialect of the profile (redis-7.0: SET ... PXAT, EXPIRE -> PEXPIREAT,
// several effects wrapped in MULTI/EXEC; redis-4.0: the command as 4.0's call() propagated it,
// before feedAppendOnlyFile's own translations, which live in src/aof/feed). The AOF feed adds
// SELECT and #TS: lines; callers never re-derive propagation from argv.

import type { Bytes } from '../keyspace/types.ts';
import type { Reply } from './reply.ts';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'fast'
  | 'no-multi'
  | 'may-replicate';

/** One propagated command and the db it applies to. */
export interface Propagated {
  db: number;
  argv: Bytes[];
}

/** Per-connection state (redis: client). */
export interface ClientState {
  id: number;
  db: number;
  /** Queued commands while inside MULTI, else null. */
  multi: Bytes[][] | null;
  /** Set when a command failed to queue (EXECABORT on EXEC). */
  multiDirty: boolean;
  /** The AOF-loading fake client: no replies needed, no expiry, all commands allowed. */
  aofLoading: boolean;
}

export function newClient(id: number, aofLoading = false): ClientState {
  return { id, db: 0, multi: null, multiDirty: false, aofLoading };
}

export interface ExecResult {
  reply: Reply;
  /** What this execution unit propagates, in order (see file header). */
  propagate: Propagated[];
  /** Number of changes (redis: server.dirty delta). */
  dirty: number;
  /** Set when the command asked to block its client (only for a client's own top-level command). */
  block?: { keys: Bytes[]; timeoutMs: number; ids?: Bytes[] };
}

export interface CommandSpec {
  /** Lower-case name. */
  name: string;
  /** Redis arity: n > 0 exactly n args (incl. name), n < 0 at least -n. */
  arity: number;
  flags: readonly CommandFlag[];
}

/** Executes commands for clients against one keyspace (redis: call() + processCommand checks). */
export interface CommandExecutor {
  /** The spec for a command name (case-insensitive bytes), or undefined when unknown. */
  lookup(name: Bytes): CommandSpec | undefined;
  /** Runs argv for the client: arity checks, MULTI queueing, the command, propagation. */
  call(client: ClientState, argv: Bytes[]): ExecResult;
}
