// Property: a multi-part AOF whose BASE holds data and whose last INCR is empty loads with status
// 'ok', every command applied, aof_current_size = the sum of the file sizes (docs/redis-behaviour.md#multi-part-load,
// docs/redis-bugs.md#bug-23). Body: sim/campaign/offline/empty-last-incr-loads.ts. The power test: with 'empty-last-incr' on
// (redis/redis#10295: the load reports AOF_EMPTY) the property must fail.

import { describeOfflineProperty } from './offline/describe-offline.ts';

// Every run fails with the switch on (the BASE always holds data).
describeOfflineProperty(
  'loader-empty-last-incr-loads',
  'a multi-part AOF whose last INCR is empty',
  'loads ok with every earlier command and the summed size',
  10,
);
