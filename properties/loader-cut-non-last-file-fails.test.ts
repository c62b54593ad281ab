// Property: in a multi-part AOF (BASE + INCRs + manifest) a non-last file cut short makes the load
// fail with AOF_NOT_LAST_FILE and leaves every file byte-identical (modify: true), so loading twice
// gives the same outcome (docs/redis-behaviour.md#load-byte-rules, docs/redis-bugs.md#bug-10). Body: sim/campaign/offline/cut-non-last-file-fails.ts.
// The power test: with 'truncate-non-last-file' on (Redis 7.0 truncates the file before failing)
// the property must fail.

import { describeOfflineProperty } from './offline/describe-offline.ts';

// Seed 1 fails at the first run; over seeds 1..20 at most 3.
describeOfflineProperty(
  'loader-cut-non-last-file-fails',
  'a multi-part AOF with a non-last file cut short',
  'fails to load and leaves every file byte-identical; a second load gives the same outcome',
  30,
);
