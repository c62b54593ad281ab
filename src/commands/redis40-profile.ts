// The redis-4.0 profile's command surface: Redis 4.0.14's command table (names, arities, the flags
// EXEC's MULTI emission reads), its unknown-command reply, and 4.0's replies to the options that
// 4.0 lacks, checked before the shared (7.0) handlers run.
// redis 4.0.14: server.c processCommand (lookupCommand, arity check, unknown-command message);
// t_string.c setCommand (NX XX EX PX only); t_zset.c zaddGenericCommand (NX XX CH INCR only),
// zrangeGenericCommand (WITHSCORES only); geo.c geoaddCommand, georadiusGeneric (no ANY); db.c
// getFlushCommandFlags (ASYNC only); cluster.c restoreCommand (REPLACE only); timeout.c
// getTimeoutFromObjectOrReply (whole seconds); bitops.c bitcountCommand, bitposCommand (no BIT|BYTE);
// db.c scanGenericCommand (COUNT and MATCH only).
// The list came from diffing the replies of 4.0.14 and the 7.0 handlers on later versions' options.
//
// Invariants: a command or option 4.0 lacks never reaches a 7.0 handler under the 4.0 profile, so
// it changes nothing and propagates nothing; what 4.0 accepts runs through the shared handler,
// whose parsing accepts a superset of 4.0's. The table itself is generated from the real binary
// (redis40-command-table.ts). Differences found on 4.0.14 and not reproduced are listed in the
// README's command coverage section.

import type { Bytes } from '../keyspace/types.ts';
import { isOpt, parseDouble, parseInt64, parseInteger } from './args.ts';
import type { CommandDef } from './command-def.ts';
import type { Reply } from './reply.ts';
import { array, error, integer, WRONGTYPE } from './reply.ts';
import { REDIS40_COMMANDS } from './redis40-command-table.ts';

/** The flags whose meaning the executor reads (EXEC's MULTI emission, write detection). */
const TABLE_FLAGS = ['write', 'readonly', 'admin'];

/**
 * `d` as Redis 4.0 knows it (4.0's arity and write/readonly/admin flags), or undefined when 4.0
 * has no such command.
 */
export function redis40Def(d: CommandDef): CommandDef | undefined {
  const info = REDIS40_COMMANDS.get(d.name);
  if (info === undefined) return undefined;
  const flags = [...d.flags.filter((f) => !TABLE_FLAGS.includes(f)), ...info.flags.filter((f) => TABLE_FLAGS.includes(f))];
  return { ...d, arity: info.arity, flags: flags as CommandDef['flags'] };
}

/** redis 4.0.14 processCommand's unknown-command message (backquoted arguments). */
export function redis40UnknownCommandMessage(argv: readonly Bytes[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += '`' + argv[i].slice(0, 128 - args.length) + '`, ';
  }
  return `ERR unknown command \`${argv[0]}\`, with args beginning with: ${args}`;
}

const SYNTAX = 'ERR syntax error';

/** setCommand 4.0: NX, XX, EX n, PX n and nothing else. */
function setOptions(argv: readonly Bytes[]): Reply | null {
  let nx = false;
  let xx = false;
  let ex = false;
  let px = false;
  for (let j = 3; j < argv.length; j++) {
    const a = argv[j];
    const hasNext = j < argv.length - 1;
    if (isOpt(a, 'NX') && !xx) nx = true;
    else if (isOpt(a, 'XX') && !nx) xx = true;
    else if (isOpt(a, 'EX') && !px && hasNext) {
      ex = true;
      j++;
    } else if (isOpt(a, 'PX') && !ex && hasNext) {
      px = true;
      j++;
    } else return error(SYNTAX);
  }
  return null;
}

