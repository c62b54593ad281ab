import { describe, expect, it } from 'vitest';
import { isProcessExit } from '../../base/process-exit.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { flushAppendOnlyFile } from './flush-append-only-file.ts';
import { handleAofBioCompletion } from './bio-fsync.ts';
import { aofDiskErrorMessage } from './disk-error.ts';
import { makeTestAof } from '../../../testing/aof/writer-support.ts';

const A = encodeCommand(['SET', 'a', '1']); // 27 bytes
const B = encodeCommand(['SET', 'b', '2']);
const PATH = '/data/appendonly.aof';

function pollBio(t: ReturnType<typeof makeTestAof>): void {
  t.tasks.runBio();
  for (const c of t.tasks.takeBioCompletions()) handleAofBioCompletion(t.ctx, c);
}

describe('flushAppendOnlyFile: fsync policies', () => {
  it('always: writes then fdatasyncs on every flush, before returning', () => {
    const t = makeTestAof({ appendfsync: 'always' });
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    t.ctx.state.aofBuf = B;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.calls).toEqual([`write ${PATH} 27`, `fdatasync ${PATH}`, `write ${PATH} 27`, `fdatasync ${PATH}`]);
    expect(t.fs.text(PATH)).toBe(A + B);
    expect(t.ctx.state.aofBuf).toBe('');
    expect(t.ctx.state.aofCurrentSize).toBe(54);
    expect(t.ctx.state.aofFsyncOffset).toBe(54);
  });

  it('no: writes, never fsyncs', () => {
    const t = makeTestAof({ appendfsync: 'no' });
    for (let i = 0; i < 3; i++) {
      t.ctx.state.aofBuf = A;
      flushAppendOnlyFile(t.ctx, false);
      t.clock.advance(1500);
    }
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.calls.filter((c) => c.startsWith('fdatasync'))).toEqual([]);
    expect(t.tasks.queue).toEqual([]);
    expect(t.ctx.state.aofCurrentSize).toBe(81);
  });

  it('everysec: a bio fsync once the second changed, none within the same second', () => {
    const t = makeTestAof({ appendfsync: 'everysec' });
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.tasks.queue.length).toBe(0); // same second as aof_last_fsync
    t.clock.advance(1000);
    t.ctx.state.aofBuf = B;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.tasks.queue.map((j) => j.kind)).toEqual(['fsync']);
    expect(t.ctx.state.aofFsyncOffset).toBe(54);
    expect(t.fs.calls.filter((c) => c.startsWith('fdatasync'))).toEqual([]); // only in bio
    pollBio(t);
    expect(t.fs.calls).toContain(`fdatasync ${PATH}`);
  });

  it('everysec: postpones while a bio fsync is pending, up to 2 s, then writes and counts aof_delayed_fsync', () => {
    const t = makeTestAof({ appendfsync: 'everysec' });
    t.clock.advance(1000);
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false); // submits a bio fsync that stays pending
    expect(t.tasks.pendingBio('fsync')).toBe(1);
    t.ctx.state.aofBuf = B;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.ctx.state.aofFlushPostponedStartS).toBeGreaterThan(0);
    expect(t.ctx.state.aofBuf).toBe(B);
    t.clock.advance(1000);
    flushAppendOnlyFile(t.ctx, false); // 1 s into the window: still postponed
    expect(t.ctx.state.aofBuf).toBe(B);
    expect(t.ctx.state.aofDelayedFsync).toBe(0);
    t.clock.advance(1000);
    flushAppendOnlyFile(t.ctx, false); // 2 s: write anyway
    expect(t.ctx.state.aofBuf).toBe('');
    expect(t.ctx.state.aofDelayedFsync).toBe(1);
    expect(t.ctx.state.aofFlushPostponedStartS).toBe(0);
    expect(t.log.has('Asynchronous AOF fsync is taking too long (disk is busy?)')).toBe(true);
    expect(t.tasks.pendingBio('fsync')).toBe(1); // no second job while one is pending
    expect(t.fs.text(PATH)).toBe(A + B);
  });

  it('everysec: force writes at once even while a bio fsync is pending', () => {
    const t = makeTestAof({ appendfsync: 'everysec' });
    t.clock.advance(1000);
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    t.ctx.state.aofBuf = B;
    flushAppendOnlyFile(t.ctx, true);
    expect(t.ctx.state.aofBuf).toBe('');
    expect(t.ctx.state.aofDelayedFsync).toBe(0);
  });

  it('no-appendfsync-on-rewrite: no fsync while a child exists', () => {
    const t = makeTestAof({ appendfsync: 'always', noAppendfsyncOnRewrite: true });
    t.ctx.state.aofChildPid = 42;
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.calls).toEqual([`write ${PATH} 27`]);
    t.ctx.state.aofChildPid = -1;
    flushAppendOnlyFile(t.ctx, false); // empty buffer, always: the lagging tail is fsynced now
    expect(t.fs.calls).toEqual([`write ${PATH} 27`, `fdatasync ${PATH}`]);
  });
});

