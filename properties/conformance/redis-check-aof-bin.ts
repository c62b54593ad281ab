// The real redis-check-aof 7.0 of the model conformance suites (check-aof-model-vs-redis,
// manifest-model-vs-redis): its path (AOFSIM_REDIS_CHECK_AOF, else /usr/bin) and whether to skip
// (loudly; never with AOFSIM_REQUIRE_REDIS=1).

import { dirname, join } from 'node:path';
import { skipLoudly, subjectMissing } from '../../sim/subjects/real-availability.ts';

export const CHECK_AOF_BIN = process.env.AOFSIM_REDIS_CHECK_AOF ?? '/usr/bin/redis-check-aof';

/** True when `suite` must be skipped. redis-check-aof 7.0 has no --version: it is redis-server under another name, so its sibling is asked. */
export function skipWithoutCheckAof(suite: string): boolean {
  return skipLoudly(
    suite,
    subjectMissing(join(dirname(CHECK_AOF_BIN), 'redis-server'), /v=7\.0\./, 'redis-server 7.0 (beside redis-check-aof)'),
  );
}
