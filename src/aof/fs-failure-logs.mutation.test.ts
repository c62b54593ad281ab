// The warnings Redis 7.0 logs when the disk refuses it at two places no other unit test reaches
// (mutation survivors): aofOpenIfNeededOnServerStart's open of the INCR file (then exit 1), and
// getAppendOnlyFileSize's stat of the new BASE in the rewrite's done handler (then size 0).
// Texts as in redis 7.0 aof.c, with strerror's words.
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../adapters/memory/manual-tasks.ts';
import { FsError, type FileHandle, type OpenMode } from '../ports/fs.ts';
import { MemoryLog } from '../ports/log.ts';
import { SeededRandom } from '../ports/random.ts';
import { isProcessExit } from '../server-types.ts';
import { Server } from '../server.ts';
import { FaultyFs, TestClock } from '../../testing/aof/writer-support.ts';

/** Refuses open (append) or stat of the paths that match, with EACCES. */
class RefusingFs extends FaultyFs {
  refuseOpen: RegExp | null = null;
  refuseStat: RegExp | null = null;
  /** A rename that throws something other than an FsError (a broken invariant). */
  breakRename: RegExp | null = null;
  override open(path: string, mode: OpenMode): FileHandle {
    if (mode === 'append' && this.refuseOpen?.test(path)) throw new FsError('EACCES', 'open', path);
    return super.open(path, mode);
  }
  override rename(from: string, to: string): void {
    if (this.breakRename?.test(to)) throw new TypeError('a bug, not an I/O error');
    super.rename(from, to);
  }
  override stat(path: string) {
    if (this.refuseStat?.test(path)) throw new FsError('EACCES', 'stat', path);
    return super.stat(path);
  }
}

function world() {
  const fs = new RefusingFs(createMemoryFs({ '/d/.keep': '' }));
  const tasks = new ManualTasks(fs);
  const log = new MemoryLog();
  const server = () =>
    new Server({ fs, clock: new TestClock(), tasks, log, random: new SeededRandom(7) }, { profile: 'redis-7.0', dir: '/d', appendonly: true, appendfsync: 'always' });
  return { fs, tasks, log, server, warnings: () => log.lines.filter((l) => l.level === 'warning').map((l) => l.message) };
}

describe('redis-7.0 warnings on a refused open or stat', () => {
  it("the INCR file can't be opened at start: the warning, then exit 1", () => {
    const w = world();
    w.fs.refuseOpen = /\.incr\.aof$/;
    let exit: unknown;
    try {
      w.server().start();
    } catch (e) {
      exit = e;
    }
    expect(isProcessExit(exit) && exit.exitCode).toBe(1);
    expect(isProcessExit(exit) && exit.reason).toBe('cannot open appendonly.aof.1.incr.aof');
    expect(w.warnings()).toContain("Can't open the append-only file appendonly.aof.1.incr.aof: Permission denied");
  });

  it('a broken invariant while persisting the manifest at start is thrown as is, not turned into exit 1', () => {
    const w = world();
    w.fs.breakRename = /\.manifest$/;
    expect(() => w.server().start()).toThrow(TypeError);
  });

  it("the new BASE can't be stat'ed after a rewrite: the warning, and its size counts as 0", () => {
    const w = world();
    const s = w.server();
    s.start();
    s.call(s.newClient(), ['SET', 'k', 'v']);
    s.beforeSleep();
    expect(s.call(s.newClient(), ['BGREWRITEAOF']).kind).toBe('status');
    w.fs.refuseStat = /appendonly\.aof\.2\.base\.rdb$/;
    for (const pid of w.tasks.childPids) w.tasks.runChild(pid);
    w.tasks.runBio();
    s.cron();
    w.tasks.runBio();
    expect(w.warnings()).toContain('Unable to obtain the AOF file appendonly.aof.2.base.rdb length. stat: Permission denied');
  });
});
