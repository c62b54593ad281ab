// SORT and SORT_RO (redis 7.0.15 sort.c sortCommandGeneric): ASC/DESC, ALPHA, LIMIT, BY pattern
// (`*` substitution, `->field` hash dereference, a pattern without `*` = no sorting), GET patterns
// (`#` = the element), STORE into a list.
//
// Propagation: SORT ... STORE verbatim (dirty = stored elements, or 1 when it deleted the target);
// SORT without STORE changes nothing.
// DIVERGENCE(redis): ALPHA compares bytes (strcoll in the C locale); a set sorted with BY nosort
// and no STORE comes out in insertion order (Redis: hash-table order); elements whose BY values tie
// under ALPHA keep their input order, which for sets is insertion order here and hash order there.

import type { Bytes, Value } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_NOT_INTEGER, ERR_SYNTAX, isOpt, parseDouble, parseInt64 } from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, WRONGTYPE, array, bulk, error, integer } from '../reply.ts';
import { List } from '../../keyspace/list.ts';

interface Item {
  obj: Bytes;
  score: number;
  cmp: Bytes | null;
}

/** redis: lookupKeyByPattern. */
function byPattern(ctx: CommandContext, pattern: Bytes, subst: Bytes): Bytes | null {
  if (pattern === '#') return subst;
  const star = pattern.indexOf('*');
  if (star < 0) return null;
  const arrow = pattern.indexOf('->', star + 1);
  let field: Bytes | null = null;
  let keyPat = pattern;
  if (arrow >= 0 && arrow + 2 < pattern.length) {
    field = pattern.slice(arrow + 2);
    keyPat = pattern.slice(0, arrow);
  }
  const key = keyPat.slice(0, star) + subst + keyPat.slice(star + 1);
  const v: Value | undefined = ctx.lookupRead(key);
  if (v === undefined) return null;
  if (field !== null) return v.type === 'hash' ? (v.value.get(field) ?? null) : null;
  return v.type === 'string' ? v.value : null;
}

/** strtod as SORT uses it on a C string: leading spaces allowed, nothing after the number up to the first NUL, "" is 0. */
function sortScore(whole: Bytes): number | null {
  const nul = whole.indexOf('\x00');
  const s = nul >= 0 ? whole.slice(0, nul) : whole; // C strtod stops at the first NUL
  if (s.length === 0) return 0;
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  if (t.length === 0) return null;
  const v = parseDouble(t);
  return v === null || Number.isNaN(v) ? null : v;
}

