// The AOF configuration of one server: every `redis.conf` key the AOF code reads, with the defaults
// of the selected profile (docs/redis-behaviour.md#config-defaults / 2.1; redis: config.c standardConfig table, 4.0 and 7.0).
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
// `bugs` names historical Redis bugs to reproduce on purpose (docs/redis-bugs.md). All off by default:
// with an empty set both profiles behave as fixed Redis does. The names are those of the registry
// in ./bugs.ts; unknown names are rejected so a typo in a scenario cannot silently test the fixed
// behaviour.
//
// Invariants (checked by resolveAofConfig): appendfilename/appenddirname hold no '/' or '\\'
// (redis: pathIsBaseName; '.' and '..' pass, as they do in Redis) and are not empty (7.0 only:
// isValidAOFfilename / isValidAOFdirname; 4.0.14 takes an empty appendfilename and fails to open it);
// hz ends in 1..500, taken as each profile's config file takes it (hzFromConfig); the rewrite
// percentage an int in 0..INT_MAX (redis: config.c's bounds); sizes integers, non-negative under 7.0
// (4.0.14's config file takes a negative auto-aof-rewrite-min-size).

import type { Profile } from '../base/profile.ts';
import { AofError } from '../base/errors.ts';
import { BUG_SWITCHES, isBugSwitch, type BugName } from './bugs.ts';
import { cStrtolString } from './check/c-strtol.ts';

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
  /** Historical-bug switches that are on (names from ./bugs.ts). */
  readonly bugs: ReadonlySet<BugName>;
}

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

/** The defaults of a profile (docs/redis-behaviour.md#config-defaults: 4.0 differs only by aof-use-rdb-preamble no). */
export function defaultAofConfig(profile: Profile = 'redis-4.0'): AofConfig {
  // Field by field, not `{ ...DEFAULTS, aofUseRdbPreamble }`: overriding a spread key takes V8's
  // slow path (~4 µs, paid by every Server). Same keys in the same order as that spread.
  const d = AOF_CONFIG_DEFAULTS_7_0;
  return {
    appendonly: d.appendonly,
    appendfsync: d.appendfsync,
    appendfilename: d.appendfilename,
    appenddirname: d.appenddirname,
    aofUseRdbPreamble: profile === 'redis-7.0',
    aofLoadTruncated: d.aofLoadTruncated,
    aofTimestampEnabled: d.aofTimestampEnabled,
    autoAofRewritePercentage: d.autoAofRewritePercentage,
    autoAofRewriteMinSizeBytes: d.autoAofRewriteMinSizeBytes,
    aofRewriteIncrementalFsync: d.aofRewriteIncrementalFsync,
    noAppendfsyncOnRewrite: d.noAppendfsyncOnRewrite,
    aofDisableAutoGc: d.aofDisableAutoGc,
    dir: d.dir,
    hz: d.hz,
    profile,
    bugs: new Set(),
  };
}

/**
 * Why `name` cannot be an appendfilename/appenddirname, or null (redis 7.0.15: isValidAOFfilename /
 * isValidAOFdirname, which refuse '' and what pathIsBaseName refuses: a '/' or '\\' anywhere; 4.0.14's
 * appendfilename directive checks pathIsBaseName only). '.' and '..' pass in both, as in Redis: 7.0
 * then names its files `..1.base.rdb`, or keeps them in the working directory or its parent; 4.0
 * fails to open the directory as its AOF (EISDIR).
 */
export function validateAofBaseName(key: 'appendfilename' | 'appenddirname', name: string, profile: Profile = 'redis-7.0'): string | null {
  // appenddirname is not a 4.0 directive; the field is unused there and checked as 7.0 does.
  if (name === '' && (profile === 'redis-7.0' || key === 'appenddirname')) return `${key} can't be empty`;
  if (name.includes('/') || name.includes('\\')) {
    return key === 'appendfilename' ? `appendfilename can't be a path, just a filename` : `appenddirname can't be a path, just a dirname`;
  }
  return null;
}

const INT_MAX = 2147483647;
/** redis: server.h CONFIG_MIN_HZ / CONFIG_MAX_HZ. */
const MIN_HZ = 1;
const MAX_HZ = 500;

