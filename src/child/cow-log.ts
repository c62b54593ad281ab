// The line a fork child logs about its copy-on-write memory once its work succeeded.
// redis 7.0.15 server.c sendChildCowInfo -> childinfo.c sendChildInfoGeneric: "Fork CoW for %s:
// current %zu MB, peak %zu MB, average %llu MB" (notice; the final report is always logged), with
// %s "AOF rewrite" or "RDB". redis 4.0.14 aof.c / rdb.c: "AOF rewrite: %zu MB of memory used by
// copy-on-write" / "RDB: ..." when zmalloc_get_private_dirty(-1) is not 0.
// DIVERGENCE(redis): aofsim's child shares no pages with its parent (its snapshot is a copy, in the
// same process or sent over a pipe), so the figure is 0 MB. A real 4.0.14 child has always dirtied
// some pages of its own (its stack and heap) and logs "0 MB" for a small dataset: aofsim logs it too.

import type { Profile } from '../base/profile.ts';
import type { Log } from '../ports/log.ts';

export function logChildCow(log: Log, profile: Profile, what: 'AOF rewrite' | 'RDB'): void {
  if (profile === 'redis-7.0') log.log('notice', `Fork CoW for ${what}: current 0 MB, peak 0 MB, average 0 MB`);
  else log.log('notice', `${what}: 0 MB of memory used by copy-on-write`);
}
