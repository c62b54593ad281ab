import { describe, expect, it } from 'vitest';
import { MemoryLog } from '../../ports/log.ts';
import { makeTestAof } from '../../../testing/aof/writer-support.ts';
import { aofDiskErrorMessage } from './disk-error.ts';
import { dropAofBuf } from './drop-aof-buf.ts';

// The MISCONF decision (redis: server.c writeCommandsDeniedByDiskError) and the forgetting of a
// write error with the dropped aof_buf, state by state.

describe('aofDiskErrorMessage', () => {
  it('refuses nothing while the AOF is off, whatever failed before', () => {
    const t = makeTestAof();
    t.ctx.state.aofLastWriteStatus = 'err';
    t.ctx.state.aofBioFsyncStatus = 'err';
    t.ctx.state.aofState = 'off';
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBeNull();
    t.ctx.state.aofState = 'wait-rewrite';
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBe('MISCONF Errors writing to the AOF file: Input/output error');
  });

  it("a failed bio fsync refuses with its own errno, which becomes the last write's errno (7.0)", () => {
    const t = makeTestAof();
    t.ctx.state.aofBioFsyncStatus = 'err';
    t.ctx.state.aofBioFsyncErrno = 'ENOSPC';
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBe('MISCONF Errors writing to the AOF file: No space left on device');
    expect(t.ctx.state.aofLastWriteErrno).toBe('ENOSPC');
  });

  it('no error, no refusal', () => {
    const t = makeTestAof();
    expect(aofDiskErrorMessage(t.ctx.state, t.ctx.config)).toBeNull();
  });
});

describe('dropAofBuf', () => {
  it('empties the buffer; a write error of the dropped bytes is forgotten and marked', () => {
    const t = makeTestAof();
    const log = new MemoryLog();
    t.ctx.state.aofBuf = 'x';
    t.ctx.state.aofLastWriteStatus = 'err';
    dropAofBuf(t.ctx.state, t.ctx.config, log, 'rewrite.redis40.write-error-dropped');
    expect(t.ctx.state.aofBuf).toBe('');
    expect(t.ctx.state.aofLastWriteStatus).toBe('ok');
    expect([...log.marks]).toEqual([['rewrite.redis40.write-error-dropped', 1]]);
  });

  it('without a write error: nothing to forget, no mark', () => {
    const t = makeTestAof();
    const log = new MemoryLog();
    t.ctx.state.aofBuf = 'x';
    dropAofBuf(t.ctx.state, t.ctx.config, log, 'rewrite.redis40.write-error-dropped');
    expect(t.ctx.state.aofBuf).toBe('');
    expect(log.marks.size).toBe(0);
  });

  it("bug 'dropped-buffer-error-sticky': the error stays (Redis's behaviour)", () => {
    const t = makeTestAof({ bugs: new Set(['dropped-buffer-error-sticky']) });
    const log = new MemoryLog();
    t.ctx.state.aofLastWriteStatus = 'err';
    dropAofBuf(t.ctx.state, t.ctx.config, log, 'rewrite.redis40.write-error-dropped');
    expect(t.ctx.state.aofLastWriteStatus).toBe('err');
    expect(log.marks.size).toBe(0);
  });
});