describe('flushAppendOnlyFile: tail fsync (docs/redis-bugs.md#bug-2)', () => {
  function scenario(bugs: string[]) {
    const t = makeTestAof({ appendfsync: 'everysec', bugs: new Set(bugs) });
    t.clock.ms = Math.floor(t.clock.ms / 1000) * 1000 + 1000; // t=0 at a second boundary
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false); // write at t=0: bio fsync
    pollBio(t);
    t.clock.advance(500);
    t.ctx.state.aofBuf = B;
    flushAppendOnlyFile(t.ctx, false); // write at t=0.5 s: same second, no fsync
    for (let i = 0; i < 25; i++) {
      t.clock.advance(100);
      flushAppendOnlyFile(t.ctx, false); // beforeSleep/cron ticks with nothing to write
      pollBio(t);
    }
    return t;
  }
  it('fixed: the tail is fsynced once the second changes', () => {
    const t = scenario([]);
    expect(t.fs.calls.filter((c) => c.startsWith('fdatasync')).length).toBe(2);
    expect(t.ctx.state.aofFsyncOffset).toBe(54);
    expect(t.log.marks.get('aof.flush.tail-fsync')).toBe(1);
  });
  it("bug 'no-tail-fsync': the second write is never fsynced", () => {
    const t = scenario(['no-tail-fsync']);
    expect(t.fs.calls.filter((c) => c.startsWith('fdatasync')).length).toBe(1);
    expect(t.ctx.state.aofFsyncOffset).toBe(27);
  });
});

describe('flushAppendOnlyFile: switching everysec -> always (7.x empty-buffer path)', () => {
  it('the unsynced tail is fsynced by the next flush once the policy is always', () => {
    const t = makeTestAof({ appendfsync: 'everysec' });
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false); // same second: written, not fsynced
    expect(t.fs.calls).toEqual([`write ${PATH} 27`]);
    t.ctx.config.appendfsync = 'always';
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.calls).toEqual([`write ${PATH} 27`, `fdatasync ${PATH}`]);
    flushAppendOnlyFile(t.ctx, false); // nothing lags any more
    expect(t.fs.calls.length).toBe(2);
  });
});

