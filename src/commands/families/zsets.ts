// Sorted-set commands (redis 7.0.15: t_zset.c): ZADD (NX/XX/GT/LT/CH/INCR), ZINCRBY, ZREM,
// ZREMRANGEBYSCORE/BYRANK/BYLEX, ZPOPMIN/ZPOPMAX, ZMPOP, ZRANGESTORE, ZUNIONSTORE, ZINTERSTORE,
// ZDIFFSTORE, ZUNION, ZINTER, ZDIFF, ZINTERCARD, ZRANGE (BYSCORE/BYLEX/REV/LIMIT/WITHSCORES),
// ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX, ZREVRANGE, ZSCORE, ZMSCORE, ZRANK,
// ZREVRANK, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANDMEMBER.
//
// Replies: scores as RESP2 bulk strings formatted "%.17g" (redis 7.0 addReplyDouble), "inf"/"-inf".
// Propagation: verbatim, except ZMPOP -> `ZPOPMIN k n` / `ZPOPMAX k n` (n = number popped).
// Invariants: no NaN score enters a zset (INCR producing NaN is an error; +inf + -inf in
// ZUNION/ZINTER aggregation is 0, as Redis does); an emptied zset is deleted.

import type { Bytes } from '../../keyspace/types.ts';
import type { ZEntry } from '../../keyspace/zset.ts';
import { ZSet } from '../../keyspace/zset.ts';
import { randomBelow } from '../../ports/random.ts';
import { strtod } from '../../base/strtod.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { removeMembers } from '../remove-members.ts';
import {
  ERR_NOT_FLOAT,
  ERR_NOT_INTEGER,
  ERR_NOT_POSITIVE,
  ERR_SYNTAX,
  formatDouble,
  parseDouble,
  parseInt64,
  parseInteger,
} from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, NIL_ARRAY, WRONGTYPE, array, bulk, error, integer } from '../reply.ts';
import { randomPicks } from './hashes.ts';

const wrongType = (): Reply => error(WRONGTYPE);
const ERR_MINMAX_FLOAT = 'ERR min or max is not a float';
const ERR_MINMAX_LEX = 'ERR min or max not valid string range item';
const score = (x: number): Reply => bulk(formatDouble(x));

function getZ(ctx: CommandContext, key: Bytes, write: boolean): ZSet | undefined | Reply {
  const v = write ? ctx.lookupWrite(key) : ctx.lookupRead(key);
  if (v === undefined) return undefined;
  return v.type === 'zset' ? v.value : wrongType();
}

function isZ(x: ZSet | undefined | Reply): x is ZSet {
  return x instanceof ZSet;
}

/** Entries as a flat [member, score, ...] or member-only reply. */
function entriesReply(list: readonly ZEntry[], withScores: boolean): Reply {
  const out: Reply[] = [];
  for (const e of list) {
    out.push(bulk(e.member));
    if (withScores) out.push(score(e.score));
  }
  return array(out);
}

// ---- ranges (redis: zslParseRange, zslParseLexRange) ----

interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** strtod as zslParseRange calls it: leading space allowed, "" is 0, overflow is inf, NaN rejected. */
/** redis: zslParseRange's strtod: leading space skipped, the whole rest consumed, ERANGE not checked ("" is 0). */
function parseRangeDouble(s: Bytes): number | null {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  const r = strtod(s, i);
  if (r.end === i) return s.length === 0 ? 0 : null; // no number: endptr is s itself
  return r.end === s.length ? r.value : null;
}

function parseScoreRange(minArg: Bytes, maxArg: Bytes): ScoreRange | null {
  const r: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  const one = (a: Bytes): [number, boolean] | null => {
    const ex = a.charCodeAt(0) === 40; /* ( */
    const v = parseRangeDouble(ex ? a.slice(1) : a);
    return v === null || Number.isNaN(v) ? null : [v, ex];
  };
  const mn = one(minArg);
  const mx = one(maxArg);
  if (!mn || !mx) return null;
  [r.min, r.minex] = mn;
  [r.max, r.maxex] = mx;
  return r;
}

function gteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}
function lteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** Rank range [from, to) of entries inside the score range, in O(log n). */
function scoreSpan(z: ZSet, r: ScoreRange): [number, number] {
  const from = z.countWhile((e) => !gteMin(e.score, r));
  const to = z.countWhile((e) => lteMax(e.score, r));
  return [from, Math.max(from, to)];
}

type LexBound = { kind: 'min' } | { kind: 'max' } | { kind: 'value'; value: Bytes; ex: boolean };

function parseLexItem(s: Bytes): LexBound | null {
  if (s === '+') return { kind: 'max' };
  if (s === '-') return { kind: 'min' };
  const c = s.charCodeAt(0);
  if (c === 40) return { kind: 'value', value: s.slice(1), ex: true };
  if (c === 91) return { kind: 'value', value: s.slice(1), ex: false };
  return null;
}

interface LexRange {
  min: LexBound;
  max: LexBound;
}

function parseLexRange(minArg: Bytes, maxArg: Bytes): LexRange | null {
  const min = parseLexItem(minArg);
  const max = parseLexItem(maxArg);
  return min && max ? { min, max } : null;
}

function lexGteMin(v: Bytes, b: LexBound): boolean {
  if (b.kind === 'min') return true;
  if (b.kind === 'max') return false;
  return b.ex ? v > b.value : v >= b.value;
}
function lexLteMax(v: Bytes, b: LexBound): boolean {
  if (b.kind === 'max') return true;
  if (b.kind === 'min') return false;
  return b.ex ? v < b.value : v <= b.value;
}

/** redis: sdscmplex, with the "-" / "+" sentinels below and above every string. */
function lexCmp(a: LexBound, b: LexBound): number {
  if (a.kind === b.kind && a.kind !== 'value') return 0;
  if (a.kind === 'min' || b.kind === 'max') return -1;
  if (a.kind === 'max' || b.kind === 'min') return 1;
  const x = (a as { value: Bytes }).value;
  const y = (b as { value: Bytes }).value;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * redis: zzlIsInLexRange. The listpack walk Redis does for small zsets: a range that is empty by
 * itself, or whose min is above the last member or whose max is below the first member, selects
 * nothing (even when members are not lexicographically sorted, i.e. scores differ).
 */
function lexRangeMayMatch(z: ZSet, r: LexRange): boolean {
  const cmp = lexCmp(r.min, r.max);
  const exMin = r.min.kind === 'value' && r.min.ex;
  const exMax = r.max.kind === 'value' && r.max.ex;
  if (cmp > 0 || (cmp === 0 && (exMin || exMax))) return false;
  const first = z.at(0);
  const last = z.last();
  if (first === undefined || last === undefined) return false;
  if (!lexGteMin(last.member, r.min)) return false;
  return lexLteMax(first.member, r.max);
}

/** Entries of a lex range in forward order (redis: zzlFirstInLexRange, then while <= max). */
function lexForward(z: ZSet, r: LexRange): ZEntry[] {
  if (!lexRangeMayMatch(z, r)) return [];
  const e = z.entries();
  let i = 0;
  while (i < e.length && !lexGteMin(e[i].member, r.min)) i++;
  const out: ZEntry[] = [];
  for (; i < e.length && lexLteMax(e[i].member, r.max); i++) out.push(e[i]);
  return out;
}

/** Entries of a lex range in reverse order (redis: zzlLastInLexRange, then while >= min). */
function lexReverse(z: ZSet, r: LexRange): ZEntry[] {
  if (!lexRangeMayMatch(z, r)) return [];
  const e = z.entries();
  let i = e.length - 1;
  while (i >= 0 && !lexLteMax(e[i].member, r.max)) i--;
  const out: ZEntry[] = [];
  for (; i >= 0 && lexGteMin(e[i].member, r.min); i--) out.push(e[i]);
  return out;
}

// ---- ZADD / ZINCRBY ----

interface ZaddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  incr: boolean;
  ch: boolean;
}

/**
 * parseDouble for ZADD's scores (redis: getDoubleFromObject, strtod), with a fast path for the
 * usual short decimal integer ("12", "-3"): up to 15 bytes of digits after an optional sign are an
 * exact double, the value strtod reads (with "-0" as -0).
 */
