// redis-server's command line and configuration file for `aofsim serve CONFIGFILE [--name value...]`.
// redis: server.c main (the options after the config file become "name arg..." lines appended to
// the file's text, each argument quoted with sdscatrepr), config.c loadServerConfig (the file, then
// "\n", then the options) and loadServerConfigFromString (one directive per line, split with
// sdssplitargs, comments and blank lines skipped, `include` read in place).
//
// Invariants: a line number in an error counts the lines of that combined text, as Redis's does
// (so an error in an option given on the command line names a line after the file's last line);
// the last occurrence of a directive wins; names are stored under their canonical 7.0 name (aliases
// such as slaveof -> replicaof resolved). aofsim's own directives (`aofsim-profile`,
// `aofsim-bugs`) are accepted next to Redis's.
// Under `aofsim-profile redis-4.0` (found in the file, its includes or the options before anything
// is read) the text is built and read as redis-server 4.0.14 does (redis 4.0.14: server.c main's
// option loop, config.c loadServerConfigFromString): its directives, atoi/strtoll/memtoll numbers,
// its error texts and its header without a version; `save` lines add to the save points (none
// unless given: its main clears them when it is given any argument).

import { splitInlineArgs } from './serve-resp.ts';
import { catRepr } from '../../src/aof/manifest/sds-repr.ts';
import { checkDirectiveValue, checkSpecial, findDirective } from '../../src/server-directives.ts';
import { DIRECTIVES_40, readDirective40, storeKey40 } from '../../src/server-directives-40.ts';
import { NOT_DIRECTIVES_40, cString, findConfigKey, parseStartupValue40 } from '../../src/aof/config-keys.ts';
import { validateAofBaseName } from '../../src/aof/config.ts';
import type { Profile } from '../../src/base/profile.ts';

/** A configuration error, printed as Redis prints it (to stderr) before exiting with status 1. */
export class FatalConfigError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly lineText: string,
    readonly reason: string,
    /** The version its header names (4.0.14's names none). */
    readonly version: '7.0.15' | null = '7.0.15',
  ) {
    super(reason);
  }

  /** redis: loadServerConfigFromString's loaderr block. */
  render(): string {
    const header = this.version === null ? '*** FATAL CONFIG FILE ERROR ***' : `*** FATAL CONFIG FILE ERROR (Redis ${this.version}) ***`;
    return `\n${header}\nReading the configuration file, at line ${this.lineNumber}\n>>> '${this.lineText}'\n${this.reason}\n`;
  }
}

/** A config file that cannot be read: Redis logs this line and exits with status 1. */
export class ConfigFileUnreadable extends Error {}

export interface RedisServerArgs {
  /** The config file path (null when only options were given; '-' reads stdin). */
  configFile: string | null;
  /** The options as config text (redis: the `options` sds of main()). */
  options: string;
  /** The same as redis-server 4.0.14's main() reads the command line. */
  configFile40: string | null;
  options40: string;
}

/**
 * redis 4.0.14: server.c main's argument loop. The first argument is the config file unless it
 * starts with "--"; then every "--name" starts a line and every other argument is quoted onto it
 * (no `--save` without a value special case, no check of what came before).
 */
function redisServerArgs40(argv: readonly string[]): { configFile40: string | null; options40: string } {
  let j = 0;
  let configFile40: string | null = null;
  if (argv.length > 0 && !argv[0].startsWith('--')) configFile40 = argv[j++];
  let options40 = '';
  for (; j < argv.length; j++) {
    const a = argv[j];
    if (a.startsWith('--')) {
      if (a === '--check-rdb') continue;
      if (options40.length > 0) options40 += '\n';
      options40 += a.slice(2) + ' ';
    } else options40 += catRepr(a) + ' ';
  }
  return { configFile40, options40 };
}

