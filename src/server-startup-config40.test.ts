// A redis-4.0 Server started with configFromPairs's reading of `auto-aof-rewrite-min-size -5mb`
// (redis 4.0.14: config.c loadServerConfigFromString keeps memtoll's negative result; server.c
// serverCron's "aof_current_size > aof_rewrite_min_size" is then true for every AOF). What is pinned
// was seen on redis-server 4.0.14 started with `--appendonly yes --auto-aof-rewrite-min-size -5mb`
// in an empty dir, then SET k v: "Starting automatic rewriting of AOF on 4900% growth" at the next
// serverCron; with 64mb, no rewrite.
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import { configFromPairs } from './aof/config-keys.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import { Server } from './server.ts';
import { TestClock } from '../testing/aof/writer-support.ts';

function autoRewriteAfterOneWrite(minSize: string): string {
  const { config, exact } = configFromPairs([['appendonly', 'yes'], ['auto-aof-rewrite-min-size', minSize]], 'redis-4.0');
  const fs = createMemoryFs({ '/d/.keep': '' });
  const log = new MemoryLog();
  const s = new Server({ fs, clock: new TestClock(), tasks: new ManualTasks(fs), log, random: new SeededRandom(7) }, { ...config, profile: 'redis-4.0', dir: '/d' }, { configExact: exact });
  s.start();
  s.call(s.newClient(), ['SET', 'k', 'v']);
  s.beforeSleep();
  s.cron();
  return log.lines.find((l) => l.message.startsWith('Starting automatic rewriting'))?.message ?? 'none';
}

describe('Server (redis-4.0) started with a negative auto-aof-rewrite-min-size', () => {
  it('rewrites at the first serverCron after one write, as 4.0.14 does; 64mb does not', () => {
    expect(autoRewriteAfterOneWrite('-5mb')).toBe('Starting automatic rewriting of AOF on 4900% growth');
    expect(autoRewriteAfterOneWrite('64mb')).toBe('none');
  });
});
