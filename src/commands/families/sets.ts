// Set commands (redis 7.0.15: t_set.c): SADD, SREM, SPOP, SMOVE, SINTER/SUNION/SDIFF and their
// STORE forms, SINTERCARD, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SRANDMEMBER.
//
// Propagation (both profiles, as 4.0 and 7.0.15 spopWithCountCommand do): `SPOP k` -> `SREM k m`;
// `SPOP k n` with n >= size -> `DEL k`, else one `SREM k m` per popped member (alsoPropagate; the
// 7.0 executor wraps several in MULTI/EXEC, as the 7.0.15 fixture shows: `MULTI SREM set c SREM set
// b EXEC`). Later Redis versions batch members into one SREM and honour lazyfree-lazy-server-del.
// STORE commands propagate verbatim when they changed something.
// Members keep insertion order (DIVERGENCE(redis): Redis iterates intsets sorted and hash tables in
// hash order; compare replies as sets). Randomness only via the Random port.

import type { Bytes } from '../../keyspace/types.ts';
import { randomBelow } from '../../ports/random.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { removeMembers } from '../remove-members.ts';
import { ERR_NOT_INTEGER, ERR_NOT_POSITIVE, ERR_SYNTAX, parseInt64, parseInteger } from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, WRONGTYPE, array, bulk, error, integer } from '../reply.ts';
import { randomPicks } from './hashes.ts';

type SetV = Set<Bytes>;
const wrongType = (): Reply => error(WRONGTYPE);

function getSet(ctx: CommandContext, key: Bytes, write: boolean): SetV | undefined | Reply {
  const v = write ? ctx.lookupWrite(key) : ctx.lookupRead(key);
  if (v === undefined) return undefined;
  return v.type === 'set' ? v.value : wrongType();
}

function isSet(x: SetV | undefined | Reply): x is SetV {
  return x instanceof Set;
}

const members = (s: Iterable<Bytes>): Reply => array([...s].map((m) => bulk(m)));

function sadd(ctx: CommandContext, argv: Bytes[]): Reply {
  let s = getSet(ctx, argv[1], true);
  if (s !== undefined && !isSet(s)) return s;
  if (s === undefined) {
    s = new Set();
    ctx.addKey(argv[1], { type: 'set', value: s });
  }
  // One probe per member: adding a member already there changes neither the size nor the order.
  const before = s.size;
  for (let j = 2; j < argv.length; j++) s.add(argv[j]);
  const added = s.size - before;
  if (added > 0) {
    ctx.signalModifiedKey(argv[1]);
    ctx.dirty(added);
  }
  return integer(added);
}

function srem(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getSet(ctx, argv[1], true);
  if (s === undefined) return integer(0);
  if (!isSet(s)) return s;
  return removeMembers(ctx, argv, s);
}

/** A uniformly chosen member (redis: setTypeRandomElement). */
function randomMember(ctx: CommandContext, s: SetV): Bytes {
  const i = randomBelow(ctx.random, s.size);
  let n = 0;
  for (const m of s) if (n++ === i) return m;
  throw new Error('unreachable: random index beyond set size');
}

function spop(ctx: CommandContext, argv: Bytes[]): Reply {
  if (argv.length > 3) return error(ERR_SYNTAX);
  const key = argv[1];
  if (argv.length === 3) return spopWithCount(ctx, argv);
  const s = getSet(ctx, key, true);
  if (s === undefined) return NIL;
  if (!isSet(s)) return s;
  const m = randomMember(ctx, s);
  s.delete(m);
  ctx.rewriteArgv(['SREM', key, m]);
  if (s.size === 0) ctx.deleteKey(key);
  ctx.signalModifiedKey(key);
  ctx.dirty();
  return bulk(m);
}

const SPOP_MOVE_STRATEGY_MUL = 5;

function spopWithCount(ctx: CommandContext, argv: Bytes[]): Reply {
  const key = argv[1];
  const count = parseInteger(argv[2]);
  if (count === null || count < 0) return error(ERR_NOT_POSITIVE);
  const s = getSet(ctx, key, true);
  if (s === undefined) return array([]);
  if (!isSet(s)) return s;
  if (count === 0) return array([]);
  const size = s.size;
  if (count >= size) {
    const all = [...s];
    ctx.deleteKey(key);
    ctx.dirty(size);
    ctx.rewriteArgv(['DEL', key]);
    return members(all);
  }
  ctx.dirty(count);
  const out: Bytes[] = [];
  const remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let k = 0; k < count; k++) {
      const m = randomMember(ctx, s);
      s.delete(m);
      out.push(m);
      ctx.alsoPropagate(['SREM', key, m]);
    }
  } else {
    // Redis moves the `remaining` survivors to a new set and replies with what is left.
    const keep = new Set<Bytes>();
    for (let k = 0; k < remaining; k++) {
      const m = randomMember(ctx, s);
      s.delete(m);
      keep.add(m);
    }
    for (const m of s) {
      out.push(m);
      ctx.alsoPropagate(['SREM', key, m]);
    }
    ctx.overwrite(key, { type: 'set', value: keep });
  }
  ctx.preventPropagation();
  ctx.signalModifiedKey(key);
  return members(out);
}

