// `aofsim serve` started the way a harness starts redis-server: `aofsim serve CONFIGFILE
// [--name value...]` (or only `--name value` options), every redis-server 7.0 directive accepted.
// redis: server.c main (config, then the startup log lines), serverLogRaw (the log line format
// "pid:role dd Mon yyyy hh:mm:ss.mmm <level char> message", levels filtered by `loglevel`, written to
// `logfile` or stdout), createPidFile.
//
// What is honoured: port (0 = no TCP listener, as in Redis), bind, unixsocket, unixsocketperm, dir,
// logfile, loglevel, pidfile, enable-debug-command, the AOF and RDB directives (save points default
// to redis-server's), hz (clamped to 1..500 as
// Redis does), lazyfree-lazy-expire, lazyfree-lazy-server-del, and aofsim's `aofsim-profile`
// (default redis-7.0 in this form) and `aofsim-bugs`. Every other directive is validated like
// Redis, kept for CONFIG GET, and named once in the log as not modelled.
//
// Invariants: relative logfile, pidfile and unixsocket paths resolve against `dir` (Redis chdirs
// into `dir` while loading its config and opens them afterwards); nothing touches the disk before
// the whole configuration was accepted.

import { appendFileSync, readFileSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { Log, LogLevel } from '../../src/ports/log.ts';
import type { Profile } from '../../src/base/profile.ts';
import type { ServerOptions } from '../../src/server.ts';
import { AOF_CONFIG_KEYS } from '../../src/aof/config-keys.ts';
import { RDB_DIRECTIVES, REDIS_DEFAULT_SAVE } from '../../src/persistence/rdb-config.ts';
import { ConfigFileUnreadable, FatalConfigError, loadServerConfig, redisServerArgs } from './serve-config.ts';
import type { ServeOptions } from './serve.ts';

/** Serve's own options in its original form (`--port N --dir D ...`); anything else is redis-server's form. */
const OWN_OPTIONS = new Set(['--port', '--dir', '--profile', '--config', '--quiet', '--help', '-h']);

/** True when `args` use redis-server's command line (a config file, or a directive serve does not know as an option). */
export function isRedisServerForm(args: readonly string[]): boolean {
  if (args.length === 0) return false;
  if (!args[0].startsWith('-') || args[0] === '-') return true;
  return args.some((a) => a.startsWith('-') && !OWN_OPTIONS.has(a) && a.startsWith('--'));
}

/** What the redis-server form adds to ServeOptions. */
export interface RedisForm {
  configFile: string | null;
  /** Listen addresses for TCP (port 0: none); an optional one may be missing on this host. */
  bind: { addr: string; optional: boolean }[];
  unixsocket: string | null;
  unixsocketperm: number;
  pidfile: string | null;
  logfile: string | null;
  serverOptions: ServerOptions;
  /** Names of the directives given that aofsim accepts but does not model. */
  notModelled: string[];
}

/** The directives whose meaning aofsim models (the others are only kept for CONFIG GET). */
const MODELLED = new Set([
  ...AOF_CONFIG_KEYS.map((k) => k.name),
  'port',
  'bind',
  'unixsocket',
  'unixsocketperm',
  'logfile',
  'loglevel',
  'pidfile',
  'enable-debug-command',
  'lazyfree-lazy-expire',
  'lazyfree-lazy-server-del',
  'daemonize',
  'aofsim-profile',
  'aofsim-bugs',
]);

const readConfigFile = (path: string): string => {
  try {
    return readFileSync(path === '-' ? 0 : path, 'latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.code === 'EISDIR' ? 'Is a directory' : err.message;
    throw new ConfigFileUnreadable(`Fatal error, can't open config file '${path}': ${why}`);
  }
};

/**
 * redis-server's command line into ServeOptions. Throws FatalConfigError (print its render() to
 * stderr, exit 1) or ConfigFileUnreadable (one log line, exit 1).
 */
export function parseRedisServeArgs(args: readonly string[], cwd: string): ServeOptions {
  const rargs = redisServerArgs(args);
  let dir = cwd;
  const chdir = (path: string): string | null => {
    const next = nodePath.resolve(dir, path);
    const st = statSync(next, { throwIfNoEntry: false });
    if (!st) return 'No such file or directory';
    if (!st.isDirectory()) return 'Not a directory';
    dir = next;
    return null;
  };
  const cfg = loadServerConfig(rargs, { readFile: readConfigFile, chdir });
  const one = (name: string): string | undefined => cfg.directives.get(name)?.[0];
  const fatalAt = (name: string, reason: string): never => {
    const w = cfg.where.get(name) ?? { lineNumber: 0, lineText: '' };
    throw new FatalConfigError(w.lineNumber, w.lineText, reason);
  };
  const inDir = (p: string | undefined): string | null => (p === undefined || p === '' ? null : nodePath.resolve(dir, p));
  const logfile = inDir(one('logfile'));
  if (logfile !== null) {
    try {
      appendFileSync(logfile, '');
    } catch (e) {
      fatalAt('logfile', `Can't open the log file: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
    }
  }

  const aofPairs: [string, string][] = [];
  for (const k of AOF_CONFIG_KEYS) {
    if (k.name === 'dir' || k.name === 'aofsim-profile') continue;
    const v = cfg.values.get(k.name);
    if (v === undefined) continue;
    // redis: hz is clamped to CONFIG_MIN_HZ..CONFIG_MAX_HZ, not refused.
    aofPairs.push([k.name, k.name === 'hz' ? String(Math.min(500, Math.max(1, Number(v)))) : v]);
  }
  const bugs = one('aofsim-bugs');
  if (bugs !== undefined) aofPairs.push(['bugs', bugs]);
  const profileText = one('aofsim-profile') ?? 'redis-7.0';
  if (profileText !== 'redis-7.0' && profileText !== 'redis-4.0') fatalAt('aofsim-profile', 'argument must be redis-4.0 or redis-7.0');
  const profile = profileText as Profile;

  const others = new Map<string, string>();
  const notModelled: string[] = [...cfg.inert];
  for (const [name, value] of cfg.values) {
    // The modelled ones too (loglevel, unixsocketperm, lazyfree-*, ...): CONFIG GET answers them from here.
    if (!AOF_CONFIG_KEYS.some((k) => k.name === name)) others.set(name, value);
    if (MODELLED.has(name)) continue;
    // The RDB directives are read from the same table (src/persistence/rdb-config.ts).
    if (!(RDB_DIRECTIVES as readonly string[]).includes(name)) notModelled.push(name);
  }
  // redis-server 7.0's save points when the config gives none (4.0.14's main clears them whenever
  // it is given an argument: none unless given).
  if (!others.has('save') && profile === 'redis-7.0') others.set('save', REDIS_DEFAULT_SAVE);
  if (one('daemonize') === 'yes') notModelled.push('daemonize');
  const flag = (name: string): boolean | undefined => (cfg.values.has(name) ? cfg.values.get(name) === 'yes' : undefined);
  const port = Number(one('port') ?? '6379');
  // DIVERGENCE(redis): without `bind`, loopback only (Redis's default `* -::*` listens everywhere).
  const bind = (cfg.directives.get('bind') ?? ['127.0.0.1']).filter((a) => a !== '' && a !== '-');
  const redis: RedisForm = {
    configFile: rargs.configFile,
    bind: bind.map((a) => {
      const addr = a.replace(/^-/, '');
      return { addr: addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr, optional: a.startsWith('-') };
    }),
    unixsocket: inDir(one('unixsocket')),
    unixsocketperm: Number.parseInt(cfg.values.get('unixsocketperm') ?? '0', 8),
    pidfile: inDir(one('pidfile')),
    logfile,
    serverOptions: {
      // 4.0.14 has no enable-debug-command: DEBUG is always there.
      enableDebugCommand: profile === 'redis-4.0' || (cfg.values.get('enable-debug-command') ?? 'no') !== 'no',
      lazyfreeLazyExpire: flag('lazyfree-lazy-expire'),
      lazyfreeLazyServerDel: flag('lazyfree-lazy-server-del'),
      directives: others,
    },
    notModelled,
  };
  return {
    port,
    dir,
    profile,
    config: aofPairs,
    quiet: false,
    logLevel: (cfg.values.get('loglevel') ?? 'notice') as LogLevel,
    redis,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };

/**
 * redis: serverLogRaw's timestamp, local time: 7.0 "06 Dec 2026 17:32:25.019" (strftime "%d %b %Y
 * %H:%M:%S."), 4.0.14 "06 Dec 17:32:25.019" (no year).
 */
export function redisLogTime(d: Date, withYear = true): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const year = withYear ? ` ${d.getFullYear()}` : '';
  return `${p2(d.getDate())} ${MONTHS[d.getMonth()]}${year} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The log of `aofsim serve --port`: stdout, ISO times, `role` M for the server and C for a child. */
export function consoleLog(quiet: boolean, minLevel: LogLevel, role = 'M'): Log {
  return {
    log(level, message) {
      if (quiet || LEVEL_RANK[level] < LEVEL_RANK[minLevel]) return;
      process.stdout.write(`${process.pid}:${role} ${new Date().toISOString()} ${LEVEL_CHAR[level]} ${message}\n`);
    },
    mark() {},
  };
}

/** A Log writing Redis's line format; `role` is 'C' while loading the config, then 'M'. */
export class RedisLog implements Log {
  role = 'C';
  constructor(
    private readonly file: string | null,
    private readonly minLevel: LogLevel,
    private readonly pid: number,
    private readonly profile: Profile = 'redis-7.0',
  ) {}
  log(level: LogLevel, message: string): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.minLevel]) return;
    this.write(`${this.pid}:${this.role} ${redisLogTime(new Date(), this.profile === 'redis-7.0')} ${LEVEL_CHAR[level]} ${message}\n`);
  }
  /** redis: serverLogFromHandler ("PID:signal-handler (unixtime) message"), warnings only. */
  fromHandler(message: string): void {
    if (LEVEL_RANK.warning < LEVEL_RANK[this.minLevel]) return;
    this.write(`${this.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${message}\n`);
  }
  mark(): void {}
  private write(line: string): void {
    if (this.file === null) process.stdout.write(line);
    else appendFileSync(this.file, line);
  }
}