function parseScore(s: Bytes): number | null {
  const n = s.length;
  if (n > 0 && n <= 15) {
    const c0 = s.charCodeAt(0);
    let i = c0 === 0x2d || c0 === 0x2b ? 1 : 0;
    if (i < n) {
      let v = 0;
      for (; i < n; i++) {
        const d = s.charCodeAt(i) - 0x30;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === n) return c0 === 0x2d ? -v : v;
    }
  }
  return parseDouble(s);
}

function zaddGeneric(ctx: CommandContext, argv: Bytes[], forceIncr: boolean): Reply {
  const key = argv[1];
  const f: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, incr: forceIncr, ch: false };
  let idx = 2;
  for (; idx < argv.length; idx++) {
    // Only 2- and 4-byte arguments can be options: a score is not upper-cased to find that out.
    const a = argv[idx];
    if (a.length !== 2 && a.length !== 4) break;
    const o = a.toUpperCase();
    if (o === 'NX') f.nx = true;
    else if (o === 'XX') f.xx = true;
    else if (o === 'CH') f.ch = true;
    else if (o === 'INCR') f.incr = true;
    else if (o === 'GT') f.gt = true;
    else if (o === 'LT') f.lt = true;
    else break;
  }
  let elements = argv.length - idx;
  if (elements % 2 !== 0 || elements === 0) return error(ERR_SYNTAX);
  elements /= 2;
  if (f.nx && f.xx) return error('ERR XX and NX options at the same time are not compatible');
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) {
    return error('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (f.incr && elements > 1) return error('ERR INCR option supports a single increment-element pair');
  // At its final size: an empty array's first push allocates room for 17 doubles.
  const scores = new Array<number>(elements);
  for (let j = 0; j < elements; j++) {
    const s = parseScore(argv[idx + j * 2]);
    if (s === null) return error(ERR_NOT_FLOAT);
    scores[j] = s;
  }
  let z = getZ(ctx, key, true);
  if (z !== undefined && !isZ(z)) return z;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let last = 0;
  if (z === undefined) {
    if (f.xx) return f.incr ? NIL : integer(0);
    z = new ZSet();
    ctx.addKey(key, { type: 'zset', value: z });
  }
  let nanError = false;
  for (let j = 0; j < elements; j++) {
    // DIVERGENCE(redis): -0 is stored as 0 (what the listpack encoding of small zsets keeps;
    // a skiplist-encoded zset would keep -0).
    let s = scores[j] === 0 ? 0 : scores[j];
    const member = argv[idx + 1 + j * 2];
    const cur = z.score(member);
    if (cur !== undefined) {
      if (f.nx) continue;
      if (f.incr) {
        s += cur;
        if (Number.isNaN(s)) {
          nanError = true;
          break;
        }
      }
      if ((f.lt && s >= cur) || (f.gt && s <= cur)) continue;
      last = s;
      processed++;
      if (s !== cur) {
        z.set(member, s);
        updated++;
      }
    } else {
      if (f.xx) continue;
      z.add(member, s);
      last = scores[j]; // the reply shows the score as given (-0 stays -0)
      added++;
      processed++;
    }
  }
  if (added + updated > 0) {
    ctx.signalModifiedKey(key);
    ctx.dirty(added + updated);
  }
  if (z.size === 0) ctx.deleteKey(key);
  if (nanError) return error('ERR resulting score is not a number (NaN)');
  if (f.incr) return processed > 0 ? score(last) : NIL;
  return integer(f.ch ? added + updated : added);
}

function zrem(ctx: CommandContext, argv: Bytes[]): Reply {
  const z = getZ(ctx, argv[1], true);
  if (z === undefined) return integer(0);
  if (!isZ(z)) return z;
  return removeMembers(ctx, argv, z);
}

/** Removes entries [from, to) of z (ascending ranks). */
function removeSpan(ctx: CommandContext, key: Bytes, z: ZSet, from: number, to: number): Reply {
  const victims = z.range(from, to).map((e) => e.member);
  for (const m of victims) z.delete(m);
  if (victims.length > 0) {
    if (z.size === 0) ctx.deleteKey(key);
    else ctx.signalModifiedKey(key);
    ctx.dirty(victims.length);
  }
  return integer(victims.length);
}

function zremrangebyrank(ctx: CommandContext, argv: Bytes[]): Reply {
  let start = parseInteger(argv[2]);
  let end = parseInteger(argv[3]);
  if (start === null || end === null) return error(ERR_NOT_INTEGER);
  const z = getZ(ctx, argv[1], true);
  if (z === undefined) return integer(0);
  if (!isZ(z)) return z;
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return integer(0);
  if (end >= llen) end = llen - 1;
  return removeSpan(ctx, argv[1], z, start, end + 1);
}

function zremrangebyscore(ctx: CommandContext, argv: Bytes[]): Reply {
  const r = parseScoreRange(argv[2], argv[3]);
  if (!r) return error(ERR_MINMAX_FLOAT);
  const z = getZ(ctx, argv[1], true);
  if (z === undefined) return integer(0);
  if (!isZ(z)) return z;
  const [from, to] = scoreSpan(z, r);
  return removeSpan(ctx, argv[1], z, from, to);
}

function zremrangebylex(ctx: CommandContext, argv: Bytes[]): Reply {
  const r = parseLexRange(argv[2], argv[3]);
  if (!r) return error(ERR_MINMAX_LEX);
  const z = getZ(ctx, argv[1], true);
  if (z === undefined) return integer(0);
  if (!isZ(z)) return z;
  const victims = lexForward(z, r).map((x) => x.member);
  for (const m of victims) z.delete(m);
  if (victims.length > 0) {
    if (z.size === 0) ctx.deleteKey(argv[1]);
    else ctx.signalModifiedKey(argv[1]);
    ctx.dirty(victims.length);
  }
  return integer(victims.length);
}

// ---- pops ----

/** Pops up to count entries from the first existing zset of keys (redis: genericZpopCommand). */
function zpopGeneric(
  ctx: CommandContext,
  keys: Bytes[],
  max: boolean,
  count: number,
  emitKey: boolean,
): { reply: Reply; key: Bytes; popped: number } | Reply | null {
  let key: Bytes | null = null;
  let z: ZSet | undefined;
  for (const k of keys) {
    const v = getZ(ctx, k, true);
    if (v === undefined) continue;
    if (!isZ(v)) return v;
    key = k;
    z = v;
    break;
  }
  if (!z || key === null) return null;
  if (count === 0) return { reply: array([]), key, popped: 0 };
  const n = Math.min(count, z.size);
  const popped: ZEntry[] = [];
  for (let i = 0; i < n; i++) {
    const e = max ? z.last() : z.at(0);
    if (!e) break;
    popped.push({ member: e.member, score: e.score });
    z.delete(e.member);
  }
  ctx.dirty(popped.length);
  ctx.signalModifiedKey(key);
  if (z.size === 0) ctx.deleteKey(key);
  if (emitKey) {
    return {
      reply: array([bulk(key), array(popped.map((e) => array([bulk(e.member), score(e.score)])))]),
      key,
      popped: popped.length,
    };
  }
  return { reply: entriesReply(popped, true), key, popped: popped.length };
}

function zpop(max: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    if (argv.length > 3) return error(ERR_SYNTAX);
    let count = 1;
    if (argv.length === 3) {
      const c = parseInteger(argv[2]);
      if (c === null || c < 0) return error(ERR_NOT_POSITIVE);
      count = c;
    }
    const r = zpopGeneric(ctx, [argv[1]], max, count, false);
    if (r === null) return array([]);
    return 'reply' in r ? r.reply : r;
  };
}

