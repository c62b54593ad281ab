import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../keyspace/types.ts';
import { FsError } from '../../ports/fs.ts';
import { makeTestHost, type TestHost } from '../../../testing/aof/rewrite-host.ts';
import { parseCommands, replay, snapshotOf } from '../../../testing/aof/rewrite-support.ts';
import { backgroundRewriteDoneHandler, bgrewriteaofCommand, killAppendOnlyChild, processRewritePipes, reapRewriteChild, rewriteAppendOnlyFileBackground } from './index.ts';

const LIVE = '/data/appendonly.aof';

function redis40Host(bugs: string[] = [], appendfsync: 'everysec' | 'always' = 'everysec'): TestHost {
  const h = makeTestHost({ profile: 'redis-4.0', appendonly: true, appendfsync, bugs: new Set(bugs) });
  h.state.aofState = 'on';
  h.state.aofFd = h.fs.open(LIVE, 'append');
  h.state.aofFdPath = LIVE;
  return h;
}

function preload(h: TestHost, n: number): void {
  for (let i = 0; i < n; i++) {
    h.write(i % 3, ['SET', `k${i}`, 'x'.repeat(50)]);
    if (i % 7 === 0) h.write(0, ['RPUSH', `l${i % 5}`, `e${i}`]);
  }
  h.flush();
}

function loadLive(h: TestHost): ReturnType<typeof snapshotOf> {
  return snapshotOf(replay(parseCommands(fromBytes(h.fs.readFile(LIVE)))));
}

/** Steps the child, doing one write + flush + pipe events every `every` steps, until it exits. */
function runWithConcurrentWrites(h: TestHost, pid: number, every: number): { writes: number; sent: number } {
  let writes = 0;
  let sent = 0;
  for (let step = 0; h.tasks.stepChild(pid); step++) {
    if (step % every === 0) {
      h.write(writes % 2, ['SET', `during${writes}`, `v${writes}`]);
      h.write(0, ['RPUSH', 'dl', `d${writes}`]);
      writes++;
      h.flush();
    }
    sent += processRewritePipes(h);
    if (step > 100_000) throw new Error('child did not finish');
  }
  return { writes, sent };
}

