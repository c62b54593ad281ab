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

import { splitInlineArgs } from './serve-resp.ts';
import { catRepr } from '../../src/aof/manifest/sds-repr.ts';
import { checkDirectiveValue, checkSpecial, findDirective } from '../../src/server-directives.ts';
import { validateAofBaseName } from '../../src/aof/config.ts';

/** A configuration error, printed as Redis prints it (to stderr) before exiting with status 1. */
export class FatalConfigError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly lineText: string,
    readonly reason: string,
  ) {
    super(reason);
  }

  /** redis: loadServerConfigFromString's loaderr block. */
  render(): string {
    return `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line ${this.lineNumber}\n>>> '${this.lineText}'\n${this.reason}\n`;
  }
}

/** A config file that cannot be read: Redis logs this line and exits with status 1. */
export class ConfigFileUnreadable extends Error {}

export interface RedisServerArgs {
  /** The config file path (null when only options were given; '-' reads stdin). */
  configFile: string | null;
  /** The options as config text (redis: the `options` sds of main()). */
  options: string;
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
  return { configFile, options };
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

/** redis: loadServerConfig + loadServerConfigFromString. Throws FatalConfigError / ConfigFileUnreadable. */
export function loadServerConfig(args: RedisServerArgs, src: ConfigSources): ParsedConfig {
  let text = args.configFile !== null ? src.readFile(args.configFile) : '';
  text += '\n' + args.options;
  const out: ParsedConfig = { directives: new Map(), values: new Map(), inert: [], where: new Map() };
  parseConfigText(text, src, out, 0);
  return out;
}

const AOFSIM_DIRECTIVES = new Set(['aofsim-profile', 'aofsim-bugs']);
const MAX_INCLUDE_DEPTH = 16;

function parseConfigText(text: string, src: ConfigSources, out: ParsedConfig, depth: number): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const fail = (reason: string): never => {
      throw new FatalConfigError(i + 1, line, reason);
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
        out.where.set(d.name, { lineNumber: i + 1, lineText: line });
      }
      continue;
    }
    if (AOFSIM_DIRECTIVES.has(name) && words.length === 2) {
      out.directives.set(name, words.slice(1));
      out.where.set(name, { lineNumber: i + 1, lineText: line });
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