function zmpop(ctx: CommandContext, argv: Bytes[]): Reply {
  const numkeys = parseInteger(argv[1]);
  if (numkeys === null || numkeys < 1) return error('ERR numkeys should be greater than 0');
  const whereIdx = 1 + numkeys + 1;
  if (whereIdx >= argv.length) return error(ERR_SYNTAX);
  const w = argv[whereIdx].toUpperCase();
  if (w !== 'MIN' && w !== 'MAX') return error(ERR_SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && argv[j].toUpperCase() === 'COUNT' && j + 1 < argv.length) {
      const c = parseInteger(argv[++j]);
      if (c === null || c < 1) return error('ERR count should be greater than 0');
      count = c;
    } else return error(ERR_SYNTAX);
  }
  if (count === -1) count = 1;
  const r = zpopGeneric(ctx, argv.slice(2, whereIdx), w === 'MAX', count, true);
  if (r === null) return NIL_ARRAY;
  if (!('reply' in r)) return r;
  ctx.rewriteArgv([w === 'MAX' ? 'ZPOPMAX' : 'ZPOPMIN', r.key, String(r.popped)]);
  return r.reply;
}

// ---- ZRANGE family (redis: zrangeGenericCommand) ----

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

function zrangeGeneric(
  ctx: CommandContext,
  argv: Bytes[],
  argcStart: number,
  store: Bytes | null,
  rangeTypeIn: RangeType,
  directionIn: Direction,
): Reply {
  let rangeType = rangeTypeIn;
  let direction = directionIn;
  const key = argv[argcStart];
  let minIdx = argcStart + 1;
  let maxIdx = argcStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argcStart + 3; j < argv.length; j++) {
    const o = argv[j].toUpperCase();
    const left = argv.length - j - 1;
    if (store === null && o === 'WITHSCORES') withScores = true;
    else if (o === 'LIMIT' && left >= 2) {
      const a = parseInteger(argv[j + 1]);
      const b = parseInteger(argv[j + 2]);
      if (a === null || b === null) return error(ERR_NOT_INTEGER);
      offset = a;
      limit = b;
      j += 2;
    } else if (direction === 'auto' && o === 'REV') direction = 'reverse';
    else if (rangeType === 'auto' && o === 'BYLEX') rangeType = 'lex';
    else if (rangeType === 'auto' && o === 'BYSCORE') rangeType = 'score';
    else return error(ERR_SYNTAX);
  }
  if (direction === 'auto') direction = 'forward';
  if (rangeType === 'auto') rangeType = 'rank';
  if (limit !== -1 && rangeType === 'rank') {
    return error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && rangeType === 'lex') {
    return error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const rev = direction === 'reverse';
  if (rev && (rangeType === 'score' || rangeType === 'lex')) [minIdx, maxIdx] = [maxIdx, minIdx];
  let start = 0;
  let end = 0;
  let sr: ScoreRange | null = null;
  let lr: LexRange | null = null;
  if (rangeType === 'rank') {
    const a = parseInteger(argv[minIdx]);
    const b = parseInteger(argv[maxIdx]);
    if (a === null || b === null) return error(ERR_NOT_INTEGER);
    start = a;
    end = b;
  } else if (rangeType === 'score') {
    sr = parseScoreRange(argv[minIdx], argv[maxIdx]);
    if (!sr) return error(ERR_MINMAX_FLOAT);
  } else {
    lr = parseLexRange(argv[minIdx], argv[maxIdx]);
    if (!lr) return error(ERR_MINMAX_LEX);
  }
  const z = getZ(ctx, key, false);
  if (z !== undefined && !isZ(z)) return z;
  let result: ZEntry[] = [];
  if (z !== undefined) {
    const llen = z.size;
    if (rangeType === 'rank') {
      if (start < 0) start = llen + start;
      if (end < 0) end = llen + end;
      if (start < 0) start = 0;
      if (!(start > end || start >= llen)) {
        if (end >= llen) end = llen - 1;
        result = rev ? z.range(llen - 1 - end, llen - start, true) : z.range(start, end + 1);
      }
    } else if (offset < 0 || (offset > 0 && offset >= llen)) {
      result = [];
    } else if (sr) {
      // Only the ranks LIMIT selects are walked: O(log n + returned).
      const [from, to] = scoreSpan(z, sr);
      const n = limit < 0 ? Infinity : limit;
      result = rev ? z.range(Math.max(from, to - offset - n), to - offset, true) : z.range(from + offset, Math.min(to, from + offset + n));
    } else {
      const span = rev ? lexReverse(z, lr as LexRange) : lexForward(z, lr as LexRange);
      result = span.slice(offset, limit < 0 ? undefined : offset + limit);
    }
  }
  if (store !== null) return storeResult(ctx, store, result);
  return entriesReply(result, withScores);
}

