// 4.0's done handler with the AOF off (mutation survivor of redis40-background.ts): the file being
// replaced is opened before the rename and closed by a bio job afterwards, so the rename does not
// free its inode on the main thread (redis 4.0 aof.c backgroundRewriteDoneHandler, oldfd).
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../adapters/memory/manual-tasks.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { Server } from '../../server.ts';
import { FaultyFs, TestClock } from '../../../testing/aof/writer-support.ts';

function rewriteWithAofOff(existing: Record<string, string>) {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '', ...existing }));
  const tasks = new ManualTasks(fs);
  const s = new Server({ fs, clock: new TestClock(), tasks, log: new MemoryLog(), random: new SeededRandom(7) }, { profile: 'redis-4.0', dir: '/d', appendonly: false });
  s.start();
  s.call(s.newClient(), ['SET', 'k', 'v']);
  expect(s.call(s.newClient(), ['BGREWRITEAOF']).kind).toBe('status');
  // The child waits for the parent's ack: interleave its steps with event-loop iterations.
  for (const pid of tasks.childPids) {
    for (let steps = 0; tasks.stepChild(pid); steps++) {
      s.beforeSleep();
      if (steps > 100_000) throw new Error('the rewrite child did not finish');
    }
  }
  s.cron();
  return { fs, queued: tasks.queue.map((j) => (j.kind === 'unlink' ? `unlink ${j.path}` : `${j.kind} ${j.handle.path}`)) };
}

describe('redis-4.0 backgroundRewriteDoneHandler with appendonly no', () => {
  it('the replaced appendonly.aof is closed by a bio job after the rename', () => {
    const r = rewriteWithAofOff({ '/d/appendonly.aof': encodeCommand(['SET', 'old', '1']) });
    expect(r.queued).toEqual(['close /d/appendonly.aof']);
    expect(r.fs.text('/d/appendonly.aof')).toContain('$1\r\nk\r\n');
  });

  it('no old file: nothing to close', () => {
    expect(rewriteWithAofOff({}).queued).toEqual([]);
  });
});
