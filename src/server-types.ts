// Contracts of the Server (src/server.ts) that drivers rely on: the simulator's scheduler, the node
// `serve` loop, tests. The event-loop shape mirrors Redis: commands are executed (replies held),
// then beforeSleep() flushes the AOF (and fsyncs under `always`), then the held replies may be sent;
// cron() runs serverCron at `hz`.

import type { Bytes } from './keyspace/types.ts';
import type { Reply } from './commands/reply.ts';
import type { ClientState } from './commands/types.ts';
import type { Fs } from './ports/fs.ts';
import type { Clock } from './ports/clock.ts';
import type { Tasks } from './ports/tasks.ts';
import type { Log } from './ports/log.ts';
import type { Random } from './ports/random.ts';
import type { AofEventListener } from './ports/events.ts';
import type { Keyspace } from './keyspace/keyspace.ts';

export interface ServerDeps {
  fs: Fs;
  clock: Clock;
  tasks: Tasks;
  log: Log;
  random: Random;
  /** Typed facts for a driver that observes the server (the simulator's oracle); optional. */
  events?: AofEventListener;
}

// ProcessExit lives in src/base (the AOF layer throws it); drivers keep importing it from here.
export { PROCESS_EXIT, ProcessExit, isProcessExit } from './base/process-exit.ts';

export interface HeldReply {
  clientId: number;
  reply: Reply;
}

/** What the drivers use. src/server.ts implements it. */
export interface ServerLike {
  readonly keyspace: Keyspace;
  readonly hz: number;
  /** Loads data from disk and opens the AOF (redis: main -> loadDataFromDisk, aofOpenIfNeededOnServerStart). */
  start(): void;
  newClient(): ClientState;
  /** processCommand + call: runs argv, feeds the AOF; the reply is held until takeReplies(). */
  execute(client: ClientState, argv: Bytes[]): void;
  /** redis: beforeSleep (flushAppendOnlyFile(0), fsync under always, ...). */
  beforeSleep(): void;
  /** Replies that may be sent now (everything executed before the last beforeSleep). */
  takeReplies(): HeldReply[];
  /** redis: serverCron; called every 1000/hz ms. */
  cron(): void;
}