/** redis: zrangeResultFinalizeStore / the STORE tail of zunionInterDiffGenericCommand. */
function storeResult(ctx: CommandContext, dst: Bytes, result: readonly ZEntry[]): Reply {
  if (result.length > 0) {
    const z = new ZSet();
    for (const e of result) z.set(e.member, e.score);
    // 4.0 zunionInterGenericCommand: dbDelete + dbAdd (no expiry DEL for the destination); 7.0
    // (and ZRANGESTORE, 7.0 only): setKey, which expires it first.
    if (ctx.profile === 'redis-4.0') ctx.replaceWithoutLookup(dst, { type: 'zset', value: z });
    else ctx.setKey(dst, { type: 'zset', value: z });
    ctx.dirty();
    return integer(z.size);
  }
  if (ctx.deleteKey(dst)) ctx.dirty();
  return integer(0);
}

// ---- ZUNION / ZINTER / ZDIFF (redis: zunionInterDiffGenericCommand) ----

type ZOp = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

interface Src {
  entries: Map<Bytes, number> | null;
  weight: number;
}

function aggregate(target: number, val: number, agg: Aggregate): number {
  if (agg === 'sum') {
    const s = target + val;
    return Number.isNaN(s) ? 0 : s;
  }
  if (agg === 'min') return val < target ? val : target;
  return val > target ? val : target;
}

