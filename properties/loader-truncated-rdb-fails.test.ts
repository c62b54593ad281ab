// Property: an AOF file whose RDB part is cut short (4.0/7.0 RDB preamble, 7.0 RDB BASE, last file or
// not) fails to load with the RDB error even with aof-load-truncated yes, and every file is left
// byte-identical (docs/redis-behaviour.md#base-format, docs/redis-bugs.md#bug-9). Body: sim/campaign/offline/truncated-rdb-fails.ts.
// The power test: with 'truncated-rdb-as-short-read' on (Redis 7.0.x takes the RDB failure for a
// short read, truncates to 0 and loads) the property must fail.

import { describeOfflineProperty } from './offline/describe-offline.ts';

// Seed 1 fails at the first run; over seeds 1..20 at most 4.
describeOfflineProperty(
  'loader-truncated-rdb-fails',
  'an AOF file with its RDB part cut short',
  'fails to load with the RDB error and leaves every file byte-identical',
  30,
);
