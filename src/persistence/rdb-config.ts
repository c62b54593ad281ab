// The RDB snapshot configuration of one server: the redis.conf directives rdb.c and serverCron read.
// redis 7.0.15 (and 4.0.14, same names and meaning): config.c `save` (server.saveparams),
// `dbfilename` (server.rdb_filename), `stop-writes-on-bgsave-error`, `rdbcompression`,
// `rdbchecksum`, `rdb-save-incremental-fsync`.
//
// The values live as text in the server's directive table (CONFIG GET answers them); this is their
// parsed form, rebuilt whenever one of them is set. Invariant: savePoints are the pairs exactly as
// given, in order (serverCron tries them in that order and starts at most one BGSAVE per tick).

/** redis: struct saveparam. */
export interface SavePoint {
  seconds: number;
  changes: number;
}

export interface RdbConfig {
  /** redis: server.saveparams; empty: no automatic snapshots (and no save at shutdown). */
  savePoints: SavePoint[];
  /** redis: server.rdb_filename (a path relative to `dir`). */
  dbfilename: string;
  /** redis: server.stop_writes_on_bgsave_err. */
  stopWritesOnBgsaveError: boolean;
  /** redis: server.rdb_compression (LZF for strings over 20 bytes). */
  rdbcompression: boolean;
  /** redis: server.rdb_checksum (checked when loading; written as 0 when off). */
  rdbchecksum: boolean;
  /** redis: server.rdb_save_incremental_fsync (fsync every REDIS_AUTOSYNC_BYTES while saving). */
  rdbSaveIncrementalFsync: boolean;
}

/** The directive names this config is read from. */
export const RDB_DIRECTIVES = ['save', 'dbfilename', 'stop-writes-on-bgsave-error', 'rdbcompression', 'rdbchecksum', 'rdb-save-incremental-fsync'] as const;

/** redis 7.0 config.c default of `save` (used by redis-server when no `save` line is given). */
export const REDIS_DEFAULT_SAVE = '3600 1 300 100 60 10000';

/** `save` as CONFIG GET prints it ("900 1 300 10") into save points; '' means none. */
export function parseSavePoints(text: string): SavePoint[] {
  if (text === '') return []; // the default, at every Server construction
  const words = text.split(' ').filter((w) => w !== '');
  const out: SavePoint[] = [];
  for (let i = 0; i + 1 < words.length; i += 2) out.push({ seconds: Number(words[i]), changes: Number(words[i + 1]) });
  return out;
}

/** A yes/no directive's value; `def` when it is not given. */
function yesNo(v: string | undefined, def: boolean): boolean {
  return v === undefined ? def : v === 'yes';
}

/** The config from directive values (name -> CONFIG GET text); a missing name takes its 7.0 default, `save` none. */
export function rdbConfigFrom(get: (name: string) => string | undefined): RdbConfig {
  return {
    savePoints: parseSavePoints(get('save') ?? ''),
    dbfilename: get('dbfilename') ?? 'dump.rdb',
    stopWritesOnBgsaveError: yesNo(get('stop-writes-on-bgsave-error'), true),
    rdbcompression: yesNo(get('rdbcompression'), true),
    rdbchecksum: yesNo(get('rdbchecksum'), true),
    rdbSaveIncrementalFsync: yesNo(get('rdb-save-incremental-fsync'), true),
  };
}