function zsetop(op: ZOp, mode: 'store' | 'reply' | 'card') {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const numkeysIndex = mode === 'store' ? 2 : 1;
    const dst = mode === 'store' ? argv[1] : null;
    const setnum = parseInteger(argv[numkeysIndex]);
    if (setnum === null) return error(ERR_NOT_INTEGER);
    if (setnum < 1) return error(`ERR at least 1 input key is needed for '${argv[0].toLowerCase()}' command`);
    if (setnum > argv.length - (numkeysIndex + 1)) return error(ERR_SYNTAX);
    const src: Src[] = [];
    let j = numkeysIndex + 1;
    for (let i = 0; i < setnum; i++, j++) {
      const v = ctx.lookupRead(argv[j]);
      if (v === undefined) src.push({ entries: null, weight: 1 });
      else if (v.type === 'zset') {
        src.push({ entries: new Map(v.value.entries().map((e) => [e.member, e.score])), weight: 1 });
      } else if (v.type === 'set') {
        src.push({ entries: new Map([...v.value].map((m) => [m, 1])), weight: 1 });
      } else return wrongType();
    }
    let agg: Aggregate = 'sum';
    let withScores = false;
    let limit = 0;
    let remaining = argv.length - j;
    while (remaining > 0) {
      const o = argv[j].toUpperCase();
      if (op !== 'diff' && mode !== 'card' && remaining >= setnum + 1 && o === 'WEIGHTS') {
        j++;
        remaining--;
        for (let i = 0; i < setnum; i++, j++, remaining--) {
          const w = parseDouble(argv[j]);
          if (w === null) return error('ERR weight value is not a float');
          src[i].weight = w;
        }
      } else if (op !== 'diff' && mode !== 'card' && remaining >= 2 && o === 'AGGREGATE') {
        j++;
        remaining--;
        const a = argv[j].toUpperCase();
        if (a === 'SUM') agg = 'sum';
        else if (a === 'MIN') agg = 'min';
        else if (a === 'MAX') agg = 'max';
        else return error(ERR_SYNTAX);
        j++;
        remaining--;
      } else if (remaining >= 1 && mode === 'reply' && o === 'WITHSCORES') {
        j++;
        remaining--;
        withScores = true;
      } else if (mode === 'card' && remaining >= 2 && o === 'LIMIT') {
        j++;
        remaining--;
        const l = parseInteger(argv[j]);
        if (l === null || l < 0) return error("ERR LIMIT can't be negative");
        limit = l;
        j++;
        remaining--;
      } else return error(ERR_SYNTAX);
    }
    const size = (s: Src) => s.entries?.size ?? 0;
    const ordered = op === 'diff' ? src : src.slice().sort((a, b) => size(a) - size(b));
    const out = new Map<Bytes, number>();
    let cardinality = 0;
    if (op === 'inter') {
      const first = ordered[0];
      if (size(first) > 0 && first.entries) {
        for (const [m, s0] of first.entries) {
          let sc = first.weight * s0;
          if (Number.isNaN(sc)) sc = 0;
          let all = true;
          for (let i = 1; i < ordered.length; i++) {
            const v = ordered[i].entries?.get(m);
            if (v === undefined) {
              all = false;
              break;
            }
            sc = aggregate(sc, v * ordered[i].weight, agg);
          }
          if (!all) continue;
          if (mode === 'card') {
            cardinality++;
            if (limit && cardinality >= limit) break;
          } else out.set(m, sc);
        }
      }
    } else if (op === 'union') {
      for (const s of ordered) {
        if (!s.entries) continue;
        for (const [m, v] of s.entries) {
          let sc = s.weight * v;
          if (Number.isNaN(sc)) sc = 0;
          const cur = out.get(m);
          out.set(m, cur === undefined ? sc : aggregate(cur, sc, agg));
        }
      }
    } else {
      const first = ordered[0];
      if (first.entries) {
        for (const [m, v] of first.entries) {
          if (!ordered.some((s, i) => i > 0 && s.entries?.has(m))) out.set(m, v);
        }
      }
    }
    if (mode === 'card') return integer(cardinality);
    const z = new ZSet();
    for (const [m, s] of out) z.set(m, s);
    if (dst !== null) return storeResult(ctx, dst, z.entries());
    return entriesReply(z.entries(), withScores);
  };
}