/** redis: server.c main's argument loop: the config file, then `--name arg...` as config lines. */
export function redisServerArgs(argv: readonly string[]): RedisServerArgs {
  let j = 0;
  let configFile: string | null = null;
  if (argv.length > 0 && !argv[0].startsWith('-')) {
    configFile = argv[0];
    j = 1;
  }
  let options = '';
  let handledLast = true;
  for (; j < argv.length; j++) {
    const a = argv[j];
    if (a === '-' && (j === 0 || j === argv.length - 1)) {
      configFile = '-';
    } else if (handledLast && a.startsWith('--')) {
      if (options.length > 0) options += '\n';
      options += a.slice(2) + ' ';
      const words = splitInlineArgs(a) ?? [];
      if (words.length === 1) {
        handledLast = false;
        const nextIsOption = j !== argv.length - 1 && argv[j + 1].startsWith('--');
        if (a.toLowerCase() === '--save' && (nextIsOption || j === argv.length - 1)) {
          // `--save` with no value means `save ""` (7.0.1+ keeps the pre-7.0 behaviour).
          options += '""';
          handledLast = true;
        } else if (a.toLowerCase() === '--sentinel' && nextIsOption) handledLast = true;
      } else handledLast = true;
    } else {
      options += catRepr(a) + ' ';
      handledLast = true;
    }
  }
  return { configFile, options, ...redisServerArgs40(argv) };
}

export interface ParsedConfig {
  /** Canonical directive name -> its arguments (last occurrence). */
  directives: Map<string, string[]>;
  /** The value CONFIG GET prints for each directive given (canonical name -> value). */
  values: Map<string, string>;
  /** Directives given that have no effect beyond CONFIG GET (`rename-command`, `user`, ...). */
  inert: string[];
  /** Where each directive was last given (for errors found after loading, like a bad `dir`). */
  where: Map<string, { lineNumber: number; lineText: string }>;
}

export interface ConfigSources {
  /** Reads a config file (the main one or an `include`); throws ConfigFileUnreadable. */
  readFile(path: string): string;
  /** redis: setConfigDirOption's chdir, in directive order: an error text (strerror) or null. */
  chdir(path: string): string | null;
}

/**
 * redis: loadServerConfig + loadServerConfigFromString, as the profile's redis-server does (the
 * profile is the last `aofsim-profile` line of the file, its includes and the options; 7.0 when
 * none). Throws FatalConfigError / ConfigFileUnreadable.
 */
export function loadServerConfig(args: RedisServerArgs, src: ConfigSources): ParsedConfig {
  const out: ParsedConfig = { directives: new Map(), values: new Map(), inert: [], where: new Map() };
  let file = '';
  try {
    file = args.configFile !== null ? src.readFile(args.configFile) : '';
  } catch (e) {
    // 4.0.14 logs no reason (no strerror).
    if (e instanceof ConfigFileUnreadable && scanProfile(args.options, src, 0) === 'redis-4.0') throw new ConfigFileUnreadable(`Fatal error, can't open config file '${args.configFile}'`);
    throw e;
  }
  if (scanProfile(file + '\n' + args.options, src, 0) === 'redis-4.0') {
    const read40 = (path: string): string => {
      try {
        return src.readFile(path);
      } catch (e) {
        // 4.0.14 logs no reason (no strerror).
        if (e instanceof ConfigFileUnreadable) throw new ConfigFileUnreadable(`Fatal error, can't open config file '${path}'`);
        throw e;
      }
    };
    const text40 = (args.configFile40 !== null ? (args.configFile40 === args.configFile ? file : read40(args.configFile40)) : '') + '\n' + args.options40;
    parseConfigText40(text40, { ...src, readFile: read40 }, out, 0);
    return out;
  }
  parseConfigText(file + '\n' + args.options, src, out, 0);
  return out;
}

