// Keyspace-wide commands (redis 7.0.15: db.c, expire.c): DEL, UNLINK, EXISTS, TYPE, RENAME,
// RENAMENX, MOVE, COPY, KEYS, SCAN, RANDOMKEY, the EXPIRE family with NX/XX/GT/LT, PERSIST, TTL,
// PTTL, EXPIRETIME, PEXPIRETIME, TOUCH, OBJECT ENCODING.
//
// Propagation: redis-7.0 EXPIRE/PEXPIRE/EXPIREAT -> `PEXPIREAT k <abs-ms> [options]` (PEXPIREAT
// itself verbatim); a time already in the past deletes the key and propagates `DEL k` (`UNLINK k`
// with lazyfree-lazy-expire), never while loading (the past-dated expire is stored); a failed
// NX/XX/GT/LT condition propagates nothing. redis-4.0: EXPIRE* verbatim (the feed translates),
// past times -> DEL/UNLINK as in 7.0.
//
// DIVERGENCE(redis): KEYS and RANDOMKEY walk keys in insertion order (Redis: hash order). SCAN is in
// scan.ts.

import type { Bytes, Value } from '../../keyspace/types.ts';
import { cloneValue } from '../../keyspace/keyspace.ts';
import { randomBelow } from '../../ports/random.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_DB_RANGE, ERR_NOT_INTEGER, ERR_NO_SUCH_KEY, ERR_SYNTAX, INT64_MAX, INT64_MIN, parseInt64, parseInteger } from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, OK, array, bulk, error, integer, status } from '../reply.ts';
import { stringMatch } from '../glob.ts';
import { objectEncoding } from '../encoding.ts';
import { intReply } from './strings.ts';

const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';

function del(ctx: CommandContext, argv: Bytes[]): Reply {
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    ctx.expireIfNeeded(ctx.dbIndex, argv[j]);
    if (ctx.deleteKey(argv[j])) {
      ctx.dirty();
      n++;
    }
  }
  return integer(n);
}

function exists(ctx: CommandContext, argv: Bytes[]): Reply {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (ctx.lookupRead(argv[j]) !== undefined) n++;
  return integer(n);
}

function type(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  return status(v === undefined ? 'none' : v.type);
}

function rename(nx: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const [, src, dst] = argv;
    const v = ctx.lookupWrite(src);
    if (v === undefined) return error(ERR_NO_SUCH_KEY);
    if (src === dst) return nx ? integer(0) : OK;
    const expire = ctx.getExpire(src);
    if (ctx.lookupWrite(dst) !== undefined) {
      if (nx) return integer(0);
      ctx.deleteKey(dst);
    }
    ctx.addKey(dst, v);
    if (expire !== undefined) ctx.setExpire(dst, expire);
    ctx.deleteKey(src);
    ctx.dirty();
    return nx ? integer(1) : OK;
  };
}

/** redis: getIntFromObjectOrReply + selectDb for a target db. */
function targetDb(ctx: CommandContext, arg: Bytes): number | Reply {
  const n = parseInteger(arg);
  if (n === null) return error(ERR_NOT_INTEGER);
  if (n < -2147483648 || n > 2147483647) return error('ERR value is out of range');
  if (n < 0 || n >= ctx.keyspace.numDbs) return error(ERR_DB_RANGE);
  return n;
}

function move(ctx: CommandContext, argv: Bytes[]): Reply {
  const key = argv[1];
  const dst = targetDb(ctx, argv[2]);
  if (typeof dst !== 'number') return dst;
  if (dst === ctx.dbIndex) return error(ERR_SAME_OBJECT);
  const v = ctx.lookupWrite(key);
  if (v === undefined) return integer(0);
  const expire = ctx.getExpire(key);
  if (ctx.lookupWrite(key, dst) !== undefined) return integer(0);
  ctx.addKey(key, v, dst);
  if (expire !== undefined) ctx.setExpire(key, expire, dst);
  ctx.deleteKey(key);
  ctx.dirty();
  return integer(1);
}

