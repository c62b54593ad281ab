// List commands (redis 7.0.15: t_list.c): LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP/RPOP [count],
// LINSERT, LSET, LREM, LTRIM, LMOVE, RPOPLPUSH, LRANGE, LINDEX, LLEN, LPOS, LMPOP.
//
// Propagation: verbatim, except LMPOP -> `LPOP k n` / `RPOP k n` with n the number popped
// (redis: mpopGenericCommand, both profiles since the 4.0 profile has no LMPOP of its own).
// Invariants: a list that becomes empty is deleted; argument errors are reported before the key
// is looked up exactly where Redis parses first (LTRIM, LRANGE, LREM) and after where it looks up
// first (LSET, LINDEX).

import { List } from '../../keyspace/list.ts';
import type { Bytes } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_INDEX, ERR_NOT_INTEGER, ERR_NOT_POSITIVE, ERR_NO_SUCH_KEY, ERR_SYNTAX, INT64_MIN, parseInt64, parseInteger } from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, NIL_ARRAY, OK, WRONGTYPE, array, bulk, error, integer } from '../reply.ts';

type Where = 'head' | 'tail';
const wrongType = (): Reply => error(WRONGTYPE);

/** The list at key, undefined when missing, or a WRONGTYPE reply. */
function getList(ctx: CommandContext, key: Bytes): List | undefined | Reply {
  const v = ctx.lookupWrite(key);
  if (v === undefined) return undefined;
  return v.type === 'list' ? v.value : wrongType();
}

function isReply(x: List | undefined | Reply): x is Reply {
  return x !== undefined && !(x instanceof List);
}

function push(where: Where, onlyExisting: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const key = argv[1];
    const l = getList(ctx, key);
    if (isReply(l)) return l;
    if (l === undefined && onlyExisting) return integer(0);
    const list = l ?? new List(argv.length - 2);
    if (where === 'head') for (let j = 2; j < argv.length; j++) list.pushHead(argv[j]);
    else for (let j = 2; j < argv.length; j++) list.pushTail(argv[j]);
    if (l === undefined) ctx.addKey(key, { type: 'list', value: list });
    else ctx.signalModifiedKey(key);
    ctx.dirty(argv.length - 2);
    return integer(list.length);
  };
}

/** Removes `n` elements from one end; returns them in pop order and deletes an emptied key. */
function popRange(ctx: CommandContext, key: Bytes, list: List, where: Where, n: number): Bytes[] {
  const out: Bytes[] = [];
  for (let i = 0; i < n; i++) out.push((where === 'head' ? list.popHead() : list.popTail()) as Bytes);
  if (list.length === 0) ctx.deleteKey(key);
  else ctx.signalModifiedKey(key);
  ctx.dirty(n);
  return out;
}

function pop(where: Where) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    if (argv.length > 3) return error(`ERR wrong number of arguments for '${argv[0].toLowerCase()}' command`);
    const hasCount = argv.length === 3;
    let count = 0;
    if (hasCount) {
      const n = parseInteger(argv[2]);
      if (n === null || n < 0) return error(ERR_NOT_POSITIVE);
      count = n;
    }
    const l = getList(ctx, argv[1]);
    if (isReply(l)) return l;
    if (l === undefined) return hasCount ? NIL_ARRAY : NIL;
    if (hasCount && count === 0) return array([]);
    if (!hasCount) return bulk(popRange(ctx, argv[1], l, where, 1)[0]);
    return array(popRange(ctx, argv[1], l, where, Math.min(count, l.length)).map((e) => bulk(e)));
  };
}

function linsert(ctx: CommandContext, argv: Bytes[]): Reply {
  const w = argv[2].toUpperCase();
  if (w !== 'AFTER' && w !== 'BEFORE') return error(ERR_SYNTAX);
  const l = getList(ctx, argv[1]);
  if (isReply(l)) return l;
  if (l === undefined) return integer(0);
  const i = l.indexOf(argv[3]);
  if (i < 0) return integer(-1);
  l.insertAt(w === 'AFTER' ? i + 1 : i, argv[4]);
  ctx.signalModifiedKey(argv[1]);
  ctx.dirty();
  return integer(l.length);
}

/** A list index (redis: getLongFromObjectOrReply) resolved against length; null when not an integer. */
function index(arg: Bytes, len: number): number | null {
  const i = parseInteger(arg);
  if (i === null) return null;
  return i < 0 ? len + i : i;
}

