// Commands Redis has and aofsim knowingly does not implement. They are in the table so the AOF
// loader reports them as unsupported (not as unknown, which would blame the file), with a message
// that names the command. DIVERGENCE(redis): these fail instead of running.

import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import { unreproducedError } from '../reply.ts';

const unsupported: CommandDef['handler'] = (_ctx, argv) =>
  unreproducedError(`ERR ${argv[0].toUpperCase()} is unsupported by aofsim`);

export const UNSUPPORTED_NAMES = [
  // moves keys to another server: there is no other server in a simulation
  'migrate',
  // the cluster-internal form of RESTORE (the target side of MIGRATE)
  'restore-asking',
  // Redis's own HyperLogLog debugging (encoding internals aofsim does not keep)
  'pfdebug',
] as const;

export const unsupportedCommands: CommandDef[] = UNSUPPORTED_NAMES.map((name) =>
  def(name, -1, ['write', 'noscript'], [0, 0, 0], unsupported),
);
