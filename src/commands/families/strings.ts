// String commands (redis 7.0.15: t_string.c). Replies and errors as 7.0 gives them.
//
// Propagation (redis-7.0): SET/SETEX/PSETEX with a TTL -> `SET k v PXAT <abs-ms>`; SET with GET and
// no TTL -> the command without its GET arguments; GETSET -> `SET k v`; GETDEL -> `DEL k`; GETEX ->
// `PEXPIREAT k abs`, `DEL`/`UNLINK` (EXAT/PXAT in the past), `PERSIST k` or nothing;
// INCRBYFLOAT -> `SET k <result> KEEPTTL`. (redis-4.0): everything verbatim except INCRBYFLOAT ->
// `SET k <result>` (the 4.0 feed translates SET EX / SETEX later, in src/aof/feed).
//
// Invariants: integers are signed 64-bit (bigint arithmetic, Redis's overflow checks); floats of
// INCRBYFLOAT are x87 long doubles (see ../long-double.ts); a string never exceeds
// proto-max-bulk-len (512 MB, less 24 bytes: see MAX_BYTES_LENGTH) through APPEND/SETRANGE.

import type { Bytes, Value } from '../../keyspace/types.ts';
import { MAX_BYTES_LENGTH } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import {
  ERR_NOT_FLOAT,
  ERR_NOT_INTEGER,
  ERR_OVERFLOW,
  ERR_SYNTAX,
  INT64_MAX,
  INT64_MIN,
  isOpt,
  parseInt64,
  parseInteger,
} from '../args.ts';
import { incrByFloatText } from '../long-double.ts';
import type { Reply } from '../reply.ts';
import { NIL, OK, WRONGTYPE, array, bulk, error, integer } from '../reply.ts';

// DIVERGENCE(redis): the limit is MAX_BYTES_LENGTH, 24 bytes short of proto-max-bulk-len (a JS
// string cannot be longer); the error is Redis's.
const PROTO_MAX_BULK_LEN = Math.min(512 * 1024 * 1024, MAX_BYTES_LENGTH);
const ERR_TOO_BIG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
const wrongType = (): Reply => error(WRONGTYPE);

/** An integer reply from a bigint, as a number when it is safe. */
export function intReply(v: bigint): Reply {
  return integer(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);
}

// ---- SET family: parseExtendedStringArgumentsOrReply + setGenericCommand ----

type ExpireUnit = 'EX' | 'PX' | 'EXAT' | 'PXAT';

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  unit: ExpireUnit | null;
  expire: Bytes | null;
}

/** redis: parseExtendedStringArgumentsOrReply; `forGet` is GETEX's variant. Returns an error text. */
function parseSetOptions(argv: Bytes[], start: number, forGet: boolean): SetOptions | string {
  const o: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, unit: null, expire: null };
  for (let j = start; j < argv.length; j++) {
    const opt = argv[j].toUpperCase();
    const hasNext = j + 1 < argv.length;
    const ttlSet = o.unit !== null;
    if (opt === 'NX' && !o.xx && !forGet) o.nx = true;
    else if (opt === 'XX' && !o.nx && !forGet) o.xx = true;
    else if (opt === 'GET' && !forGet) o.get = true;
    else if (opt === 'KEEPTTL' && !o.persist && !ttlSet && !forGet) o.keepTtl = true;
    else if (opt === 'PERSIST' && forGet && !ttlSet && !o.keepTtl) o.persist = true;
    else if (
      (opt === 'EX' || opt === 'PX' || opt === 'EXAT' || opt === 'PXAT') &&
      !o.keepTtl &&
      !o.persist &&
      (o.unit === null || o.unit === opt) &&
      hasNext
    ) {
      o.unit = opt;
      o.expire = argv[++j];
    } else return ERR_SYNTAX;
  }
  return o;
}

/** redis: getExpireMillisecondsOrReply. Absolute ms as bigint, or an error text. */
function expireMs(ctx: CommandContext, raw: Bytes, unit: ExpireUnit, cmd: string): bigint | string {
  const v = parseInt64(raw);
  if (v === null) return ERR_NOT_INTEGER;
  const bad = `ERR invalid expire time in '${cmd}' command`;
  const seconds = unit === 'EX' || unit === 'EXAT';
  if (v <= 0n || (seconds && v > INT64_MAX / 1000n)) return bad;
  let ms = seconds ? v * 1000n : v;
  if (unit === 'EX' || unit === 'PX') ms += BigInt(ctx.nowMs);
  if (ms <= 0n || ms > INT64_MAX) return bad;
  return ms;
}

