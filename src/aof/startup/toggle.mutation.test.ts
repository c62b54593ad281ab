// CONFIG SET appendonly yes/no edges (mutation survivors of toggle.ts): the warning when 4.0 cannot
// fork the rewrite that turns the AOF on, and 7.0's stopAppendOnly forgetting a scheduled rewrite
// (redis 7.0 aof.c stopAppendOnly sets aof_rewrite_scheduled = 0; 4.0's does not).
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../../adapters/memory/manual-tasks.ts';
import type { Profile } from '../../base/profile.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import { Server } from '../../server.ts';
import { FaultyFs, TestClock } from '../../../testing/aof/writer-support.ts';
import { parseInfo } from '../info.ts';

function world(profile: Profile, appendonly: boolean) {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  const tasks = new ManualTasks(fs);
  const log = new MemoryLog();
  const s = new Server({ fs, clock: new TestClock(), tasks, log, random: new SeededRandom(7) }, { profile, dir: '/d', appendonly });
  s.start();
  const run = (...argv: string[]) => s.call(s.newClient(), argv);
  return { s, tasks, log, run };
}

describe('startAppendOnly / stopAppendOnly', () => {
  it("4.0: a failed fork leaves the AOF off, with Redis's warning", () => {
    const w = world('redis-4.0', false);
    w.tasks.failNextFork = 'Cannot allocate memory';
    expect(w.run('CONFIG', 'SET', 'appendonly', 'yes').kind).toBe('error');
    expect(w.log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
      }),
    );
    expect(parseInfo(w.s.info('persistence')).get('aof_enabled')).toBe('0');
  });

  it('7.0: turning the AOF off forgets a rewrite scheduled behind a BGSAVE', () => {
    const w = world('redis-7.0', true);
    w.run('SET', 'k', 'v');
    w.run('BGSAVE');
    expect(w.run('BGREWRITEAOF')).toEqual({ kind: 'status', value: 'Background append only file rewriting scheduled' });
    expect(parseInfo(w.s.info('persistence')).get('aof_rewrite_scheduled')).toBe('1');
    w.run('CONFIG', 'SET', 'appendonly', 'no');
    expect(parseInfo(w.s.info('persistence')).get('aof_rewrite_scheduled')).toBe('0');
  });
});