function lset(ctx: CommandContext, argv: Bytes[]): Reply {
  const l = getList(ctx, argv[1]);
  if (isReply(l)) return l;
  if (l === undefined) return error(ERR_NO_SUCH_KEY);
  const i = index(argv[2], l.length);
  if (i === null) return error(ERR_NOT_INTEGER);
  if (i < 0 || i >= l.length) return error(ERR_INDEX);
  l.set(i, argv[3]);
  ctx.signalModifiedKey(argv[1]);
  ctx.dirty();
  return OK;
}

function lrem(ctx: CommandContext, argv: Bytes[]): Reply {
  const toRemove = parseInteger(argv[2]);
  if (toRemove === null) return error(ERR_NOT_INTEGER);
  const l = getList(ctx, argv[1]);
  if (isReply(l)) return l;
  if (l === undefined) return integer(0);
  const elem = argv[3];
  const limit = toRemove === 0 ? Infinity : Math.abs(toRemove);
  const removed = l.removeEqual(elem, limit, toRemove < 0);
  if (removed > 0) {
    if (l.length === 0) ctx.deleteKey(argv[1]);
    else ctx.signalModifiedKey(argv[1]);
    ctx.dirty(removed);
  }
  return integer(removed);
}

function ltrim(ctx: CommandContext, argv: Bytes[]): Reply {
  let start = parseInteger(argv[2]);
  let end = parseInteger(argv[3]);
  if (start === null || end === null) return error(ERR_NOT_INTEGER);
  const l = getList(ctx, argv[1]);
  if (isReply(l)) return l;
  if (l === undefined) return OK;
  const llen = l.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let ltrimN: number;
  let rtrimN: number;
  if (start > end || start >= llen) {
    ltrimN = llen;
    rtrimN = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrimN = start;
    rtrimN = llen - end - 1;
  }
  l.trim(ltrimN, rtrimN);
  if (l.length === 0) ctx.deleteKey(argv[1]);
  else ctx.signalModifiedKey(argv[1]);
  // redis 4.0 ltrimCommand counts an existing list dirty even when nothing is trimmed (so 4.0
  // propagates a no-op LTRIM); 7.0 counts the removed elements.
  ctx.dirty(ctx.profile === 'redis-4.0' ? 1 : ltrimN + rtrimN);
  return OK;
}

function whereArg(s: Bytes): Where | null {
  const u = s.toUpperCase();
  return u === 'LEFT' ? 'head' : u === 'RIGHT' ? 'tail' : null;
}

/** redis: lmoveGenericCommand (+ lmoveHandlePush). */
export function lmoveGeneric(ctx: CommandContext, src: Bytes, dst: Bytes, from: Where, to: Where): Reply {
  const s = getList(ctx, src);
  if (isReply(s)) return s;
  if (s === undefined || s.length === 0) return NIL;
  const d = getList(ctx, dst);
  if (isReply(d)) return d;
  const value = (from === 'head' ? s.popHead() : s.popTail()) as Bytes;
  if (d === undefined && src !== dst) {
    ctx.addKey(dst, { type: 'list', value: List.from([value]) });
  } else {
    const target = d ?? s;
    if (to === 'head') target.pushHead(value);
    else target.pushTail(value);
    ctx.signalModifiedKey(dst);
  }
  if (s.length === 0) ctx.deleteKey(src);
  ctx.signalModifiedKey(src);
  ctx.dirty();
  return bulk(value);
}

function lmove(ctx: CommandContext, argv: Bytes[]): Reply {
  const from = whereArg(argv[3]);
  const to = whereArg(argv[4]);
  if (from === null || to === null) return error(ERR_SYNTAX);
  return lmoveGeneric(ctx, argv[1], argv[2], from, to);
}

function lrange(ctx: CommandContext, argv: Bytes[]): Reply {
  let start = parseInteger(argv[2]);
  let end = parseInteger(argv[3]);
  if (start === null || end === null) return error(ERR_NOT_INTEGER);
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return array([]);
  if (v.type !== 'list') return wrongType();
  const llen = v.value.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return array([]);
  if (end >= llen) end = llen - 1;
  // Straight from the list into the reply (no copy of the range first): LRANGE is the hot read.
  // A short range gets its array at its size (V8 keeps a preallocated array of up to ~100k
  // elements fast; a longer one grows by push).
  const list = v.value;
  const n = end - start + 1;
  const out = n <= 4096 ? new Array<Reply>(n) : [];
  for (let i = 0; i < n; i++) out[i] = bulk(list.get(start + i) as Bytes);
  return array(out);
}

function lindex(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return NIL;
  if (v.type !== 'list') return wrongType();
  const i = index(argv[2], v.value.length);
  if (i === null) return error(ERR_NOT_INTEGER);
  const e = v.value.get(i);
  return e === undefined ? NIL : bulk(e);
}

function llen(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return integer(0);
  return v.type === 'list' ? integer(v.value.length) : wrongType();
}

