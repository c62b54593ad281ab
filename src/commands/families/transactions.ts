// MULTI/EXEC/DISCARD/WATCH/UNWATCH rows of the command table (redis: multi.c). The Executor
// implements them itself (they change how other commands are dispatched); these rows give the
// table their arity and flags so lookups and the loader know them.

import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import { error } from '../reply.ts';

const byExecutor: CommandDef['handler'] = (_ctx, argv) =>
  error(`ERR '${argv[0]}' is handled by the executor, not by a handler`);

export const transactionCommands: CommandDef[] = [
  def('multi', 1, ['noscript', 'loading', 'stale', 'fast'], [0, 0, 0], byExecutor),
  def('exec', 1, ['noscript', 'loading', 'stale'], [0, 0, 0], byExecutor),
  def('discard', 1, ['noscript', 'loading', 'stale', 'fast'], [0, 0, 0], byExecutor),
  def('watch', -2, ['noscript', 'loading', 'stale', 'fast'], [1, -1, 1], byExecutor),
  def('unwatch', 1, ['noscript', 'loading', 'stale', 'fast'], [0, 0, 0], byExecutor),
];
