// The directives of redis-server 4.0.14 that aofsim does not model, as its CONFIG GET lists them,
// its CONFIG SET takes them and its config file reads them (redis 4.0.14: config.c
// configGetCommand's fixed sequence of config_get_*_field calls and special fields,
// configSetCommand's config_set_* else-if chain, loadServerConfigFromString's directives;
// util.c memtoll / string2ll / pathIsBaseName; notify.c keyspaceEventsStringToFlags /
// keyspaceEventsFlagsToString; replication.c resizeReplicationBacklog; debug.c enableWatchdog).
// Used by the redis-4.0 profile of src/server.ts (CONFIG GET/SET) and of
// cli/commands/serve-config.ts (a config file under `aofsim-profile redis-4.0`).
//
// Invariants: DIRECTIVES_40 is data, in configGetCommand's order (the AOF keys aofsim models sit
// in their places and are answered by src/aof/config-keys.ts); a value is kept as the text 4.0.14's
// CONFIG GET prints, under the directive's 7.0 canonical name (storeKey: slave-priority ->
// replica-priority), so the code reading the 7.0 names (RDB and encoding settings) reads either
// profile's values. A numeric value is what the C field of its type holds after the assignment
// (an `int` keeps the low 32 bits of the long long, a `size_t` or `unsigned long long` is printed
// through ll2string's long long).

import { cStrtolString } from './aof/check/c-strtol.ts';
import { atoi40, cString, memtoll40, string2ll as string2ll40 } from './aof/config-keys.ts';
import { findDirective } from './server-directives.ts';

/** The C type of a numeric field: what a long long assigned to it becomes when ll2string prints it. */
type CType = 'int' | 'uint' | 'll' | 'ull';

/** configSetCommand's macro for the directive (absent: "Unsupported CONFIG parameter"). */
type SetRule =
  | { kind: 'bool' }
  | { kind: 'num'; min?: bigint; max?: bigint }
  | { kind: 'mem' }
  | { kind: 'enum' }
  /** A config_set_special_field with its own code (setSpecial40). */
  | { kind: 'special' }
  /** Handled by the AOF keys (src/aof/config-keys.ts parseConfigValue40). */
  | { kind: 'aof' };

