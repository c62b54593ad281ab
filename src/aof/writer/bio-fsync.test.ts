import { describe, expect, it } from 'vitest';
import { FsError, type FsErrorCode } from '../../ports/fs.ts';
import type { AofEvent } from '../../ports/events.ts';
import type { BioJob } from '../../ports/tasks.ts';
import { makeTestAof, type TestAof } from '../../../testing/aof/writer-support.ts';
import { aofBackgroundFsync, handleAofBioCompletion } from './bio-fsync.ts';
import { aofDiskErrorMessage } from './disk-error.ts';

// One finished bio job at a time, as the server hands it to handleAofBioCompletion (redis: bio.c
// bioProcessBackgroundJobs and the 6.2+ aof_bio_fsync_status, redis/redis#8347): which outcomes
// set the error status, which leave it, and what the log says.

function setup(): TestAof & { events: AofEvent[] } {
  const t = makeTestAof({ appendfsync: 'everysec' });
  const events: AofEvent[] = [];
  return { ...t, ctx: { ...t.ctx, events: (e) => events.push(e) }, events };
}

function complete(t: TestAof, job: BioJob, code: FsErrorCode | null): void {
  handleAofBioCompletion(t.ctx, { job, error: code === null ? null : new FsError(code, 'fdatasync', '/data/appendonly.aof') });
}

describe('handleAofBioCompletion', () => {
  it('a failed fsync sets the error status and errno, logs once, marks and reports it', () => {
    const t = setup();
    const fsync: BioJob = { kind: 'fsync', handle: t.ctx.state.aofFd! };
    complete(t, fsync, 'EIO');
    expect(t.ctx.state.aofBioFsyncStatus).toBe('err');
    expect(t.ctx.state.aofBioFsyncErrno).toBe('EIO');
    expect(t.log.lines).toEqual([{ level: 'warning', message: 'Fail to fsync the AOF file: Input/output error' }]);
    expect(t.log.marks.get('aof.bio-fsync.error')).toBe(1);
    expect(t.events).toEqual([{ kind: 'bio-fsync-error' }]);
    complete(t, fsync, 'ENOSPC'); // still failing: the errno follows, the log does not repeat
    expect(t.ctx.state.aofBioFsyncErrno).toBe('ENOSPC');
    expect(t.log.lines.length).toBe(1);
    expect(t.log.marks.get('aof.bio-fsync.error')).toBe(2);
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBe('MISCONF Errors writing to the AOF file: No space left on device');
    complete(t, fsync, null);
    expect(t.ctx.state.aofBioFsyncStatus).toBe('ok');
  });

  it('EBADF and EINVAL (the fd was closed under the job) are not failures: the status becomes ok', () => {
    for (const code of ['EBADF', 'EINVAL'] as const) {
      const t = setup();
      t.ctx.state.aofBioFsyncStatus = 'err';
      complete(t, { kind: 'fsync', handle: t.ctx.state.aofFd! }, code);
      expect(t.ctx.state.aofBioFsyncStatus).toBe('ok');
      expect(t.log.lines).toEqual([]);
      expect(t.events).toEqual([]);
    }
  });

  it('a close with fsync counts as an fsync; a plain close changes nothing', () => {
    const t = setup();
    const handle = t.ctx.state.aofFd!;
    complete(t, { kind: 'close', handle, fsync: false }, 'EIO');
    expect(t.ctx.state.aofBioFsyncStatus).toBe('ok');
    expect(t.events).toEqual([]);
    complete(t, { kind: 'close', handle, fsync: true }, 'EIO');
    expect(t.ctx.state.aofBioFsyncStatus).toBe('err');
    t.ctx.state.aofBioFsyncStatus = 'err';
    complete(t, { kind: 'close', handle, fsync: false }, null);
    expect(t.ctx.state.aofBioFsyncStatus).toBe('err'); // only an fsync clears it
    complete(t, { kind: 'close', handle, fsync: true }, null);
    expect(t.ctx.state.aofBioFsyncStatus).toBe('ok');
  });

  it('an unlink job only logs its failure, and never touches the fsync status', () => {
    const t = setup();
    handleAofBioCompletion(t.ctx, { job: { kind: 'unlink', path: '/data/x' }, error: new FsError('EACCES', 'unlink', '/data/x') });
    expect(t.log.lines).toEqual([{ level: 'warning', message: 'Failed to remove file in background: Permission denied' }]);
    expect(t.ctx.state.aofBioFsyncStatus).toBe('ok');
    t.ctx.state.aofBioFsyncStatus = 'err';
    handleAofBioCompletion(t.ctx, { job: { kind: 'unlink', path: '/data/x' }, error: null });
    expect(t.ctx.state.aofBioFsyncStatus).toBe('err');
    expect(t.log.lines.length).toBe(1);
  });

  it("bug 'fsync-error-ignored': a failed fsync only marks it; the status stays as it was", () => {
    const t = makeTestAof({ appendfsync: 'everysec', bugs: new Set(['fsync-error-ignored']) });
    complete(t, { kind: 'fsync', handle: t.ctx.state.aofFd! }, 'EIO');
    expect(t.ctx.state.aofBioFsyncStatus).toBe('ok');
    expect(t.log.marks.get('aof.bio-fsync.error-ignored')).toBe(1);
    expect(t.log.marks.has('aof.bio-fsync.error')).toBe(false);
    expect(t.log.lines).toEqual([]);
  });
});

describe('aofBackgroundFsync', () => {
  it('submits one fsync job of the AOF fd, counts it, marks and reports it', () => {
    const t = setup();
    aofBackgroundFsync(t.ctx);
    expect(t.tasks.queue).toEqual([{ kind: 'fsync', handle: t.ctx.state.aofFd }]);
    expect(t.ctx.state.statAofFsyncs).toBe(1);
    expect(t.log.marks.get('aof.bio-fsync.submit')).toBe(1);
    expect(t.events).toEqual([{ kind: 'bio-fsync-submitted' }]);
  });

  it('does nothing when the AOF is closed', () => {
    const t = setup();
    t.ctx.state.aofFd = null;
    aofBackgroundFsync(t.ctx);
    expect(t.tasks.queue).toEqual([]);
    expect(t.ctx.state.statAofFsyncs).toBe(0);
  });
});
