// What the RDB snapshot code needs from its server: the rewrite host (config, AOF state with the
// children's pids, keyspace, ports) plus the RDB state and config and server.dirty.
// src/server.ts builds one; src/persistence/* functions take it as first argument.

import type { RewriteHost } from '../aof/rewrite/rewrite-host.ts';
import type { RdbConfig } from './rdb-config.ts';
import type { RdbState } from './rdb-state.ts';

export interface RdbHost extends RewriteHost {
  readonly rdb: RdbState;
  /** Updated in place when CONFIG SET changes one of its directives. */
  readonly rdbConfig: RdbConfig;
  /** The executor's running dirty total (server.dirty is this minus rdb.dirtyBase). */
  totalDirty(): number;
}

/** redis: server.dirty. */
export function serverDirty(host: RdbHost): number {
  return host.totalDirty() - host.rdb.dirtyBase;
}
