// Hash commands (redis 7.0.15: t_hash.c): HSET, HMSET, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT, HGET,
// HMGET, HGETALL, HKEYS, HVALS, HLEN, HEXISTS, HSTRLEN, HRANDFIELD.
//
// Propagation: verbatim, except HINCRBYFLOAT -> `HSET k field <result>` (both profiles; 4.0 did the
// same). Fields keep insertion order, which is the order of Redis's listpack encoding (small
// hashes); large Redis hashes iterate in hash order (DIVERGENCE(redis): compare as sets).
// Invariants: a hash that becomes empty is deleted; HINCRBYFLOAT uses x87 long doubles.

import type { Bytes } from '../../keyspace/types.ts';
import { randomBelow } from '../../ports/random.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { removeMembers } from '../remove-members.ts';
import { ERR_NOT_FLOAT, ERR_NOT_INTEGER, ERR_OVERFLOW, ERR_SYNTAX, INT64_MAX, INT64_MIN, parseInt64 } from '../args.ts';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../long-double.ts';
import { floatOperand } from '../redis40-profile.ts';
import type { Reply } from '../reply.ts';
import { NIL, OK, WRONGTYPE, array, bulk, error, integer } from '../reply.ts';
import { intReply } from './strings.ts';

type Hash = Map<Bytes, Bytes>;
const wrongType = (): Reply => error(WRONGTYPE);

function getHash(ctx: CommandContext, key: Bytes, write: boolean): Hash | undefined | Reply {
  const v = write ? ctx.lookupWrite(key) : ctx.lookupRead(key);
  if (v === undefined) return undefined;
  return v.type === 'hash' ? v.value : wrongType();
}

function isHash(x: Hash | undefined | Reply): x is Hash {
  return x instanceof Map;
}

/** redis: hashTypeLookupWriteOrCreate. */
function hashForWrite(ctx: CommandContext, key: Bytes): Hash | Reply {
  const h = getHash(ctx, key, true);
  if (h === undefined) {
    const created: Hash = new Map();
    ctx.addKey(key, { type: 'hash', value: created });
    return created;
  }
  return h;
}

function hset(isHmset: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    if (argv.length % 2 === 1) return error(`ERR wrong number of arguments for '${isHmset ? 'hmset' : 'hset'}' command`);
    const h = hashForWrite(ctx, argv[1]);
    if (!isHash(h)) return h;
    // One probe per field: Map.set of a field already there keeps its place, so the size tells.
    const before = h.size;
    for (let j = 2; j < argv.length; j += 2) h.set(argv[j], argv[j + 1]);
    const created = h.size - before;
    ctx.signalModifiedKey(argv[1]);
    ctx.dirty((argv.length - 2) / 2);
    return isHmset ? OK : integer(created);
  };
}

function hsetnx(ctx: CommandContext, argv: Bytes[]): Reply {
  const h = hashForWrite(ctx, argv[1]);
  if (!isHash(h)) return h;
  if (h.has(argv[2])) return integer(0);
  h.set(argv[2], argv[3]);
  ctx.signalModifiedKey(argv[1]);
  ctx.dirty();
  return integer(1);
}

function hdel(ctx: CommandContext, argv: Bytes[]): Reply {
  const h = getHash(ctx, argv[1], true);
  if (h === undefined) return integer(0);
  if (!isHash(h)) return h;
  return removeMembers(ctx, argv, h);
}

function hincrby(ctx: CommandContext, argv: Bytes[]): Reply {
  const incr = parseInt64(argv[3]);
  if (incr === null) return error(ERR_NOT_INTEGER);
  const h = getHash(ctx, argv[1], true);
  if (h !== undefined && !isHash(h)) return h;
  let cur = 0n;
  const old = h?.get(argv[2]);
  if (old !== undefined) {
    const p = parseInt64(old);
    if (p === null) return error('ERR hash value is not an integer');
    cur = p;
  }
  if ((incr < 0n && cur < 0n && incr < INT64_MIN - cur) || (incr > 0n && cur > 0n && incr > INT64_MAX - cur)) {
    return error(ERR_OVERFLOW);
  }
  const next = cur + incr;
  const target = h ?? (hashForWrite(ctx, argv[1]) as Hash);
  target.set(argv[2], next.toString());
  ctx.signalModifiedKey(argv[1]);
  ctx.dirty();
  return intReply(next);
}

function hincrbyfloat(ctx: CommandContext, argv: Bytes[]): Reply {
  const incr = parseLongDouble(argv[3]);
  if (incr === null) return error(ERR_NOT_FLOAT);
  if (typeof incr === 'string') return error('ERR value is NaN or Infinity');
  const h = getHash(ctx, argv[1], true);
  if (h !== undefined && !isHash(h)) return h;
  const old = h?.get(argv[2]);
  let cur = { neg: false, m: 0n, e: 0 };
  if (old !== undefined) {
    const p = parseLongDouble(floatOperand(ctx.profile, old));
    if (p === null) return error('ERR hash value is not a float');
    if (typeof p === 'string') return error('ERR increment would produce NaN or Infinity');
    cur = p;
  }
  const sum = addLongDouble(cur, incr);
  if (sum === null) return error('ERR increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  const target = h ?? (hashForWrite(ctx, argv[1]) as Hash);
  target.set(argv[2], text);
  ctx.signalModifiedKey(argv[1]);
  ctx.dirty();
  ctx.rewriteArgv(['HSET', argv[1], argv[2], text]);
  return bulk(text);
}

function hget(ctx: CommandContext, argv: Bytes[]): Reply {
  const h = getHash(ctx, argv[1], false);
  if (h === undefined) return NIL;
  if (!isHash(h)) return h;
  const v = h.get(argv[2]);
  return v === undefined ? NIL : bulk(v);
}

function hmget(ctx: CommandContext, argv: Bytes[]): Reply {
  const h = getHash(ctx, argv[1], false);
  if (h !== undefined && !isHash(h)) return h;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const v = h?.get(argv[j]);
    out.push(v === undefined ? NIL : bulk(v));
  }
  return array(out);
}

