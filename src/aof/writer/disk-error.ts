// Whether writes are refused because the AOF cannot be written or fsynced, and the refusal text.
// redis: server.c writeCommandsDeniedByDiskError + writeCommandsGetDiskErrorMessage (7.0; 4.0 checks
// only aof_last_write_status) and processCommand's MISCONF branch.
//
// Invariant: returns non-null only while AOF is not OFF and the last write failed or the last bio
// fsync failed (6.2+, redis/redis#8347; off with bug switch 'fsync-error-ignored').

import { strerror } from '../../ports/fs.ts';
import type { AofState } from '../state.ts';
import type { AofConfig } from '../config.ts';

/** The MISCONF error text (without '-') when writes must be refused, else null. */
export function aofDiskErrorMessage(state: AofState, config: AofConfig): string | null {
  if (state.aofState === 'off') return null;
  if (state.aofLastWriteStatus === 'err') {
    return `MISCONF Errors writing to the AOF file: ${strerror(state.aofLastWriteErrno ?? 'EIO')}`;
  }
  if (state.aofBioFsyncStatus === 'err' && !config.bugs.has('fsync-error-ignored')) {
    // redis 7.0 copies aof_bio_fsync_errno into aof_last_write_errno here.
    state.aofLastWriteErrno = state.aofBioFsyncErrno;
    return `MISCONF Errors writing to the AOF file: ${strerror(state.aofBioFsyncErrno ?? 'EIO')}`;
  }
  return null;
}