export interface Directive40 {
  name: string;
  /** configGetCommand's macro: how the value is printed. */
  get: 'string' | 'num' | 'bool' | 'enum' | 'special' | 'aof';
  ctype?: CType;
  values?: readonly string[];
  set?: SetRule;
  /** What CONFIG GET answers on a default redis-server 4.0.14 (dir: the working directory). */
  def: string;
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const AOF = { get: 'aof', set: { kind: 'aof' } } as const;

const LOGLEVELS = ['debug', 'verbose', 'notice', 'warning'];
const POLICIES = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'];

const str = (name: string, set: boolean, def = ''): Directive40 => ({ name, get: 'string', ...(set ? { set: { kind: 'special' } } : {}), def });
const num = (name: string, ctype: CType, def: string, set?: SetRule): Directive40 => ({ name, get: 'num', ctype, ...(set ? { set } : {}), def });
const bool = (name: string, set: boolean, def: string): Directive40 => ({ name, get: 'bool', ...(set ? { set: { kind: 'bool' } } : {}), def });
const pos = (min = 0n, max?: bigint): SetRule => ({ kind: 'num', min, ...(max !== undefined ? { max } : {}) });
const MEM: SetRule = { kind: 'mem' };

/** Every name 4.0.14's CONFIG GET knows, in the order its configGetCommand answers them. */
export const DIRECTIVES_40: readonly Directive40[] = [
  str('dbfilename', true, 'dump.rdb'),
  str('requirepass', true),
  str('masterauth', true),
  str('cluster-announce-ip', true),
  str('unixsocket', false),
  str('logfile', false),
  str('pidfile', false),
  str('slave-announce-ip', true),
  num('maxmemory', 'ull', '0', MEM),
  num('proto-max-bulk-len', 'll', '536870912', MEM),
  num('client-query-buffer-limit', 'ull', '1073741824', MEM),
  num('maxmemory-samples', 'int', '5', pos(1n)),
  num('lfu-log-factor', 'int', '10', pos()),
  num('lfu-decay-time', 'int', '1', pos()),
  // LONG_MAX is LLONG_MAX on the 64-bit machines Redis runs on: no upper bound is checked.
  num('timeout', 'int', '0', pos()),
  num('active-defrag-threshold-lower', 'int', '10', pos(0n, 1000n)),
  num('active-defrag-threshold-upper', 'int', '100', pos(0n, 1000n)),
  num('active-defrag-ignore-bytes', 'ull', '104857600', MEM),
  num('active-defrag-cycle-min', 'int', '25', pos(1n, 99n)),
  num('active-defrag-cycle-max', 'int', '75', pos(1n, 99n)),
  { name: 'auto-aof-rewrite-percentage', ...AOF, def: '100' },
  { name: 'auto-aof-rewrite-min-size', ...AOF, def: '67108864' },
  num('hash-max-ziplist-entries', 'ull', '512', pos()),
  num('hash-max-ziplist-value', 'ull', '64', pos()),
  num('list-max-ziplist-size', 'int', '-2', { kind: 'num', min: INT_MIN, max: INT_MAX }),
  num('list-compress-depth', 'int', '0', pos(0n, INT_MAX)),
  num('set-max-intset-entries', 'ull', '512', pos()),
  num('zset-max-ziplist-entries', 'ull', '128', pos()),
  num('zset-max-ziplist-value', 'ull', '64', pos()),
  num('hll-sparse-max-bytes', 'ull', '3000', pos()),
  num('lua-time-limit', 'll', '5000', pos()),
  num('slowlog-log-slower-than', 'll', '10000', pos()),
  num('latency-monitor-threshold', 'll', '0', pos()),
  // Parsed into a long long, stored as `(unsigned)ll` into an unsigned long.
  num('slowlog-max-len', 'uint', '128', pos()),
  num('port', 'int', '6379'),
  num('cluster-announce-port', 'int', '0', pos(0n, 65535n)),
  num('cluster-announce-bus-port', 'int', '0', pos(0n, 65535n)),
  num('tcp-backlog', 'int', '511'),
  num('databases', 'int', '16'),
  num('repl-ping-slave-period', 'int', '10', pos(1n)),
  num('repl-timeout', 'int', '60', pos(1n)),
  // resizeReplicationBacklog keeps at least CONFIG_REPL_BACKLOG_MIN_SIZE (16k).
  num('repl-backlog-size', 'll', '1048576', { kind: 'special' }),
  num('repl-backlog-ttl', 'll', '3600', pos()),
  num('maxclients', 'uint', '10000', { kind: 'special' }),
  num('watchdog-period', 'int', '0', { kind: 'special' }),
  num('slave-priority', 'int', '100', pos()),
  num('slave-announce-port', 'int', '0', pos(0n, 65535n)),
  num('min-slaves-to-write', 'int', '0', pos()),
  num('min-slaves-max-lag', 'int', '10', pos()),
  { name: 'hz', ...AOF, def: '10' },
  num('cluster-node-timeout', 'll', '15000', pos()),
  num('cluster-migration-barrier', 'int', '1', pos()),
  num('cluster-slave-validity-factor', 'int', '10', pos()),
  num('repl-diskless-sync-delay', 'int', '5', pos()),
  num('tcp-keepalive', 'int', '300', pos()),
  bool('cluster-require-full-coverage', true, 'yes'),
  bool('cluster-slave-no-failover', true, 'no'),
  { name: 'no-appendfsync-on-rewrite', ...AOF, def: 'no' },
  bool('slave-serve-stale-data', true, 'yes'),
  bool('slave-read-only', true, 'yes'),
  bool('stop-writes-on-bgsave-error', true, 'yes'),
  bool('daemonize', false, 'no'),
  bool('rdbcompression', true, 'yes'),
  bool('rdbchecksum', false, 'yes'),
  bool('activerehashing', true, 'yes'),
  // A special field here: see setSpecial40 (no active defrag without Redis's jemalloc).
  { name: 'activedefrag', get: 'bool', set: { kind: 'special' }, def: 'no' },
  bool('protected-mode', true, 'yes'),
  bool('repl-disable-tcp-nodelay', true, 'no'),
  bool('repl-diskless-sync', true, 'no'),
  { name: 'aof-rewrite-incremental-fsync', ...AOF, def: 'yes' },
  { name: 'aof-load-truncated', ...AOF, def: 'yes' },
  { name: 'aof-use-rdb-preamble', ...AOF, def: 'no' },
  bool('lazyfree-lazy-eviction', true, 'no'),
  bool('lazyfree-lazy-expire', true, 'no'),
  bool('lazyfree-lazy-server-del', true, 'no'),
  bool('slave-lazy-flush', true, 'no'),
  { name: 'maxmemory-policy', get: 'enum', values: POLICIES, set: { kind: 'enum' }, def: 'noeviction' },
  { name: 'loglevel', get: 'enum', values: LOGLEVELS, set: { kind: 'enum' }, def: 'notice' },
  { name: 'supervised', get: 'enum', values: ['upstart', 'systemd', 'auto', 'no'], def: 'no' },
  { name: 'appendfsync', ...AOF, def: 'everysec' },
  { name: 'syslog-facility', get: 'enum', values: ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], def: 'local0' },
  { name: 'appendonly', ...AOF, def: 'no' },
  { name: 'dir', ...AOF, def: '.' },
  { name: 'save', get: 'special', set: { kind: 'special' }, def: '3600 1 300 100 60 10000' },
  { name: 'client-output-buffer-limit', get: 'special', set: { kind: 'special' }, def: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60' },
  { name: 'unixsocketperm', get: 'special', def: '0' },
  { name: 'slaveof', get: 'special', def: '' },
  { name: 'notify-keyspace-events', get: 'special', set: { kind: 'special' }, def: '' },
  { name: 'bind', get: 'special', def: '' },
];

const BY_NAME_40 = new Map(DIRECTIVES_40.map((d) => [d.name, d]));

/** The 4.0 directive CONFIG SET / GET name `typed` (compared as a C string, in any case). */
export function findDirective40(typed: string): Directive40 | undefined {
  return BY_NAME_40.get(cString(typed).toLowerCase());
}

/** The name the Server keeps the value under: the directive's 7.0 canonical name (slaveof -> replicaof). */
export function storeKey40(name: string): string {
  return findDirective(name)?.name ?? name;
}

/** A long long assigned to a field of type `t`, as ll2string then prints it. */
function asStored(t: CType, ll: bigint): bigint {
  switch (t) {
    case 'int':
      return BigInt.asIntN(32, ll);
    case 'uint':
      return BigInt.asUintN(32, ll);
    case 'll':
    case 'ull':
      return BigInt.asIntN(64, ll);
  }
}

/** The flags of notify.c, in keyspaceEventsFlagsToString's order ('A' is g$lshzxe). */
const NOTIFY_CLASSES = 'g$lshzxe';

/** redis 4.0.14: notify.c keyspaceEventsStringToFlags then keyspaceEventsFlagsToString; null for a bad class. */
function notifyFlags40(value: string): string | null {
  const set = new Set<string>();
  for (const c of cString(value)) {
    if (c === 'A') for (const k of NOTIFY_CLASSES) set.add(k);
    else if (NOTIFY_CLASSES.includes(c) || c === 'K' || c === 'E') set.add(c);
    else return null;
  }
  const all = [...NOTIFY_CLASSES].every((k) => set.has(k));
  let out = all ? 'A' : [...NOTIFY_CLASSES].filter((k) => set.has(k)).join('');
  if (set.has('K')) out += 'K';
  if (set.has('E')) out += 'E';
  return out;
}

/** strtoll over a C string: the value and whether the digits ran to its end (eptr[0] == '\0'). */
function strtoll(s: string): { value: bigint; whole: boolean } {
  const r = cStrtolString(s);
  return { value: r.big ?? BigInt(r.value), whole: r.end === cString(s).length };
}

/** What the Server gives setDirective40: the value CONFIG GET prints now, and the settings it reads. */
export interface Set40Context {
  /** The current CONFIG GET text of a 4.0 directive. */
  current(name: string): string;
  hz: number;
}

/** A CONFIG SET outcome: the new CONFIG GET text, "badfmt" ("Invalid argument"), or an error of its own. */
export type Set40Result = { value: string } | { badfmt: true } | { error: string };

const BADFMT: Set40Result = { badfmt: true };

/**
 * redis 4.0.14 configSetCommand for a directive aofsim does not model (not an AOF key): the new
 * value as CONFIG GET will print it, or how it is refused. `value` is the whole argument (the
 * numeric fields read it with string2ll, the others as a C string).
 */
export function setDirective40(d: Directive40, value: string, ctx: Set40Context): Set40Result {
  const set = d.set;
  if (set === undefined || set.kind === 'aof') throw new Error(`setDirective40: ${d.name} is not set here`);
  const c = cString(value);
  switch (set.kind) {
    case 'bool': {
      const v = c.toLowerCase();
      return v === 'yes' || v === 'no' ? { value: v } : BADFMT;
    }
    case 'enum': {
      const v = c.toLowerCase();
      return d.values?.includes(v) ? { value: v } : BADFMT;
    }
    case 'mem': {
      const ll = memtoll40(value);
      return ll === null || ll < 0n ? BADFMT : { value: asStored(d.ctype ?? 'll', ll).toString() };
    }
    case 'num': {
      const ll = string2ll40(value);
      if (ll === null) return BADFMT;
      if (set.min !== undefined && ll < set.min) return BADFMT;
      if (set.max !== undefined && ll > set.max) return BADFMT;
      return { value: asStored(d.ctype ?? 'll', ll).toString() };
    }
    case 'special':
      return setSpecial40(d, value, ctx);
  }
}

/** configSetCommand's config_set_special_field branches (and the numeric ones with code of their own). */
function setSpecial40(d: Directive40, value: string, ctx: Set40Context): Set40Result {
  const c = cString(value);
  switch (d.name) {
    case 'dbfilename':
      return /[/\\]/.test(c) ? { error: "dbfilename can't be a path, just a filename" } : { value: c };
    case 'requirepass':
      // CONFIG_AUTHPASS_MAX_LEN, measured on the whole sds; kept as a C string.
      return value.length > 512 ? BADFMT : { value: c };
    case 'masterauth':
    case 'cluster-announce-ip':
    case 'slave-announce-ip':
      return { value: c };
    case 'activedefrag': {
      const v = c.toLowerCase();
      if (v !== 'yes' && v !== 'no') return BADFMT;
      // DIVERGENCE(redis): a 4.0.14 built with Redis's own jemalloc (HAVE_DEFRAG) takes `yes`; the
      // build aofsim is checked against (MALLOC=libc, INFO mem_allocator:libc) refuses it, and
      // aofsim answers as that build does.
      if (v === 'yes') return { error: 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution' };
      return { value: v };
    }
    case 'repl-backlog-size': {
      const ll = memtoll40(value);
      if (ll === null || ll < 0n) return BADFMT;
      return { value: (ll < 16384n ? 16384n : ll).toString() };
    }
    case 'maxclients': {
      const ll = string2ll40(value);
      if (ll === null || ll < 1n) return BADFMT;
      // DIVERGENCE(redis): raising maxclients makes 4.0.14 ask the OS for more file descriptors
      // (adjustOpenFilesLimit) and refuse with "The operating system is not able to handle the
      // specified number of clients, try with N" when it cannot, or when the value does not fit
      // an unsigned int; aofsim does not model the host's limit and takes any value that fits.
      if (ll > 0xffffffffn) return { error: 'aofsim cannot reproduce CONFIG SET maxclients past 4294967295 (redis 4.0.14 would answer from the host\'s file descriptor limit)' };
      return { value: ll.toString() };
    }
    case 'watchdog-period': {
      const ll = string2ll40(value);
      if (ll === null || ll < 0n) return BADFMT;
      if (ll === 0n) return { value: '0' };
      // enableWatchdog(int period): at least twice the cron period.
      const period = BigInt.asIntN(32, ll);
      const min = BigInt(Math.trunc(1000 / ctx.hz) * 2);
      return { value: (period < min ? min : period).toString() };
    }
    case 'save': {
      // sdssplitlen on single spaces over the whole argument; each piece read by strtoll as a C string.
      if (value === '') return { value: '' };
      const parts = value.split(' ');
      if (parts.length % 2 !== 0) return BADFMT;
      const nums: bigint[] = [];
      for (let j = 0; j < parts.length; j++) {
        const r = strtoll(parts[j]!);
        if (!r.whole || (j % 2 === 0 && r.value < 1n) || (j % 2 === 1 && r.value < 0n)) return BADFMT;
        nums.push(j % 2 === 0 ? r.value : BigInt.asIntN(32, r.value));
      }
      return { value: nums.join(' ') };
    }
    case 'client-output-buffer-limit': {
      if (value === '') return { value: ctx.current(d.name) };
      const parts = value.split(' ');
      if (parts.length % 4 !== 0) return BADFMT;
      const classOf = (s: string): number => ['normal', 'slave', 'pubsub', 'master'].indexOf(cString(s).toLowerCase());
      for (let j = 0; j < parts.length; j++) {
        if (j % 4 === 0) {
          const k = classOf(parts[j]!);
          if (k === -1 || k === 3) return BADFMT;
        } else {
          const v = memtoll40(parts[j]!);
          if (v === null || v < 0n) return BADFMT;
        }
      }
      // The limits are then read again with strtoll (so "1mb" is 1), into unsigned long long,
      // unsigned long long and int.
      const cur = ctx.current(d.name).split(' ');
      for (let j = 0; j < parts.length; j += 4) {
        const at = classOf(parts[j]!) * 4;
        cur[at + 1] = BigInt.asUintN(64, strtoll(parts[j + 1]!).value).toString();
        cur[at + 2] = BigInt.asUintN(64, strtoll(parts[j + 2]!).value).toString();
        cur[at + 3] = BigInt.asIntN(32, strtoll(parts[j + 3]!).value).toString();
      }
      return { value: cur.join(' ') };
    }
    case 'notify-keyspace-events': {
      const flags = notifyFlags40(value);
      return flags === null ? BADFMT : { value: flags };
    }
    default:
      throw new Error(`setSpecial40: no special field ${d.name}`);
  }
}

// ---- redis 4.0.14: loadServerConfigFromString --------------------------------------------------

/** redis 4.0.14: (mode_t)strtol(s, NULL, 8), and whether errno was set (ERANGE). */
function octal(s: string): { value: bigint; overflow: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]*)/.exec(cString(s))!;
  let v = m[2] === '' ? 0n : BigInt('0o' + m[2]);
  const overflow = v > 0x7fffffffffffffffn + (m[1] === '-' ? 1n : 0n);
  if (overflow) v = m[1] === '-' ? -0x8000000000000000n : 0x7fffffffffffffffn;
  else if (m[1] === '-') v = -v;
  return { value: BigInt.asUintN(32, v), overflow };
}