/** redis: setGenericCommand. */
function setGeneric(
  ctx: CommandContext,
  cmd: string,
  o: Readonly<SetOptions>,
  key: Bytes,
  val: Bytes,
  okReply: Reply,
  abortReply: Reply,
): Reply {
  let ms: bigint | null = null;
  if (o.unit !== null && o.expire !== null) {
    const r = expireMs(ctx, o.expire, o.unit, cmd);
    if (typeof r === 'string') return error(r);
    ms = r;
  }
  let old: Reply | null = null;
  if (o.get) {
    const cur = ctx.lookupRead(key);
    if (cur !== undefined && cur.type !== 'string') return wrongType();
    old = cur === undefined ? NIL : bulk(cur.value);
  }
  // Only NX/XX need to know whether the key exists; setKey does the lookup for writing (with its
  // lazy expiry) in every case, so a plain SET looks the key up once (millions while loading).
  if (o.nx || o.xx) {
    const found = ctx.lookupWrite(key) !== undefined;
    if ((o.nx && found) || (o.xx && !found)) return old ?? abortReply;
  }
  ctx.setKey(key, { type: 'string', value: val }, o.keepTtl);
  ctx.dirty();
  if (ms !== null) {
    ctx.setExpire(key, Number(ms));
    if (ctx.profile === 'redis-7.0') ctx.rewriteArgv(['SET', key, val, 'PXAT', ms.toString()]);
  } else if (o.get && ctx.profile === 'redis-7.0') {
    const argv = ctx.argv;
    ctx.rewriteArgv(argv.filter((a, j) => j < 3 || a.length !== 3 || a.toUpperCase() !== 'GET'));
  }
  return old ?? okReply;
}

/** A SET without options (most of an AOF's SETs): one shared value, setGeneric only reads it. */
const PLAIN_SET: Readonly<SetOptions> = Object.freeze({ nx: false, xx: false, get: false, keepTtl: false, persist: false, unit: null, expire: null });

function set(ctx: CommandContext, argv: Bytes[]): Reply {
  const o = argv.length === 3 ? PLAIN_SET : parseSetOptions(argv, 3, false);
  if (typeof o === 'string') return error(o);
  return setGeneric(ctx, 'set', o, argv[1], argv[2], OK, NIL);
}

function setnx(ctx: CommandContext, argv: Bytes[]): Reply {
  const o = parseSetOptions([], 0, false) as SetOptions;
  o.nx = true;
  return setGeneric(ctx, 'setnx', o, argv[1], argv[2], integer(1), integer(0));
}

function setex(unit: 'EX' | 'PX', cmd: string) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const o = parseSetOptions([], 0, false) as SetOptions;
    o.unit = unit;
    o.expire = argv[2];
    return setGeneric(ctx, cmd, o, argv[1], argv[3], OK, NIL);
  };
}

// ---- GET family ----

function get(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return NIL;
  return v.type === 'string' ? bulk(v.value) : wrongType();
}

