// The end of every background rewrite, whichever generation and whatever its outcome.
// redis: aof.c backgroundRewriteDoneHandler's `cleanup:` tail (4.0 and 7.0 alike): no child any
// more, the duration of the last rewrite for INFO, and another rewrite scheduled while the AOF is
// still waiting for its first one (WAIT_REWRITE).

import type { RewriteHost } from './rewrite-host.ts';

export function finishRewriteCleanup(host: RewriteHost): void {
  const s = host.state;
  s.aofChildPid = -1;
  s.statCurrentSaveKeysTotal = 0;
  const now = host.clock.nowMs();
  s.aofRewriteTimeLastMs = s.aofRewriteTimeStartMs === -1 ? -1 : now - s.aofRewriteTimeStartMs;
  s.aofRewriteTimeStartMs = -1;
  if (s.aofState === 'wait-rewrite') s.aofRewriteScheduled = true;
}