/**
 * The hz a server started with `hz` keeps, or null when it refuses the value. Redis takes hz "as a
 * hint": what is in range of the directive is kept within MIN_HZ..MAX_HZ, not refused.
 * - 7.0 (redis 7.0.15: createIntConfig("hz", 0, INT_MAX), then loadServerConfigFromString's clamp):
 *   an integer in 0..INT_MAX, else refused;
 * - 4.0 (redis 4.0.14: loadServerConfigFromString `server.hz = atoi(argv[1])`, then the clamp):
 *   any text; atoi is (int)strtol, so the number's decimal text is read up to its first non-digit
 *   and wraps to 32 bits (2^31 -> INT_MIN -> 1; "2.5" -> 2; "NaN" -> 0 -> 1).
 */
export function hzFromConfig(hz: number, profile: Profile): number | null {
  let v: number;
  if (profile === 'redis-7.0') {
    if (!Number.isInteger(hz) || hz < 0 || hz > INT_MAX) return null;
    v = hz;
  } else {
    const r = cStrtolString(String(hz));
    v = Number(BigInt.asIntN(32, r.big ?? BigInt(r.value)));
  }
  return Math.min(MAX_HZ, Math.max(MIN_HZ, v));
}

/** What resolveAofConfig accepts: any subset of the config; bug switches as names to be checked. */
export type AofConfigInput = Partial<Omit<AofConfig, 'bugs'>> & { bugs?: Iterable<string> };

/**
 * The full config: the profile's defaults overridden by `partial`. Throws AofError AOF_CONFIG on
 * an invalid value or an unknown bug switch.
 */
export function resolveAofConfig(partial: AofConfigInput = {}): AofConfig {
  const profile = partial.profile ?? 'redis-4.0';
  if (profile !== 'redis-4.0' && profile !== 'redis-7.0') {
    throw new AofError('AOF_CONFIG', `unknown profile '${String(profile)}' (expected redis-4.0 or redis-7.0)`);
  }
  const cfg: AofConfig = defaultAofConfig(profile);
  const src = partial as Record<string, unknown>;
  for (const k in src) {
    const v = src[k];
    if (v !== undefined && Object.hasOwn(src, k)) (cfg as unknown as Record<string, unknown>)[k] = v;
  }
  // Scenario files give bug switches as a JSON array: accept any iterable of names.
  const bugs = new Set<BugName>();
  const unknownBugs: string[] = [];
  for (const b of partial.bugs ?? []) {
    if (isBugSwitch(b)) bugs.add(b);
    else unknownBugs.push(b);
  }
  (cfg as { bugs: ReadonlySet<BugName> }).bugs = bugs;
  const problems: string[] = [];
  const badFile = validateAofBaseName('appendfilename', cfg.appendfilename, profile);
  if (badFile) problems.push(badFile);
  const badDir = validateAofBaseName('appenddirname', cfg.appenddirname, profile);
  if (badDir) problems.push(badDir);
  if (cfg.appendfsync !== 'always' && cfg.appendfsync !== 'everysec' && cfg.appendfsync !== 'no') {
    problems.push(`appendfsync must be always, everysec or no, got '${String(cfg.appendfsync)}'`);
  }
  const hz = hzFromConfig(cfg.hz, profile);
  if (hz === null) problems.push(`hz must be an integer in 0..${INT_MAX}, got ${cfg.hz}`);
  else cfg.hz = hz;
  if (!Number.isInteger(cfg.autoAofRewritePercentage) || cfg.autoAofRewritePercentage < 0 || cfg.autoAofRewritePercentage > INT_MAX) {
    problems.push(`auto-aof-rewrite-percentage must be an integer in 0..${INT_MAX}, got ${cfg.autoAofRewritePercentage}`);
  }
  // 4.0.14's config file keeps a negative size (memtoll, no check): serverCron then finds every AOF past it.
  if (!Number.isInteger(cfg.autoAofRewriteMinSizeBytes) || (cfg.autoAofRewriteMinSizeBytes < 0 && profile === 'redis-7.0')) {
    problems.push(`auto-aof-rewrite-min-size must be a non-negative integer, got ${cfg.autoAofRewriteMinSizeBytes}`);
  }
  for (const b of unknownBugs) {
    problems.push(`unknown bug switch '${b}' (known: ${BUG_SWITCHES.map((x) => x.name).join(', ')})`);
  }
  if (problems.length > 0) throw new AofError('AOF_CONFIG', problems.join('; '));
  return cfg;
}
