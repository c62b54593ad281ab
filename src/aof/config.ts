// The AOF configuration of one server: every `redis.conf` key the AOF code reads, with the defaults
// of the selected profile (spec 1.0 / 2.1; redis: config.c standardConfig table, 4.0 and 7.0).
//
// Field <- redis config key (redis server.* field):
//   appendonly                <- appendonly (aof_enabled / aof_state)
//   appendfsync               <- appendfsync (aof_fsync)
//   appendfilename            <- appendfilename (aof_filename), immutable
//   appenddirname             <- appenddirname (aof_dirname), immutable, 7.0 only
//   aofUseRdbPreamble         <- aof-use-rdb-preamble (aof_use_rdb_preamble): 4.0 no, 5.0+/7.0 yes
//   aofLoadTruncated          <- aof-load-truncated (aof_load_truncated)
//   aofTimestampEnabled       <- aof-timestamp-enabled (aof_timestamp_enabled), 7.0 only
//   autoAofRewritePercentage  <- auto-aof-rewrite-percentage (aof_rewrite_perc)
//   autoAofRewriteMinSizeBytes<- auto-aof-rewrite-min-size (aof_rewrite_min_size)
//   aofRewriteIncrementalFsync<- aof-rewrite-incremental-fsync (aof_rewrite_incremental_fsync)
//   noAppendfsyncOnRewrite    <- no-appendfsync-on-rewrite (aof_no_fsync_on_rewrite)
//   aofDisableAutoGc          <- aof-disable-auto-gc (aof_disable_auto_gc), hidden, 7.0 only
//   dir                       <- dir (the working directory every AOF path is relative to)
//   hz                        <- hz (serverCron frequency)
//
// `bugs` names historical Redis bugs to reproduce on purpose (spec section 4). All off by default:
// with an empty set both profiles behave as fixed Redis does. KNOWN_BUG_SWITCHES lists the names
// the code understands; unknown names are rejected so a typo in a scenario cannot silently test
// the fixed behaviour.
//
// Invariants (checked by resolveAofConfig): appendfilename/appenddirname are plain base names;
// hz in 1..500; percentages and sizes are non-negative integers.

import type { Profile } from '../commands/types.ts';
import { AofError } from './errors.ts';

export type AppendFsync = 'always' | 'everysec' | 'no';

export interface AofConfig {
  /** Which generation of Redis AOF to behave as. Fixed for the life of a server. */
  readonly profile: Profile;
  appendonly: boolean;
  appendfsync: AppendFsync;
  readonly appendfilename: string;
  readonly appenddirname: string;
  aofUseRdbPreamble: boolean;
  aofLoadTruncated: boolean;
  aofTimestampEnabled: boolean;
  autoAofRewritePercentage: number;
  autoAofRewriteMinSizeBytes: number;
  aofRewriteIncrementalFsync: boolean;
  noAppendfsyncOnRewrite: boolean;
  aofDisableAutoGc: boolean;
  /** The server's working directory (redis: chdir(dir)); AOF paths are joined to it. */
  readonly dir: string;
  hz: number;
  /** Historical-bug switches that are on (see KNOWN_BUG_SWITCHES). */
  readonly bugs: ReadonlySet<string>;
}

/**
 * Bug switches, by owner. Each restores one historical Redis behaviour (spec section 4 numbers).
 * Other modules add their names here when they implement one.
 */
export const KNOWN_BUG_SWITCHES: Readonly<Record<string, string>> = {
  // writer (flushAppendOnlyFile)
  'no-tail-fsync': 'bug 2 (redis#5985): everysec never fsyncs the tail when writes stop within 1 s (4.0 empty-buffer return)',
  'no-ftruncate-short-write': 'bug 5 (redis#587): a short write is left in the file instead of being ftruncated away',
  'fsync-error-ignored': 'bug 1 (redis#8111): fsync errors are ignored (always acks unsynced writes; bio fsync errors invisible)',
  'errno-only-when-logged': 'bug 5 (redis#10917): aof_last_write_errno only recorded when the rate-limited log line is printed',
  'write-error-sticky-on-reenable': 'bug 21 (redis#8030): appendonly no/yes does not clear a write error: writes denied forever',
  // rewrite (H6b) and loader (H1) switches
  'multi-tail-truncate': 'bug 7/22: a short read inside a MULTI block truncates only the partial record',
  'rewrite-buffer-not-reset': 'bug 17: the rewrite buffer is not reset after the child exits',
  'rewrite-after-short-write': 'bug 6 (redis#14372): a rewrite right after a short write puts the rest of the buffer in the next INCR',
  'no-dir-fsync': 'bug 4 (redis#3487): the manifest/rewrite rename is not followed by a directory fsync',
  'done-handler-fsync-reset': 'bug 3 (redis#11973): the done handler resets the fsync bookkeeping (missed fsync)',
  'old-incr-not-fsynced': 'bug 3 (redis#11004): the old INCR is closed without fsync when switching to a new INCR',
  'temp-incr-in-manifest': 'bug 11 (redis#10616): enabling AOF at runtime lists the temp INCR in the manifest before any BASE',
  'incrbyfloat-drops-ttl': 'bug 13 (redis#5256): INCRBYFLOAT propagated as plain SET (drops the TTL on reload)',
  'relative-ttl': 'bug 14 (redis#8433): relative TTLs written to the AOF',
  'truncated-rdb-as-short-read': 'bug 9 (redis#11042): a truncated RDB base/preamble is treated as a truncated tail',
  'empty-last-incr': 'bug 23 (redis#10295): an empty last INCR makes the load report AOF_EMPTY',
  'rewrite-skips-expired': 'bug 15 (ba92b517b): the rewrite skips keys already expired in the child',
};