/** memtoll(s, NULL): what it refuses is 0. */
const memtoll = (s: string): bigint => memtoll40(s) ?? 0n;

type FileRule =
  | { kind: 'atoi'; check?: (n: bigint) => boolean; err?: string }
  | { kind: 'strtoll'; check?: (n: bigint) => boolean; err?: string }
  | { kind: 'memtoll'; check?: (n: bigint) => boolean; err?: string }
  | { kind: 'yesno' }
  | { kind: 'enum'; err: string }
  | { kind: 'string' };

const YESNO: FileRule = { kind: 'yesno' };
const STRING: FileRule = { kind: 'string' };
const atoiMin = (min: bigint, err: string): FileRule => ({ kind: 'atoi', check: (n) => n >= min, err });

/**
 * The two-word directives of loadServerConfigFromString that aofsim does not model, with their
 * checks and `err` texts (the AOF keys are read by src/aof/config-keys.ts; save, bind, slaveof,
 * client-output-buffer-limit, unixsocketperm, notify-keyspace-events, dbfilename, requirepass,
 * logfile, dir and the directives without a value are read by readDirective40).
 */
const FILE_RULES_40: Readonly<Record<string, FileRule>> = {
  timeout: atoiMin(0n, 'Invalid timeout value'),
  'tcp-keepalive': atoiMin(0n, 'Invalid tcp-keepalive value'),
  'protected-mode': YESNO,
  port: { kind: 'atoi', check: (n) => n >= 0n && n <= 65535n, err: 'Invalid port' },
  'tcp-backlog': atoiMin(0n, 'Invalid backlog value'),
  unixsocket: STRING,
  logfile: STRING,
  loglevel: { kind: 'enum', err: 'Invalid log level. Must be one of debug, verbose, notice, warning' },
  'always-show-logo': YESNO,
  'syslog-enabled': YESNO,
  'syslog-ident': STRING,
  'syslog-facility': { kind: 'enum', err: 'Invalid log facility. Must be one of USER or between LOCAL0-LOCAL7' },
  databases: atoiMin(1n, 'Invalid number of databases'),
  maxclients: atoiMin(1n, 'Invalid max clients limit'),
  maxmemory: { kind: 'memtoll' },
  'maxmemory-policy': { kind: 'enum', err: 'Invalid maxmemory policy' },
  'maxmemory-samples': atoiMin(1n, 'maxmemory-samples must be 1 or greater'),
  'proto-max-bulk-len': { kind: 'memtoll' },
  'client-query-buffer-limit': { kind: 'memtoll' },
  'lfu-log-factor': atoiMin(0n, 'lfu-log-factor must be 0 or greater'),
  'lfu-decay-time': atoiMin(0n, 'lfu-decay-time must be 0 or greater'),
  'repl-ping-slave-period': atoiMin(1n, 'repl-ping-slave-period must be 1 or greater'),
  'repl-timeout': atoiMin(1n, 'repl-timeout must be 1 or greater'),
  'repl-disable-tcp-nodelay': YESNO,
  'repl-diskless-sync': YESNO,
  'repl-diskless-sync-delay': atoiMin(0n, "repl-diskless-sync-delay can't be negative"),
  'repl-backlog-size': { kind: 'memtoll', check: (n) => n > 0n, err: 'repl-backlog-size must be 1 or greater.' },
  'repl-backlog-ttl': atoiMin(0n, "repl-backlog-ttl can't be negative "),
  masterauth: STRING,
  'slave-serve-stale-data': YESNO,
  'slave-read-only': YESNO,
  rdbcompression: YESNO,
  rdbchecksum: YESNO,
  activerehashing: YESNO,
  'lazyfree-lazy-eviction': YESNO,
  'lazyfree-lazy-expire': YESNO,
  'lazyfree-lazy-server-del': YESNO,
  'slave-lazy-flush': YESNO,
  activedefrag: YESNO,
  daemonize: YESNO,
  pidfile: STRING,
  'active-defrag-threshold-lower': atoiMin(0n, 'active-defrag-threshold-lower must be 0 or greater'),
  'active-defrag-threshold-upper': atoiMin(0n, 'active-defrag-threshold-upper must be 0 or greater'),
  'active-defrag-ignore-bytes': { kind: 'memtoll', check: (n) => n > 0n, err: 'active-defrag-ignore-bytes must above 0' },
  'active-defrag-cycle-min': { kind: 'atoi', check: (n) => n >= 1n && n <= 99n, err: 'active-defrag-cycle-min must be between 1 and 99' },
  'active-defrag-cycle-max': { kind: 'atoi', check: (n) => n >= 1n && n <= 99n, err: 'active-defrag-cycle-max must be between 1 and 99' },
  'hash-max-ziplist-entries': { kind: 'memtoll' },
  'hash-max-ziplist-value': { kind: 'memtoll' },
  'list-max-ziplist-size': { kind: 'atoi' },
  'list-compress-depth': { kind: 'atoi' },
  'set-max-intset-entries': { kind: 'memtoll' },
  'zset-max-ziplist-entries': { kind: 'memtoll' },
  'zset-max-ziplist-value': { kind: 'memtoll' },
  'hll-sparse-max-bytes': { kind: 'memtoll' },
  'cluster-enabled': YESNO,
  'cluster-config-file': STRING,
  'cluster-announce-ip': STRING,
  'cluster-announce-port': { kind: 'atoi', check: (n) => n >= 0n && n <= 65535n, err: 'Invalid port' },
  'cluster-announce-bus-port': { kind: 'atoi', check: (n) => n >= 0n && n <= 65535n, err: 'Invalid port' },
  'cluster-require-full-coverage': YESNO,
  'cluster-node-timeout': { kind: 'strtoll', check: (n) => n > 0n, err: 'cluster node timeout must be 1 or greater' },
  'cluster-migration-barrier': atoiMin(0n, 'cluster migration barrier must zero or positive'),
  'cluster-slave-validity-factor': atoiMin(0n, 'cluster slave validity factor must be zero or positive'),
  'cluster-slave-no-failover': YESNO,
  'lua-time-limit': { kind: 'strtoll' },
  'slowlog-log-slower-than': { kind: 'strtoll' },
  'latency-monitor-threshold': { kind: 'strtoll', check: (n) => n >= 0n, err: "The latency threshold can't be negative" },
  'slowlog-max-len': { kind: 'strtoll' },
  'stop-writes-on-bgsave-error': YESNO,
  'slave-priority': { kind: 'atoi' },
  'slave-announce-ip': STRING,
  'slave-announce-port': { kind: 'atoi', check: (n) => n >= 0n && n <= 65535n, err: 'Invalid port' },
  'min-slaves-to-write': atoiMin(0n, 'Invalid value for min-slaves-to-write.'),
  'min-slaves-max-lag': atoiMin(0n, 'Invalid value for min-slaves-max-lag.'),
  supervised: { kind: 'enum', err: "Invalid option for 'supervised'. Allowed values: 'upstart', 'systemd', 'auto', or 'no'" },
};

