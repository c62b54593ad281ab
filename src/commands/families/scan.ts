// SCAN, HSCAN, SSCAN, ZSCAN (redis 7.0.15: db.c scanGenericCommand). Argument checking, COUNT
// (default 10) and the filters (MATCH, TYPE, expired keys: applied after picking, so a call may
// return fewer than COUNT) are Redis's. Small encodings (listpack, intset) answer everything in one
// reply with cursor 0, as Redis does; the rest walk with a decimal cursor for which Redis's
// guarantee holds: an element present for the whole iteration is returned at least once, one added
// or removed meanwhile may or may not be.
//
// DIVERGENCE(redis): the order is not Redis's bucket order. The keyspace walks in insertion rank
// (src/keyspace/key-dict.ts: O(log n + COUNT) per call); a big hash, set or zset walks in the
// order of a 32-bit FNV-1a hash of its members, the cursor being the next hash to return (members
// sharing a hash come in one call). That walk reads the whole collection per call, O(n), where
// Redis's is O(COUNT).

import type { Bytes } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { formatDouble, ERR_NOT_INTEGER, ERR_SYNTAX, parseInteger } from '../args.ts';
import type { Reply } from '../reply.ts';
import { WRONGTYPE, array, bulk, error } from '../reply.ts';
import { stringMatch } from '../glob.ts';
import { isSmallEncoding } from '../encoding.ts';

interface ScanArgs {
  pattern: Bytes | null;
  type: string | null;
  count: number;
}

const U64 = 18446744073709551616n;

/** redis: parseScanCursorOrReply (strtoul: optional sign, decimal digits, no overflow); null when invalid. */
function parseCursor(s: Bytes): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  if (v >= U64 || v <= -U64) return null;
  // strtoul negates in unsigned arithmetic: "-1" is 2^64-1.
  return v < 0n ? U64 + v : v;
}

/** The options after the cursor (argv[start..]); an error reply when invalid. */
function scanArgs(argv: Bytes[], start: number, allowType: boolean): ScanArgs | Reply {
  const out: ScanArgs = { pattern: null, type: null, count: 10 };
  for (let i = start; i < argv.length; i += 2) {
    const opt = argv[i].toUpperCase();
    const more = argv.length - i - 1;
    if (opt === 'COUNT' && more >= 1) {
      const n = parseInteger(argv[i + 1]);
      if (n === null) return error(ERR_NOT_INTEGER);
      if (n < 1) return error(ERR_SYNTAX);
      out.count = n;
    } else if (opt === 'MATCH' && more >= 1) {
      out.pattern = argv[i + 1] === '*' ? null : argv[i + 1];
    } else if (allowType && opt === 'TYPE' && more >= 1) {
      out.type = argv[i + 1].toLowerCase();
    } else return error(ERR_SYNTAX);
  }
  return out;
}

const matches = (a: ScanArgs, s: Bytes): boolean => a.pattern === null || stringMatch(a.pattern, s, false);

function reply(cursor: bigint, items: Bytes[]): Reply {
  return array([bulk(cursor.toString()), array(items.map((x) => bulk(x)))]);
}

function scan(ctx: CommandContext, argv: Bytes[]): Reply {
  const cursor = parseCursor(argv[1]);
  if (cursor === null) return error('ERR invalid cursor');
  const a = scanArgs(argv, 2, true);
  if (!('pattern' in a)) return a;
  const { keys, next } = ctx.db.dict.scan(cursor, a.count);
  const picked: Bytes[] = [];
  for (const k of keys) {
    if (!matches(a, k)) continue;
    const v = ctx.db.dict.get(k);
    if (a.type !== null && v !== undefined && v.type !== a.type) continue;
    picked.push(k);
  }
  return reply(next, picked.filter((k) => !ctx.expireIfNeeded(ctx.dbIndex, k)));
}

/** 32-bit FNV-1a of a byte string: the walk order of a big collection. */
function memberHash(s: Bytes): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The members of a big collection from `cursor` (a hash) on: about `count` of them in hash order,
 * whole groups of equal hashes, and the next cursor (0 at the end).
 */
function hashWalk(members: Iterable<Bytes>, cursor: bigint, count: number): { picked: Bytes[]; next: bigint } {
  if (cursor > 0xffffffffn) return { picked: [], next: 0n };
  const from = Number(cursor);
  const cand: { h: number; m: Bytes }[] = [];
  for (const m of members) {
    const h = memberHash(m);
    if (h >= from) cand.push({ h, m });
  }
  cand.sort((x, y) => x.h - y.h);
  let end = Math.min(count, cand.length);
  while (end < cand.length && cand[end].h === cand[end - 1].h) end++;
  return { picked: cand.slice(0, end).map((c) => c.m), next: end < cand.length ? BigInt(cand[end].h) : 0n };
}

function collectionScan(type: 'hash' | 'set' | 'zset') {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    // redis: [hsz]scanCommand check the cursor, then the key, and only then the options.
    const cursor = parseCursor(argv[2]);
    if (cursor === null) return error('ERR invalid cursor');
    const v = ctx.lookupRead(argv[1]);
    if (v === undefined) return reply(0n, []);
    if (v.type !== type) return error(WRONGTYPE);
    const a = scanArgs(argv, 3, false);
    if (!('pattern' in a)) return a;
    const small = isSmallEncoding(v, ctx.encodingLimits);
    const out: Bytes[] = [];
    let next = 0n;
    if (v.type === 'hash') {
      const w = small ? { picked: [...v.value.keys()], next: 0n } : hashWalk(v.value.keys(), cursor, a.count);
      next = w.next;
      for (const f of w.picked) if (matches(a, f)) out.push(f, v.value.get(f) as Bytes);
    } else if (v.type === 'set') {
      const w = small ? { picked: [...v.value], next: 0n } : hashWalk(v.value, cursor, a.count);
      next = w.next;
      for (const m of w.picked) if (matches(a, m)) out.push(m);
    } else if (v.type === 'zset') {
      const z = v.value;
      const members = z.entries().map((e) => e.member);
      const w = small ? { picked: members, next: 0n } : hashWalk(members, cursor, a.count);
      next = w.next;
      for (const m of w.picked) if (matches(a, m)) out.push(m, formatDouble(z.score(m) as number));
    }
    return reply(next, out);
  };
}

export const scanCommands: CommandDef[] = [
  def('scan', -2, ['readonly'], [0, 0, 0], scan, { touchesArbitraryKeys: true }),
  def('hscan', -3, ['readonly'], [1, 1, 1], collectionScan('hash')),
  def('sscan', -3, ['readonly'], [1, 1, 1], collectionScan('set')),
  def('zscan', -3, ['readonly'], [1, 1, 1], collectionScan('zset')),
];