describe('flushAppendOnlyFile: write errors', () => {
  it('short write: ftruncate back, ENOSPC, MISCONF, buffer kept; a later success recovers', () => {
    const t = makeTestAof({ appendfsync: 'everysec' });
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    t.fs.script.writes.push(10, 'ENOSPC');
    t.ctx.state.aofBuf = B;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.calls.slice(-3)).toEqual([`write ${PATH} 27 fault=10`, `write ${PATH} 17 fault=ENOSPC`, `ftruncate ${PATH} 27`]);
    expect(t.fs.text(PATH)).toBe(A);
    expect(t.ctx.state.aofLastWriteStatus).toBe('err');
    expect(t.ctx.state.aofLastWriteErrno).toBe('ENOSPC');
    expect(t.ctx.state.aofBuf).toBe(B);
    expect(t.ctx.state.aofCurrentSize).toBe(27);
    expect(t.log.has('Short write while writing to the AOF file: (nwritten=10, expected=27)')).toBe(true);
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBe('MISCONF Errors writing to the AOF file: No space left on device');
    flushAppendOnlyFile(t.ctx, false); // space is back
    expect(t.fs.text(PATH)).toBe(A + B);
    expect(t.ctx.state.aofLastWriteStatus).toBe('ok');
    expect(t.log.has('AOF write error looks solved, Redis can write again.')).toBe(true);
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBeNull();
  });

  it('ENOSPC with nothing written: errno recorded, nothing to truncate', () => {
    const t = makeTestAof({ appendfsync: 'no' });
    t.fs.script.writes.push('ENOSPC');
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.log.has('Error writing to the AOF file: No space left on device')).toBe(true);
    expect(t.fs.calls.some((c) => c.startsWith('ftruncate'))).toBe(false);
    expect(t.ctx.state.aofBuf).toBe(A);
    expect(t.ctx.state.aofLastWriteErrno).toBe('ENOSPC');
  });

  it('ftruncate failing: the partial bytes stay, the buffer drops them, sizes count them', () => {
    const t = makeTestAof({ appendfsync: 'everysec' });
    t.fs.script.writes.push(10, 'ENOSPC');
    t.fs.script.truncates.push('EIO');
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.log.has('Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: Input/output error')).toBe(true);
    expect(t.ctx.state.aofCurrentSize).toBe(10);
    expect(t.ctx.state.aofBuf).toBe(A.slice(10));
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.text(PATH)).toBe(A); // the continuation completes the record
  });

  it("bug 'no-ftruncate-short-write': the partial record stays and the whole buffer is written again", () => {
    const t = makeTestAof({ appendfsync: 'everysec', bugs: new Set(['no-ftruncate-short-write']) });
    t.fs.script.writes.push(10, 'ENOSPC');
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.text(PATH)).toBe(A.slice(0, 10) + A);
  });

  it('logs write errors at most once per 30 s, but records every errno', () => {
    const t = makeTestAof({ appendfsync: 'no' });
    t.fs.script.writes.push('ENOSPC', 'EIO');
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    t.clock.advance(1000);
    flushAppendOnlyFile(t.ctx, false);
    expect(t.log.lines.filter((l) => l.message.startsWith('Error writing')).length).toBe(1);
    expect(t.ctx.state.aofLastWriteErrno).toBe('EIO');
    t.fs.script.writes.push('ENOSPC');
    t.clock.advance(30_000);
    flushAppendOnlyFile(t.ctx, false);
    expect(t.log.lines.filter((l) => l.message.startsWith('Error writing')).length).toBe(2);
  });

  it('always + short write: ftruncate, then the process exits without fsync', () => {
    const t = makeTestAof({ appendfsync: 'always' });
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    t.fs.script.writes.push(5, 'ENOSPC');
    t.ctx.state.aofBuf = B;
    let err: unknown;
    try {
      flushAppendOnlyFile(t.ctx, false);
    } catch (e) {
      err = e;
    }
    expect(isProcessExit(err)).toBe(true);
    expect(t.fs.text(PATH)).toBe(A);
    expect(t.log.has("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")).toBe(true);
    expect(t.fs.calls.at(-1)).toBe(`ftruncate ${PATH} 27`);
  });

  it('always + fsync EIO exits (6.2+); bug fsync-error-ignored carries on', () => {
    const t = makeTestAof({ appendfsync: 'always' });
    t.fs.script.fsyncs.push('EIO');
    t.ctx.state.aofBuf = A;
    expect(() => flushAppendOnlyFile(t.ctx, false)).toThrow(/fsync error/);
    expect(t.log.has("Can't persist AOF for fsync error when the AOF fsync policy is 'always': Input/output error. Exiting...")).toBe(true);

    const u = makeTestAof({ appendfsync: 'always', bugs: new Set(['fsync-error-ignored']) });
    u.fs.script.fsyncs.push('EIO');
    u.ctx.state.aofBuf = A;
    flushAppendOnlyFile(u.ctx, false);
    expect(u.ctx.state.aofFsyncOffset).toBe(27);
  });
});

describe('bio fsync failures (docs/redis-bugs.md#bug-1)', () => {
  it('a failed bio fsync refuses writes until a later bio fsync succeeds', () => {
    const t = makeTestAof({ appendfsync: 'everysec' });
    t.clock.advance(1000);
    t.fs.script.fsyncs.push('EIO');
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    pollBio(t);
    expect(t.ctx.state.aofBioFsyncStatus).toBe('err');
    expect(t.log.has('Fail to fsync the AOF file: Input/output error')).toBe(true);
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBe('MISCONF Errors writing to the AOF file: Input/output error');
    t.clock.advance(1000);
    t.ctx.state.aofBuf = B; // e.g. an active-expiry DEL
    flushAppendOnlyFile(t.ctx, false);
    pollBio(t);
    expect(t.ctx.state.aofBioFsyncStatus).toBe('ok');
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBeNull();
  });

  it("bug 'fsync-error-ignored': bio fsync errors are invisible", () => {
    const t = makeTestAof({ appendfsync: 'everysec', bugs: new Set(['fsync-error-ignored']) });
    t.clock.advance(1000);
    t.fs.script.fsyncs.push('EIO');
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    pollBio(t);
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBeNull();
  });
});

describe('redis-7.0 per-INCR counters', () => {
  it('short write truncates back to aof_last_incr_size; fsync offset follows the INCR', () => {
    const t = makeTestAof({ profile: 'redis-7.0', appendfsync: 'always' }, '/data/appendonlydir/appendonly.aof.1.incr.aof');
    t.ctx.state.aofCurrentSize = 1000; // BASE size counts in aof_current_size, not in the INCR
    t.ctx.state.aofBuf = A;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.ctx.state.aofLastIncrSize).toBe(27);
    expect(t.ctx.state.aofLastIncrFsyncOffset).toBe(27);
    expect(t.ctx.state.aofCurrentSize).toBe(1027);
    t.ctx.config.appendfsync = 'everysec';
    t.fs.script.writes.push(3, 'ENOSPC');
    t.ctx.state.aofBuf = B;
    flushAppendOnlyFile(t.ctx, false);
    expect(t.fs.calls.at(-1)).toBe('ftruncate /data/appendonlydir/appendonly.aof.1.incr.aof 27');
  });
});