function hgetall(fields: boolean, values: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const h = getHash(ctx, argv[1], false);
    if (h === undefined) return array([]);
    if (!isHash(h)) return h;
    const out: Reply[] = [];
    for (const [f, v] of h) {
      if (fields) out.push(bulk(f));
      if (values) out.push(bulk(v));
    }
    return array(out);
  };
}

function hlen(ctx: CommandContext, argv: Bytes[]): Reply {
  const h = getHash(ctx, argv[1], false);
  if (h === undefined) return integer(0);
  return isHash(h) ? integer(h.size) : h;
}

function hexists(ctx: CommandContext, argv: Bytes[]): Reply {
  const h = getHash(ctx, argv[1], false);
  if (h === undefined) return integer(0);
  return isHash(h) ? integer(h.has(argv[2]) ? 1 : 0) : h;
}

function hstrlen(ctx: CommandContext, argv: Bytes[]): Reply {
  const h = getHash(ctx, argv[1], false);
  if (h === undefined) return integer(0);
  return isHash(h) ? integer(h.get(argv[2])?.length ?? 0) : h;
}

const LONG_MAX = 9223372036854775807n;

function hrandfield(ctx: CommandContext, argv: Bytes[]): Reply {
  if (argv.length >= 3) {
    const l = parseInt64(argv[2]);
    if (l === null) return error(ERR_NOT_INTEGER);
    if (l < -LONG_MAX) return error(`ERR value is out of range, value must between -${LONG_MAX} and ${LONG_MAX}`);
    if (argv.length > 4 || (argv.length === 4 && argv[3].toUpperCase() !== 'WITHVALUES')) return error(ERR_SYNTAX);
    const withValues = argv.length === 4;
    if (withValues && (l < -LONG_MAX / 2n || l > LONG_MAX / 2n)) return error('ERR value is out of range');
    const h = getHash(ctx, argv[1], false);
    if (h === undefined) return array([]);
    if (!isHash(h)) return h;
    const picks = randomPicks(ctx, h.size, Number(l));
    const entries = [...h];
    const out: Reply[] = [];
    for (const i of picks) {
      out.push(bulk(entries[i][0]));
      if (withValues) out.push(bulk(entries[i][1]));
    }
    return array(out);
  }
  const h = getHash(ctx, argv[1], false);
  if (h === undefined) return NIL;
  if (!isHash(h)) return h;
  const i = randomBelow(ctx.random, h.size);
  let n = 0;
  for (const f of h.keys()) if (n++ === i) return bulk(f);
  return NIL;
}

/**
 * Indexes for the count forms of HRANDFIELD/SRANDMEMBER/ZRANDMEMBER: count < 0 -> |count| picks with
 * repetition; count >= size -> every index once (in collection order, as Redis replies the whole
 * collection); otherwise count distinct indexes. DIVERGENCE(redis): which elements and their
 * order differ from Redis's sampling (only the Random port decides).
 */
export function randomPicks(ctx: CommandContext, size: number, count: number): number[] {
  if (count === 0 || size === 0) return [];
  if (count < 0) {
    const out: number[] = [];
    for (let k = 0; k < -count; k++) out.push(randomBelow(ctx.random, size));
    return out;
  }
  if (count >= size) return Array.from({ length: size }, (_, i) => i);
  // Partial Fisher-Yates over the index range.
  const idx = Array.from({ length: size }, (_, i) => i);
  for (let k = 0; k < count; k++) {
    const r = k + randomBelow(ctx.random, size - k);
    const t = idx[k];
    idx[k] = idx[r];
    idx[r] = t;
  }
  return idx.slice(0, count);
}

export const hashCommands: CommandDef[] = [
  def('hset', -4, ['write', 'denyoom', 'fast'], [1, 1, 1], hset(false)),
  def('hmset', -4, ['write', 'denyoom', 'fast'], [1, 1, 1], hset(true)),
  def('hsetnx', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], hsetnx),
  def('hdel', -3, ['write', 'fast'], [1, 1, 1], hdel),
  def('hincrby', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], hincrby),
  def('hincrbyfloat', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], hincrbyfloat),
  def('hget', 3, ['readonly', 'fast'], [1, 1, 1], hget),
  def('hmget', -3, ['readonly', 'fast'], [1, 1, 1], hmget),
  def('hgetall', 2, ['readonly'], [1, 1, 1], hgetall(true, true)),
  def('hkeys', 2, ['readonly'], [1, 1, 1], hgetall(true, false)),
  def('hvals', 2, ['readonly'], [1, 1, 1], hgetall(false, true)),
  def('hlen', 2, ['readonly', 'fast'], [1, 1, 1], hlen),
  def('hexists', 3, ['readonly', 'fast'], [1, 1, 1], hexists),
  def('hstrlen', 3, ['readonly', 'fast'], [1, 1, 1], hstrlen),
  def('hrandfield', -2, ['readonly'], [1, 1, 1], hrandfield),
];

