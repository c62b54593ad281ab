// Every directive of redis-server 7.0.15's configuration (redis: config.c static_configs, with
// their aliases, types, bounds, enum values and the defaults CONFIG GET reports), and the checks
// config.c applies to a value (boolConfigSet, enumConfigSet, numericParseString,
// numericBoundaryCheck) with their error texts. Used under the redis-7.0 profile by `aofsim serve
// CONFIGFILE --name value` and by CONFIG GET/SET for the directives aofsim does not model (the
// redis-4.0 profile has its own table, src/server-directives-40.ts).
//
// Invariants: the table is data copied from the 7.0.15 behaviour (names, bounds, defaults), not
// code; a value accepted here is accepted by redis-server 7.0.15 and a rejected one gets the same
// text after "FATAL CONFIG FILE ERROR" or "CONFIG SET failed ... - ". `special` directives (save,
// bind, client-output-buffer-limit, ...) take several arguments; their own checks are in
// checkSpecial.

type Kind = 'bool' | 'string' | 'enum' | 'int' | 'mem' | 'octal' | 'percent' | 'special';

export interface Directive {
  name: string;
  alias?: string;
  kind: Kind;
  immutable?: boolean;
  /** Not listed by CONFIG GET patterns, only by its exact name (redis: HIDDEN_CONFIG). */
  hidden?: boolean;
  /** enum: the accepted words; `multi` enums take several (shutdown-on-sig*). */
  values?: readonly string[];
  multi?: boolean;
  /** Numeric bounds as decimal strings (some exceed 2^53). */
  min?: string;
  max?: string;
  /** What CONFIG GET answers on a default redis-server 7.0.15 (dir: the working directory). */
  def: string;
}

/** config.c's bound macros (decimal strings: LLONG_MAX and ULLONG_MAX exceed 2^53). */
const INT_MIN = '-2147483648';
const INT_MAX = '2147483647';
const UINT_MAX = '4294967295';
const LLONG_MAX = '9223372036854775807';
const ULLONG_MAX = '18446744073709551615';