function cmpBytes(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortGeneric(readonly: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    let desc = false;
    let alpha = false;
    let limitStart = 0;
    let limitCount = -1;
    let storeKey: Bytes | null = null;
    let sortBy: Bytes | null = null;
    let dontSort = false;
    const gets: Bytes[] = [];
    for (let j = 2; j < argv.length; j++) {
      const left = argv.length - j - 1;
      const a = argv[j];
      if (isOpt(a, 'ASC')) desc = false;
      else if (isOpt(a, 'DESC')) desc = true;
      else if (isOpt(a, 'ALPHA')) alpha = true;
      else if (isOpt(a, 'LIMIT') && left >= 2) {
        const s = parseInt64(argv[j + 1]);
        if (s === null) return error(ERR_NOT_INTEGER);
        const c = parseInt64(argv[j + 2]);
        if (c === null) return error(ERR_NOT_INTEGER);
        limitStart = Number(s);
        limitCount = Number(c);
        j += 2;
      } else if (!readonly && isOpt(a, 'STORE') && left >= 1) {
        storeKey = argv[++j];
      } else if (isOpt(a, 'BY') && left >= 1) {
        sortBy = argv[++j];
        if (!sortBy.includes('*')) dontSort = true;
      } else if (isOpt(a, 'GET') && left >= 1) {
        gets.push(argv[++j]);
      } else return error(ERR_SYNTAX);
    }
    const v = ctx.lookupRead(argv[1]);
    if (v !== undefined && v.type !== 'set' && v.type !== 'list' && v.type !== 'zset') return error(WRONGTYPE);
    const type = v?.type ?? 'list';
    if (dontSort && type === 'set' && storeKey !== null) {
      dontSort = false;
      alpha = true;
      sortBy = null;
    }
    let elems: Bytes[];
    if (v === undefined) elems = [];
    else if (v.type === 'list') elems = v.value.toArray();
    else if (v.type === 'set') elems = [...v.value];
    else if (v.type === 'zset') elems = v.value.entries().map((e) => e.member);
    else elems = [];
    const len = elems.length;
    let start = limitStart < 0 ? 0 : limitStart;
    let end = limitCount < 0 ? len - 1 : start + limitCount - 1;
    if (start >= len) {
      start = len - 1;
      end = len - 2;
    }
    if (end >= len) end = len - 1;
    let items: Item[];
    if (dontSort && (type === 'list' || type === 'zset')) {
      const ordered = desc ? elems.slice().reverse() : elems;
      items = end >= start ? ordered.slice(start, end + 1).map((obj) => ({ obj, score: 0, cmp: null })) : [];
      start = 0;
      end = items.length - 1;
    } else {
      items = elems.map((obj) => ({ obj, score: 0, cmp: null }));
    }
    if (!dontSort) {
      let convErr = false;
      for (const it of items) {
        let by: Bytes | null;
        if (sortBy !== null) {
          by = byPattern(ctx, sortBy, it.obj);
          if (by === null) continue;
        } else by = it.obj;
        if (alpha) {
          if (sortBy !== null) it.cmp = by;
        } else {
          const s = sortScore(by);
          if (s === null) convErr = true;
          else it.score = s;
        }
      }
      if (convErr) return error("ERR One or more scores can't be converted into double");
      const dir = desc ? -1 : 1;
      items.sort((x, y) => {
        let c: number;
        if (!alpha) c = x.score > y.score ? 1 : x.score < y.score ? -1 : cmpBytes(x.obj, y.obj);
        else if (sortBy !== null) {
          if (x.cmp === null || y.cmp === null) c = x.cmp === y.cmp ? 0 : x.cmp === null ? -1 : 1;
          else c = cmpBytes(x.cmp, y.cmp);
        } else c = cmpBytes(x.obj, y.obj);
        return c * dir;
      });
    }
    const picked = end >= start ? items.slice(start, end + 1) : [];
    if (storeKey === null) {
      const out: Reply[] = [];
      for (const it of picked) {
        if (gets.length === 0) out.push(bulk(it.obj));
        for (const g of gets) {
          const val = byPattern(ctx, g, it.obj);
          out.push(val === null ? NIL : bulk(val));
        }
      }
      return array(out);
    }
    const list: Bytes[] = [];
    for (const it of picked) {
      if (gets.length === 0) list.push(it.obj);
      for (const g of gets) list.push(byPattern(ctx, g, it.obj) ?? '');
    }
    const outputLen = gets.length > 0 ? gets.length * picked.length : picked.length;
    if (outputLen > 0) {
      ctx.setKey(storeKey, { type: 'list', value: List.from(list) });
      ctx.dirty(outputLen);
    } else if (ctx.deleteKey(storeKey)) ctx.dirty();
    return integer(outputLen);
  };
}

function sortKeys(argv: readonly Bytes[]): Bytes[] {
  const keys = [argv[1]];
  for (let i = 2; i < argv.length - 1; i++) if (isOpt(argv[i], 'STORE')) keys.push(argv[i + 1]);
  return keys;
}

export const sortCommands: CommandDef[] = [
  def('sort', -2, ['write', 'denyoom'], [1, 1, 1], sortGeneric(false), { keys: sortKeys }),
  def('sort_ro', -2, ['readonly'], [1, 1, 1], sortGeneric(true)),
];