describe('4.0 background rewrite (redis-4.0)', () => {
  it('rewrite + diff + residual reproduce the live state, and the fd is swapped', () => {
    const h = redis40Host();
    preload(h, 3000);
    const oldFd = h.state.aofFd;
    expect(rewriteAppendOnlyFileBackground(h)).toBe('started');
    const pid = h.state.aofChildPid;
    expect(h.state.aofSelectedDb).toBe(-1);
    const { writes, sent } = runWithConcurrentWrites(h, pid, 3);
    expect(writes).toBeGreaterThan(10);
    expect(sent).toBeGreaterThan(0);
    expect(h.log.has('AOF rewrite child asks to stop sending diffs.')).toBe(true);
    expect(h.log.has('Parent agreed to stop sending diffs. Finalizing AOF...')).toBe(true);
    // A few writes after the child stopped reading diffs: they must reach the file as residual.
    h.write(2, ['SET', 'after-stop', '1']);
    h.flush();
    expect(h.state.redis40.aofRewriteBufBlocks.join('').length).toBeGreaterThan(0);
    expect(reapRewriteChild(h)).not.toBeNull();
    expect(h.log.has('Residual parent diff successfully flushed')).toBe(true);
    expect(h.state.aofLastBgrewriteStatus).toBe('ok');
    expect(h.state.aofChildPid).toBe(-1);
    expect(h.state.aofFd).not.toBe(oldFd);
    expect(h.state.aofBuf).toBe('');
    expect(h.state.redis40.aofRewriteBufBlocks).toEqual([]);
    expect(h.tasks.queue.some((j) => j.kind === 'close' && j.handle === oldFd)).toBe(true);
    expect(h.tasks.queue.some((j) => j.kind === 'fsync' && j.handle === h.state.aofFd)).toBe(true);
    expect(h.state.aofCurrentSize).toBe(h.fs.stat(LIVE).sizeBytes);
    expect(h.state.aofRewriteBaseSize).toBe(h.state.aofCurrentSize);
    expect(loadLive(h)).toEqual(snapshotOf(h.keyspace));
    // Writes after the switch go to the new file and still reproduce the state.
    h.write(1, ['SET', 'post', 'switch']);
    h.flush();
    expect(loadLive(h)).toEqual(snapshotOf(h.keyspace));
    expect(h.fs.readdir('/data').filter((n) => n.startsWith('temp-'))).toEqual([]);
  });

  it('the rewritten file is much smaller than the log it replaces', () => {
    const h = redis40Host();
    for (let i = 0; i < 500; i++) h.write(0, ['SET', 'same', String(i)]);
    h.flush();
    const before = h.fs.stat(LIVE).sizeBytes;
    rewriteAppendOnlyFileBackground(h);
    runWithConcurrentWrites(h, h.state.aofChildPid, 1_000_000);
    reapRewriteChild(h);
    expect(h.fs.stat(LIVE).sizeBytes).toBeLessThan(before / 50);
    expect(loadLive(h)).toEqual(snapshotOf(h.keyspace));
  });

  it('refuses a second rewrite while a child runs; BGREWRITEAOF replies', () => {
    const h = redis40Host();
    preload(h, 10);
    expect(bgrewriteaofCommand(h)).toEqual({ kind: 'status', value: 'Background append only file rewriting started' });
    expect(rewriteAppendOnlyFileBackground(h)).toBe('error');
    expect(bgrewriteaofCommand(h)).toEqual({ kind: 'error', value: 'ERR Background append only file rewriting already in progress' });
  });

  it('fork failure: no child, pipes closed, error logged', () => {
    const h = redis40Host();
    h.tasks.failNextFork = 'Cannot allocate memory';
    expect(rewriteAppendOnlyFileBackground(h)).toBe('error');
    expect(h.state.aofChildPid).toBe(-1);
    expect(h.state.redis40.aofPipeWriteDataToChild).toBeNull();
    expect(h.log.has("Can't rewrite append only file in background: fork: Cannot allocate memory")).toBe(true);
  });

  it('child killed with SIGUSR1 is not an error; SIGKILL is; both clean up and keep the old file', () => {
    for (const signal of ['SIGUSR1', 'SIGKILL'] as const) {
      const h = redis40Host();
      preload(h, 2000);
      const before = loadLive(h);
      rewriteAppendOnlyFileBackground(h);
      const pid = h.state.aofChildPid;
      for (let i = 0; i < 5; i++) h.tasks.stepChild(pid);
      h.write(0, ['SET', 'during', '1']);
      h.tasks.kill(pid, signal);
      reapRewriteChild(h);
      expect(h.state.aofLastBgrewriteStatus).toBe(signal === 'SIGUSR1' ? 'ok' : 'err');
      expect(h.log.has(`Background AOF rewrite terminated by signal ${signal === 'SIGUSR1' ? 10 : 9}`)).toBe(true);
      expect(h.state.redis40.aofRewriteBufBlocks).toEqual([]);
      expect(h.state.aofChildPid).toBe(-1);
      // 4.0 does not remove the child's own temp file (docs/redis-bugs.md#bug-18).
      expect(h.fs.readdir('/data')).toContain(`temp-rewriteaof-${pid}.aof`);
      h.flush();
      expect(loadLive(h)).not.toEqual(before);
      expect(loadLive(h)).toEqual(snapshotOf(h.keyspace));
    }
  });

  it('non-zero exit sets the error status and reschedules while WAIT_REWRITE', () => {
    const h = redis40Host();
    h.state.aofState = 'wait-rewrite';
    rewriteAppendOnlyFileBackground(h);
    const pid = h.state.aofChildPid;
    backgroundRewriteDoneHandler(h, { pid, exitCode: 1, signal: null });
    expect(h.state.aofLastBgrewriteStatus).toBe('err');
    expect(h.state.aofRewriteScheduled).toBe(true);
    expect(h.log.has('Background AOF rewrite terminated with error')).toBe(true);
  });

  it('WAIT_REWRITE -> ON after the first successful rewrite; aof_buf held nothing meanwhile', () => {
    const h = redis40Host();
    preload(h, 50);
    h.state.aofState = 'wait-rewrite';
    rewriteAppendOnlyFileBackground(h);
    h.write(0, ['SET', 'w', '1']);
    expect(h.state.aofBuf).toBe('');
    runWithConcurrentWrites(h, h.state.aofChildPid, 1);
    reapRewriteChild(h);
    expect(h.state.aofState).toBe('on');
    expect(loadLive(h)).toEqual(snapshotOf(h.keyspace));
  });

  it('child times out when the parent never acks, exits 1 and removes its temp file', () => {
    const h = redis40Host();
    preload(h, 20);
    rewriteAppendOnlyFileBackground(h);
    const pid = h.state.aofChildPid;
    h.tasks.runChild(pid); // no processRewritePipes: nobody answers '!'
    expect(h.log.has('Write error writing append only file on disk: Connection timed out')).toBe(true);
    expect(reapRewriteChild(h)!.exitCode).toBe(1);
    expect(h.state.aofLastBgrewriteStatus).toBe('err');
    expect(h.fs.readdir('/data').filter((n) => n.startsWith('temp-'))).toEqual([]);
  });

  it("bug 'rewrite-buffer-not-reset': the next rewrite duplicates old diffs (state diverges)", () => {
    const h = redis40Host(['rewrite-buffer-not-reset']);
    preload(h, 10);
    rewriteAppendOnlyFileBackground(h);
    const pid = h.state.aofChildPid;
    // The child writes everything but finishes after the ack; a write lands after it stopped reading.
    while (!h.log.has('Parent agreed')) {
      h.tasks.stepChild(pid);
      processRewritePipes(h);
    }
    h.write(0, ['RPUSH', 'dup', 'a']);
    h.flush();
    h.tasks.kill(pid, 'SIGUSR1');
    reapRewriteChild(h);
    expect(h.state.redis40.aofRewriteBufBlocks.join('')).toContain('dup');
    rewriteAppendOnlyFileBackground(h);
    runWithConcurrentWrites(h, h.state.aofChildPid, 1_000_000);
    reapRewriteChild(h);
    const loaded = replay(parseCommands(fromBytes(h.fs.readFile(LIVE))));
    const list = loaded.db(0).dict.get('dup');
    expect(list?.type === 'list' && list.value.toArray()).toEqual(['a', 'a']);
    expect(snapshotOf(loaded)).not.toEqual(snapshotOf(h.keyspace));
  });

  it('killAppendOnlyChild: SIGUSR1, waits, resets the buffer and the pipes', () => {
    const h = redis40Host();
    preload(h, 100);
    rewriteAppendOnlyFileBackground(h);
    h.write(0, ['SET', 'x', '1']);
    killAppendOnlyChild(h);
    expect(h.state.aofChildPid).toBe(-1);
    expect(h.state.redis40.aofRewriteBufBlocks).toEqual([]);
    expect(h.state.redis40.aofPipeAckToParent).toBeNull();
    expect(h.log.has('Killing running AOF rewrite child')).toBe(true);
    expect(h.tasks.reap()).toBeNull();
  });

  it('the child judges expiry by the clock read right after the fork (docs/redis-bugs.md#bug-15 rule of 4.0)', () => {
    const h = redis40Host();
    h.write(0, ['SET', 'a', '5']);
    h.write(0, ['PEXPIREAT', 'a', String(h.clockMs.now + 1000)]);
    h.write(0, ['SET', 'gone', '1']);
    h.write(0, ['PEXPIREAT', 'gone', String(h.clockMs.now - 1)]); // expired, not deleted yet
    h.write(0, ['SET', 'b', '1']);
    h.flush();
    rewriteAppendOnlyFileBackground(h);
    h.clockMs.now += 1001; // the scheduler runs the child late: its `now` is still the fork's
    runWithConcurrentWrites(h, h.state.aofChildPid, 1_000_000);
    reapRewriteChild(h);
    const loaded = replay(parseCommands(fromBytes(h.fs.readFile(LIVE))));
    expect(loaded.db(0).dict.has('a')).toBe(true); // kept, with its PEXPIREAT
    expect(loaded.db(0).expires.has('a')).toBe(true);
    expect(loaded.db(0).dict.has('gone')).toBe(false); // expired at the fork: skipped
    expect(h.keyspace.db(0).dict.has('gone')).toBe(true); // the parent has not expired it yet
  });

  /** A host whose rewrite child has run to its exit (not reaped yet), with the live file's state and fd before it. */
  function childFinished(h: TestHost): { h: TestHost; before: ReturnType<typeof snapshotOf>; fd: unknown } {
    preload(h, 200);
    const before = loadLive(h);
    const fd = h.state.aofFd;
    rewriteAppendOnlyFileBackground(h);
    const pid = h.state.aofChildPid;
    while (h.tasks.stepChild(pid)) processRewritePipes(h);
    return { h, before, fd };
  }

  it('rename failure in the done handler: old file and fd kept, status err, temp removed', () => {
    const { h, before, fd } = childFinished(redis40Host());
    const realRename = h.fs.rename.bind(h.fs);
    h.fs.rename = (from: string, to: string) => {
      if (to === LIVE) throw new FsError('EIO', 'rename', from);
      realRename(from, to);
    };
    reapRewriteChild(h);
    h.fs.rename = realRename;
    expect(h.log.has('Error trying to rename the temporary AOF file')).toBe(true);
    expect(h.state.aofLastBgrewriteStatus).toBe('err');
    expect(h.state.aofFd).toBe(fd);
    expect(loadLive(h)).toEqual(before);
    expect(h.fs.readdir('/data').filter((n) => n.startsWith('temp-'))).toEqual([]);
  });

  /** Runs a rewrite under always, logging the done handler's fdatasync of the new file and its rename; `failSync` makes that fdatasync fail. */
  function alwaysSwitch(bugs: string[], failSync: boolean): { h: TestHost; order: string[]; before: ReturnType<typeof snapshotOf>; fd: unknown } {
    const { h, before, fd } = childFinished(redis40Host(bugs, 'always'));
    h.write(0, ['SET', 'residual', '1']); // after the child stopped reading diffs: only in the residual
    h.flush();
    const order: string[] = [];
    const realOpen = h.fs.open.bind(h.fs);
    const realRename = h.fs.rename.bind(h.fs);
    h.fs.open = ((path: string, mode: Parameters<typeof realOpen>[1]) => {
      const fh = realOpen(path, mode);
      if (!path.includes('temp-rewriteaof-bg-')) return fh;
      const sync = fh.fdatasync.bind(fh);
      fh.fdatasync = () => {
        order.push('fdatasync');
        if (failSync) throw new FsError('EIO', 'fdatasync', path);
        sync();
      };
      return fh;
    }) as typeof h.fs.open;
    h.fs.rename = (from: string, to: string) => {
      if (to === LIVE) order.push('rename');
      realRename(from, to);
    };
    reapRewriteChild(h);
    h.fs.open = realOpen;
    h.fs.rename = realRename;
    return { h, order, before, fd };
  }

  it("always: the new file is fsynced before it is renamed over appendonly.aof (bug 'rename-before-diff-fsync': after)", () => {
    const fixed = alwaysSwitch([], false);
    expect(fixed.order).toEqual(['fdatasync', 'rename']);
    expect(fixed.h.state.aofLastBgrewriteStatus).toBe('ok');
    expect(loadLive(fixed.h)).toEqual(snapshotOf(fixed.h.keyspace));
    const bug = alwaysSwitch(['rename-before-diff-fsync'], false);
    expect(bug.order).toEqual(['rename', 'fdatasync']);
    expect(loadLive(bug.h)).toEqual(snapshotOf(bug.h.keyspace));
  });

  it('always: a failed fsync of the new file abandons the switch (old file and fd kept, status err, temp removed)', () => {
    const { h, order, before, fd } = alwaysSwitch([], true);
    expect(order).toEqual(['fdatasync']);
    expect(h.log.has('Error trying to fsync the parent diff to the rewritten AOF')).toBe(true);
    expect(h.state.aofLastBgrewriteStatus).toBe('err');
    expect(h.state.aofFd).toBe(fd);
    expect(loadLive(h)).not.toEqual(before); // the old file took the residual write too
    expect(loadLive(h)).toEqual(snapshotOf(h.keyspace));
    expect(h.fs.readdir('/data').filter((n) => n.startsWith('temp-'))).toEqual([]);
    // 4.0.14's order ignores the failure after the rename (the switch happens).
    const bug = alwaysSwitch(['rename-before-diff-fsync'], true);
    expect(bug.order).toEqual(['rename', 'fdatasync']);
    expect(bug.h.state.aofLastBgrewriteStatus).toBe('ok');
  });
});
