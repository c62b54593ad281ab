// INFO persistence's field names and order against redis-server 7.0.15's (recorded from the real
// server with appendonly yes), and parseInfo on lines without a colon (mutation survivors of info.ts).
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../adapters/memory/manual-tasks.ts';
import { MemoryLog } from '../ports/log.ts';
import { SeededRandom } from '../ports/random.ts';
import { Server } from '../server.ts';
import { FaultyFs, TestClock } from '../../testing/aof/writer-support.ts';
import { parseInfo } from './info.ts';

/** `redis-cli INFO persistence` on redis-server 7.0.15 (appendonly yes), the rdb_ fields left out. */
const REDIS_7_0_15 = [
  'loading',
  'async_loading',
  'current_cow_peak',
  'current_cow_size',
  'current_cow_size_age',
  'current_fork_perc',
  'current_save_keys_processed',
  'current_save_keys_total',
  'aof_enabled',
  'aof_rewrite_in_progress',
  'aof_rewrite_scheduled',
  'aof_last_rewrite_time_sec',
  'aof_current_rewrite_time_sec',
  'aof_last_bgrewrite_status',
  'aof_rewrites',
  'aof_rewrites_consecutive_failures',
  'aof_last_write_status',
  'aof_last_cow_size',
  'module_fork_in_progress',
  'module_fork_last_cow_size',
  'aof_current_size',
  'aof_base_size',
  'aof_pending_rewrite',
  'aof_buffer_length',
  'aof_pending_bio_fsync',
  'aof_delayed_fsync',
];

describe('INFO persistence (redis-7.0)', () => {
  it("has 7.0.15's fields in its order (modules aside; aof_rewrite_buffer_length is aofsim's)", () => {
    const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
    const s = new Server(
      { fs, clock: new TestClock(), tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(7) },
      { profile: 'redis-7.0', dir: '/d', appendonly: true },
    );
    s.start();
    const names = [...parseInfo(s.info('persistence')).keys()].filter((k) => !k.startsWith('rdb_'));
    // DIVERGENCE(redis): see info.ts (one parser for both profiles); aofsim has no modules.
    const expected = REDIS_7_0_15.filter((k) => !k.startsWith('module_fork_'));
    expected.splice(expected.indexOf('aof_buffer_length') + 1, 0, 'aof_rewrite_buffer_length');
    expect(names).toEqual(expected);
  });
});

describe('parseInfo', () => {
  it('skips headers, blank lines and lines without a name before a colon', () => {
    expect([...parseInfo('# Persistence\r\nloading:0\r\n\r\nnocolon\r\n:noname\r\nx:a:b\r\n')]).toEqual([
      ['loading', '0'],
      ['x', 'a:b'],
    ]);
  });
});