/** zaddGenericCommand 4.0: options NX XX CH INCR, then score-member pairs. */
function zaddOptions(argv: readonly Bytes[]): Reply | null {
  let i = 2;
  let nx = false;
  let xx = false;
  let incr = false;
  for (; i < argv.length; i++) {
    const o = argv[i];
    if (isOpt(o, 'NX')) nx = true;
    else if (isOpt(o, 'XX')) xx = true;
    else if (isOpt(o, 'CH')) continue;
    else if (isOpt(o, 'INCR')) incr = true;
    else break;
  }
  const elements = argv.length - i;
  if (elements % 2 !== 0 || elements === 0) return error(SYNTAX);
  if (nx && xx) return error('ERR XX and NX options at the same time are not compatible');
  if (incr && elements > 2) return error('ERR INCR option supports a single increment-element pair');
  for (let j = i; j < argv.length; j += 2) if (parseDouble(argv[j]) === null) return error('ERR value is not a valid float');
  return null;
}

const NOT_INTEGER = 'ERR value is not an integer or out of range';

/** zrangeGenericCommand 4.0: integer start/stop, then WITHSCORES alone (no BYSCORE/BYLEX/REV/LIMIT). */
function zrangeOptions(argv: readonly Bytes[]): Reply | null {
  if (parseInteger(argv[2]) === null || parseInteger(argv[3]) === null) return error(NOT_INTEGER);
  if (argv.length === 5 && isOpt(argv[4], 'WITHSCORES')) return null;
  return argv.length >= 5 ? error(SYNTAX) : null;
}

/** geoaddCommand 4.0: longitude latitude member triples only (no NX/XX/CH). */
function geoaddOptions(argv: readonly Bytes[]): Reply | null {
  if ((argv.length - 2) % 3 !== 0) return error('ERR syntax error. Try GEOADD key [x1] [y1] [name1] [x2] [y2] [name2] ... ');
  for (let i = 2; i < argv.length; i += 3) {
    if (parseDouble(argv[i]) === null || parseDouble(argv[i + 1]) === null) return error('ERR value is not a valid float');
  }
  return null;
}

/**
 * georadiusGeneric 4.0: the key is looked up first (missing: an empty array), then its option
 * loop knows no ANY (the rest is as in 7.0). DIVERGENCE(redis): with ANY, 4.0 would report a bad
 * centre or radius before the syntax error; here the syntax error comes first.
 */
function georadiusOptions(argv: readonly Bytes[], base: number, peek: (key: Bytes) => string | undefined): Reply | null {
  for (let i = base; i < argv.length; i++) {
    const o = argv[i];
    const more = i < argv.length - 1;
    if (isOpt(o, 'ANY')) {
      const t = peek(argv[1]);
      return t === undefined ? array([]) : t !== 'zset' ? error(WRONGTYPE) : error(SYNTAX);
    }
    if ((isOpt(o, 'COUNT') || isOpt(o, 'STORE') || isOpt(o, 'STOREDIST')) && more) i++;
  }
  return null;
}

/** getFlushCommandFlags 4.0: nothing or ASYNC (no SYNC). */
function flushOptions(argv: readonly Bytes[]): Reply | null {
  return argv.length > 2 || (argv.length === 2 && !isOpt(argv[1], 'ASYNC')) ? error(SYNTAX) : null;
}

/** restoreCommand 4.0: REPLACE is its only option (no ABSTTL, IDLETIME, FREQ). */
function restoreOptions(argv: readonly Bytes[]): Reply | null {
  for (let j = 4; j < argv.length; j++) if (!isOpt(argv[j], 'REPLACE')) return error(SYNTAX);
  return null;
}

/** getTimeoutFromObjectOrReply 4.0: whole seconds only (6.0 takes fractions). */
function blockingTimeout(argv: readonly Bytes[]): Reply | null {
  const t = parseInt64(argv[argv.length - 1]);
  if (t === null) return error('ERR timeout is not an integer or out of range');
  return t < 0n ? error('ERR timeout is negative') : null;
}

/**
 * bitcountCommand / bitposCommand 4.0: the key is looked up before the argument count is judged,
 * and a count 4.0 lacks (the 7.0 BYTE|BIT unit) is a syntax error only for an existing string.
 */
