// Loads a snapshot of AOF files (path -> latin1 content) into a fresh keyspace, offline: a new
// Server over an in-memory filesystem, started with the given config at a fixed time. Used to
// check the rewrite switch (the files current at the rename / manifest swap load to the live
// state) without touching the simulated world (no syscalls in its trace, no op indices used).
//
// Invariant: never throws for a bad file; the load error (or process exit reason) is returned.

import type { AofConfig } from '../../src/aof/config.ts';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../src/adapters/memory/manual-tasks.ts';
import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import { nullLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { isProcessExit } from '../../src/server-types.ts';
import { Server } from '../../src/server.ts';

export interface OfflineLoad {
  keyspace: Keyspace | null;
  error: string | null;
}

export function loadOffline(files: Record<string, string>, config: AofConfig, atMs: number): OfflineLoad {
  const fs = createMemoryFs(Object.fromEntries(Object.entries(files).map(([p, c]) => [p, Buffer.from(c, 'latin1')])));
  if (!Object.keys(files).some((p) => p.startsWith(config.dir + '/'))) fs.mkdir(config.dir, true);
  const clock = { nowMs: () => atMs };
  const server = new Server({ fs, clock, tasks: new ManualTasks(fs), log: nullLog, random: new SeededRandom(1) }, { ...config, appendonly: true });
  try {
    server.start();
  } catch (e) {
    if (isProcessExit(e)) return { keyspace: null, error: e.reason };
    return { keyspace: null, error: (e as Error).message };
  }
  return { keyspace: server.keyspace, error: null };
}