/** The enums the config file reads (configEnumGetValue: strcasecmp), including those CONFIG GET does not list. */
const ENUMS_40: Readonly<Record<string, readonly string[]>> = {
  loglevel: LOGLEVELS,
  'maxmemory-policy': POLICIES,
  supervised: ['upstart', 'systemd', 'auto', 'no'],
  'syslog-facility': ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
};

/** What one config line does under 4.0.14. */
export type Read40 =
  /** Sets a directive: its 7.0 canonical name and the value CONFIG GET will print. */
  | { set: string; value: string }
  /** Accepted, without anything CONFIG GET shows (dead options, save with another count, ...). */
  | { ignored: true }
  /** Accepted and not modelled (rename-command, loadmodule): named in the log. */
  | { inert: string }
  | { error: string }
  /** Not a directive of this table: the caller knows it (AOF keys, dir, include, aofsim's own) or refuses it. */
  | null;

export interface Read40Context {
  /** The value a directive holds so far (save accumulates, client-output-buffer-limit sets one class). */
  current(name40: string): string;
}

/**
 * redis 4.0.14 loadServerConfigFromString for one line (`argv`: the words, the name lowered) of a
 * directive aofsim does not model. The value is kept as 4.0.14's CONFIG GET would print it.
 * DIVERGENCE(redis): rename-command is accepted without checking that the command exists ("No
 * such command in rename-command"), and the commands keep their names.
 * DIVERGENCE(redis): requirepass (and `requirepass ""`, which 4.0.14's file keeps as an empty
 * password where CONFIG SET would clear it) is kept for CONFIG GET only: aofsim asks for no AUTH.
 */