function smove(ctx: CommandContext, argv: Bytes[]): Reply {
  const [, src, dst, ele] = argv;
  const s = getSet(ctx, src, true);
  const d = getSet(ctx, dst, true);
  if (s === undefined) return integer(0);
  if (!isSet(s)) return s;
  if (d !== undefined && !isSet(d)) return d;
  if (s === d) return integer(s.has(ele) ? 1 : 0);
  if (!s.delete(ele)) return integer(0);
  if (s.size === 0) ctx.deleteKey(src);
  let target = d;
  if (target === undefined) {
    target = new Set();
    ctx.addKey(dst, { type: 'set', value: target });
  }
  ctx.signalModifiedKey(src);
  ctx.dirty();
  if (!target.has(ele)) {
    target.add(ele);
    ctx.dirty();
    ctx.signalModifiedKey(dst);
  }
  return integer(1);
}

/** Looks up the source sets for SINTER/SUNION/SDIFF; null entries are missing keys. */
function sourceSets(ctx: CommandContext, keys: Bytes[]): (SetV | null)[] | Reply {
  const out: (SetV | null)[] = [];
  for (const k of keys) {
    const s = getSet(ctx, k, false);
    if (s !== undefined && !isSet(s)) return s;
    out.push(s ?? null);
  }
  return out;
}

type SetOp = 'inter' | 'union' | 'diff';

function compute(op: SetOp, sets: (SetV | null)[], limit = 0): Bytes[] {
  if (op === 'inter') {
    if (sets.some((s) => s === null)) return [];
    const sorted = (sets as SetV[]).slice().sort((a, b) => a.size - b.size);
    const out: Bytes[] = [];
    for (const m of sorted[0]) {
      if (sorted.every((s) => s.has(m))) {
        out.push(m);
        if (limit && out.length >= limit) break;
      }
    }
    return out;
  }
  if (op === 'union') {
    const u = new Set<Bytes>();
    for (const s of sets) if (s) for (const m of s) u.add(m);
    return [...u];
  }
  const first = sets[0];
  if (!first) return [];
  const out: Bytes[] = [];
  for (const m of first) if (!sets.some((s, i) => i > 0 && s !== null && s.has(m))) out.push(m);
  return out;
}

function setop(op: SetOp) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const sets = sourceSets(ctx, argv.slice(1));
    if (!Array.isArray(sets)) return sets;
    return members(compute(op, sets));
  };
}

/**
 * redis 4.0.14 sinterGenericCommand / sunionDiffGenericCommand with a destination: SINTERSTORE
 * stops at the first missing source (dirty only if that deleted dst; a wrong type after it is
 * never seen); otherwise dst is replaced and the command counts dirty even when the result is
 * empty and dst did not exist, so 4.0 propagates it (7.0 does not).
 */
function setopStore40(op: SetOp, ctx: CommandContext, argv: Bytes[]): Reply {
  const dst = argv[1];
  const keys = argv.slice(2);
  const sets: SetV[] = [];
  for (const k of keys) {
    const s = getSet(ctx, k, true);
    if (s === undefined) {
      if (op === 'inter') {
        if (ctx.deleteKey(dst)) ctx.dirty();
        return integer(0);
      }
      sets.push(new Set());
      continue;
    }
    if (!isSet(s)) return s;
    sets.push(s);
  }
  const result = compute(op, sets);
  // dbDelete + dbAdd: no expiry check (and no expiry DEL) for the destination.
  if (result.length > 0) ctx.replaceWithoutLookup(dst, { type: 'set', value: new Set(result) });
  else ctx.deleteKey(dst);
  ctx.dirty();
  return integer(result.length);
}

