// A tiny CommandExecutor for loader tests and properties: SET, DEL, INCR, SELECT, MULTI, EXEC,
// DISCARD, PING over one Map per db, plus a record of every executed argv. It is not Redis's command
// layer (that is src/commands); it exists so the loader can be tested on its own, and its rules are
// simple enough to be an oracle: MULTI queues (the loader queues for the AOF client), EXEC runs the
// queue, errors are replies. INCR on a non-integer replies with Redis's error text.

import type { Bytes } from '../../keyspace/types.ts';
import { array, error, integer, NIL, OK, QUEUED, status, type Reply } from '../../commands/reply.ts';
import type { ClientState, CommandExecutor, CommandSpec, ExecResult } from '../../commands/types.ts';

const SPECS: Record<string, CommandSpec> = {
  set: { name: 'set', arity: -3, flags: ['write'] },
  del: { name: 'del', arity: -2, flags: ['write'] },
  incr: { name: 'incr', arity: 2, flags: ['write'] },
  select: { name: 'select', arity: 2, flags: [] },
  multi: { name: 'multi', arity: 1, flags: [] },
  exec: { name: 'exec', arity: 1, flags: [] },
  discard: { name: 'discard', arity: 1, flags: [] },
  ping: { name: 'ping', arity: -1, flags: [] },
};

export class MapExecutor implements CommandExecutor {
  readonly dbs: Map<Bytes, Bytes>[] = Array.from({ length: 16 }, () => new Map());
  /** Every command run (not queued), with the db it ran in. */
  readonly executed: { db: number; argv: Bytes[] }[] = [];

  lookup(name: Bytes): CommandSpec | undefined {
    return Object.prototype.hasOwnProperty.call(SPECS, name.toLowerCase()) ? SPECS[name.toLowerCase()] : undefined;
  }

  call(client: ClientState, argv: Bytes[]): ExecResult {
    return { reply: this.run(client, argv), propagate: [], dirty: 0 };
  }

  /** The non-empty dbs as plain objects (for comparisons). */
  snapshot(): Record<number, Record<string, string>> {
    const out: Record<number, Record<string, string>> = {};
    this.dbs.forEach((m, i) => {
      if (m.size > 0) out[i] = Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    });
    return out;
  }

  private run(client: ClientState, argv: Bytes[]): Reply {
    const spec = this.lookup(argv[0]);
    if (!spec) return error(`ERR unknown command '${argv[0]}'`);
    if ((spec.arity > 0 && argv.length !== spec.arity) || (spec.arity < 0 && argv.length < -spec.arity)) {
      return error(`ERR wrong number of arguments for '${spec.name}' command`);
    }
    if (client.multi !== null && spec.name !== 'exec' && spec.name !== 'discard' && spec.name !== 'multi') {
      client.multi.push(argv);
      return QUEUED;
    }
    this.executed.push({ db: client.db, argv });
    const db = this.dbs[client.db];
    switch (spec.name) {
      case 'set':
        db.set(argv[1], argv[2]);
        return OK;
      case 'del': {
        let n = 0;
        for (const k of argv.slice(1)) if (db.delete(k)) n++;
        return integer(n);
      }
      case 'incr': {
        const cur = db.get(argv[1]) ?? '0';
        if (!/^-?(0|[1-9][0-9]{0,17})$/.test(cur)) return error('ERR value is not an integer or out of range');
        const v = Number(cur) + 1;
        db.set(argv[1], String(v));
        return integer(v);
      }
      case 'select': {
        const i = /^[0-9]+$/.test(argv[1]) ? Number(argv[1]) : -1;
        if (i < 0 || i >= 16) return error('ERR DB index is out of range');
        client.db = i;
        return OK;
      }
      case 'multi':
        if (client.multi !== null) return error('ERR MULTI calls can not be nested');
        client.multi = [];
        client.multiDirty = false;
        return OK;
      case 'discard':
        if (client.multi === null) return error('ERR DISCARD without MULTI');
        client.multi = null;
        return OK;
      case 'exec': {
        if (client.multi === null) return error('ERR EXEC without MULTI');
        const queue = client.multi;
        client.multi = null;
        return array(queue.map((a) => this.run(client, a)));
      }
      case 'ping':
        return status('PONG');
      default:
        return NIL;
    }
  }
}
