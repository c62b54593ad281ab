// Dropping aof_buf in a rewrite's done handler (4.0: its bytes reached the new file through the
// rewrite buffer; 7.0: an enabling rewrite failed and its temp INCR is deleted).
//
// DIVERGENCE(redis): Redis drops the buffer but keeps aof_last_write_status. When a write of those
// bytes had failed, nothing is left to retry, so the error is never cleared and writes are refused
// (MISCONF) until appendonly no/yes (found by the campaign; the 7.x case reproduced on redis-server
// 7.0.15). aofsim forgets the error with the bytes; bug switch 'dropped-buffer-error-sticky' keeps it.

import type { AofConfig } from '../config.ts';
import type { AofState } from '../state.ts';
import type { CoverageMark, Log } from '../../ports/log.ts';

/** Empties aof_buf; `mark` is logged when a write error of the dropped bytes is forgotten. */
export function dropAofBuf(state: AofState, config: AofConfig, log: Log, mark: CoverageMark): void {
  state.aofBuf = '';
  if (state.aofLastWriteStatus === 'err' && !config.bugs.has('dropped-buffer-error-sticky')) {
    state.aofLastWriteStatus = 'ok';
    log.mark(mark);
  }
}
