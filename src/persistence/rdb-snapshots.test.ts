// SAVE, BGSAVE, LASTSAVE, save points, the done handler, MISCONF, startup from dump.rdb, DEBUG
// RELOAD and the interplay with the AOF, through the Server with an in-memory fs and a manual child.
// Replies and log lines are redis-server 7.0.15's (checked against the real server by
// properties/conformance/rdb-snapshots.conformance.test.ts).
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../adapters/memory/manual-tasks.ts';
import { MemoryLog } from '../ports/log.ts';
import { SeededRandom } from '../ports/random.ts';
import { Server, type ServerOptions } from '../server.ts';
import type { AofConfigInput } from '../aof/config.ts';
import { parseInfo } from '../aof/info.ts';
import { FaultyFs, TestClock } from '../../testing/aof/writer-support.ts';
import { datasetDigest } from '../keyspace/digest.ts';
import { isProcessExit } from '../server-types.ts';
import type { Reply } from '../commands/reply.ts';

interface W {
  fs: FaultyFs;
  tasks: ManualTasks;
  clock: TestClock;
  log: MemoryLog;
}

function world(): W {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  return { fs, tasks: new ManualTasks(fs), clock: new TestClock(), log: new MemoryLog() };
}

function boot(w: W, config: AofConfigInput = {}, save = '', extra: [string, string][] = []): Server {
  const options: ServerOptions = { directives: new Map([['save', save], ...extra]) };
  const s = new Server({ fs: w.fs, clock: w.clock, tasks: w.tasks, log: w.log, random: new SeededRandom(7) }, { profile: 'redis-7.0', dir: '/d', ...config }, options);
  s.start();
  return s;
}

const show = (r: Reply): string => (r.kind === 'error' ? `-${r.value}` : r.kind === 'status' ? `+${r.value}` : String(r.value));

function run(s: Server, ...argv: string[]): string {
  return show(s.call(s.newClient(), argv));
}

/** Runs every live child to its end, then lets serverCron reap it. */
function finishChildren(s: Server, w: W): void {
  for (const pid of w.tasks.childPids) w.tasks.runChild(pid);
  w.tasks.runBio();
  s.cron();
  w.tasks.runBio();
}

const info = (s: Server) => parseInfo(s.info('persistence'));
const logged = (w: W) => w.log.lines.map((l) => l.message);

describe('SAVE and LASTSAVE', () => {
  it('writes temp-<pid>.rdb, fsyncs it, renames it to dump.rdb and fsyncs the directory', () => {
    const w = world();
    const s = boot(w);
    run(s, 'SET', 'k', 'v');
    expect(info(s).get('rdb_changes_since_last_save')).toBe('1');
    w.clock.advance(5000);
    const before = w.fs.calls.length;
    expect(run(s, 'SAVE')).toBe('+OK');
    const calls = w.fs.calls.slice(before).filter((c) => !c.startsWith('write'));
    expect(calls).toEqual(['fsync /d/temp-1.rdb', 'close /d/temp-1.rdb', 'rename /d/temp-1.rdb /d/dump.rdb', 'fsyncDir /d']);
    expect(logged(w)).toContain('DB saved on disk');
    expect(run(s, 'LASTSAVE')).toBe(String(Math.floor(w.clock.ms / 1000)));
    const i = info(s);
    expect(i.get('rdb_changes_since_last_save')).toBe('0');
    expect(i.get('rdb_saves')).toBe('1');
    expect(i.get('rdb_last_save_time')).toBe(String(Math.floor(w.clock.ms / 1000)));
  });

  it('a write error: "Write error saving DB on disk(rdbSaveRio)", -ERR, the temp file removed, dirty kept', () => {
    const w = world();
    const s = boot(w);
    run(s, 'SET', 'k', 'v');
    w.fs.script.writes.push('ENOSPC');
    expect(run(s, 'SAVE')).toBe('-ERR');
    expect(logged(w)).toContain('Write error saving DB on disk(rdbSaveRio): No space left on device');
    expect(w.fs.tryStat('/d/temp-1.rdb')).toBeUndefined();
    expect(w.fs.tryStat('/d/dump.rdb')).toBeUndefined();
    expect(info(s).get('rdb_changes_since_last_save')).toBe('1');
  });
});