function copy(ctx: CommandContext, argv: Bytes[]): Reply {
  const [, key, newkey] = argv;
  let dst = ctx.dbIndex;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toUpperCase();
    if (opt === 'REPLACE') replace = true;
    else if (opt === 'DB' && j + 1 < argv.length) {
      const d = targetDb(ctx, argv[++j]);
      if (typeof d !== 'number') return d;
      dst = d;
    } else return error(ERR_SYNTAX);
  }
  if (dst === ctx.dbIndex && key === newkey) return error(ERR_SAME_OBJECT);
  const v = ctx.lookupRead(key);
  if (v === undefined) return integer(0);
  const expire = ctx.getExpire(key);
  let del = false;
  if (ctx.lookupWrite(newkey, dst) !== undefined) {
    if (!replace) return integer(0);
    del = true;
  }
  if (del) ctx.deleteKey(newkey, dst);
  // redis: dupStringObject makes a new object: an int stays int but is no longer a shared integer.
  ctx.addKey(newkey, v.type === 'string' && v.enc === undefined ? { type: 'string', value: v.value, enc: 'unshared' } : cloneValue(v), dst);
  if (expire !== undefined) ctx.setExpire(newkey, expire, dst);
  ctx.dirty();
  return integer(1);
}

function keys(ctx: CommandContext, argv: Bytes[]): Reply {
  const pattern = argv[1];
  const all = pattern === '*';
  const out: Reply[] = [];
  const db = ctx.db;
  for (const k of db.dict.keys()) {
    if (!all && !stringMatch(pattern, k, false)) continue;
    if (ctx.profile === 'redis-4.0') {
      // redis 4.0 keysCommand: expireIfNeeded, so every expired match is deleted and its DEL fed to
      // the AOF. DIVERGENCE(redis): in dict insertion order, not Redis's hash-table order.
      if (ctx.expireIfNeeded(ctx.dbIndex, k)) continue;
    } else {
      const t = db.expires.get(k);
      if (t !== undefined && t <= ctx.nowMs && !ctx.loading) continue; // redis 7.0: keyIsExpired, not deleted
    }
    out.push(bulk(k));
  }
  return array(out);
}

function randomkey(ctx: CommandContext): Reply {
  const db = ctx.db;
  for (let tries = 0; tries < 1_000_000; tries++) {
    if (db.dict.size === 0) return NIL;
    const i = randomBelow(ctx.random, db.dict.size);
    let n = 0;
    let key: Bytes | undefined;
    for (const k of db.dict.keys()) {
      if (n++ === i) {
        key = k;
        break;
      }
    }
    if (key === undefined) return NIL;
    if (ctx.expireIfNeeded(ctx.dbIndex, key)) continue;
    return bulk(key);
  }
  return NIL;
}

// ---- expires ----

type ExpireFlag = 'NX' | 'XX' | 'GT' | 'LT';

/** redis: expireGenericCommand. basetime is nowMs for EXPIRE/PEXPIRE, 0 for the AT forms. */
function expireGeneric(relative: boolean, seconds: boolean, isPexpireat: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const [, key, param] = argv;
    const flags = new Set<ExpireFlag>();
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j].toUpperCase();
      if (opt === 'NX' || opt === 'XX' || opt === 'GT' || opt === 'LT') flags.add(opt);
      else return error(`ERR Unsupported option ${argv[j]}`);
    }
    if (flags.has('NX') && (flags.has('XX') || flags.has('GT') || flags.has('LT'))) {
      return error('ERR NX and XX, GT or LT options at the same time are not compatible');
    }
    if (flags.has('GT') && flags.has('LT')) return error('ERR GT and LT options at the same time are not compatible');
    let when = parseInt64(param);
    if (when === null) return error(ERR_NOT_INTEGER);
    const bad = `ERR invalid expire time in '${argv[0].toLowerCase()}' command`;
    if (seconds) {
      if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return error(bad);
      when *= 1000n;
    }
    const base = relative ? BigInt(ctx.nowMs) : 0n;
    if (when > INT64_MAX - base) return error(bad);
    when += base;
    if (ctx.lookupWrite(key) === undefined) return integer(0);
    if (flags.size > 0) {
      const cur = ctx.getExpire(key);
      const curB = cur === undefined ? -1n : BigInt(cur);
      if (flags.has('NX') && cur !== undefined) return integer(0);
      if (flags.has('XX') && cur === undefined) return integer(0);
      if (flags.has('GT') && (cur === undefined || when <= curB)) return integer(0);
      if (flags.has('LT') && cur !== undefined && when >= curB) return integer(0);
    }
    if (when <= BigInt(ctx.nowMs) && !ctx.loading) {
      ctx.deleteKey(key);
      ctx.dirty();
      ctx.rewriteArgv([ctx.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
      return integer(1);
    }
    ctx.setExpire(key, Number(when));
    ctx.dirty();
    if (ctx.profile === 'redis-7.0' && !isPexpireat) {
      const rewritten = argv.slice();
      rewritten[0] = 'PEXPIREAT';
      rewritten[2] = when.toString();
      ctx.rewriteArgv(rewritten);
    }
    return integer(1);
  };
}

