// The redis-4.0 profile's command surface: Redis 4.0.14's command table (names, arities, the flags
// EXEC's MULTI emission reads), its unknown-command reply, and 4.0's replies to the options that
// 4.0 lacks, checked before the shared (7.0) handlers run.
// redis 4.0.14: server.c processCommand (lookupCommand, arity check, unknown-command message);
// t_string.c setCommand (NX XX EX PX only); t_zset.c zaddGenericCommand (NX XX CH INCR only).
//
// Invariants: a command or option 4.0 lacks never reaches a 7.0 handler under the 4.0 profile, so
// it changes nothing and propagates nothing; what 4.0 accepts runs through the shared handler,
// whose parsing accepts a superset of 4.0's. The table itself is generated from the real binary
// (redis40-command-table.ts). Differences found on 4.0.14 and not reproduced are listed in the
// README's command coverage section.

import type { Bytes } from '../keyspace/types.ts';
import { isOpt, parseDouble } from './args.ts';
import type { CommandDef } from './command-def.ts';
import type { Reply } from './reply.ts';
import { error } from './reply.ts';
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

/**
 * 4.0's reply when argv uses syntax Redis 4.0 does not have (null: 4.0 accepts it, run the shared
 * handler). `name` is the lower-case command name.
 */
export function redis40Rejects(name: string, argv: readonly Bytes[]): Reply | null {
  switch (name) {
    case 'set':
      return setOptions(argv);
    case 'zadd':
      return zaddOptions(argv);
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