function setopStore(op: SetOp) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    if (ctx.profile === 'redis-4.0') return setopStore40(op, ctx, argv);
    const dst = argv[1];
    const sets = sourceSets(ctx, argv.slice(2));
    if (!Array.isArray(sets)) return sets;
    const result = compute(op, sets);
    if (result.length > 0) {
      // 7.0: setKey, which expires the destination first (4.0: setopStore40).
      ctx.setKey(dst, { type: 'set' as const, value: new Set(result) });
      ctx.dirty();
      return integer(result.length);
    }
    if (ctx.deleteKey(dst)) ctx.dirty();
    return integer(0);
  };
}

function sintercard(ctx: CommandContext, argv: Bytes[]): Reply {
  const numkeys = parseInteger(argv[1]);
  if (numkeys === null || numkeys < 1) return error('ERR numkeys should be greater than 0');
  if (numkeys > argv.length - 2) return error("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (argv[j].toUpperCase() === 'LIMIT' && j + 1 < argv.length) {
      const l = parseInteger(argv[++j]);
      if (l === null || l < 0) return error("ERR LIMIT can't be negative");
      limit = l;
    } else return error(ERR_SYNTAX);
  }
  const sets = sourceSets(ctx, argv.slice(2, 2 + numkeys));
  if (!Array.isArray(sets)) return sets;
  return integer(compute('inter', sets, limit).length);
}

function smembers(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getSet(ctx, argv[1], false);
  if (s === undefined) return array([]);
  return isSet(s) ? members(s) : s;
}

function sismember(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getSet(ctx, argv[1], false);
  if (s === undefined) return integer(0);
  return isSet(s) ? integer(s.has(argv[2]) ? 1 : 0) : s;
}

function smismember(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getSet(ctx, argv[1], false);
  if (s !== undefined && !isSet(s)) return s;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) out.push(integer(s?.has(argv[j]) ? 1 : 0));
  return array(out);
}

function scard(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getSet(ctx, argv[1], false);
  if (s === undefined) return integer(0);
  return isSet(s) ? integer(s.size) : s;
}

const LONG_MAX = 9223372036854775807n;

function srandmember(ctx: CommandContext, argv: Bytes[]): Reply {
  if (argv.length > 3) return error(ERR_SYNTAX);
  if (argv.length === 3) {
    const l = parseInt64(argv[2]);
    if (l === null) return error(ERR_NOT_INTEGER);
    if (l < -LONG_MAX) return error(`ERR value is out of range, value must between -${LONG_MAX} and ${LONG_MAX}`);
    const s = getSet(ctx, argv[1], false);
    if (s === undefined) return array([]);
    if (!isSet(s)) return s;
    const all = [...s];
    return members(randomPicks(ctx, s.size, Number(l)).map((i) => all[i]));
  }
  const s = getSet(ctx, argv[1], false);
  if (s === undefined) return NIL;
  if (!isSet(s)) return s;
  return bulk(randomMember(ctx, s));
}

const storeKeys = (argv: readonly Bytes[]): Bytes[] => argv.slice(1);

export const setCommands: CommandDef[] = [
  def('sadd', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], sadd),
  def('srem', -3, ['write', 'fast'], [1, 1, 1], srem),
  def('spop', -2, ['write', 'fast'], [1, 1, 1], spop),
  def('smove', 4, ['write', 'fast'], [1, 2, 1], smove),
  def('sinter', -2, ['readonly'], [1, -1, 1], setop('inter')),
  def('sunion', -2, ['readonly'], [1, -1, 1], setop('union')),
  def('sdiff', -2, ['readonly'], [1, -1, 1], setop('diff')),
  def('sinterstore', -3, ['write', 'denyoom'], [1, -1, 1], setopStore('inter'), { keys: storeKeys }),
  def('sunionstore', -3, ['write', 'denyoom'], [1, -1, 1], setopStore('union'), { keys: storeKeys }),
  def('sdiffstore', -3, ['write', 'denyoom'], [1, -1, 1], setopStore('diff'), { keys: storeKeys }),
  def('sintercard', -3, ['readonly'], [0, 0, 0], sintercard, {
    keys: (argv) => argv.slice(2, 2 + Math.max(0, parseInteger(argv[1] ?? '') ?? 0)),
  }),
  def('smembers', 2, ['readonly'], [1, 1, 1], smembers),
  def('sismember', 3, ['readonly', 'fast'], [1, 1, 1], sismember),
  def('smismember', -3, ['readonly', 'fast'], [1, 1, 1], smismember),
  def('scard', 2, ['readonly', 'fast'], [1, 1, 1], scard),
  def('srandmember', -2, ['readonly'], [1, 1, 1], srandmember),
];
