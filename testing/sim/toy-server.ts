// A deliberately tiny ServerLike for testing the world machinery (scheduler, tasks, trace, crash
// and restart) independently of the real Server: SET/GET/DEL/INCR/PING/BGREWRITEAOF, an append-only
// log of `SET k v` / `DEL k` lines flushed in beforeSleep, fsync per policy (always: fdatasync in
// beforeSleep; everysec: a bio fsync job from cron), replayed on start, and a rewrite child that
// writes the fork-time snapshot to a temp file, sleeps, and renames it over the log (the parent
// learns it through reap() in cron). It models no Redis detail beyond that shape.

import type { ServerDeps, ServerLike, HeldReply } from '../../src/server-types.ts';
import { ProcessExit } from '../../src/server-types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { newClient, type ClientState } from '../../src/commands/types.ts';
import { OK, NIL, bulk, error, integer, status, type Reply } from '../../src/commands/reply.ts';
import type { FileHandle } from '../../src/ports/fs.ts';
import { isFsError } from '../../src/ports/fs.ts';
import { fromBytes, toBytes, type Bytes } from '../../src/keyspace/types.ts';

export interface ToyConfig {
  appendfsync: 'always' | 'everysec' | 'no';
  path?: string;
  hz?: number;
}

export class ToyServer implements ServerLike {
  readonly keyspace = new Keyspace(1);
  readonly hz: number;
  private readonly path: string;
  private fd: FileHandle | null = null;
  private buf = '';
  private held: HeldReply[] = [];
  private ready: HeldReply[] = [];
  private nextClient = 1;
  private lastFsyncS = 0;
  private childPid = -1;

  constructor(
    private readonly deps: ServerDeps,
    private readonly config: ToyConfig,
  ) {
    this.hz = config.hz ?? 10;
    this.path = config.path ?? '/data/toy.aof';
  }

  start(): void {
    const st = this.deps.fs.tryStat(this.path);
    if (st) {
      const text = fromBytes(this.deps.fs.readFile(this.path));
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const [cmd, k, v] = line.split(' ');
        if (cmd === 'SET') this.keyspace.db(0).dict.set(k, { type: 'string', value: v });
        else if (cmd === 'DEL') this.keyspace.db(0).dict.delete(k);
        else throw new ProcessExit(1, `bad line '${line}'`);
      }
      this.deps.log.log('notice', `DB loaded from append only file: ${text.length} bytes`);
    }
    this.deps.fs.mkdir('/data', true);
    this.fd = this.deps.fs.open(this.path, 'append');
  }

  newClient(): ClientState {
    return newClient(this.nextClient++);
  }

  execute(client: ClientState, argv: Bytes[]): void {
    this.held.push({ clientId: client.id, reply: this.run(argv) });
  }

  private run(argv: Bytes[]): Reply {
    const dict = this.keyspace.db(0).dict;
    const cmd = argv[0].toUpperCase();
    if (cmd === 'PING') return status('PONG');
    if (cmd === 'GET') {
      const v = dict.get(argv[1]);
      return v && v.type === 'string' ? bulk(v.value) : NIL;
    }
    if (cmd === 'SET') {
      dict.set(argv[1], { type: 'string', value: argv[2] });
      this.buf += `SET ${argv[1]} ${argv[2]}\n`;
      return OK;
    }
    if (cmd === 'INCR') {
      const v = dict.get(argv[1]);
      const n = (v && v.type === 'string' ? Number(v.value) : 0) + 1;
      dict.set(argv[1], { type: 'string', value: String(n) });
      this.buf += `SET ${argv[1]} ${n}\n`;
      return integer(n);
    }
    if (cmd === 'DEL') {
      const had = dict.delete(argv[1]);
      if (had) this.buf += `DEL ${argv[1]}\n`;
      return integer(had ? 1 : 0);
    }
    if (cmd === 'BGREWRITEAOF') {
      if (this.childPid !== -1) return error('ERR Background append only file rewriting already in progress');
      const snapshot = this.keyspace.clone();
      const fs = this.deps.fs;
      const path = this.path;
      this.childPid = this.deps.tasks.fork(function* (pid) {
        const tmp = `/data/temp-rewrite-${pid}.aof`;
        const fd = fs.open(tmp, 'create-truncate');
        for (const [k, v] of snapshot.db(0).dict) {
          if (v.type === 'string') fd.write(toBytes(`SET ${k} ${v.value}\n`));
          yield { kind: 'work' };
        }
        fd.fsync();
        fd.close();
        yield { kind: 'sleep', ms: 5 };
        fs.rename(tmp, path);
        return 0;
      });
      return status('Background append only file rewriting started');
    }
    return error(`ERR unknown command '${argv[0]}'`);
  }

  beforeSleep(): void {
    if (this.buf !== '' && this.fd) {
      try {
        this.fd.write(toBytes(this.buf));
        this.buf = '';
      } catch (e) {
        if (!isFsError(e)) throw e;
        if (this.config.appendfsync === 'always') throw new ProcessExit(1, `write error: ${e.strerror}`);
        this.deps.log.log('warning', `Error writing to the AOF file: ${e.strerror}`);
      }
      if (this.config.appendfsync === 'always') this.fd.fdatasync();
    }
    this.ready.push(...this.held);
    this.held = [];
  }

  takeReplies(): HeldReply[] {
    const r = this.ready;
    this.ready = [];
    return r;
  }

  cron(): void {
    const nowS = Math.floor(this.deps.clock.nowMs() / 1000);
    if (this.config.appendfsync === 'everysec' && this.fd && nowS > this.lastFsyncS && this.deps.tasks.pendingBio('fsync') === 0) {
      this.deps.tasks.submitBio({ kind: 'fsync', handle: this.fd });
      this.lastFsyncS = nowS;
    }
    for (const c of this.deps.tasks.takeBioCompletions()) {
      if (c.error) this.deps.log.log('warning', `Fail to fsync the AOF file: ${c.error.strerror}`);
    }
    const exit = this.deps.tasks.reap();
    if (exit && exit.pid === this.childPid) {
      this.childPid = -1;
      this.deps.events?.({ kind: 'rewrite-switched', generation: 'redis-4.0' });
      this.deps.log.log('notice', `Background AOF rewrite terminated with ${exit.exitCode === 0 ? 'success' : 'error'}`);
      if (exit.exitCode === 0) {
        this.fd?.close();
        this.fd = this.deps.fs.open(this.path, 'append');
      }
    }
    // As the real Server: cron is serverCron plus the beforeSleep of the same loop iteration.
    this.beforeSleep();
  }
}
