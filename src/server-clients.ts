// The server's connected clients and the CLIENT command (redis 7.0.15: networking.c clientCommand,
// catClientInfoString, clientKillCommand's old and new forms; server.c clientsCron's idle time).
// A driver registers each connection with its addresses (serve: the socket's; the simulator:
// none, so addr is empty as for Redis's fake clients); the server notes each command's time and
// name. CLIENT KILL closes the connection at once for the server (a blocked client stops waiting,
// later replies are dropped) and queues the id for the driver, which ends the socket after writing
// the replies already due (the killer's own OK included, as CLIENT_CLOSE_AFTER_REPLY does).
//
// DIVERGENCE(redis): the memory fields of CLIENT LIST (qbuf, argv-mem, tot-mem, ...) are fixed
// values, there are no pub/sub, replica or master clients (TYPE filters them to none) and every
// client is user `default`.
//
// Invariants: a client is listed from register() until closed() (its own QUIT/close, or a kill);
// ids grow (redis: client->id from server.next_client_id).

import type { Bytes } from './keyspace/types.ts';
import type { ClientState } from './commands/types.ts';
import type { Reply } from './commands/reply.ts';
import { NIL, OK, bulk, error, integer } from './commands/reply.ts';
import { parseInteger } from './commands/args.ts';

/** Where a connection comes from and goes to (redis: client->conn addresses, fd). */
export interface ConnectionInfo {
  /** "ip:port" of the peer, or "path:0" for a unix socket. */
  addr: string;
  /** "ip:port" of the listening side, or "path:0". */
  laddr: string;
  fd: number;
}

interface ClientEntry {
  client: ClientState;
  conn: ConnectionInfo;
  name: Bytes;
  createdMs: number;
  lastInteractionMs: number;
  /** Full name of the last command (redis: lastcmd->fullname, e.g. "client|list"). */
  lastCmd: string;
}

/** What the server tells CLIENT about a client it cannot see itself. */
export interface ClientFlags {
  blocked(client: ClientState): boolean;
}

const NO_CONN: ConnectionInfo = { addr: '', laddr: '', fd: -1 };

const CONTAINER_COMMANDS = new Set(['client', 'config', 'object', 'debug', 'xinfo', 'xgroup', 'function', 'script', 'memory', 'command', 'cluster', 'acl', 'slowlog', 'latency', 'module', 'pubsub']);

export class ClientRegistry {
  private readonly entries = new Map<number, ClientEntry>();
  private killedIds: number[] = [];
  /** redis: stat_numconnections (INFO total_connections_received). */
  totalConnections = 0;

  constructor(private readonly flags: ClientFlags) {}

  get size(): number {
    return this.entries.size;
  }

  register(client: ClientState, nowMs: number, conn: ConnectionInfo = NO_CONN): void {
    this.totalConnections++;
    this.entries.set(client.id, { client, conn, name: '', createdMs: nowMs, lastInteractionMs: nowMs, lastCmd: 'NULL' });
  }

  closed(clientId: number): void {
    this.entries.delete(clientId);
  }

  /**
   * Notes a command the client sent (redis: c->lastinteraction, c->lastcmd). `name`: the command
   * table's name of argv[0] (its lower-case form), null for an unknown command.
   */
  commandSent(client: ClientState, argv: readonly Bytes[], name: string | null, nowMs: number): void {
    const e = this.entries.get(client.id);
    if (e === undefined) return;
    e.lastInteractionMs = nowMs;
    if (name === null) return;
    e.lastCmd = CONTAINER_COMMANDS.has(name) && argv.length > 1 ? `${name}|${argv[1].toLowerCase()}` : name;
  }

  /** Ids killed since the last call: the driver closes their connections. */
  takeKilled(): number[] {
    const k = this.killedIds;
    this.killedIds = [];
    return k;
  }

  /** redis: clientCommand. `onKill` closes a client for the server (unblock, forget). */
  command(me: ClientState, argv: Bytes[], nowMs: number, onKill: (id: number) => void): Reply {
    const sub = argv[1].toLowerCase();
    const wrongArgs = () => error(`ERR wrong number of arguments for 'client|${sub}' command`);
    const self = this.entries.get(me.id);
    if (sub === 'id') return argv.length === 2 ? integer(me.id) : wrongArgs();
    if (sub === 'info') return argv.length === 2 ? bulk(self === undefined ? '' : this.infoLine(self, nowMs) + '\n') : wrongArgs();
    if (sub === 'getname') {
      if (argv.length !== 2) return wrongArgs();
      return self === undefined || self.name === '' ? NIL : bulk(self.name);
    }
    if (sub === 'setname') {
      if (argv.length !== 3) return wrongArgs();
      // redis: clientSetName accepts only '!'..'~' (no spaces, newlines or other specials).
      for (let i = 0; i < argv[2].length; i++) {
        const ch = argv[2].charCodeAt(i);
        if (ch < 33 || ch > 126) return error('ERR Client names cannot contain spaces, newlines or special characters.');
      }
      if (self !== undefined) self.name = argv[2];
      return OK;
    }
    if (sub === 'list') return this.list(argv, nowMs);
    if (sub === 'kill') return this.kill(me, argv, onKill);
    if (sub === 'help') return bulk('CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands: ID INFO GETNAME SETNAME LIST KILL HELP');
    return error(`ERR unknown subcommand '${argv[1]}'. Try CLIENT HELP.`);
  }

