// What a running script may ask of the server: run a command (redis.call / redis.pcall) and log.
// The command layer implements it (src/commands/families/scripting.ts); the VM never sees the
// keyspace. Replies are RESP2 values (src/commands/reply.ts).

import type { Bytes } from '../keyspace/types.ts';
import type { Reply } from '../commands/reply.ts';

export interface ScriptHost {
  /** Runs argv as the script's client (redis: scriptCall); errors are replies. */
  call(argv: Bytes[]): Reply;
  /** redis.replicate_commands() (4.0: switch to effects replication; 7.0: always true). */
  replicateCommands(): boolean;
  /** redis.log(level, msg): Redis's log line. */
  log(level: number, message: string): void;
}

/** A script's result: its reply, or that aofsim could not reproduce it (never silent). */
export interface ScriptOutcome {
  reply: Reply;
  /** Set when the script hit something aofsim cannot run as Redis would (see docs/scripting.md). */
  unreproduced?: string;
}
