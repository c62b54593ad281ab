// Shared test fixtures for the command layer: an executor over a fresh keyspace with a settable
// clock and a seeded Random. Used by *.test.ts beside the command families.

import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import type { CommandDef } from '../../src/commands/command-def.ts';
import { execAll, propagationText, replyText } from '../../src/commands/exec-all.ts';
import { Executor } from '../../src/commands/executor.ts';
import type { ClientState } from '../../src/commands/types.ts';
import type { Profile } from '../../src/base/profile.ts';
import { newClient } from '../../src/commands/types.ts';

export interface TestRig {
  ks: Keyspace;
  ex: Executor;
  client: ClientState;
  clock: { t: number; nowMs(): number };
  /** Runs commands (space-separated strings or argv arrays); returns readable replies. */
  run(...cmds: (string | string[])[]): unknown[];
  /** Runs commands and returns the propagated commands as text (with SELECT on db change). */
  prop(...cmds: (string | string[])[]): string[];
}

export function rig(
  profile: Profile = 'redis-7.0',
  opts: {
    lazyfreeLazyExpire?: boolean;
    lazyfreeLazyServerDel?: boolean;
    lazyfreeLazyUserDel?: boolean;
    extra?: CommandDef[];
    seed?: number;
  } = {},
): TestRig {
  const ks = new Keyspace();
  const clock = {
    t: 1_700_000_000_000,
    nowMs() {
      return this.t;
    },
  };
  const ex = new Executor(ks, {
    profile,
    clock,
    random: new SeededRandom(opts.seed ?? 1),
    lazyfreeLazyExpire: opts.lazyfreeLazyExpire,
    lazyfreeLazyServerDel: opts.lazyfreeLazyServerDel,
    lazyfreeLazyUserDel: opts.lazyfreeLazyUserDel,
    extraCommands: opts.extra,
  });
  const client = newClient(1);
  const toArgv = (c: string | string[]) => (typeof c === 'string' ? c.split(' ') : c);
  return {
    ks,
    ex,
    client,
    clock,
    run: (...cmds) => execAll(ex, client, cmds.map(toArgv)).replies.map(replyText),
    prop: (...cmds) => propagationText(execAll(ex, client, cmds.map(toArgv)).propagate),
  };
}
