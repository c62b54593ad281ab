// The AOF's background fsync: submitting the job and taking its outcome.
// redis: aof.c aof_background_fsync / aofFsyncInProgress, bio.c bioProcessBackgroundJobs
// (BIO_AOF_FSYNC and BIO_CLOSE_AOF, 6.2+ status handling, redis/redis#8347).
//
// The bio thread's atomics become a completion the server polls (Tasks.takeBioCompletions) and
// hands to handleAofBioCompletion. A failed fsync (other than EBADF/EINVAL, which mean the fd was
// already closed) sets aof_bio_fsync_status = ERR and logs once; a successful fsync or close-with-
// fsync sets it back to OK. With bug switch 'fsync-error-ignored' (4.0..6.0) errors are invisible.

import type { BioCompletion } from '../../ports/tasks.ts';
import type { AofContext } from '../state.ts';

/** redis: aofFsyncInProgress (bioPendingJobsOfType(BIO_AOF_FSYNC) != 0). */
export function aofFsyncInProgress(ctx: AofContext): boolean {
  return ctx.tasks.pendingBio('fsync') !== 0;
}

/** redis: aof_background_fsync. */
export function aofBackgroundFsync(ctx: AofContext): void {
  const fd = ctx.state.aofFd;
  if (fd === null) return;
  ctx.tasks.submitBio({ kind: 'fsync', handle: fd });
  ctx.state.statAofFsyncs++;
  ctx.log.mark('aof.bio-fsync.submit');
  ctx.events?.({ kind: 'bio-fsync-submitted' });
}

/** Applies one finished bio job to the AOF state (the bio thread's side effects). */
export function handleAofBioCompletion(ctx: AofContext, c: BioCompletion): void {
  const st = ctx.state;
  const kind = c.job.kind;
  if (kind === 'unlink') {
    if (c.error) ctx.log.log('warning', `Failed to remove file in background: ${c.error.strerror}`);
    return;
  }
  if (kind === 'close' && !c.job.fsync) return;
  const err = c.error;
  if (err !== null && err.code !== 'EBADF' && err.code !== 'EINVAL') {
    if (ctx.config.bugs.has('fsync-error-ignored')) {
      ctx.log.mark('aof.bio-fsync.error-ignored');
      return;
    }
    // FAULT: the bio fsync failed; writes are refused (MISCONF) until a later bio fsync succeeds.
    const last = st.aofBioFsyncStatus;
    st.aofBioFsyncStatus = 'err';
    st.aofBioFsyncErrno = err.code;
    if (last === 'ok') ctx.log.log('warning', `Fail to fsync the AOF file: ${err.strerror}`);
    ctx.log.mark('aof.bio-fsync.error');
    ctx.events?.({ kind: 'bio-fsync-error' });
  } else {
    st.aofBioFsyncStatus = 'ok';
  }
}
