// A command definition: one row of the command table (redis: struct redisCommand in commands.c) plus
// its implementation. Families (src/commands/families/<family>.ts) each export `CommandDef[]`;
// src/commands/table.ts collects them.
//
// THE HANDLER CONTRACT (read this before writing a family):
//
//   handler(ctx, argv): Reply
//
// - argv[0] is the command name exactly as the client typed it; argv has already passed the arity
//   check (arity as in Redis: n > 0 exactly n, n < 0 at least -n, counting the name).
// - Read keys with ctx.lookupRead(key) and keys you are about to modify with ctx.lookupWrite(key):
//   both apply lazy expiry (an expired key is deleted and DEL/UNLINK is propagated, except while the
//   client is the AOF loader: then nothing expires). Never read ctx.db.dict directly for a user key
//   (that would skip expiry); write through ctx.setKey / ctx.addKey / ctx.deleteKey / ctx.overwrite.
// - Return errors as replies (`error('ERR syntax error')`); handlers never throw for user input.
//   Check types before changing anything: a command that fails changes nothing.
// - Count changes with ctx.dirty(n) (redis: server.dirty++). Propagation follows Redis's call():
//   a command whose dirty count is > 0 propagates its argv (as typed) to the AOF, after whatever it
//   pushed with ctx.alsoPropagate(argv) (redis 7.0 order; 4.0 puts the command first). To propagate
//   something else instead, call ctx.rewriteArgv(newArgv) (redis: rewriteClientCommandVector); to
//   propagate nothing of the command itself, ctx.preventPropagation() (alsoPropagate'd commands
//   still go out). Generated command names are upper-case ('SET', 'PEXPIREAT', 'DEL').
// - Propagation differs per profile: branch on ctx.profile ('redis-4.0' | 'redis-7.0').
// - Randomness only through ctx.random (the Random port); time only through ctx.nowMs (the command's
//   fixed time, redis: commandTimeSnapshot / mstime()).
// - Key positions (firstKey/lastKey/keyStep, as COMMAND INFO gives them; lastKey -1 = last arg) are
//   used for WATCH invalidation after a dirty write. Commands with keys elsewhere (e.g. after
//   numkeys) may supply `keys(argv)` instead.

import type { Bytes } from '../keyspace/types.ts';
import type { CommandContext } from './context.ts';
import type { Reply } from './reply.ts';
import type { CommandSpec } from './types.ts';

export interface CommandDef extends CommandSpec {
  /** Index of the first key argument, 0 when the command has no keys. */
  firstKey: number;
  /** Index of the last key argument; -1 = the last argument, -2 = the one before, ... */
  lastKey: number;
  keyStep: number;
  /** Key arguments when positions alone cannot say (numkeys forms). */
  keys?: (argv: readonly Bytes[]) => Bytes[];
  /**
   * redis: CMD_TOUCHES_ARBITRARY_KEYS (RANDOMKEY, SCAN): several lazy expirations of such a command
   * are not wrapped in MULTI/EXEC (7.0 propagatePendingCommands).
   */
  touchesArbitraryKeys?: boolean;
  handler(ctx: CommandContext, argv: Bytes[]): Reply;
}

/** Shorthand for defining a command row. */
export function def(
  name: string,
  arity: number,
  flags: CommandDef['flags'],
  keys: [first: number, last: number, step: number],
  handler: CommandDef['handler'],
  extra?: Pick<CommandDef, 'keys' | 'touchesArbitraryKeys'>,
): CommandDef {
  const d: CommandDef = { name, arity, flags, firstKey: keys[0], lastKey: keys[1], keyStep: keys[2], handler };
  // A spread after other keys takes V8's slow path even when there is nothing to spread (the
  // Server builds its own rows at each construction).
  return extra === undefined ? d : { ...d, ...extra };
}

/** The key arguments of argv according to the definition. */
export function commandKeys(d: CommandDef, argv: readonly Bytes[]): Bytes[] {
  if (d.keys) return d.keys(argv);
  if (d.firstKey <= 0) return [];
  const last = d.lastKey < 0 ? argv.length + d.lastKey : d.lastKey;
  const out: Bytes[] = [];
  for (let i = d.firstKey; i <= last && i < argv.length; i += d.keyStep) out.push(argv[i]);
  return out;
}
