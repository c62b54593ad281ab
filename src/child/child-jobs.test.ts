// A child rebuilt from its ChildJob (kind, params, snapshot bytes), as serve's child process does it,
// writes the same file, byte for byte, as the program stepped in the parent on Keyspace.clone().
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../adapters/memory/manual-tasks.ts';
import { Server } from '../server.ts';
import { MemoryLog } from '../ports/log.ts';
import { SeededRandom } from '../ports/random.ts';
import type { ChildJob, ChildProgram } from '../ports/tasks.ts';
import { runSync, tempRewriteBgName } from '../aof/rewrite/rewrite-file.ts';
import { childProgramOf } from './child-jobs.ts';
import { decodeSnapshot } from './snapshot.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { formatCanonicalDump } from '../keyspace/canonical-dump.ts';

const NOW = 1_700_000_000_000;

/** A Tasks that records what fork() was given instead of running anything. */
class RecordingTasks extends ManualTasks {
  forked: { program: ChildProgram; job?: ChildJob; bytes?: Uint8Array }[] = [];
  override fork(program: ChildProgram, job?: ChildJob): number {
    // The snapshot is taken inside fork(), as an adapter that ships it does.
    this.forked.push({ program, job, bytes: job?.snapshot() });
    return super.fork(program);
  }
}

function loadedServer(useRdb: boolean) {
  const fs = createMemoryFs();
  fs.mkdir('/d');
  const tasks = new RecordingTasks(fs);
  const clock = { nowMs: () => NOW };
  const server = new Server(
    { fs, clock, tasks, log: new MemoryLog(), random: new SeededRandom(1) },
    { profile: 'redis-7.0', dir: '/d', appendonly: true, aofUseRdbPreamble: useRdb },
  );
  server.start();
  const c = server.newClient();
  const run = (...argv: string[]) => server.execute(c, argv);
  run('set', 'str', 'hello');
  run('set', 'bin', 'a\x00\xff\r\n');
  run('set', 'ttl', 'x', 'px', '100000');
  run('rpush', 'list', ...Array.from({ length: 150 }, (_, i) => `e${i}`));
  run('sadd', 'intset', ...Array.from({ length: 70 }, (_, i) => String(i)));
  run('sadd', 'set', 'a', 'b', 'c');
  run('zadd', 'zset', '1.5', 'a', '-inf', 'b', '1e300', 'c');
  run('hset', 'hash', 'f', 'v', 'g', 'w');
  run('xadd', 'stream', '5-1', 'f', 'v');
  run('xgroup', 'create', 'stream', 'g', '0');
  run('xreadgroup', 'group', 'g', 'c1', 'count', '1', 'streams', 'stream', '>');
  run('select', '9');
  run('set', 'in-db-9', 'y');
  server.beforeSleep();
  return { fs, tasks, server, run };
}

describe('child jobs', () => {
  for (const useRdb of [false, true]) {
    it(`aof-rewrite-redis70 rebuilt from its job writes the in-process child's bytes (aof-use-rdb-preamble ${useRdb ? 'yes' : 'no'})`, () => {
      const { fs, tasks, server, run } = loadedServer(useRdb);
      const c = server.newClient();
      server.execute(c, ['bgrewriteaof']);
      expect(tasks.forked).toHaveLength(1);
      const { job, bytes } = tasks.forked[0];
      if (job === undefined || bytes === undefined) throw new Error('the 7.0 rewrite forks without a job');
      const pid = tasks.childPids[0];
      // Writes after the fork are in neither child's copy.
      run('set', 'after-fork', '1');
      // The child process's side: decode, rebuild, run with its own ports (here the same fs).
      const snapshot = decodeSnapshot(bytes, 16);
      const program = childProgramOf(job.kind, JSON.parse(JSON.stringify(job.params)) as Record<string, unknown>, snapshot, {
        fs,
        log: new MemoryLog(),
        clock: { nowMs: () => NOW },
      });
      expect(runSync(program(pid + 1000))).toBe(0);
      while (tasks.stepChild(pid));
      const inProcess = fs.readFile(`/d/${tempRewriteBgName(pid)}`);
      const rebuilt = fs.readFile(`/d/${tempRewriteBgName(pid + 1000)}`);
      expect(rebuilt.length).toBeGreaterThan(100);
      expect(Buffer.from(rebuilt).toString('latin1')).toBe(Buffer.from(inProcess).toString('latin1'));
      expect(formatCanonicalDump(snapshot)).not.toContain('after-fork');
    });
  }

  it('an unknown kind is an error, not a silent child', () => {
    const { fs } = loadedServer(false);
    expect(() => childProgramOf('no-such-kind', {}, new Keyspace(), { fs, log: new MemoryLog(), clock: { nowMs: () => NOW } })).toThrow(
      /unknown child job kind 'no-such-kind'/,
    );
  });
});
