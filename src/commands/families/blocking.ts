// The blocking list / sorted-set commands' non-blocking paths (redis 7.0.15 t_list.c
// blockingPopGenericCommand, blmoveGenericCommand, lmpopGenericCommand; t_zset.c
// blockingGenericZpopCommand, zmpopGenericCommand): BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP,
// BZPOPMIN, BZPOPMAX, BZMPOP. When one of the keys holds data they act at once like their
// non-blocking twins and propagate as them: `LPOP k` / `RPOP k`, `RPOPLPUSH s d`, `LMOVE s d w w`,
// `LPOP k n` / `RPOP k n`, `ZPOPMIN k` / `ZPOPMAX k`, `ZPOPMIN k n` / `ZPOPMAX k n`.
//
// Where Redis would block (no key holds data), the handler asks the server to block the client
// (CommandContext.requestBlock: redis blockForKeys) and returns the reply Redis sends when the
// timeout expires (a nil array). A server with blocked clients (src/server-blocked.ts) parks the
// client and serves it when a key becomes ready; a bare Executor, EXEC and scripts send that reply
// at once, as Redis does inside MULTI and scripts.
// DIVERGENCE(redis): inside MULTI Redis answers BRPOPLPUSH/BLMOVE on an empty source with a nil
// bulk instead; that distinction is not modelled.

import type { Bytes } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_SYNTAX, isOpt, parseInteger } from '../args.ts';
import { blockingTimeout, isTimeoutError } from '../blocking-timeout.ts';
import type { Reply } from '../reply.ts';
import { NIL_ARRAY, WRONGTYPE, array, bulk, error } from '../reply.ts';
import { listCommands } from './lists.ts';
import { zsetCommands } from './zsets.ts';

function handlerOf(defs: readonly CommandDef[], name: string): CommandDef['handler'] {
  const d = defs.find((x) => x.name === name);
  if (d === undefined) throw new Error(`blocking: base command ${name} missing`);
  return d.handler;
}

const lpop = handlerOf(listCommands, 'lpop');
const rpop = handlerOf(listCommands, 'rpop');
const lmove = handlerOf(listCommands, 'lmove');
const lmpop = handlerOf(listCommands, 'lmpop');
const zpopmin = handlerOf(zsetCommands, 'zpopmin');
const zpopmax = handlerOf(zsetCommands, 'zpopmax');
const zmpop = handlerOf(zsetCommands, 'zmpop');

/** The argument's timeout (redis: getTimeoutFromObjectOrReply, seconds): an error or the deadline offset. */
function timeoutOf(ctx: CommandContext, s: Bytes): Reply | number {
  const t = blockingTimeout(ctx.profile, s, 'seconds', ctx.nowMs);
  return isTimeoutError(t) ? t : t.offsetMs;
}

/** Asks to block on `keys` for `offsetMs` (0 = forever) when `r` is the would-block reply (a nil array). */
function blockIfNil(ctx: CommandContext, r: Reply, keys: Bytes[], offsetMs: number): Reply {
  if (r.kind === 'array' && r.value === null) ctx.requestBlock(keys, offsetMs);
  return r;
}

function blockingPop(where: 'left' | 'right') {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const t = timeoutOf(ctx, argv[argv.length - 1]);
    if (typeof t !== 'number') return t;
    for (let j = 1; j < argv.length - 1; j++) {
      const v = ctx.lookupWrite(argv[j]);
      if (v === undefined) continue;
      if (v.type !== 'list') return error(WRONGTYPE);
      if (v.value.length === 0) continue;
      const cmd = where === 'left' ? 'LPOP' : 'RPOP';
      const r = (where === 'left' ? lpop : rpop)(ctx, [cmd, argv[j]]);
      ctx.rewriteArgv([cmd, argv[j]]);
      return array([bulk(argv[j]), r]);
    }
    return blockIfNil(ctx, NIL_ARRAY, argv.slice(1, -1), t);
  };
}

function blmoveGeneric(ctx: CommandContext, src: Bytes, dst: Bytes, from: Bytes, to: Bytes, propagate: Bytes[]): Reply {
  const v = ctx.lookupWrite(src);
  if (v !== undefined && v.type !== 'list') return error(WRONGTYPE);
  if (v === undefined) return NIL_ARRAY;
  const r = lmove(ctx, ['LMOVE', src, dst, from, to]);
  if (r.kind !== 'error') ctx.rewriteArgv(propagate);
  return r;
}

function brpoplpush(ctx: CommandContext, argv: Bytes[]): Reply {
  const t = timeoutOf(ctx, argv[3]);
  if (typeof t !== 'number') return t;
  return blockIfNil(ctx, blmoveGeneric(ctx, argv[1], argv[2], 'RIGHT', 'LEFT', ['RPOPLPUSH', argv[1], argv[2]]), [argv[1]], t);
}

