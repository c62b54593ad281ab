// The runtime RDB state of one server: Redis's `server.*` fields for snapshots (redis: server.h
// struct redisServer, 7.0.15: dirty, dirty_before_bgsave, lastsave, lastbgsave_try,
// lastbgsave_status, rdb_save_time_start/last, rdb_bgsave_scheduled, stat_rdb_saves,
// rdb_last_load_keys_loaded/expired). The child's pid is AofState.rdbChildPid (hasActiveChild reads
// both children there).
//
// `server.dirty` is not stored: it is the executor's running dirty total minus `dirtyBase`, so a
// save "resets" it by moving the base (redis: server.dirty = 0 / -= dirty_before_bgsave).
// Times are unixtime seconds (`S`), as Redis compares them.

import type { OkErr } from '../aof/state.ts';

export interface RdbState {
  /** The executor's dirty total at which server.dirty reads 0. */
  dirtyBase: number;
  /** redis: dirty_before_bgsave (server.dirty when the running BGSAVE forked). */
  dirtyBeforeBgsave: number;
  /** redis: lastsave (unixtime of the last successful save). */
  lastsaveS: number;
  /** redis: lastbgsave_try (unixtime of the last BGSAVE attempt; 0 = never). */
  lastbgsaveTryS: number;
  /** redis: lastbgsave_status (also set by SAVE). */
  lastbgsaveStatus: OkErr;
  /** redis: rdb_save_time_start (-1 = no BGSAVE running). */
  rdbSaveTimeStartS: number;
  /** redis: rdb_save_time_last (-1 = none yet). */
  rdbSaveTimeLastS: number;
  /** redis: rdb_bgsave_scheduled. */
  bgsaveScheduled: boolean;
  /** redis: stat_rdb_saves (SAVE and BGSAVE attempts). */
  statRdbSaves: number;
  /** BGSAVE children forked (their part of redis's stat_total_forks). */
  statRdbForks: number;
  /** redis: rdb_last_load_keys_loaded. */
  lastLoadKeysLoaded: number;
  /** redis: rdb_last_load_keys_expired. */
  lastLoadKeysExpired: number;
}

/** redis: initServerConfig / initServer (lastsave = time(NULL) at startup). */
export function newRdbState(nowS: number): RdbState {
  return {
    dirtyBase: 0,
    dirtyBeforeBgsave: 0,
    lastsaveS: nowS,
    lastbgsaveTryS: 0,
    lastbgsaveStatus: 'ok',
    rdbSaveTimeStartS: -1,
    rdbSaveTimeLastS: -1,
    bgsaveScheduled: false,
    statRdbSaves: 0,
    statRdbForks: 0,
    lastLoadKeysLoaded: 0,
    lastLoadKeysExpired: 0,
  };
}