function getex(ctx: CommandContext, argv: Bytes[]): Reply {
  const o = parseSetOptions(argv, 2, true);
  if (typeof o === 'string') return error(o);
  const key = argv[1];
  const v = ctx.lookupRead(key);
  if (v === undefined) return NIL;
  if (v.type !== 'string') return wrongType();
  let ms: bigint | null = null;
  if (o.unit !== null && o.expire !== null) {
    const r = expireMs(ctx, o.expire, o.unit, 'getex');
    if (typeof r === 'string') return error(r);
    ms = r;
  }
  const reply = bulk(v.value);
  if (ms !== null && (o.unit === 'EXAT' || o.unit === 'PXAT') && checkAlreadyExpired(ctx, ms)) {
    ctx.deleteKey(key);
    ctx.rewriteArgv([ctx.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
    ctx.dirty();
  } else if (ms !== null) {
    ctx.setExpire(key, Number(ms));
    ctx.rewriteArgv(['PEXPIREAT', key, ms.toString()]);
    ctx.dirty();
  } else if (o.persist) {
    if (ctx.removeExpire(key)) {
      ctx.signalModifiedKey(key);
      ctx.rewriteArgv(['PERSIST', key]);
      ctx.dirty();
    }
  }
  return reply;
}

/** redis: expire.c checkAlreadyExpired (never while loading). */
export function checkAlreadyExpired(ctx: CommandContext, whenMs: bigint): boolean {
  return whenMs <= BigInt(ctx.nowMs) && !ctx.loading;
}

function getdel(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return NIL;
  if (v.type !== 'string') return wrongType();
  ctx.deleteKey(argv[1]);
  ctx.rewriteArgv([ctx.lazyfreeLazyUserDel ? 'UNLINK' : 'DEL', argv[1]]);
  ctx.dirty();
  return bulk(v.value);
}

function getset(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  if (v !== undefined && v.type !== 'string') return wrongType();
  ctx.setKey(argv[1], { type: 'string', value: argv[2] });
  ctx.dirty();
  if (ctx.profile === 'redis-7.0') ctx.rewriteArgv(['SET', argv[1], argv[2]]);
  return v === undefined ? NIL : bulk(v.value);
}

function mget(ctx: CommandContext, argv: Bytes[]): Reply {
  const out: Reply[] = [];
  for (let j = 1; j < argv.length; j++) {
    const v = ctx.lookupRead(argv[j]);
    out.push(v === undefined || v.type !== 'string' ? NIL : bulk(v.value));
  }
  return array(out);
}

function msetGeneric(nx: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    if (argv.length % 2 === 0) return error(`ERR wrong number of arguments for '${nx ? 'msetnx' : 'mset'}' command`);
    if (nx) {
      for (let j = 1; j < argv.length; j += 2) if (ctx.lookupWrite(argv[j]) !== undefined) return integer(0);
    }
    for (let j = 1; j < argv.length; j += 2) ctx.setKey(argv[j], { type: 'string', value: argv[j + 1] });
    ctx.dirty((argv.length - 1) / 2);
    return nx ? integer(1) : OK;
  };
}

function append(ctx: CommandContext, argv: Bytes[]): Reply {
  const [, key, extra] = argv;
  const v = ctx.lookupWrite(key);
  let total: number;
  if (v === undefined) {
    ctx.addKey(key, { type: 'string', value: extra });
    total = extra.length;
  } else {
    if (v.type !== 'string') return wrongType();
    if (v.value.length + extra.length > PROTO_MAX_BULK_LEN) return error(ERR_TOO_BIG);
    const s = v.value + extra;
    // redis: dbUnshareStringValue makes the result raw whatever it holds.
    ctx.overwrite(key, { type: 'string', value: s, enc: 'raw' });
    total = s.length;
  }
  ctx.dirty();
  return integer(total);
}

function setrange(ctx: CommandContext, argv: Bytes[]): Reply {
  const [, key, offArg, value] = argv;
  const offset = parseInteger(offArg);
  if (offset === null) return error(ERR_NOT_INTEGER);
  if (offset < 0) return error('ERR offset is out of range');
  const v = ctx.lookupWrite(key);
  let cur: Bytes;
  if (v === undefined) {
    if (value.length === 0) return integer(0);
    if (offset + value.length > PROTO_MAX_BULK_LEN) return error(ERR_TOO_BIG);
    cur = '';
  } else {
    if (v.type !== 'string') return wrongType();
    if (value.length === 0) return integer(v.value.length);
    if (offset + value.length > PROTO_MAX_BULK_LEN) return error(ERR_TOO_BIG);
    cur = v.value;
  }
  const padded = cur.length < offset ? cur + '\0'.repeat(offset - cur.length) : cur;
  const s = padded.slice(0, offset) + value + padded.slice(offset + value.length);
  // redis: a new sds (createObject) or dbUnshareStringValue: raw either way.
  if (v === undefined) ctx.addKey(key, { type: 'string', value: s, enc: 'raw' });
  else ctx.overwrite(key, { type: 'string', value: s, enc: 'raw' });
  ctx.dirty();
  return integer(s.length);
}

function getrange(ctx: CommandContext, argv: Bytes[]): Reply {
  const s0 = parseInt64(argv[2]);
  const e0 = parseInt64(argv[3]);
  if (s0 === null || e0 === null) return error(ERR_NOT_INTEGER);
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return bulk('');
  if (v.type !== 'string') return wrongType();
  const len = BigInt(v.value.length);
  let start = s0;
  let end = e0;
  if (start < 0n && end < 0n && start > end) return bulk('');
  if (start < 0n) start = len + start;
  if (end < 0n) end = len + end;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  if (start > end || len === 0n) return bulk('');
  return bulk(v.value.slice(Number(start), Number(end) + 1));
}

function strlen(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return integer(0);
  return v.type === 'string' ? integer(v.value.length) : wrongType();
}

// ---- counters ----

/** redis: incrDecrCommand. */
function incrDecr(ctx: CommandContext, key: Bytes, incr: bigint): Reply {
  const v = ctx.lookupWrite(key);
  // INCR/DECR of a missing key or a short integer: exact as a JS number (|value| < 10^15), the
  // same digits and reply without parsing and printing a BigInt.
  const step = incr === 1n ? 1 : incr === -1n ? -1 : 0;
  if (step !== 0 && (v === undefined || (v.type === 'string' && v.value.length <= 15))) {
    const n = v === undefined ? 0 : parseInteger(v.value);
    if (n !== null) {
      const next = n + step;
      storeCounter(ctx, key, v, String(next));
      return integer(next);
    }
  }
  let cur = 0n;
  if (v !== undefined) {
    if (v.type !== 'string') return wrongType();
    const p = parseInt64(v.value);
    if (p === null) return error(ERR_NOT_INTEGER);
    cur = p;
  }
  if ((incr < 0n && cur < 0n && incr < INT64_MIN - cur) || (incr > 0n && cur > 0n && incr > INT64_MAX - cur)) {
    return error(ERR_OVERFLOW);
  }
  const next = cur + incr;
  storeCounter(ctx, key, v, next.toString());
  return intReply(next);
}

/** incrDecr's write: the counter's new text added, or replacing `old` (redis: dbAdd / dbReplaceValue). */
function storeCounter(ctx: CommandContext, key: Bytes, old: Value | undefined, text: string): void {
  const value = { type: 'string' as const, value: text };
  if (old === undefined) ctx.addKey(key, value);
  else ctx.overwrite(key, value);
  ctx.dirty();
}

function incrby(sign: 1n | -1n) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const n = parseInt64(argv[2]);
    if (n === null) return error(ERR_NOT_INTEGER);
    if (sign < 0n && n === INT64_MIN) return error('ERR decrement would overflow');
    return incrDecr(ctx, argv[1], sign * n);
  };
}

