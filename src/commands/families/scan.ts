// SCAN, HSCAN, SSCAN, ZSCAN (redis 7.0.15: db.c scanGenericCommand). Argument checking and the
// filters (MATCH, TYPE, expired keys) are Redis's; the iteration is the degenerate one Redis itself
// uses for small (listpack/intset) collections: everything in one reply with cursor 0. That meets
// SCAN's guarantees (every element present for the whole iteration is returned) for any size.
// DIVERGENCE(redis): Redis splits big hash tables over several calls in hash order and may return
// an element twice; aofsim never does.

import type { Bytes } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { formatDouble, ERR_NOT_INTEGER, ERR_SYNTAX, parseInteger } from '../args.ts';
import type { Reply } from '../reply.ts';
import { WRONGTYPE, array, bulk, error } from '../reply.ts';
import { stringMatch } from '../glob.ts';

interface ScanArgs {
  pattern: Bytes | null;
  type: string | null;
}

/** redis: parseScanCursorOrReply (strtoul: optional sign, decimal digits, no overflow). */
function cursorOk(s: Bytes): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const v = BigInt(s);
  return v <= 18446744073709551615n && v >= -18446744073709551615n;
}

/** The options after the cursor (argv[start..]); an error reply when invalid. */
function scanArgs(argv: Bytes[], start: number, allowType: boolean): ScanArgs | Reply {
  const out: ScanArgs = { pattern: null, type: null };
  for (let i = start; i < argv.length; i += 2) {
    const opt = argv[i].toUpperCase();
    const more = argv.length - i - 1;
    if (opt === 'COUNT' && more >= 1) {
      const n = parseInteger(argv[i + 1]);
      if (n === null) return error(ERR_NOT_INTEGER);
      if (n < 1) return error(ERR_SYNTAX);
    } else if (opt === 'MATCH' && more >= 1) {
      out.pattern = argv[i + 1] === '*' ? null : argv[i + 1];
    } else if (allowType && opt === 'TYPE' && more >= 1) {
      out.type = argv[i + 1].toLowerCase();
    } else return error(ERR_SYNTAX);
  }
  return out;
}

const matches = (a: ScanArgs, s: Bytes): boolean => a.pattern === null || stringMatch(a.pattern, s, false);

function reply(items: Bytes[]): Reply {
  return array([bulk('0'), array(items.map((x) => bulk(x)))]);
}

function scan(ctx: CommandContext, argv: Bytes[]): Reply {
  if (!cursorOk(argv[1])) return error('ERR invalid cursor');
  const a = scanArgs(argv, 2, true);
  if (!('pattern' in a)) return a;
  const picked: Bytes[] = [];
  for (const [k, v] of ctx.db.dict) {
    if (!matches(a, k)) continue;
    if (a.type !== null && v.type !== a.type) continue;
    picked.push(k);
  }
  return reply(picked.filter((k) => !ctx.expireIfNeeded(ctx.dbIndex, k)));
}

function collectionScan(type: 'hash' | 'set' | 'zset') {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    // redis: [hsz]scanCommand check the cursor, then the key, and only then the options.
    if (!cursorOk(argv[2])) return error('ERR invalid cursor');
    const v = ctx.lookupRead(argv[1]);
    if (v === undefined) return reply([]);
    if (v.type !== type) return error(WRONGTYPE);
    const a = scanArgs(argv, 3, false);
    if (!('pattern' in a)) return a;
    const out: Bytes[] = [];
    if (v.type === 'hash') {
      for (const [f, x] of v.value) if (matches(a, f)) out.push(f, x);
    } else if (v.type === 'set') {
      for (const m of v.value) if (matches(a, m)) out.push(m);
    } else if (v.type === 'zset') {
      for (const e of v.value.entries()) if (matches(a, e.member)) out.push(e.member, formatDouble(e.score));
    }
    return reply(out);
  };
}

export const scanCommands: CommandDef[] = [
  def('scan', -2, ['readonly'], [0, 0, 0], scan, { touchesArbitraryKeys: true }),
  def('hscan', -3, ['readonly'], [1, 1, 1], collectionScan('hash')),
  def('sscan', -3, ['readonly'], [1, 1, 1], collectionScan('set')),
  def('zscan', -3, ['readonly'], [1, 1, 1], collectionScan('zset')),
];