describe('BGSAVE', () => {
  it('the child saves the dataset as it was at the fork; the done handler resets dirty by what it saved', () => {
    const w = world();
    const s = boot(w);
    run(s, 'SET', 'a', '1');
    const atFork = datasetDigest(s.keyspace);
    expect(run(s, 'BGSAVE')).toBe('+Background saving started');
    expect(logged(w)).toContain(`Background saving started by pid ${w.tasks.childPids[0]}`);
    expect(run(s, 'BGSAVE')).toBe('-ERR Background save already in progress');
    expect(run(s, 'SAVE')).toBe('-ERR Background save already in progress');
    expect(info(s).get('rdb_bgsave_in_progress')).toBe('1');
    run(s, 'SET', 'b', '2');
    finishChildren(s, w);
    expect(logged(w)).toContain('Background saving terminated with success');
    const i = info(s);
    expect(i.get('rdb_bgsave_in_progress')).toBe('0');
    expect(i.get('rdb_changes_since_last_save')).toBe('1');
    expect(i.get('rdb_last_bgsave_status')).toBe('ok');
    // What the file holds: the fork-time dataset.
    const w2: W = { ...world(), fs: w.fs };
    const s2 = boot(w2);
    expect(datasetDigest(s2.keyspace)).toBe(atFork);
    expect(w2.log.lines.map((l) => l.message)).toContain('Done loading RDB, keys loaded: 1, keys expired: 0.');
  });

  it('BGSAVE SCHEDULE, the refusal while a rewrite runs, and the syntax error', () => {
    const w = world();
    const s = boot(w, { appendonly: true });
    expect(run(s, 'BGREWRITEAOF')).toBe('+Background append only file rewriting started');
    expect(run(s, 'BGSAVE')).toBe("-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
    expect(run(s, 'BGSAVE', 'SCHEDULE')).toBe('+Background saving scheduled');
    expect(run(s, 'BGSAVE', 'x')).toBe('-ERR syntax error');
    finishChildren(s, w); // the rewrite ends; the scheduled BGSAVE starts at the end of the same cron
    expect(info(s).get('rdb_bgsave_in_progress')).toBe('1');
    finishChildren(s, w);
    expect(w.fs.tryStat('/d/dump.rdb')).toBeDefined();
  });

  it('BGREWRITEAOF during a BGSAVE is scheduled and starts once the BGSAVE ended', () => {
    const w = world();
    const s = boot(w, { appendonly: true });
    expect(run(s, 'BGSAVE')).toBe('+Background saving started');
    expect(run(s, 'BGREWRITEAOF')).toBe('+Background append only file rewriting scheduled');
    finishChildren(s, w); // reaps the BGSAVE
    expect(info(s).get('aof_rewrite_in_progress')).toBe('0');
    s.cron(); // the scheduled rewrite starts
    expect(info(s).get('aof_rewrite_in_progress')).toBe('1');
  });

  it('CONFIG SET appendonly yes during a BGSAVE waits for it (7.0 log line), then rewrites', () => {
    const w = world();
    const s = boot(w);
    run(s, 'SET', 'k', 'v');
    expect(run(s, 'BGSAVE')).toBe('+Background saving started');
    expect(run(s, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK');
    expect(logged(w)).toContain('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    expect(info(s).get('aof_rewrite_scheduled')).toBe('1');
    finishChildren(s, w);
    s.cron();
    expect(info(s).get('aof_rewrite_in_progress')).toBe('1');
    finishChildren(s, w);
    expect(info(s).get('aof_enabled')).toBe('1');
    expect(w.fs.readdir('/d/appendonlydir').some((n) => n.endsWith('.base.rdb'))).toBe(true);
  });

  it('a child killed by a signal: its temp file goes, status err unless SIGUSR1; MISCONF while save points are set', () => {
    const w = world();
    const s = boot(w, {}, '900 1');
    run(s, 'SET', 'k', 'v');
    run(s, 'BGSAVE');
    const pid = w.tasks.childPids[0];
    w.tasks.stepChild(pid); // the temp file exists now
    expect(w.fs.tryStat(`/d/temp-${pid}.rdb`)).toBeDefined();
    w.tasks.kill(pid, 'SIGKILL');
    s.cron();
    w.tasks.runBio();
    expect(logged(w)).toContain('Background saving terminated by signal 9');
    expect(w.fs.tryStat(`/d/temp-${pid}.rdb`)).toBeUndefined();
    expect(info(s).get('rdb_last_bgsave_status')).toBe('err');
    expect(run(s, 'SET', 'k', 'w')).toMatch(/^-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk\./);
    expect(run(s, 'GET', 'k')).toBe('v');
    // stop-writes-on-bgsave-error no lets writes through.
    run(s, 'CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no');
    expect(run(s, 'SET', 'k', 'w')).toBe('+OK');
  });

  it('a child write error ("Background saving error") and the retry delay of save points', () => {
    const w = world();
    const s = boot(w, {}, '1 1');
    run(s, 'SET', 'k', 'v');
    w.fs.diskFull = 'ENOSPC';
    w.clock.advance(2000);
    s.cron();
    expect(logged(w)).toContain('1 changes in 1 seconds. Saving...');
    finishChildren(s, w);
    expect(logged(w)).toContain('Write error saving DB on disk(rdbSaveRio): No space left on device');
    expect(logged(w)).toContain('Background saving error');
    w.fs.diskFull = null;
    const started = () => logged(w).filter((l) => l.startsWith('Background saving started')).length;
    w.clock.advance(5000); // CONFIG_BGSAVE_RETRY_DELAY: not after exactly 5 s
    s.cron();
    expect(started()).toBe(1);
    w.clock.advance(1000);
    s.cron();
    expect(started()).toBe(2);
    finishChildren(s, w);
    expect(info(s).get('rdb_last_bgsave_status')).toBe('ok');
  });

  it('fork failure: "Can\'t save in background: fork: ..." and -ERR', () => {
    const w = world();
    const s = boot(w);
    w.tasks.failNextFork = 'Cannot allocate memory';
    expect(run(s, 'BGSAVE')).toBe('-ERR');
    expect(logged(w)).toContain("Can't save in background: fork: Cannot allocate memory");
    expect(info(s).get('rdb_last_bgsave_status')).toBe('err');
  });
});

describe('startup and shutdown', () => {
  it('appendonly no loads dump.rdb with 7.0\'s lines; expired keys are dropped', () => {
    const w = world();
    const s = boot(w);
    run(s, 'SET', 'a', '1');
    run(s, 'SET', 'b', '2', 'PX', '1000');
    run(s, 'SAVE');
    w.clock.advance(3000);
    const w2: W = { ...world(), fs: w.fs, clock: w.clock };
    const s2 = boot(w2);
    expect(w2.log.lines.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        'Loading RDB produced by version 7.0.15',
        'RDB age 3 seconds',
        'RDB memory usage when created 0.00 Mb',
        'Done loading RDB, keys loaded: 1, keys expired: 1.',
        'DB loaded from disk: 0.000 seconds',
      ]),
    );
    expect(run(s2, 'DBSIZE')).toBe('1');
  });

  it('a truncated dump.rdb is refused with Redis\'s lines and exit 1', () => {
    const w = world();
    const s = boot(w);
    run(s, 'SET', 'a', '1');
    run(s, 'SAVE');
    const bytes = w.fs.readFile('/d/dump.rdb');
    w.fs.truncate('/d/dump.rdb', bytes.length - 12);
    const w2: W = { ...world(), fs: w.fs };
    let exit: unknown = null;
    try {
      boot(w2);
    } catch (e) {
      exit = e;
    }
    expect(isProcessExit(exit) && exit.exitCode).toBe(1);
    const lines = w2.log.lines.map((l) => l.message);
    expect(lines.slice(-2)).toEqual([
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
      'Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
    ]);
  });

  it('SHUTDOWN saves when save points are set (and not with NOSAVE)', () => {
    const w = world();
    const s = boot(w, {}, '3600 1');
    run(s, 'SET', 'a', '1');
    expect(() => s.call(s.newClient(), ['SHUTDOWN', 'NOSAVE'])).toThrow();
    expect(w.fs.tryStat('/d/dump.rdb')).toBeUndefined();
    const w2 = world();
    const s2 = boot(w2, {}, '3600 1');
    run(s2, 'SET', 'a', '1');
    expect(() => s2.call(s2.newClient(), ['SHUTDOWN'])).toThrow();
    expect(w2.log.lines.map((l) => l.message)).toContain('Saving the final RDB snapshot before exiting.');
    expect(w2.fs.tryStat('/d/dump.rdb')).toBeDefined();
  });
});

describe('DEBUG RELOAD', () => {
  it('saves, flushes and loads; NOSAVE loads the file as it is; MERGE NOFLUSH keeps other keys', () => {
    const w = world();
    const s = boot(w);
    run(s, 'SET', 'a', '1');
    expect(run(s, 'DEBUG', 'RELOAD')).toBe('+OK');
    expect(logged(w)).toContain('DB reloaded by DEBUG RELOAD');
    run(s, 'SET', 'b', '2');
    expect(run(s, 'DEBUG', 'RELOAD', 'NOSAVE')).toBe('+OK');
    expect(run(s, 'EXISTS', 'b')).toBe('0');
    run(s, 'SET', 'c', '3');
    run(s, 'SET', 'a', 'x');
    expect(run(s, 'DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE')).toBe('+OK');
    expect(run(s, 'GET', 'a')).toBe('1');
    expect(run(s, 'EXISTS', 'c')).toBe('1');
    expect(run(s, 'DEBUG', 'RELOAD', 'FOO')).toBe('-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  });

  it('NOSAVE without a dump.rdb answers the load error', () => {
    const w = world();
    const s = boot(w);
    expect(run(s, 'DEBUG', 'RELOAD', 'NOSAVE')).toBe('-ERR Error trying to load the RDB dump');
  });
});