export const REDIS70_DIRECTIVES: readonly Directive[] = [
  {name: 'rdbchecksum', immutable: true, kind: 'bool', def: 'yes'},
  {name: 'daemonize', immutable: true, kind: 'bool', def: 'no'},
  {name: 'io-threads-do-reads', immutable: true, kind: 'bool', def: 'no'},
  {name: 'always-show-logo', immutable: true, kind: 'bool', def: 'no'},
  {name: 'protected-mode', kind: 'bool', def: 'yes'},
  {name: 'rdbcompression', kind: 'bool', def: 'yes'},
  {name: 'rdb-del-sync-files', kind: 'bool', def: 'no'},
  {name: 'activerehashing', kind: 'bool', def: 'yes'},
  {name: 'stop-writes-on-bgsave-error', kind: 'bool', def: 'yes'},
  {name: 'set-proc-title', immutable: true, kind: 'bool', def: 'yes'},
  {name: 'dynamic-hz', kind: 'bool', def: 'yes'},
  {name: 'lazyfree-lazy-eviction', kind: 'bool', def: 'no'},
  {name: 'lazyfree-lazy-expire', kind: 'bool', def: 'no'},
  {name: 'lazyfree-lazy-server-del', kind: 'bool', def: 'no'},
  {name: 'lazyfree-lazy-user-del', kind: 'bool', def: 'no'},
  {name: 'lazyfree-lazy-user-flush', kind: 'bool', def: 'no'},
  {name: 'repl-disable-tcp-nodelay', kind: 'bool', def: 'no'},
  {name: 'repl-diskless-sync', kind: 'bool', def: 'yes'},
  {name: 'aof-rewrite-incremental-fsync', kind: 'bool', def: 'yes'},
  {name: 'no-appendfsync-on-rewrite', kind: 'bool', def: 'no'},
  {name: 'cluster-require-full-coverage', kind: 'bool', def: 'yes'},
  {name: 'rdb-save-incremental-fsync', kind: 'bool', def: 'yes'},
  {name: 'aof-load-truncated', kind: 'bool', def: 'yes'},
  {name: 'aof-use-rdb-preamble', kind: 'bool', def: 'yes'},
  {name: 'aof-timestamp-enabled', kind: 'bool', def: 'no'},
  {name: 'cluster-replica-no-failover', alias: 'cluster-slave-no-failover', kind: 'bool', def: 'no'},
  {name: 'replica-lazy-flush', alias: 'slave-lazy-flush', kind: 'bool', def: 'no'},
  {name: 'replica-serve-stale-data', alias: 'slave-serve-stale-data', kind: 'bool', def: 'yes'},
  {name: 'replica-read-only', alias: 'slave-read-only', kind: 'bool', def: 'yes'},
  {name: 'replica-ignore-maxmemory', alias: 'slave-ignore-maxmemory', kind: 'bool', def: 'yes'},
  {name: 'jemalloc-bg-thread', kind: 'bool', def: 'yes'},
  {name: 'activedefrag', kind: 'bool', def: 'no'},
  {name: 'syslog-enabled', immutable: true, kind: 'bool', def: 'no'},
  {name: 'cluster-enabled', immutable: true, kind: 'bool', def: 'no'},
  {name: 'appendonly', kind: 'bool', def: 'no'},
  {name: 'cluster-allow-reads-when-down', kind: 'bool', def: 'no'},
  {name: 'cluster-allow-pubsubshard-when-down', kind: 'bool', def: 'yes'},
  {name: 'crash-log-enabled', kind: 'bool', def: 'yes'},
  {name: 'crash-memcheck-enabled', kind: 'bool', def: 'yes'},
  {name: 'use-exit-on-panic', hidden: true, kind: 'bool', def: 'no'},
  {name: 'disable-thp', immutable: true, kind: 'bool', def: 'yes'},
  {name: 'cluster-allow-replica-migration', kind: 'bool', def: 'yes'},
  {name: 'replica-announced', kind: 'bool', def: 'yes'},
  {name: 'latency-tracking', kind: 'bool', def: 'yes'},
  {name: 'aof-disable-auto-gc', kind: 'bool', def: 'no'},
  {name: 'replica-ignore-disk-write-errors', kind: 'bool', def: 'no'},
  {name: 'aclfile', immutable: true, kind: 'string', def: ''},
  {name: 'unixsocket', immutable: true, kind: 'string', def: ''},
  {name: 'pidfile', immutable: true, kind: 'string', def: ''},
  {name: 'replica-announce-ip', alias: 'slave-announce-ip', kind: 'string', def: ''},
  {name: 'masteruser', kind: 'string', def: ''},
  {name: 'cluster-announce-ip', kind: 'string', def: ''},
  {name: 'cluster-config-file', immutable: true, kind: 'string', def: 'nodes.conf'},
  {name: 'cluster-announce-hostname', kind: 'string', def: ''},
  {name: 'syslog-ident', immutable: true, kind: 'string', def: 'redis'},
  {name: 'dbfilename', kind: 'string', def: 'dump.rdb'},
  {name: 'appendfilename', immutable: true, kind: 'string', def: 'appendonly.aof'},
  {name: 'appenddirname', immutable: true, kind: 'string', def: 'appendonlydir'},
  {name: 'server_cpulist', immutable: true, kind: 'string', def: ''},
  {name: 'bio_cpulist', immutable: true, kind: 'string', def: ''},
  {name: 'aof_rewrite_cpulist', immutable: true, kind: 'string', def: ''},
  {name: 'bgsave_cpulist', immutable: true, kind: 'string', def: ''},
  {name: 'ignore-warnings', kind: 'string', def: ''},
  {name: 'proc-title-template', kind: 'string', def: '{title} {listen-addr} {server-mode}'},
  {name: 'bind-source-addr', kind: 'string', def: ''},
  {name: 'logfile', immutable: true, kind: 'string', def: ''},
  {name: 'masterauth', kind: 'string', def: ''},
  {name: 'requirepass', kind: 'string', def: ''},
  {name: 'supervised', immutable: true, kind: 'enum', values: ['upstart', 'systemd', 'auto', 'no'], def: 'no'},
  {name: 'syslog-facility', immutable: true, kind: 'enum', values: ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], def: 'local0'},
  {name: 'repl-diskless-load', kind: 'enum', values: ['disabled', 'on-empty-db', 'swapdb'], def: 'disabled'},
  {name: 'loglevel', kind: 'enum', values: ['debug', 'verbose', 'notice', 'warning'], def: 'notice'},
  {name: 'maxmemory-policy', kind: 'enum', values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], def: 'noeviction'},
  {name: 'appendfsync', kind: 'enum', values: ['everysec', 'always', 'no'], def: 'everysec'},
  {name: 'oom-score-adj', kind: 'enum', values: ['no', 'yes', 'relative', 'absolute'], def: 'no'},
  {name: 'acl-pubsub-default', kind: 'enum', values: ['allchannels', 'resetchannels'], def: 'resetchannels'},
  {name: 'sanitize-dump-payload', kind: 'enum', values: ['no', 'yes', 'clients'], def: 'no'},
  {name: 'enable-protected-configs', immutable: true, kind: 'enum', values: ['no', 'yes', 'local'], def: 'no'},
  {name: 'enable-debug-command', immutable: true, kind: 'enum', values: ['no', 'yes', 'local'], def: 'no'},
  {name: 'enable-module-command', immutable: true, kind: 'enum', values: ['no', 'yes', 'local'], def: 'no'},
  {name: 'cluster-preferred-endpoint-type', kind: 'enum', values: ['ip', 'hostname', 'unknown-endpoint'], def: 'ip'},
  {name: 'propagation-error-behavior', kind: 'enum', values: ['ignore', 'panic', 'panic-on-replicas'], def: 'ignore'},
  {name: 'shutdown-on-sigint', kind: 'enum', values: ['default', 'save', 'nosave', 'now', 'force'], multi: true, def: 'default'},
  {name: 'shutdown-on-sigterm', kind: 'enum', values: ['default', 'save', 'nosave', 'now', 'force'], multi: true, def: 'default'},
  {name: 'databases', immutable: true, kind: 'int', min: '1', max: INT_MAX, def: '16'},
  {name: 'port', kind: 'int', min: '0', max: '65535', def: '6379'},
  {name: 'io-threads', immutable: true, kind: 'int', min: '1', max: '128', def: '1'},
  {name: 'auto-aof-rewrite-percentage', kind: 'int', min: '0', max: INT_MAX, def: '100'},
  {name: 'cluster-replica-validity-factor', alias: 'cluster-slave-validity-factor', kind: 'int', min: '0', max: INT_MAX, def: '10'},
  {name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', kind: 'int', min: INT_MIN, max: INT_MAX, def: '-2'},
  {name: 'tcp-keepalive', kind: 'int', min: '0', max: INT_MAX, def: '300'},
  {name: 'cluster-migration-barrier', kind: 'int', min: '0', max: INT_MAX, def: '1'},
  {name: 'active-defrag-cycle-min', kind: 'int', min: '1', max: '99', def: '1'},
  {name: 'active-defrag-cycle-max', kind: 'int', min: '1', max: '99', def: '25'},
  {name: 'active-defrag-threshold-lower', kind: 'int', min: '0', max: '1000', def: '10'},
  {name: 'active-defrag-threshold-upper', kind: 'int', min: '0', max: '1000', def: '100'},
  {name: 'lfu-log-factor', kind: 'int', min: '0', max: INT_MAX, def: '10'},
  {name: 'lfu-decay-time', kind: 'int', min: '0', max: INT_MAX, def: '1'},
  {name: 'replica-priority', alias: 'slave-priority', kind: 'int', min: '0', max: INT_MAX, def: '100'},
  {name: 'repl-diskless-sync-delay', kind: 'int', min: '0', max: INT_MAX, def: '5'},
  {name: 'maxmemory-samples', kind: 'int', min: '1', max: INT_MAX, def: '5'},
  {name: 'maxmemory-eviction-tenacity', kind: 'int', min: '0', max: '100', def: '10'},
  {name: 'timeout', kind: 'int', min: '0', max: INT_MAX, def: '0'},
  {name: 'replica-announce-port', alias: 'slave-announce-port', kind: 'int', min: '0', max: '65535', def: '0'},
  {name: 'tcp-backlog', immutable: true, kind: 'int', min: '0', max: INT_MAX, def: '511'},
  {name: 'cluster-port', immutable: true, kind: 'int', min: '0', max: '65535', def: '0'},
  {name: 'cluster-announce-bus-port', kind: 'int', min: '0', max: '65535', def: '0'},
  {name: 'cluster-announce-port', kind: 'int', min: '0', max: '65535', def: '0'},
  {name: 'cluster-announce-tls-port', kind: 'int', min: '0', max: '65535', def: '0'},
  {name: 'repl-timeout', kind: 'int', min: '1', max: INT_MAX, def: '60'},
  {name: 'repl-ping-replica-period', alias: 'repl-ping-slave-period', kind: 'int', min: '1', max: INT_MAX, def: '10'},
  {name: 'list-compress-depth', kind: 'int', min: '0', max: INT_MAX, def: '0'},
  {name: 'rdb-key-save-delay', hidden: true, kind: 'int', min: INT_MIN, max: INT_MAX, def: '0'},
  {name: 'key-load-delay', hidden: true, kind: 'int', min: INT_MIN, max: INT_MAX, def: '0'},
  {name: 'active-expire-effort', kind: 'int', min: '1', max: '10', def: '1'},
  {name: 'hz', kind: 'int', min: '0', max: INT_MAX, def: '10'},
  {name: 'min-replicas-to-write', alias: 'min-slaves-to-write', kind: 'int', min: '0', max: INT_MAX, def: '0'},
  {name: 'min-replicas-max-lag', alias: 'min-slaves-max-lag', kind: 'int', min: '0', max: INT_MAX, def: '10'},
  {name: 'watchdog-period', hidden: true, kind: 'int', min: '0', max: INT_MAX, def: '0'},
  {name: 'shutdown-timeout', kind: 'int', min: '0', max: INT_MAX, def: '10'},
  {name: 'repl-diskless-sync-max-replicas', kind: 'int', min: '0', max: INT_MAX, def: '0'},
  {name: 'maxclients', kind: 'int', min: '1', max: UINT_MAX, def: '10000'},
  {name: 'unixsocketperm', immutable: true, kind: 'octal', min: '0', max: '511', def: '0'},
  {name: 'socket-mark-id', immutable: true, kind: 'int', min: '0', max: UINT_MAX, def: '0'},
  {name: 'active-defrag-max-scan-fields', kind: 'int', min: '1', max: LLONG_MAX, def: '1000'},
  {name: 'slowlog-max-len', kind: 'int', min: '0', max: LLONG_MAX, def: '128'},
  {name: 'acllog-max-len', kind: 'int', min: '0', max: LLONG_MAX, def: '128'},
  {name: 'busy-reply-threshold', alias: 'lua-time-limit', kind: 'int', min: '0', max: LLONG_MAX, def: '5000'},
  {name: 'cluster-node-timeout', kind: 'int', min: '0', max: LLONG_MAX, def: '15000'},
  {name: 'slowlog-log-slower-than', kind: 'int', min: '-1', max: LLONG_MAX, def: '10000'},
  {name: 'latency-monitor-threshold', kind: 'int', min: '0', max: LLONG_MAX, def: '0'},
  {name: 'proto-max-bulk-len', kind: 'mem', min: '1048576', max: LLONG_MAX, def: '536870912'},
  {name: 'stream-node-max-entries', kind: 'int', min: '0', max: LLONG_MAX, def: '100'},
  {name: 'repl-backlog-size', kind: 'mem', min: '1', max: LLONG_MAX, def: '1048576'},
  {name: 'maxmemory', kind: 'mem', min: '0', max: ULLONG_MAX, def: '0'},
  {name: 'cluster-link-sendbuf-limit', kind: 'mem', min: '0', max: ULLONG_MAX, def: '0'},
  {name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', kind: 'int', min: '0', max: LLONG_MAX, def: '512'},
  {name: 'set-max-intset-entries', kind: 'int', min: '0', max: LLONG_MAX, def: '512'},
  {name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', kind: 'int', min: '0', max: LLONG_MAX, def: '128'},
  {name: 'active-defrag-ignore-bytes', kind: 'mem', min: '1', max: LLONG_MAX, def: '104857600'},
  {name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', kind: 'mem', min: '0', max: LLONG_MAX, def: '64'},
  {name: 'stream-node-max-bytes', kind: 'mem', min: '0', max: LLONG_MAX, def: '4096'},
  {name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', kind: 'mem', min: '0', max: LLONG_MAX, def: '64'},
  {name: 'hll-sparse-max-bytes', kind: 'mem', min: '0', max: LLONG_MAX, def: '3000'},
  {name: 'tracking-table-max-keys', kind: 'int', min: '0', max: LLONG_MAX, def: '1000000'},
  {name: 'client-query-buffer-limit', kind: 'mem', min: '1048576', max: LLONG_MAX, def: '1073741824'},
  {name: 'maxmemory-clients', kind: 'percent', min: '-100', max: LLONG_MAX, def: '0'},
  {name: 'repl-backlog-ttl', kind: 'int', min: '0', max: LLONG_MAX, def: '3600'},
  {name: 'auto-aof-rewrite-min-size', kind: 'mem', min: '0', max: LLONG_MAX, def: '67108864'},
  {name: 'loading-process-events-interval-bytes', hidden: true, kind: 'int', min: '1024', max: INT_MAX, def: '2097152'},
  {name: 'tls-port', kind: 'int', min: '0', max: '65535', def: '0'},
  {name: 'tls-session-cache-size', kind: 'int', min: '0', max: INT_MAX, def: '20480'},
  {name: 'tls-session-cache-timeout', kind: 'int', min: '0', max: INT_MAX, def: '300'},
  {name: 'tls-cluster', kind: 'bool', def: 'no'},
  {name: 'tls-replication', kind: 'bool', def: 'no'},
  {name: 'tls-auth-clients', kind: 'enum', values: ['no', 'yes', 'optional'], def: 'yes'},
  {name: 'tls-prefer-server-ciphers', kind: 'bool', def: 'no'},
  {name: 'tls-session-caching', kind: 'bool', def: 'yes'},
  {name: 'tls-cert-file', kind: 'string', def: ''},
  {name: 'tls-key-file', kind: 'string', def: ''},
  {name: 'tls-key-file-pass', kind: 'string', def: ''},
  {name: 'tls-client-cert-file', kind: 'string', def: ''},
  {name: 'tls-client-key-file', kind: 'string', def: ''},
  {name: 'tls-client-key-file-pass', kind: 'string', def: ''},
  {name: 'tls-dh-params-file', kind: 'string', def: ''},
  {name: 'tls-ca-cert-file', kind: 'string', def: ''},
  {name: 'tls-ca-cert-dir', kind: 'string', def: ''},
  {name: 'tls-protocols', kind: 'string', def: ''},
  {name: 'tls-ciphers', kind: 'string', def: ''},
  {name: 'tls-ciphersuites', kind: 'string', def: ''},
  {name: 'dir', kind: 'special', def: '.'},
  {name: 'save', kind: 'special', def: '3600 1 300 100 60 10000'},
  {name: 'client-output-buffer-limit', kind: 'special', def: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'},
  {name: 'oom-score-adj-values', kind: 'special', def: '0 200 800'},
  {name: 'notify-keyspace-events', kind: 'special', def: ''},
  {name: 'bind', kind: 'special', def: '* -::*'},
  {name: 'replicaof', alias: 'slaveof', immutable: true, kind: 'special', def: ''},
  {name: 'latency-tracking-info-percentiles', kind: 'special', def: '50 99 99.9'},
];

const BY_NAME = new Map<string, Directive>();
for (const d of REDIS70_DIRECTIVES) {
  BY_NAME.set(d.name, d);
  if (d.alias !== undefined) BY_NAME.set(d.alias, d);
}

/** redis: lookupConfig (names and aliases, case-insensitive). */
export function findDirective(name: string): Directive | undefined {
  return BY_NAME.get(name.toLowerCase());
}

const MEM_UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };

/** redis: memtoull (digits then an optional unit, case-insensitive). null when not a memory value. */
function memValue(s: string): bigint | null {
  const m = /^(-?\d+)([a-z]*)$/i.exec(s);
  if (!m) return null;
  const unit = MEM_UNITS[m[2].toLowerCase()];
  return unit === undefined ? null : BigInt(m[1]) * unit;
}

/** redis: string2ll (optional '-', decimal digits, no leading zeros except "0", no '+'). */
function intValue(s: string): bigint | null {
  return /^(0|-?[1-9]\d*)$/.test(s) ? BigInt(s) : null;
}

/**
 * The canonical value of one single-argument directive, or an error text as config.c words it.
 * redis: boolConfigSet, enumConfigSet, numericParseString + numericBoundaryCheck.
 */
export function checkDirectiveValue(d: Directive, value: string): { value: string } | { error: string } {
  switch (d.kind) {
    case 'bool': {
      const v = value.toLowerCase();
      return v === 'yes' || v === 'no' ? { value: v } : { error: "argument must be 'yes' or 'no'" };
    }
    case 'string':
      return { value };
    case 'enum': {
      const words = d.multi ? value.toLowerCase().split(/\s+/).filter((w) => w !== '') : [value.toLowerCase()];
      const values = d.values ?? [];
      if (words.length === 0 || words.some((w) => !values.includes(w))) {
        return { error: `argument(s) must be one of the following: ${values.join(', ')}` };
      }
      return { value: words.join(' ') };
    }
    case 'int':
    case 'mem':
    case 'octal':
    case 'percent': {
      let n: bigint | null;
      if (d.kind === 'octal') n = /^[0-7]+$/.test(value) ? BigInt('0o' + value) : null;
      else if (d.kind === 'int') n = intValue(value);
      else if (d.kind === 'percent' && /^\d+%$/.test(value)) n = -BigInt(value.slice(0, -1));
      else n = memValue(value);
      if (n === null) {
        const what = d.kind === 'mem' ? 'argument must be a memory value' : d.kind === 'percent' ? 'argument must be a memory or percent value' : d.kind === 'octal' ? "argument couldn't be parsed as an octal number" : "argument couldn't be parsed into an integer";
        return { error: what };
      }
      const min = BigInt(d.min ?? '0');
      const max = BigInt(d.max ?? '0');
      if (n < min || n > max) {
        if (d.kind === 'octal') return { error: `argument must be between ${min.toString(8)} and ${max.toString(8)} inclusive` };
        if (d.kind === 'percent' && n < 0n) return { error: `percentage argument must be less or equal to ${-min}` };
        return { error: `argument must be between ${min} and ${max} inclusive` };
      }
      return { value: d.kind === 'percent' && n < 0n ? `${-n}%` : d.kind === 'octal' ? n.toString(8) : n.toString() };
    }
    case 'special':
      return { value };
  }
}

/**
 * The checks of the multi-argument directives (redis: setConfigSaveOption, setConfigBindOption,
 * setConfigClientOutputBufferLimitOption, ...). Returns the value as CONFIG GET prints it.
 */
export function checkSpecial(d: Directive, args: readonly string[]): { value: string } | { error: string } {
  switch (d.name) {
    case 'save': {
      if (args.length === 1 && args[0] === '') return { value: '' };
      if (args.length % 2 !== 0) return { error: 'Invalid save parameters' };
      for (const a of args) if (intValue(a) === null || BigInt(a) < 0n) return { error: 'Invalid save parameters' };
      return { value: args.join(' ') };
    }
    case 'bind':
      if (args.length > 16) return { error: 'Too many bind addresses specified.' };
      return { value: args.join(' ') };
    case 'replicaof':
      if (args.length !== 2) return { error: 'wrong number of arguments' };
      return { value: args.join(' ') };
    case 'dir':
    case 'notify-keyspace-events':
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      return { value: args[0] };
    case 'oom-score-adj-values':
      if (args.length !== 3) return { error: 'wrong number of arguments' };
      for (const a of args) {
        const n = intValue(a);
        if (n === null || n < -2000n || n > 2000n) return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
      }
      return { value: args.join(' ') };
    default:
      return { value: args.join(' ') };
  }
}