  private list(argv: Bytes[], nowMs: number): Reply {
    let picked = [...this.entries.values()];
    if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
      const t = argv[3].toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(t)) return error(`ERR Unknown client type '${argv[3]}'`);
      if (t !== 'normal') picked = [];
    } else if (argv.length > 3 && argv[2].toLowerCase() === 'id') {
      const ids = new Set<number>();
      for (const a of argv.slice(3)) {
        const n = parseInteger(a);
        if (n === null || n <= 0) return error('ERR Invalid client ID');
        ids.add(n);
      }
      picked = picked.filter((e) => ids.has(e.client.id));
    } else if (argv.length !== 2) return error('ERR syntax error');
    return bulk(picked.map((e) => this.infoLine(e, nowMs) + '\n').join(''));
  }

  /** redis: clientKillCommand (old form `CLIENT KILL addr:port`, new form with filters). */
  private kill(me: ClientState, argv: Bytes[], onKill: (id: number) => void): Reply {
    if (argv.length === 2) return error(`ERR wrong number of arguments for 'client|kill' command`);
    if (argv.length === 3) {
      const e = [...this.entries.values()].find((x) => x.conn.addr === argv[2]);
      if (e === undefined) return error('ERR No such client');
      this.doKill(e.client.id, onKill);
      return OK;
    }
    if (argv.length % 2 !== 0) return error('ERR syntax error');
    let id: number | null = null;
    let addr: string | null = null;
    let laddr: string | null = null;
    let user: string | null = null;
    let type: string | null = null;
    let skipme = true;
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i].toLowerCase();
      const val = argv[i + 1];
      if (opt === 'id') {
        const n = parseInteger(val);
        if (n === null || n <= 0) return error('ERR client-id should be greater than 0');
        id = n;
      } else if (opt === 'type') {
        type = val.toLowerCase();
        if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) return error(`ERR Unknown client type '${val}'`);
      } else if (opt === 'addr') addr = val;
      else if (opt === 'laddr') laddr = val;
      else if (opt === 'user') {
        if (val !== 'default') return error(`ERR No such user '${val}'`);
        user = val;
      } else if (opt === 'skipme') {
        const v = val.toLowerCase();
        if (v !== 'yes' && v !== 'no') return error('ERR syntax error');
        skipme = v === 'yes';
      } else return error('ERR syntax error');
    }
    let killed = 0;
    for (const e of [...this.entries.values()]) {
      if (id !== null && e.client.id !== id) continue;
      if (addr !== null && e.conn.addr !== addr) continue;
      if (laddr !== null && e.conn.laddr !== laddr) continue;
      if (type !== null && type !== 'normal') continue;
      if (user !== null && user !== 'default') continue;
      if (skipme && e.client.id === me.id) continue;
      this.doKill(e.client.id, onKill);
      killed++;
    }
    return integer(killed);
  }

  private doKill(id: number, onKill: (id: number) => void): void {
    this.killedIds.push(id);
    this.entries.delete(id);
    onKill(id);
  }

  /** redis: catClientInfoString. */
  private infoLine(e: ClientEntry, nowMs: number): string {
    const c = e.client;
    let flags = '';
    if (c.multi !== null) flags += 'x';
    if (this.flags.blocked(c)) flags += 'b';
    if (flags === '') flags = 'N';
    return (
      `id=${c.id} addr=${e.conn.addr} laddr=${e.conn.laddr} fd=${e.conn.fd} name=${e.name} ` +
      `age=${Math.floor((nowMs - e.createdMs) / 1000)} idle=${Math.floor((nowMs - e.lastInteractionMs) / 1000)} flags=${flags} db=${c.db} ` +
      `sub=0 psub=0 ssub=0 multi=${c.multi === null ? -1 : c.multi.length} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 ` +
      `rbs=16384 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=${e.lastCmd} user=default redir=-1 resp=2`
    );
  }
}
