// Test support: a minimal server around the rewrite functions (not the real src/server.ts): it
// applies a few write commands to the keyspace, feeds them like feedAppendOnlyFile (SELECT when the
// db changes, aof_buf while ON, rewrite buffer / INCR while a rewrite runs), and flushes aof_buf
// with plain writes. Enough to check that a rewrite + diff reproduces the live state.

import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Bytes } from '../../src/keyspace/types.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../src/adapters/memory/manual-tasks.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { resolveAofConfig, type AofConfig, type AofConfigInput } from '../../src/aof/config.ts';
import { newAofState } from '../../src/aof/state.ts';
import type { RewriteHost } from '../../src/aof/rewrite/rewrite-host.ts';
import { feedRewriteBuffer } from '../../src/aof/rewrite/index.ts';
import { replay } from './rewrite-support.ts';
import { writeAll } from '../../src/aof/rewrite/write-all.ts';

export interface TestHost extends RewriteHost {
  tasks: ManualTasks;
  log: MemoryLog;
  clockMs: { now: number };
  /** Executes a write on db `db`, feeding the AOF. */
  write(db: number, argv: Bytes[]): void;
  /** beforeSleep's flushAppendOnlyFile(0). */
  flush(): void;
}

export function makeTestHost(partial: AofConfigInput, files: Record<string, string> = {}): TestHost {
  const fs = createMemoryFs({ '/data/.keep': '', ...files });
  const clockMs = { now: 1_700_000_000_000 };
  const config = resolveAofConfig({ dir: '/data', ...partial });
  const state = newAofState();
  const host: TestHost = {
    config,
    state,
    keyspace: new Keyspace(),
    fs,
    clock: { nowMs: () => clockMs.now },
    tasks: new ManualTasks(fs),
    log: new MemoryLog(),
    random: new SeededRandom(1),
    clockMs,
    flushAppendOnlyFile(): void {
      if (state.aofBuf.length === 0 || !state.aofFd) return;
      const b = Buffer.from(state.aofBuf, 'latin1');
      writeAll(state.aofFd, b);
      state.aofCurrentSize += b.length;
      state.aofLastIncrSize += b.length;
      state.aofBuf = '';
    },
    flush(): void {
      host.flushAppendOnlyFile(false);
    },
    write(db: number, argv: Bytes[]): void {
      const ks = host.keyspace;
      replay([['SELECT', String(db)], argv], ks);
      let buf = '';
      if (state.aofSelectedDb !== db) {
        buf += encodeCommand(['SELECT', String(db)]);
        state.aofSelectedDb = db;
      }
      buf += encodeCommand(argv);
      if (config.profile === 'redis-4.0') {
        if (state.aofState === 'on') state.aofBuf += buf;
        feedRewriteBuffer(host, buf);
      } else if (state.aofState === 'on' || (state.aofState === 'wait-rewrite' && state.aofChildPid !== -1)) {
        state.aofBuf += buf;
      }
    },
  };
  return host;
}