// ---- reads ----

function zscore(ctx: CommandContext, argv: Bytes[]): Reply {
  const z = getZ(ctx, argv[1], false);
  if (z === undefined) return NIL;
  if (!isZ(z)) return z;
  const s = z.score(argv[2]);
  return s === undefined ? NIL : score(s);
}

function zmscore(ctx: CommandContext, argv: Bytes[]): Reply {
  const z = getZ(ctx, argv[1], false);
  if (z !== undefined && !isZ(z)) return z;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const s = z?.score(argv[j]);
    out.push(s === undefined ? NIL : score(s));
  }
  return array(out);
}

function zrank(rev: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const z = getZ(ctx, argv[1], false);
    if (z === undefined) return NIL;
    if (!isZ(z)) return z;
    const r = z.rank(argv[2]);
    if (r === undefined) return NIL;
    return integer(rev ? z.size - 1 - r : r);
  };
}

function zcard(ctx: CommandContext, argv: Bytes[]): Reply {
  const z = getZ(ctx, argv[1], false);
  if (z === undefined) return integer(0);
  return isZ(z) ? integer(z.size) : z;
}

function zcount(ctx: CommandContext, argv: Bytes[]): Reply {
  const r = parseScoreRange(argv[2], argv[3]);
  if (!r) return error(ERR_MINMAX_FLOAT);
  const z = getZ(ctx, argv[1], false);
  if (z === undefined) return integer(0);
  if (!isZ(z)) return z;
  const [from, to] = scoreSpan(z, r);
  return integer(to - from);
}

function zlexcount(ctx: CommandContext, argv: Bytes[]): Reply {
  const r = parseLexRange(argv[2], argv[3]);
  if (!r) return error(ERR_MINMAX_LEX);
  const z = getZ(ctx, argv[1], false);
  if (z === undefined) return integer(0);
  if (!isZ(z)) return z;
  return integer(lexForward(z, r).length);
}

const LONG_MAX = 9223372036854775807n;

function zrandmember(ctx: CommandContext, argv: Bytes[]): Reply {
  if (argv.length >= 3) {
    const l = parseInt64(argv[2]);
    if (l === null) return error(ERR_NOT_INTEGER);
    if (l < -LONG_MAX) return error(`ERR value is out of range, value must between -${LONG_MAX} and ${LONG_MAX}`);
    if (argv.length > 4 || (argv.length === 4 && argv[3].toUpperCase() !== 'WITHSCORES')) return error(ERR_SYNTAX);
    const withScores = argv.length === 4;
    if (withScores && (l < -LONG_MAX / 2n || l > LONG_MAX / 2n)) return error('ERR value is out of range');
    const z = getZ(ctx, argv[1], false);
    if (z === undefined) return array([]);
    if (!isZ(z)) return z;
    return entriesReply(
      randomPicks(ctx, z.size, Number(l)).map((i) => z.at(i) as ZEntry),
      withScores,
    );
  }
  const z = getZ(ctx, argv[1], false);
  if (z === undefined) return NIL;
  if (!isZ(z)) return z;
  return bulk((z.at(randomBelow(ctx.random, z.size)) as ZEntry).member);
}