function blmove(ctx: CommandContext, argv: Bytes[]): Reply {
  for (const w of [argv[3], argv[4]]) if (!isOpt(w, 'LEFT') && !isOpt(w, 'RIGHT')) return error(ERR_SYNTAX);
  const t = timeoutOf(ctx, argv[5]);
  if (typeof t !== 'number') return t;
  return blockIfNil(ctx, blmoveGeneric(ctx, argv[1], argv[2], argv[3], argv[4], ['LMOVE', argv[1], argv[2], argv[3], argv[4]]), [argv[1]], t);
}

/** The argument checks of lmpopGenericCommand / zmpopGenericCommand (numkeys at index 2). */
function mpopArgsError(argv: Bytes[], sides: [string, string]): Reply | null {
  const numkeys = parseInteger(argv[2]);
  if (numkeys === null || numkeys < 1) return error('ERR numkeys should be greater than 0');
  const whereIdx = 2 + numkeys + 1;
  if (whereIdx >= argv.length) return error(ERR_SYNTAX);
  if (!isOpt(argv[whereIdx], sides[0]) && !isOpt(argv[whereIdx], sides[1])) return error(ERR_SYNTAX);
  let count = false;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (!count && isOpt(argv[j], 'COUNT') && j + 1 < argv.length) {
      const c = parseInteger(argv[++j]);
      if (c === null || c < 1) return error('ERR count should be greater than 0');
      count = true;
    } else return error(ERR_SYNTAX);
  }
  return null;
}

function blmpop(ctx: CommandContext, argv: Bytes[]): Reply {
  const e = mpopArgsError(argv, ['LEFT', 'RIGHT']);
  if (e) return e;
  const t = timeoutOf(ctx, argv[1]);
  if (typeof t !== 'number') return t;
  return blockIfNil(ctx, lmpop(ctx, ['LMPOP', ...argv.slice(2)]), numkeysAt2(argv), t);
}

function bzmpop(ctx: CommandContext, argv: Bytes[]): Reply {
  const e = mpopArgsError(argv, ['MIN', 'MAX']);
  if (e) return e;
  const t = timeoutOf(ctx, argv[1]);
  if (typeof t !== 'number') return t;
  return blockIfNil(ctx, zmpop(ctx, ['ZMPOP', ...argv.slice(2)]), numkeysAt2(argv), t);
}

function bzpop(max: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const t = timeoutOf(ctx, argv[argv.length - 1]);
    if (typeof t !== 'number') return t;
    for (let j = 1; j < argv.length - 1; j++) {
      const v = ctx.lookupWrite(argv[j]);
      if (v === undefined) continue;
      if (v.type !== 'zset') return error(WRONGTYPE);
      if (v.value.size === 0) continue;
      const cmd = max ? 'ZPOPMAX' : 'ZPOPMIN';
      const r = (max ? zpopmax : zpopmin)(ctx, [cmd, argv[j]]);
      ctx.rewriteArgv([cmd, argv[j]]);
      if (r.kind !== 'array' || r.value === null) return r;
      return array([bulk(argv[j]), ...r.value]);
    }
    return blockIfNil(ctx, NIL_ARRAY, argv.slice(1, -1), t);
  };
}

const numkeysAt2 = (argv: readonly Bytes[]): Bytes[] => {
  const n = parseInteger(argv[2] ?? '');
  return n === null || n < 1 ? [] : argv.slice(3, 3 + n);
};

export const blockingCommands: CommandDef[] = [
  def('blpop', -3, ['write', 'blocking', 'noscript'], [1, -2, 1], blockingPop('left')),
  def('brpop', -3, ['write', 'blocking', 'noscript'], [1, -2, 1], blockingPop('right')),
  def('brpoplpush', 4, ['write', 'denyoom', 'blocking', 'noscript'], [1, 2, 1], brpoplpush),
  def('blmove', 6, ['write', 'denyoom', 'blocking', 'noscript'], [1, 2, 1], blmove),
  def('blmpop', -5, ['write', 'blocking'], [0, 0, 0], blmpop, { keys: numkeysAt2 }),
  def('bzpopmin', -3, ['write', 'blocking', 'fast'], [1, -2, 1], bzpop(false)),
  def('bzpopmax', -3, ['write', 'blocking', 'fast'], [1, -2, 1], bzpop(true)),
  def('bzmpop', -5, ['write', 'blocking'], [0, 0, 0], bzmpop, { keys: numkeysAt2 }),
];
