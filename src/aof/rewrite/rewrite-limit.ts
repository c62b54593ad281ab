// The 7.x back-off for failing automatic rewrites. redis: aof.c aofRewriteLimited (7.0,
// redis/redis#10582 + #9788): below 3 consecutive failures no limit (and the back-off resets); at 3
// or more, each time the limit triggers the next attempt is delayed 1, 2, 4 ... up to 60 minutes,
// logging "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in %d
// minutes". Used by serverCron's automatic and scheduled rewrites; an explicit BGREWRITEAOF does not
// consult it (and a scheduled BGREWRITEAOF resets the failure counter).
// The function-level statics live in AofState (aofRewriteLimitDelayMinutes, aofRewriteLimitNextTimeS).

import { unixtimeS } from '../../ports/clock.ts';
import type { RewriteHost } from './rewrite-host.ts';

export const AOF_REWRITE_LIMITE_THRESHOLD = 3;
export const AOF_REWRITE_LIMITE_MAX_MINUTES = 60;

/** True when an automatic rewrite must not start now. */
export function aofRewriteLimited(host: Pick<RewriteHost, 'state' | 'clock' | 'log'>): boolean {
  const s = host.state;
  if (s.statAofrwConsecutiveFailures < AOF_REWRITE_LIMITE_THRESHOLD) {
    s.aofRewriteLimitDelayMinutes = 0;
    s.aofRewriteLimitNextTimeS = 0;
    return false;
  }
  const now = unixtimeS(host.clock);
  if (s.aofRewriteLimitNextTimeS !== 0) {
    if (now < s.aofRewriteLimitNextTimeS) return true;
    s.aofRewriteLimitNextTimeS = 0;
    return false;
  }
  const next = s.aofRewriteLimitDelayMinutes === 0 ? 1 : s.aofRewriteLimitDelayMinutes * 2;
  s.aofRewriteLimitDelayMinutes = Math.min(next, AOF_REWRITE_LIMITE_MAX_MINUTES);
  s.aofRewriteLimitNextTimeS = now + s.aofRewriteLimitDelayMinutes * 60;
  host.log.mark('rewrite.redis70.limited');
  host.log.log(
    'warning',
    `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${s.aofRewriteLimitDelayMinutes} minutes`,
  );
  return true;
}