/** The last `aofsim-profile P` of a config text and the files it includes (unreadable ones and bad lines skipped). */
function scanProfile(text: string, src: ConfigSources, depth: number): Profile | null {
  let profile: Profile | null = null;
  for (const raw of text.split('\n')) {
    const words = splitInlineArgs(raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
    if (words === null || words.length !== 2) continue;
    const name = words[0].toLowerCase();
    if (name === 'aofsim-profile' && (words[1] === 'redis-4.0' || words[1] === 'redis-7.0')) profile = words[1];
    else if (name === 'include' && depth < MAX_INCLUDE_DEPTH) {
      let included: string;
      try {
        included = src.readFile(words[1]);
      } catch {
        continue;
      }
      profile = scanProfile(included, src, depth + 1) ?? profile;
    }
  }
  return profile;
}

/**
 * redis 4.0.14: loadServerConfigFromString. The AOF keys are read as configFromPairs reads them
 * under redis-4.0 (src/aof/config-keys.ts parseStartupValue40), the other directives by
 * readDirective40; each value is kept as 4.0.14's CONFIG GET prints it.
 * DIVERGENCE(redis): include nesting stops at MAX_INCLUDE_DEPTH (4.0.14 recurses until the stack
 * runs out).
 */
function parseConfigText40(text: string, src: ConfigSources, out: ParsedConfig, depth: number): void {
  let slaveofAt: { lineNumber: number; lineText: string } | null = null;
  const current = (name40: string): string => {
    const v = out.values.get(storeKey40(name40));
    if (v !== undefined) return v;
    return name40 === 'save' ? '' : (DIRECTIVES_40.find((d) => d.name === name40)?.def ?? '');
  };
  for (const { lineNumber, line } of directiveLines(text)) {
    const fail = (reason: string): never => {
      throw new FatalConfigError(lineNumber, line, reason, null);
    };
    const argv = splitInlineArgs(line);
    if (argv === null) fail('Unbalanced quotes in configuration line');
    const words = (argv as string[]).slice();
    if (words.length === 0) continue;
    const name = words[0].toLowerCase();
    words[0] = name;
    const where = { lineNumber, lineText: line };
    const keep = (key: string, args: string[], value: string): void => {
      out.directives.set(key, args);
      out.values.set(key, value);
      out.where.set(key, where);
    };
    if (AOFSIM_DIRECTIVES.has(name) && words.length === 2) {
      out.directives.set(name, words.slice(1));
      out.where.set(name, where);
      continue;
    }
    if (name === 'include' && words.length === 2) {
      if (depth >= MAX_INCLUDE_DEPTH) fail('include nesting too deep');
      parseConfigText40(src.readFile(words[1]), src, out, depth + 1);
      continue;
    }
    if (name === 'dir' && words.length === 2) {
      const err = src.chdir(words[1]);
      // 4.0.14 logs this and exits: not a FATAL CONFIG FILE ERROR block.
      if (err !== null) throw new ConfigFileUnreadable(`Can't chdir to '${words[1]}': ${err}`);
      keep('dir', [words[1]], words[1]);
      continue;
    }
    const k = findConfigKey(name);
    if (k !== undefined && k.kind !== 'profile' && !NOT_DIRECTIVES_40.has(k.name) && words.length === 2) {
      if (k.name === 'appendfilename') {
        const v = cString(words[1]);
        if (/[/\\]/.test(v)) fail("appendfilename can't be a path, just a filename");
        keep(k.name, [v], v);
        continue;
      }
      const r = parseStartupValue40(k, words[1]);
      if ('error' in r) fail(r.error);
      else {
        const v = r.exact !== undefined ? r.exact.toString() : typeof r.value === 'boolean' ? (r.value ? 'yes' : 'no') : String(r.value);
        keep(k.name, [v], v);
      }
      continue;
    }
    const r = readDirective40(words, { current });
    if (r === null) fail('Bad directive or wrong number of arguments');
    else if ('error' in r) fail(r.error);
    else if ('inert' in r) {
      if (!out.inert.includes(r.inert)) out.inert.push(r.inert);
    } else if ('set' in r) {
      keep(r.set, r.set === 'bind' ? words.slice(1) : r.value.split(r.set === 'replicaof' ? ' ' : '\0'), r.value);
      if (r.set === 'replicaof') slaveofAt = where;
    }
  }
  if (depth === 0 && slaveofAt !== null && out.values.get('cluster-enabled') === 'yes') {
    throw new FatalConfigError(slaveofAt.lineNumber, slaveofAt.lineText, 'slaveof directive not allowed in cluster mode', null);
  }
}

const AOFSIM_DIRECTIVES = new Set(['aofsim-profile', 'aofsim-bugs']);
const MAX_INCLUDE_DEPTH = 16;

/** The lines of a config file that hold a directive (blank lines and comments left out), trimmed as loadServerConfigFromString trims them. */
function* directiveLines(text: string): Generator<{ lineNumber: number; line: string }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line !== '' && !line.startsWith('#')) yield { lineNumber: i + 1, line };
  }
}

