// Conformance with real redis-server 7.0.15 syscall sequences (fixtures/redis-7.0.15/strace):
// the same workload at the same times must produce the same ordered writes, fsyncs and renames
// (appendfsync always and everysec: fresh start, SET a, SET b, MULTI/SET/INCR/EXEC, SET c, SET d,
// SIGTERM). File descriptors, pids and opens are not compared.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import { isProcessExit } from './server-types.ts';
import { Server } from './server.ts';
import { FaultyFs, TestClock } from '../testing/aof/writer-support.ts';

const STRACE = new URL('../fixtures/redis-7.0.15/strace/', import.meta.url);

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1).replace(/-\d+\.aof$/, '-PID.aof');

/** write/sync/rename events of the first server run in a trace. */
function traceEvents(file: string): string[] {
  const lines = readFileSync(new URL(file, STRACE), 'latin1').split('\n');
  const out: string[] = [];
  for (const l of lines) {
    if (l.includes('SIGTERM')) {
      out.push('SIGTERM');
      continue;
    }
    let m = /^\d+ \S+ (write)\(\d+<(.+?)>, ".*, (\d+)\) = \d+$/.exec(l);
    if (m) {
      out.push(`write ${base(m[2])} ${m[3]}`);
      continue;
    }
    m = /^\d+ \S+ (fsync|fdatasync)\(\d+<(.+)>\) = 0$/.exec(l);
    if (m) {
      out.push(`sync ${base(m[2])}`);
      continue;
    }
    m = /^\d+ \S+ rename\("([^"]*)", "([^"]*)"\) = 0$/.exec(l);
    if (m) out.push(`rename ${base(m[1])} ${base(m[2])}`);
  }
  // The first run ends after the fsync that follows SIGTERM.
  const end = out.indexOf('SIGTERM');
  return out.slice(0, end + 2).filter((e) => e !== 'SIGTERM');
}

function ourEvents(calls: string[]): string[] {
  const out: string[] = [];
  for (const c of calls) {
    const [op, a, b] = c.split(' ');
    if (op === 'write') out.push(`write ${base(a)} ${b}`);
    else if (op === 'fsync' || op === 'fdatasync' || op === 'fsyncDir') out.push(`sync ${base(a)}`);
    else if (op === 'rename') out.push(`rename ${base(a)} ${base(b)}`);
  }
  return out;
}

function run(appendfsync: 'always' | 'everysec'): string[] {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  const tasks = new ManualTasks(fs);
  const t0 = 1_795_500_012_000; // a second boundary; the traces start at hh:mm:12.09
  const clock = new TestClock(t0 + 88);
  const s = new Server(
    { fs, clock, tasks, log: new MemoryLog(), random: new SeededRandom(1) },
    { profile: 'redis-7.0', dir: '/d', appendonly: true, appendfsync, aofUseRdbPreamble: false },
  );
  s.start();
  const c = s.newClient();
  // Commands at the traced times (ms after t0); cron ticks every 100 ms; bio runs at once.
  const commands: [number, string[][]][] = [
    [100, [['SET', 'a', '1']]],
    [106, [['SET', 'b', '2']]],
    [117, [['MULTI'], ['SET', 'x', '1'], ['INCR', 'y'], ['EXEC']]],
    [1325, [['SET', 'c', '3']]],
    [2534, [['SET', 'd', '4']]],
  ];
  let nextCron = 100;
  for (let ms = 89; ms <= 3738; ms++) {
    clock.ms = t0 + ms;
    for (const [at, cmds] of commands) {
      if (at !== ms) continue;
      for (const argv of cmds) s.execute(c, argv);
      s.beforeSleep();
      s.takeReplies();
    }
    if (ms === nextCron) {
      s.cron();
      nextCron += 100;
    }
    tasks.runBio();
  }
  try {
    s.shutdown(true);
  } catch (e) {
    if (!isProcessExit(e)) throw e;
  }
  return ourEvents(fs.calls);
}

describe('syscall sequences match redis-server 7.0.15 (strace fixtures)', () => {
  it('appendfsync always', () => {
    expect(run('always')).toEqual(traceEvents('always-trace.filtered.txt'));
  });
  it('appendfsync everysec (bio fsyncs once per second, tail fsync when writes stop)', () => {
    expect(run('everysec')).toEqual(traceEvents('everysec-trace.filtered.txt'));
  });
});