function incrbyfloat(ctx: CommandContext, argv: Bytes[]): Reply {
  const [, key, incr] = argv;
  const v = ctx.lookupWrite(key);
  if (v !== undefined && v.type !== 'string') return wrongType();
  const r = incrByFloatText(v === undefined ? '0' : v.value, incr);
  if (typeof r !== 'string') {
    return error(r.error === 'not-float' ? ERR_NOT_FLOAT : 'ERR increment would produce NaN or Infinity');
  }
  // redis: createStringObjectFromLongDouble: embstr or raw, never int.
  const value = { type: 'string' as const, value: r, enc: 'noint' as const };
  if (v === undefined) ctx.addKey(key, value);
  else ctx.overwrite(key, value);
  ctx.dirty();
  ctx.rewriteArgv(ctx.profile === 'redis-7.0' ? ['SET', key, r, 'KEEPTTL'] : ['SET', key, r]);
  return bulk(r);
}

export const stringCommands: CommandDef[] = [
  def('get', 2, ['readonly', 'fast'], [1, 1, 1], get),
  def('set', -3, ['write', 'denyoom'], [1, 1, 1], set),
  def('setnx', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], setnx),
  def('setex', 4, ['write', 'denyoom'], [1, 1, 1], setex('EX', 'setex')),
  def('psetex', 4, ['write', 'denyoom'], [1, 1, 1], setex('PX', 'psetex')),
  def('getex', -2, ['write', 'fast'], [1, 1, 1], getex),
  def('getdel', 2, ['write', 'fast'], [1, 1, 1], getdel),
  def('getset', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], getset),
  def('mget', -2, ['readonly', 'fast'], [1, -1, 1], mget),
  def('mset', -3, ['write', 'denyoom'], [1, -1, 2], msetGeneric(false)),
  def('msetnx', -3, ['write', 'denyoom'], [1, -1, 2], msetGeneric(true)),
  def('append', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], append),
  def('setrange', 4, ['write', 'denyoom'], [1, 1, 1], setrange),
  def('getrange', 4, ['readonly'], [1, 1, 1], getrange),
  def('substr', 4, ['readonly'], [1, 1, 1], getrange),
  def('strlen', 2, ['readonly', 'fast'], [1, 1, 1], strlen),
  def('incr', 2, ['write', 'denyoom', 'fast'], [1, 1, 1], (ctx, argv) => incrDecr(ctx, argv[1], 1n)),
  def('decr', 2, ['write', 'denyoom', 'fast'], [1, 1, 1], (ctx, argv) => incrDecr(ctx, argv[1], -1n)),
  def('incrby', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], incrby(1n)),
  def('decrby', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], incrby(-1n)),
  def('incrbyfloat', 3, ['write', 'denyoom', 'fast'], [1, 1, 1], incrbyfloat),
];