export function readDirective40(argv: readonly string[], ctx: Read40Context): Read40 {
  const name = argv[0]!;
  const argc = argv.length;
  const a1 = argv[1] ?? '';
  const d = BY_NAME_40.get(name);
  const stored = (v: bigint, t: CType): Read40 => ({ set: storeKey40(name), value: asStored(t, v).toString() });
  if (name === 'save') {
    if (argc === 3) {
      const [seconds, changes] = [atoi40(argv[1]!), atoi40(argv[2]!)];
      if (seconds < 1n || changes < 0n) return { error: 'Invalid save parameters' };
      const cur = ctx.current('save');
      return { set: 'save', value: `${cur === '' ? '' : cur + ' '}${seconds} ${changes}` };
    }
    if (argc === 2 && cString(a1) === '') return { set: 'save', value: '' };
    return { ignored: true };
  }
  if (name === 'bind' && argc >= 2) {
    if (argc - 1 > 16) return { error: 'Too many bind addresses specified' };
    return { set: 'bind', value: argv.slice(1).map(cString).join(' ') };
  }
  if (name === 'slaveof' && argc === 3) return { set: 'replicaof', value: `${argv[1]} ${atoi40(argv[2]!)}` };
  if (name === 'sentinel') return argc === 1 ? { ignored: true } : { error: 'sentinel directive while not in sentinel mode' };
  if ((name === 'list-max-ziplist-entries' || name === 'list-max-ziplist-value') && argc === 2) return { ignored: true };
  if (name === 'rename-command' && argc === 3) return { inert: name };
  if (name === 'loadmodule' && argc >= 2) return { inert: name };
  if (name === 'client-output-buffer-limit' && argc === 5) {
    const k = ['normal', 'slave', 'pubsub', 'master'].indexOf(cString(argv[1]!).toLowerCase());
    if (k === -1 || k === 3) return { error: "Unrecognized client limit class: the user specified an invalid one, or 'master' which has no buffer limits." };
    const seconds = atoi40(argv[4]!);
    if (seconds < 0n) return { error: 'Negative number of seconds in soft limit is invalid' };
    const cur = ctx.current(name).split(' ');
    cur[k * 4 + 1] = BigInt.asUintN(64, memtoll(argv[2]!)).toString();
    cur[k * 4 + 2] = BigInt.asUintN(64, memtoll(argv[3]!)).toString();
    cur[k * 4 + 3] = seconds.toString();
    return { set: name, value: cur.join(' ') };
  }
  if (argc !== 2) return null;
  switch (name) {
    case 'unixsocketperm': {
      const r = octal(a1);
      if (r.overflow || r.value > 0o777n) return { error: 'Invalid socket file permissions' };
      return { set: name, value: r.value.toString(8) };
    }
    case 'notify-keyspace-events': {
      const flags = notifyFlags40(a1);
      return flags === null ? { error: "Invalid event class character. Use 'g$lshzxeA'." } : { set: name, value: flags };
    }
    case 'dbfilename':
      return /[/\\]/.test(cString(a1)) ? { error: "dbfilename can't be a path, just a filename" } : { set: name, value: cString(a1) };
    case 'requirepass':
      return cString(a1).length > 512 ? { error: 'Password is longer than CONFIG_AUTHPASS_MAX_LEN' } : { set: name, value: cString(a1) };
  }
  const rule = FILE_RULES_40[name];
  if (rule === undefined) return null;
  const t: CType = name === 'slowlog-max-len' ? 'll' : (d?.ctype ?? 'll');
  switch (rule.kind) {
    case 'yesno': {
      const v = cString(a1).toLowerCase();
      return v === 'yes' || v === 'no' ? { set: storeKey40(name), value: v } : { error: "argument must be 'yes' or 'no'" };
    }
    case 'enum': {
      const v = cString(a1).toLowerCase();
      return ENUMS_40[name]!.includes(v) ? { set: storeKey40(name), value: v } : { error: rule.err };
    }
    case 'string':
      return { set: storeKey40(name), value: cString(a1) };
    case 'atoi':
    case 'strtoll':
    case 'memtoll': {
      const n = rule.kind === 'atoi' ? atoi40(a1) : rule.kind === 'strtoll' ? strtoll(a1).value : memtoll(a1);
      // The check reads the field, so an unsigned one (maxclients, active-defrag-ignore-bytes) never holds a negative.
      const held = t === 'uint' ? BigInt.asUintN(32, n) : t === 'ull' ? BigInt.asUintN(64, n) : n;
      if (rule.check !== undefined && !rule.check(held)) return { error: rule.err ?? '' };
      if (name === 'repl-backlog-size') return stored(n < 16384n ? 16384n : n, 'll');
      return stored(n, t);
    }
  }
}
