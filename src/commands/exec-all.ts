// Test and tooling helper: runs a list of commands for one client and collects replies and
// propagation, so a test reads as the redis-cli session it models.

import type { Bytes } from '../keyspace/types.ts';
import type { Reply } from './reply.ts';
import type { ClientState, CommandExecutor, Propagated } from './types.ts';

export interface ExecAllResult {
  replies: Reply[];
  /** All propagated commands, in order. */
  propagate: Propagated[];
  dirty: number;
}

/** Runs each argv through executor.call for client, in order. */
export function execAll(executor: CommandExecutor, client: ClientState, commands: readonly Bytes[][]): ExecAllResult {
  const replies: Reply[] = [];
  const propagate: Propagated[] = [];
  let dirty = 0;
  for (const argv of commands) {
    const r = executor.call(client, argv);
    replies.push(r.reply);
    for (const p of r.propagate) propagate.push(p);
    dirty += r.dirty;
  }
  return { replies, propagate, dirty };
}

/** A reply as redis-cli --no-raw would roughly show it, for compact test assertions. */
export function replyText(r: Reply): unknown {
  switch (r.kind) {
    case 'status':
      return r.value;
    case 'error':
      return '(error) ' + r.value;
    case 'integer':
      return typeof r.value === 'bigint' ? Number(r.value) : r.value;
    case 'bulk':
      return r.value;
    case 'array':
      return r.value === null ? null : r.value.map(replyText);
  }
}

/** Propagated commands as space-joined strings ("SET k v PXAT 123"), db changes as "SELECT n". */
export function propagationText(ops: readonly Propagated[]): string[] {
  const out: string[] = [];
  let db = -1;
  for (const p of ops) {
    if (p.db !== db && !(p.argv.length === 1 && p.argv[0].toUpperCase() === 'EXEC')) {
      out.push('SELECT ' + p.db);
      db = p.db;
    }
    out.push(p.argv.join(' '));
  }
  return out;
}
