// Connection and server-level commands that touch the keyspace: PING, ECHO, SELECT, DBSIZE,
// FLUSHDB, FLUSHALL, SWAPDB (redis 7.0: server.c pingCommand/echoCommand, db.c selectCommand,
// dbsizeCommand, flushdbCommand, flushallCommand, swapdbCommand).
//
// Propagation: redis-7.0 FLUSHDB/FLUSHALL always propagate (forceCommandPropagation, A42 / #10691);
// redis-4.0 FLUSHDB propagates only when it deleted a key (dirty += keys removed), FLUSHALL always
// (it ends with server.dirty++).

import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_DB_RANGE, ERR_NOT_INTEGER, ERR_SYNTAX, isOpt, parseInteger } from '../args.ts';
import type { Reply } from '../reply.ts';
import { OK, bulk, error, integer, status } from '../reply.ts';

function ping(_ctx: CommandContext, argv: string[]): Reply {
  if (argv.length > 2) return error(`ERR wrong number of arguments for 'ping' command`);
  return argv.length === 1 ? status('PONG') : bulk(argv[1]);
}

/** redis: getIntFromObjectOrReply. */
function dbIndexArg(s: string, msg: string | null): number | string {
  const n = parseInteger(s);
  if (n === null) return msg ?? ERR_NOT_INTEGER;
  if (n < -2147483648 || n > 2147483647) return msg ?? 'ERR value is out of range';
  return n;
}

function select(ctx: CommandContext, argv: string[]): Reply {
  const id = dbIndexArg(argv[1], null);
  if (typeof id === 'string') return error(id);
  if (id < 0 || id >= ctx.keyspace.numDbs) return error(ERR_DB_RANGE);
  ctx.client.db = id;
  return OK;
}

/** redis: getFlushCommandFlags. Returns an error text or null. */
function flushArgs(argv: string[]): string | null {
  if (argv.length > 2) return ERR_SYNTAX;
  if (argv.length === 2 && !isOpt(argv[1], 'SYNC') && !isOpt(argv[1], 'ASYNC')) return ERR_SYNTAX;
  return null;
}

function emptyDb(ctx: CommandContext, index: number): number {
  const db = ctx.keyspace.dbs[index];
  const n = db.dict.size;
  ctx.signalFlushedDb(index);
  db.dict.clear();
  db.expires.clear();
  return n;
}

function flushdb(ctx: CommandContext, argv: string[]): Reply {
  const err = flushArgs(argv);
  if (err) return error(err);
  ctx.dirty(emptyDb(ctx, ctx.dbIndex));
  if (ctx.profile === 'redis-7.0') ctx.forcePropagation();
  return OK;
}

function flushall(ctx: CommandContext, argv: string[]): Reply {
  const err = flushArgs(argv);
  if (err) return error(err);
  let n = 0;
  for (let i = 0; i < ctx.keyspace.numDbs; i++) n += emptyDb(ctx, i);
  // 4.0: dirty += removed keys, then dirty++; 7.0 dropped the ++ for forceCommandPropagation
  // (observed on 7.0.15: FLUSHALL of 3 keys adds 3 to rdb_changes_since_last_save, of none 0).
  ctx.dirty(ctx.profile === 'redis-4.0' ? n + 1 : n);
  ctx.forcePropagation();
  return OK;
}

function swapdb(ctx: CommandContext, argv: string[]): Reply {
  const a = dbIndexArg(argv[1], 'ERR invalid first DB index');
  if (typeof a === 'string') return error(a);
  const b = dbIndexArg(argv[2], 'ERR invalid second DB index');
  if (typeof b === 'string') return error(b);
  const n = ctx.keyspace.numDbs;
  if (a < 0 || a >= n || b < 0 || b >= n) return error(ERR_DB_RANGE);
  if (a !== b) {
    ctx.signalFlushedDb(a);
    ctx.signalFlushedDb(b);
    const da = ctx.keyspace.dbs[a];
    const dbb = ctx.keyspace.dbs[b];
    const dict = da.dict;
    const expires = da.expires;
    da.dict = dbb.dict;
    da.expires = dbb.expires;
    dbb.dict = dict;
    dbb.expires = expires;
    ctx.signalFlushedDb(a);
    ctx.signalFlushedDb(b);
  }
  ctx.dirty();
  return OK;
}

export const serverCommands: CommandDef[] = [
  def('ping', -1, ['fast', 'stale', 'loading'], [0, 0, 0], ping),
  def('echo', 2, ['fast', 'stale', 'loading'], [0, 0, 0], (_ctx, argv) => bulk(argv[1])),
  def('select', 2, ['loading', 'stale', 'fast'], [0, 0, 0], select),
  def('dbsize', 1, ['readonly', 'fast'], [0, 0, 0], (ctx) => integer(ctx.db.dict.size)),
  def('flushdb', -1, ['write'], [0, 0, 0], flushdb),
  def('flushall', -1, ['write'], [0, 0, 0], flushall),
  def('swapdb', 3, ['write', 'fast'], [0, 0, 0], swapdb),
];