export const AOF_CONFIG_DEFAULTS_7_0: Omit<AofConfig, 'profile' | 'bugs'> = {
  appendonly: false,
  appendfsync: 'everysec',
  appendfilename: 'appendonly.aof',
  appenddirname: 'appendonlydir',
  aofUseRdbPreamble: true,
  aofLoadTruncated: true,
  aofTimestampEnabled: false,
  autoAofRewritePercentage: 100,
  autoAofRewriteMinSizeBytes: 64 * 1024 * 1024,
  aofRewriteIncrementalFsync: true,
  noAppendfsyncOnRewrite: false,
  aofDisableAutoGc: false,
  dir: '.',
  hz: 10,
};

/** The defaults of a profile (spec 1.0: 4.0 differs only by aof-use-rdb-preamble no). */
export function defaultAofConfig(profile: Profile = 'redis-4.0'): AofConfig {
  return {
    ...AOF_CONFIG_DEFAULTS_7_0,
    profile,
    aofUseRdbPreamble: profile === 'redis-7.0',
    bugs: new Set(),
  };
}

/** A base name as Redis requires for appendfilename/appenddirname (redis: isValidAOFfilename/dirname). */
export function validateAofBaseName(key: 'appendfilename' | 'appenddirname', name: string): string | null {
  if (name === '') return `${key} can't be empty`;
  if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    return key === 'appendfilename' ? `appendfilename can't be a path, just a filename` : `appenddirname can't be a path, just a dirname`;
  }
  return null;
}

/**
 * The full config: the profile's defaults overridden by `partial`. Throws AofError AOF_CONFIG on
 * an invalid value or an unknown bug switch.
 */
export function resolveAofConfig(partial: Partial<AofConfig> = {}): AofConfig {
  const profile = partial.profile ?? 'redis-4.0';
  if (profile !== 'redis-4.0' && profile !== 'redis-7.0') {
    throw new AofError('AOF_CONFIG', `unknown profile '${String(profile)}' (expected redis-4.0 or redis-7.0)`);
  }
  const defaults = defaultAofConfig(profile);
  const cfg: AofConfig = { ...defaults };
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v;
  }
  const problems: string[] = [];
  for (const key of ['appendfilename', 'appenddirname'] as const) {
    const p = validateAofBaseName(key, cfg[key]);
    if (p) problems.push(p);
  }
  if (!['always', 'everysec', 'no'].includes(cfg.appendfsync)) {
    problems.push(`appendfsync must be always, everysec or no, got '${String(cfg.appendfsync)}'`);
  }
  if (!Number.isInteger(cfg.hz) || cfg.hz < 1 || cfg.hz > 500) problems.push(`hz must be an integer in 1..500, got ${cfg.hz}`);
  if (!Number.isInteger(cfg.autoAofRewritePercentage) || cfg.autoAofRewritePercentage < 0) {
    problems.push(`auto-aof-rewrite-percentage must be a non-negative integer, got ${cfg.autoAofRewritePercentage}`);
  }
  if (!Number.isInteger(cfg.autoAofRewriteMinSizeBytes) || cfg.autoAofRewriteMinSizeBytes < 0) {
    problems.push(`auto-aof-rewrite-min-size must be a non-negative integer, got ${cfg.autoAofRewriteMinSizeBytes}`);
  }
  for (const b of cfg.bugs) {
    if (!(b in KNOWN_BUG_SWITCHES)) {
      problems.push(`unknown bug switch '${b}' (known: ${Object.keys(KNOWN_BUG_SWITCHES).join(', ')})`);
    }
  }
  if (problems.length > 0) throw new AofError('AOF_CONFIG', problems.join('; '));
  return cfg;
}

/** True when the named historical bug is switched on. */
export function bugOn(cfg: Pick<AofConfig, 'bugs'>, name: string): boolean {
  return cfg.bugs.has(name);
}
