// The aofsim side of the server-level differential suites (AOF config, INFO): a Server (redis-7.0,
// no save points) on the real file system in its own directory, driven by one client. Its child
// processes and bio jobs run only when `finish()` says so, so a suite can observe a rewrite or a
// BGSAVE in flight before ending it, as it can on the real server.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { ManualTasks } from '../../src/adapters/memory/manual-tasks.ts';
import type { AofConfigInput } from '../../src/aof/config.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { Server } from '../../src/server.ts';

export class AofsimServerSide {
  readonly dir: string;
  readonly log = new MemoryLog();
  readonly tasks: ManualTasks;
  readonly server: Server;
  readonly client: ReturnType<Server['newClient']>;
  /** `dir`: an existing directory (a restart); otherwise a fresh one under `root`. Not started yet. */
  constructor(root: string, config: AofConfigInput = {}, dir?: string) {
    this.dir = dir ?? mkdtempSync(join(root, 'sim-'));
    mkdirSync(this.dir, { recursive: true });
    const fs = createNodeFs();
    this.tasks = new ManualTasks(fs);
    this.server = new Server(
      { fs, clock: nodeClock, tasks: this.tasks, log: this.log, random: new SeededRandom(1) },
      { profile: 'redis-7.0', dir: this.dir, ...config },
      { directives: new Map([['save', '']]) },
    );
    this.client = this.server.newClient();
  }
  reply(argv: string[]): Reply {
    return this.server.call(this.client, argv);
  }
  /** Runs child processes and bio jobs to their end (four rounds: a child's end may start another). */
  finish(): void {
    for (let round = 0; round < 4; round++) {
      for (const pid of this.tasks.childPids) this.tasks.runChild(pid);
      this.tasks.runBio();
      this.server.cron();
      this.tasks.runBio();
    }
  }
}