function bitRange(name: 'bitcount' | 'bitpos', argv: readonly Bytes[], peek: (key: Bytes) => string | undefined): Reply | null {
  const ok = name === 'bitcount' ? argv.length === 2 || argv.length === 4 : argv.length >= 3 && argv.length <= 5;
  if (ok) return null;
  if (name === 'bitpos') {
    const bit = parseInteger(argv[2]);
    if (bit === null) return error(NOT_INTEGER);
    if (bit !== 0 && bit !== 1) return error('ERR The bit argument must be 1 or 0.');
    if (peek(argv[1]) === undefined) return integer(bit === 1 ? -1 : 0);
  } else if (peek(argv[1]) === undefined) return integer(0);
  return peek(argv[1]) !== 'string' ? error(WRONGTYPE) : error(SYNTAX);
}

/**
 * scanGenericCommand 4.0 for SCAN: only COUNT n and MATCH p (TYPE came in 6.0). A bad cursor or a
 * bad COUNT value is left to the shared handler, whose errors come first and read the same.
 */
function scanOptions(argv: readonly Bytes[]): Reply | null {
  if (!/^\d+$/.test(argv[1] ?? '')) return null;
  for (let i = 2; i < argv.length; i += 2) {
    const a = argv[i];
    const hasNext = i < argv.length - 1;
    if (isOpt(a, 'COUNT') && hasNext) {
      if (parseInt64(argv[i + 1]) === null) return null;
    } else if (!(isOpt(a, 'MATCH') && hasNext)) {
      return error(SYNTAX);
    }
  }
  return null;
}

/**
 * 4.0's reply when argv uses syntax Redis 4.0 does not have (null: 4.0 accepts it, run the shared
 * handler). `name` is the lower-case command name; `peek` gives the type of a live key of the
 * client's db without side effects (DIVERGENCE(redis): 4.0's lookup in BITCOUNT/BITPOS would also
 * expire a key whose time has passed; here only the 7.0 handler does, when 4.0 accepts the syntax).
 */
export function redis40Rejects(name: string, argv: readonly Bytes[], peek: (key: Bytes) => string | undefined): Reply | null {
  switch (name) {
    case 'set':
      return setOptions(argv);
    case 'zadd':
      return zaddOptions(argv);
    case 'zrange':
    case 'zrevrange':
      return zrangeOptions(argv);
    case 'geoadd':
      return geoaddOptions(argv);
    case 'georadius':
    case 'georadius_ro':
      return georadiusOptions(argv, 6, peek);
    case 'georadiusbymember':
    case 'georadiusbymember_ro':
      return georadiusOptions(argv, 5, peek);
    case 'flushall':
    case 'flushdb':
      return flushOptions(argv);
    case 'restore':
      return restoreOptions(argv);
    case 'blpop':
    case 'brpop':
    case 'brpoplpush':
      return blockingTimeout(argv);
    case 'bitcount':
    case 'bitpos':
      return bitRange(name, argv, peek);
    case 'scan':
      return scanOptions(argv);
    default:
      return null;
  }
}

/** 7.0 error texts that 4.0.14 words differently (pattern -> 4.0's text). */
const ERROR_TEXTS: readonly [RegExp, string][] = [
  // t_string.c setGenericCommand / expire.c: "invalid expire time in %s" with the bare name.
  [/^ERR invalid expire time in '([a-z]+)' command$/, 'ERR invalid expire time in $1'],
];

/** The reply as Redis 4.0.14 words it (error texts that changed since 4.0). */
export function redis40Reply(reply: Reply): Reply {
  if (reply.kind !== 'error') return reply;
  for (const [re, text] of ERROR_TEXTS) if (re.test(reply.value)) return error(reply.value.replace(re, text));
  return reply;
}

/**
 * A hash field's current value as HINCRBYFLOAT reads it: Redis 4.0's string2ld (strtold with no
 * emptiness check) reads an empty string as 0, where 7.0 refuses it. (4.0's INCRBYFLOAT and the
 * increment itself go through getLongDoubleFromObject, which refuses it in both versions.)
 */
export function floatOperand(profile: string, s: Bytes): Bytes {
  return profile === 'redis-4.0' && s === '' ? '0' : s;
}
