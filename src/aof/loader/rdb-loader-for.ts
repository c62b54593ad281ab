// The loader's RDB hook on top of src/rdb: loads an RDB preamble / RDB BASE into `keyspace` (the
// one the executor works on). redis: aof.c loadSingleAppendOnlyFile -> rdbLoadRio with
// RDBFLAGS_AOF_PREAMBLE. A bad or short RDB, or one newer than opts.maxVersion, throws AofError AOF_RDB_CORRUPT (always fatal).

import type { Keyspace } from '../../keyspace/keyspace.ts';
import { loadRdbInto } from '../../rdb/load-rdb.ts';
import type { RdbPreambleLoader } from './types.ts';

export function rdbLoaderFor(keyspace: Keyspace): RdbPreambleLoader {
  return (bytes, file, opts) => loadRdbInto(keyspace, bytes, { file, maxVersion: opts?.maxVersion }).endOffset;
}