function lpos(ctx: CommandContext, argv: Bytes[]): Reply {
  const elem = argv[2];
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toUpperCase();
    const more = j + 1 < argv.length;
    if (opt === 'RANK' && more) {
      const rb = parseInt64(argv[++j]);
      if (rb === null) return error(ERR_NOT_INTEGER);
      // redis negates LONG_MIN into itself: every match then counts, as with RANK 1 from the tail.
      const r = rb === INT64_MIN ? -1 : Number(rb);
      if (r === 0) {
        return error(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
      rank = r;
    } else if (opt === 'COUNT' && more) {
      const c = parseInteger(argv[++j]);
      if (c === null || c < 0) return error("ERR COUNT can't be negative");
      count = c;
    } else if (opt === 'MAXLEN' && more) {
      const m = parseInteger(argv[++j]);
      if (m === null || m < 0) return error("ERR MAXLEN can't be negative");
      maxlen = m;
    } else return error(ERR_SYNTAX);
  }
  const fromTail = rank < 0;
  if (rank < 0) rank = -rank;
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return count !== -1 ? array([]) : NIL;
  if (v.type !== 'list') return wrongType();
  const l = v.value;
  const matches: Reply[] = [];
  const want = count === -1 ? 1 : count;
  let seen = 0;
  for (let k = 0; k < l.length && (maxlen === 0 || k < maxlen); k++) {
    const i = fromTail ? l.length - 1 - k : k;
    if (l.get(i) !== elem) continue;
    seen++;
    if (seen < rank) continue;
    matches.push(integer(i));
    if (want !== 0 && matches.length >= want) break;
  }
  if (count !== -1) return array(matches);
  return matches.length > 0 ? matches[0] : NIL;
}

function lmpop(ctx: CommandContext, argv: Bytes[]): Reply {
  const numkeys = parseInteger(argv[1]);
  if (numkeys === null || numkeys < 1) return error('ERR numkeys should be greater than 0');
  const whereIdx = 1 + numkeys + 1;
  if (whereIdx >= argv.length) return error(ERR_SYNTAX);
  const where = whereArg(argv[whereIdx]);
  if (where === null) return error(ERR_SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && argv[j].toUpperCase() === 'COUNT' && j + 1 < argv.length) {
      const c = parseInteger(argv[++j]);
      if (c === null || c < 1) return error('ERR count should be greater than 0');
      count = c;
    } else return error(ERR_SYNTAX);
  }
  if (count === -1) count = 1;
  for (let j = 2; j < whereIdx; j++) {
    const key = argv[j];
    const l = getList(ctx, key);
    if (isReply(l)) return l;
    if (l === undefined || l.length === 0) continue;
    const n = Math.min(count, l.length);
    const popped = popRange(ctx, key, l, where, n);
    ctx.rewriteArgv([where === 'head' ? 'LPOP' : 'RPOP', key, String(n)]);
    return array([bulk(key), array(popped.map((e) => bulk(e)))]);
  }
  return NIL_ARRAY;
}

const lmpopKeys = (argv: readonly Bytes[]): Bytes[] => {
  const n = parseInteger(argv[1] ?? '') ?? 0;
  return argv.slice(2, 2 + Math.max(0, n));
};

export const listCommands: CommandDef[] = [
  def('lpush', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], push('head', false)),
  def('rpush', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], push('tail', false)),
  def('lpushx', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], push('head', true)),
  def('rpushx', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], push('tail', true)),
  def('lpop', -2, ['write', 'fast'], [1, 1, 1], pop('head')),
  def('rpop', -2, ['write', 'fast'], [1, 1, 1], pop('tail')),
  def('linsert', 5, ['write', 'denyoom'], [1, 1, 1], linsert),
  def('lset', 4, ['write', 'denyoom'], [1, 1, 1], lset),
  def('lrem', 4, ['write'], [1, 1, 1], lrem),
  def('ltrim', 4, ['write'], [1, 1, 1], ltrim),
  def('lmove', 5, ['write', 'denyoom'], [1, 2, 1], lmove),
  def('rpoplpush', 3, ['write', 'denyoom'], [1, 2, 1], (ctx, argv) => lmoveGeneric(ctx, argv[1], argv[2], 'tail', 'head')),
  def('lrange', 4, ['readonly'], [1, 1, 1], lrange),
  def('lindex', 3, ['readonly'], [1, 1, 1], lindex),
  def('llen', 2, ['readonly', 'fast'], [1, 1, 1], llen),
  def('lpos', -3, ['readonly'], [1, 1, 1], lpos),
  def('lmpop', -4, ['write'], [0, 0, 0], lmpop, { keys: lmpopKeys }),
];