const numkeysKeys =
  (idx: number) =>
  (argv: readonly Bytes[]): Bytes[] => {
    const n = parseInteger(argv[idx] ?? '') ?? 0;
    return argv.slice(idx + 1, idx + 1 + Math.max(0, n));
  };

export const zsetCommands: CommandDef[] = [
  def('zadd', -4, ['write', 'denyoom', 'fast'], [1, 1, 1], (ctx, argv) => zaddGeneric(ctx, argv, false)),
  def('zincrby', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], (ctx, argv) => zaddGeneric(ctx, argv, true)),
  def('zrem', -3, ['write', 'fast'], [1, 1, 1], zrem),
  def('zremrangebyscore', 4, ['write'], [1, 1, 1], zremrangebyscore),
  def('zremrangebyrank', 4, ['write'], [1, 1, 1], zremrangebyrank),
  def('zremrangebylex', 4, ['write'], [1, 1, 1], zremrangebylex),
  def('zpopmin', -2, ['write', 'fast'], [1, 1, 1], zpop(false)),
  def('zpopmax', -2, ['write', 'fast'], [1, 1, 1], zpop(true)),
  def('zmpop', -4, ['write'], [0, 0, 0], zmpop, { keys: numkeysKeys(1) }),
  def('zrangestore', -5, ['write', 'denyoom'], [1, 2, 1], (ctx, argv) =>
    zrangeGeneric(ctx, argv, 2, argv[1], 'auto', 'auto'),
  ),
  def('zunionstore', -4, ['write', 'denyoom'], [1, 1, 1], zsetop('union', 'store')),
  def('zinterstore', -4, ['write', 'denyoom'], [1, 1, 1], zsetop('inter', 'store')),
  def('zdiffstore', -4, ['write', 'denyoom'], [1, 1, 1], zsetop('diff', 'store')),
  def('zunion', -3, ['readonly'], [0, 0, 0], zsetop('union', 'reply'), { keys: numkeysKeys(1) }),
  def('zinter', -3, ['readonly'], [0, 0, 0], zsetop('inter', 'reply'), { keys: numkeysKeys(1) }),
  def('zdiff', -3, ['readonly'], [0, 0, 0], zsetop('diff', 'reply'), { keys: numkeysKeys(1) }),
  def('zintercard', -3, ['readonly'], [0, 0, 0], zsetop('inter', 'card'), { keys: numkeysKeys(1) }),
  def('zrange', -4, ['readonly'], [1, 1, 1], (ctx, argv) => zrangeGeneric(ctx, argv, 1, null, 'auto', 'auto')),
  def('zrangebyscore', -4, ['readonly'], [1, 1, 1], (ctx, argv) =>
    zrangeGeneric(ctx, argv, 1, null, 'score', 'forward'),
  ),
  def('zrevrangebyscore', -4, ['readonly'], [1, 1, 1], (ctx, argv) =>
    zrangeGeneric(ctx, argv, 1, null, 'score', 'reverse'),
  ),
  def('zrangebylex', -4, ['readonly'], [1, 1, 1], (ctx, argv) => zrangeGeneric(ctx, argv, 1, null, 'lex', 'forward')),
  def('zrevrangebylex', -4, ['readonly'], [1, 1, 1], (ctx, argv) =>
    zrangeGeneric(ctx, argv, 1, null, 'lex', 'reverse'),
  ),
  def('zrevrange', -4, ['readonly'], [1, 1, 1], (ctx, argv) => zrangeGeneric(ctx, argv, 1, null, 'rank', 'reverse')),
  def('zscore', 3, ['readonly', 'fast'], [1, 1, 1], zscore),
  def('zmscore', -3, ['readonly', 'fast'], [1, 1, 1], zmscore),
  def('zrank', 3, ['readonly', 'fast'], [1, 1, 1], zrank(false)),
  def('zrevrank', 3, ['readonly', 'fast'], [1, 1, 1], zrank(true)),
  def('zcard', 2, ['readonly', 'fast'], [1, 1, 1], zcard),
  def('zcount', 4, ['readonly', 'fast'], [1, 1, 1], zcount),
  def('zlexcount', 4, ['readonly', 'fast'], [1, 1, 1], zlexcount),
  def('zrandmember', -2, ['readonly'], [1, 1, 1], zrandmember),
];