function persist(ctx: CommandContext, argv: Bytes[]): Reply {
  if (ctx.lookupWrite(argv[1]) === undefined) return integer(0);
  if (!ctx.removeExpire(argv[1])) return integer(0);
  ctx.signalModifiedKey(argv[1]);
  ctx.dirty();
  return integer(1);
}

/** redis: ttlGenericCommand. */
function ttlGeneric(ms: boolean, abs: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    if (ctx.lookupRead(argv[1]) === undefined) return integer(-2);
    const expire = ctx.getExpire(argv[1]);
    if (expire === undefined) return integer(-1);
    let ttl = abs ? expire : expire - ctx.nowMs;
    if (ttl < 0) ttl = 0;
    return intReply(BigInt(ms ? ttl : Math.floor((ttl + 500) / 1000)));
  };
}

function touch(ctx: CommandContext, argv: Bytes[]): Reply {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (ctx.lookupRead(argv[j]) !== undefined) n++;
  return integer(n);
}

/** redis 7.0.15 objectCommand's HELP text (addReplyHelp: the header, the lines, then HELP). */
const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/** redis: OBJ_SHARED_REFCOUNT, the refcount of the shared integers 0..9999 (OBJ_SHARED_INTEGERS). */
const SHARED_REFCOUNT = 2147483647;

function object(ctx: CommandContext, argv: Bytes[]): Reply {
  const sub = argv[1].toUpperCase();
  if (sub === 'HELP') return array(OBJECT_HELP.map((l) => status(l)));
  if (argv.length !== 3) return error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try OBJECT HELP.`);
  const v: Value | undefined = ctx.lookupRead(argv[2]);
  if (sub === 'ENCODING') return v === undefined ? NIL : bulk(objectEncoding(v, ctx.encodingLimits, ctx.profile));
  if (sub === 'REFCOUNT') {
    if (v === undefined) return NIL;
    const shared = v.type === 'string' && v.enc === undefined && objectEncoding(v, ctx.encodingLimits, ctx.profile) === 'int' && Number(v.value) >= 0 && Number(v.value) < 10000;
    return integer(shared ? SHARED_REFCOUNT : 1);
  }
  if (sub === 'IDLETIME') return v === undefined ? NIL : integer(0);
  if (sub === 'FREQ') return v === undefined ? NIL : error('ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  return error(`ERR unknown subcommand '${argv[1]}'. Try OBJECT HELP.`);
}

export const genericCommands: CommandDef[] = [
  def('del', -2, ['write'], [1, -1, 1], del),
  def('unlink', -2, ['write', 'fast'], [1, -1, 1], del),
  def('exists', -2, ['readonly', 'fast'], [1, -1, 1], exists),
  def('type', 2, ['readonly', 'fast'], [1, 1, 1], type),
  def('rename', 3, ['write'], [1, 2, 1], rename(false)),
  def('renamenx', 3, ['write', 'fast'], [1, 2, 1], rename(true)),
  def('move', 3, ['write', 'fast'], [1, 1, 1], move),
  def('copy', -3, ['write', 'denyoom'], [1, 2, 1], copy),
  def('keys', 2, ['readonly'], [0, 0, 0], keys),
  def('randomkey', 1, ['readonly'], [0, 0, 0], randomkey, { touchesArbitraryKeys: true }),
  def('expire', -3, ['write', 'fast'], [1, 1, 1], expireGeneric(true, true, false)),
  def('pexpire', -3, ['write', 'fast'], [1, 1, 1], expireGeneric(true, false, false)),
  def('expireat', -3, ['write', 'fast'], [1, 1, 1], expireGeneric(false, true, false)),
  def('pexpireat', -3, ['write', 'fast'], [1, 1, 1], expireGeneric(false, false, true)),
  def('persist', 2, ['write', 'fast'], [1, 1, 1], persist),
  def('ttl', 2, ['readonly', 'fast'], [1, 1, 1], ttlGeneric(false, false)),
  def('pttl', 2, ['readonly', 'fast'], [1, 1, 1], ttlGeneric(true, false)),
  def('expiretime', 2, ['readonly', 'fast'], [1, 1, 1], ttlGeneric(false, true)),
  def('pexpiretime', 2, ['readonly', 'fast'], [1, 1, 1], ttlGeneric(true, true)),
  def('touch', -2, ['readonly', 'fast'], [1, -1, 1], touch),
  def('object', -2, ['readonly'], [2, 2, 1], object),
];
