// The RDB lines of `INFO persistence` (redis 7.0.15 server.c genRedisInfoString, "Persistence":
// rdb_changes_since_last_save .. rdb_last_load_keys_loaded; 4.0.14 prints the first six only).
// Copy-on-write sizes are 0: aofsim's children share nothing with their parent's memory.

import { unixtimeS } from '../ports/clock.ts';
import { serverDirty, type RdbHost } from './rdb-host.ts';

/** `name:value` pairs in Redis's order. */
export function rdbInfoFields(host: RdbHost): [string, string | number][] {
  const r = host.rdb;
  const running = host.state.rdbChildPid !== -1;
  const fields: [string, string | number][] = [
    ['rdb_changes_since_last_save', serverDirty(host)],
    ['rdb_bgsave_in_progress', running ? 1 : 0],
    ['rdb_last_save_time', r.lastsaveS],
    ['rdb_last_bgsave_status', r.lastbgsaveStatus],
    ['rdb_last_bgsave_time_sec', r.rdbSaveTimeLastS],
    ['rdb_current_bgsave_time_sec', running ? unixtimeS(host.clock) - r.rdbSaveTimeStartS : -1],
  ];
  if (host.config.profile === 'redis-7.0') {
    fields.push(['rdb_saves', r.statRdbSaves]);
    fields.push(['rdb_last_cow_size', 0]);
    fields.push(['rdb_last_load_keys_expired', r.lastLoadKeysExpired]);
    fields.push(['rdb_last_load_keys_loaded', r.lastLoadKeysLoaded]);
  }
  return fields;
}