function parseConfigText(text: string, src: ConfigSources, out: ParsedConfig, depth: number): void {
  for (const { lineNumber, line } of directiveLines(text)) {
    const fail = (reason: string): never => {
      throw new FatalConfigError(lineNumber, line, reason);
    };
    const argv = splitInlineArgs(line);
    if (argv === null) fail('Unbalanced quotes in configuration line');
    const words = argv as string[];
    if (words.length === 0) continue;
    const name = words[0].toLowerCase();
    const d = findDirective(name);
    if (d !== undefined) {
      const multiArg = d.kind === 'special' || d.multi === true;
      if (!multiArg && words.length !== 2) fail('wrong number of arguments');
      let rest = words.slice(1);
      // A multi-argument directive given one non-empty argument is split again (`--save "900 1"`).
      if (multiArg && rest.length === 1 && rest[0] !== '') rest = splitInlineArgs(rest[0]) ?? rest;
      const r = multiArg && d.kind === 'special' ? checkSpecial(d, rest) : checkDirectiveValue(d, rest.join(' '));
      if ('error' in r) fail(r.error);
      else if (d.name === 'appendfilename' || d.name === 'appenddirname') {
        // redis: isValidAOFfilename / isValidAOFdirname run as the line is read: empty, or not a
        // base name (pathIsBaseName: no '/' or '\\'). ('.' and '..' pass here, as in Redis.)
        const bad = r.value === '' || /[/\\]/.test(r.value) ? validateAofBaseName(d.name, r.value) : null;
        if (bad !== null) fail(bad);
      } else if (d.name === 'dir') {
        const err = src.chdir(rest[0]);
        if (err !== null) fail(err);
      }
      if ('value' in r) {
        out.directives.set(d.name, rest);
        out.values.set(d.name, r.value);
        out.where.set(d.name, { lineNumber, lineText: line });
      }
      continue;
    }
    if (AOFSIM_DIRECTIVES.has(name) && words.length === 2) {
      out.directives.set(name, words.slice(1));
      out.where.set(name, { lineNumber, lineText: line });
      continue;
    }
    // redis: deprecated directives accepted and ignored.
    if ((name === 'list-max-ziplist-entries' || name === 'list-max-ziplist-value' || name === 'lua-replicate-commands') && words.length === 2) continue;
    if (name === 'include' && words.length === 2) {
      if (depth >= MAX_INCLUDE_DEPTH) fail('include nesting too deep');
      parseConfigText(src.readFile(words[1]), src, out, depth + 1);
      continue;
    }
    if ((name === 'rename-command' && words.length === 3) || (name === 'user' && words.length >= 2) || (name === 'loadmodule' && words.length >= 2)) {
      if (!out.inert.includes(name)) out.inert.push(name);
      continue;
    }
    if (name === 'sentinel') fail('sentinel directive while not in sentinel mode');
    fail('Bad directive or wrong number of arguments');
  }
}
