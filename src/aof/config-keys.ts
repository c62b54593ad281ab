// The AOF config keys by their redis.conf names, for CONFIG GET/SET and `--config key value`.
// redis: config.c standardConfig entries (createBoolConfig / createEnumConfig / createIntConfig /
// createOffTConfig / createStringConfig) and their 7.0 CONFIG SET error texts; and, for the
// redis-4.0 profile, 4.0.14's config.c configSetCommand / configGetCommand (the config_set_*_field
// macros, util.c memtoll and string2ll, object.c getLongLongFromObject) and, for startup pairs,
// its loadServerConfigFromString (atoi, memtoll with its error ignored).
//
// Invariants: every key maps to one AofConfig field; immutable keys (appendfilename, appenddirname,
// dir, profile) can be given at startup only; values are validated exactly like CONFIG SET does
// (at startup: like each version's config file reader, configFromPairs).
// `appendonly` is special at runtime: the server turns it into startAppendOnly/stopAppendOnly.
// The 4.0 rules (parseConfigValue40, configGet40, configFromPairs under redis-4.0) are separate
// functions; both versions match CONFIG GET patterns with the one stringmatch (util.c).
// A memory value past 2^53 is kept as a number (its double) plus the exact bigint (`exact`), which
// CONFIG GET prints while the field still holds that double.

import type { Profile } from '../base/profile.ts';
import { cStrtolString } from './check/c-strtol.ts';
import type { AofConfig } from './config.ts';
import { cString } from '../base/c-string.ts';

type Kind = 'bool' | 'fsync' | 'int' | 'mem' | 'string' | 'profile';

interface KeyDef {
  name: string;
  field: keyof AofConfig;
  kind: Kind;
  mutable: boolean;
  min?: number;
  max?: number;
  /** CONFIG SET keeps a value in range [lo, hi] after checking it against min/max. */
  clamp?: readonly [number, number];
}

export const AOF_CONFIG_KEYS: readonly KeyDef[] = [
  { name: 'appendonly', field: 'appendonly', kind: 'bool', mutable: true },
  { name: 'appendfsync', field: 'appendfsync', kind: 'fsync', mutable: true },
  { name: 'appendfilename', field: 'appendfilename', kind: 'string', mutable: false },
  { name: 'appenddirname', field: 'appenddirname', kind: 'string', mutable: false },
  { name: 'aof-use-rdb-preamble', field: 'aofUseRdbPreamble', kind: 'bool', mutable: true },
  { name: 'aof-load-truncated', field: 'aofLoadTruncated', kind: 'bool', mutable: true },
  { name: 'aof-timestamp-enabled', field: 'aofTimestampEnabled', kind: 'bool', mutable: true },
  { name: 'auto-aof-rewrite-percentage', field: 'autoAofRewritePercentage', kind: 'int', mutable: true, min: 0, max: 2147483647 },
  { name: 'auto-aof-rewrite-min-size', field: 'autoAofRewriteMinSizeBytes', kind: 'mem', mutable: true },
  { name: 'aof-rewrite-incremental-fsync', field: 'aofRewriteIncrementalFsync', kind: 'bool', mutable: true },
  { name: 'no-appendfsync-on-rewrite', field: 'noAppendfsyncOnRewrite', kind: 'bool', mutable: true },
  { name: 'aof-disable-auto-gc', field: 'aofDisableAutoGc', kind: 'bool', mutable: true },
  { name: 'dir', field: 'dir', kind: 'string', mutable: false },
  // CONFIG SET hz takes 0..INT_MAX and keeps it within 1..500 (redis: createIntConfig hz, CONFIG_MIN_HZ / CONFIG_MAX_HZ).
  { name: 'hz', field: 'hz', kind: 'int', mutable: true, min: 0, max: 2147483647, clamp: [1, 500] },
  { name: 'aofsim-profile', field: 'profile', kind: 'profile', mutable: false },
];

export function findConfigKey(name: string): KeyDef | undefined {
  const n = name.toLowerCase();
  return AOF_CONFIG_KEYS.find((k) => k.name === n);
}

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

const MEM_UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };

/** redis: memtoull ("64mb" -> 67108864). null when not a memory value. */
export function parseMemory(s: string): number | null {
  const m = /^(\d+)([a-z]*)$/i.exec(s);
  if (!m) return null;
  const unit = MEM_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : null;
}

/** The value of a key as CONFIG GET prints it. */
export function formatConfigValue(cfg: AofConfig, k: KeyDef): string {
  const v = cfg[k.field];
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/**
 * Parses `value` for key `k` as 7.0's CONFIG SET does; returns the parsed value or an error text
 * (7.0 wording after ' - '). `exact` is the stored value when a double cannot hold it
 * (auto-aof-rewrite-min-size past 2^53, an off_t in Redis), for CONFIG GET to print.
 */
export function parseConfigValue(k: KeyDef, value: string): { value: unknown; exact?: bigint } | { error: string } {
  switch (k.kind) {
    case 'bool': {
      const v = value.toLowerCase();
      if (v === 'yes') return { value: true };
      if (v === 'no') return { value: false };
      return { error: "argument must be 'yes' or 'no'" };
    }
    case 'fsync': {
      const v = value.toLowerCase();
      if (v === 'always' || v === 'everysec' || v === 'no') return { value: v };
      // The words in the order of Redis's enum table (aof_fsync_enum), as CONFIG SET lists them.
      return { error: 'argument(s) must be one of the following: everysec, always, no' };
    }
    case 'int': {
      // string2ll: an optional '-', no '+', no blanks, no leading zeros, within 64 bits.
      if (!/^(0|-?[1-9]\d*)$/.test(value) || BigInt(value) > INT64_MAX || BigInt(value) < -INT64_MAX - 1n) {
        return { error: "argument couldn't be parsed into an integer" };
      }
      const n = Number(value);
      if ((k.min !== undefined && n < k.min) || (k.max !== undefined && n > k.max)) {
        return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      }
      return { value: k.clamp === undefined ? n : Math.min(k.clamp[1], Math.max(k.clamp[0], n)) };
    }
    case 'mem': {
      // memtoull, then the off_t bounds: the digits may be missing ("" and "mb" are 0); the product
      // wraps at 64 bits as in C and is read as a signed long long.
      const m = /^(\d*)([a-z]*)$/i.exec(value);
      const unit = m === null ? undefined : MEM_UNITS[m[2]!.toLowerCase()];
      if (m === null || unit === undefined || m[1]!.length >= 128) return { error: 'argument must be a memory value' };
      const digits = m[1] === '' ? 0n : BigInt(m[1]!);
      let v = ((digits > UINT64_MAX ? UINT64_MAX : digits) * BigInt(unit)) & UINT64_MAX;
      if (v > INT64_MAX) v -= 1n << 64n;
      if (v < BigInt(k.min ?? 0) || v > INT64_MAX) return { error: `argument must be between ${k.min ?? 0} and ${INT64_MAX} inclusive` };
      return withExact(v);
    }
    case 'profile':
      if (value === 'redis-4.0' || value === 'redis-7.0') return { value };
      return { error: 'argument must be redis-4.0 or redis-7.0' };
    case 'string':
      return { value };
  }
}

/** A 64-bit value as the config field holds it: a number, plus the exact value past 2^53. */
function withExact(v: bigint): { value: number; exact?: bigint } {
  const n = Number(v);
  return Number.isSafeInteger(n) ? { value: n } : { value: n, exact: v };
}

/** Values a double cannot hold, by field (see parseConfigValue's `exact`). */
export type ExactValues = ReadonlyMap<keyof AofConfig, bigint>;

/** The value of a key as CONFIG GET prints it: the exact value while the field still holds its double. */
function formatWithExact(cfg: AofConfig, k: KeyDef, exact: ExactValues): string {
  const big = exact.get(k.field);
  return big !== undefined && Number(big) === cfg[k.field] ? big.toString() : formatConfigValue(cfg, k);
}

/**
 * redis 7.0.15 configGetCommand: whether the argument `arg` of CONFIG GET names the config `name`
 * (a canonical name or an alias, in lower case). An argument with `[`, `*` or `?` (strpbrk, so
 * before any NUL) is a pattern, matched by stringmatch on the C string; anything else is one name,
 * looked up in any case (`d\ir` names nothing, where the 4.0.14 matcher finds dir).
 * DIVERGENCE(redis): an argument without a glob but with a NUL is hashed by its whole length and
 * compared as a C string by 7.0.15's dict, so whether `hz\0x` finds hz depends on the bucket;
 * aofsim compares the whole argument (no match).
 */
export function configGetMatches70(arg: string, name: string): boolean {
  const c = cString(arg);
  return /[[*?]/.test(c) ? stringmatch(c, name) : arg.toLowerCase() === name;
}

/** redis 7.0.15 configGetCommand over the AOF keys: name/value pairs of the keys `arg` names (canonical names). */
export function configGet(cfg: AofConfig, arg: string, exact: ExactValues = new Map()): [string, string][] {
  const out: [string, string][] = [];
  for (const k of AOF_CONFIG_KEYS) if (configGetMatches70(arg, k.name)) out.push([k.name, formatWithExact(cfg, k, exact)]);
  return out;
}

// ---- redis 4.0.14: configSetCommand / configGetCommand ------------------------------------------

/**
 * The AOF keys 4.0.14's CONFIG SET and CONFIG GET know. appendfilename is a config-file directive
 * only there (CONFIG SET: "Unsupported CONFIG parameter", CONFIG GET: nothing); appenddirname,
 * aof-timestamp-enabled and aof-disable-auto-gc do not exist before 7.0.
 */
const KEYS_40: ReadonlySet<string> = new Set([
  'appendonly',
  'appendfsync',
  'aof-use-rdb-preamble',
  'aof-load-truncated',
  'auto-aof-rewrite-percentage',
  'auto-aof-rewrite-min-size',
  'aof-rewrite-incremental-fsync',
  'no-appendfsync-on-rewrite',
  'dir',
  'hz',
]);

/** Whether redis 4.0.14's CONFIG SET / CONFIG GET know key `k` (aofsim-profile is aofsim's own). */
export function isKey40(k: KeyDef): boolean {
  return KEYS_40.has(k.name);
}

// 4.0.14's CONFIG SET compares the name with strcasecmp, reads booleans, enums and memory values as
// C strings (cString) and prints name and value with %s; only getLongLongFromObject looks at the
// whole sds (string2ll).
export { cString } from '../base/c-string.ts';

const INT64_MIN = -INT64_MAX - 1n;

/** redis 4.0.14: util.c string2ll (no '+', no blanks, no leading zeros, no "-0", within 64 bits). */
export function string2ll(s: string): bigint | null {
  if (!/^(0|-?[1-9]\d*)$/.test(s)) return null;
  const v = BigInt(s);
  return v > INT64_MAX || v < INT64_MIN ? null : v;
}

const MEM_UNITS_BIG: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };

/**
 * redis 4.0.14: util.c memtoll, null where it sets *err. The scan steps over one optional '-' and
 * the digits; what follows must be a unit (any case) or nothing. The scanned text (fewer than 128
 * bytes) goes to strtoll, which must use all of it: "" is 0 (no digits, no error), "-" is an error,
 * and a number past 64 bits saturates to LLONG_MIN/LLONG_MAX (ERANGE is not checked). Then
 * val*mul, which wraps at 64 bits on the machines Redis runs on.
 */
export function memtoll40(value: string): bigint | null {
  const s = cString(value);
  const m = /^(-?\d*)([^]*)$/.exec(s)!;
  const digits = m[1]!;
  const mul = Object.hasOwn(MEM_UNITS_BIG, m[2]!.toLowerCase()) ? MEM_UNITS_BIG[m[2]!.toLowerCase()]! : undefined;
  if (mul === undefined || digits.length >= 128 || digits === '-') return null;
  let v = digits === '' ? 0n : BigInt(digits);
  if (v > INT64_MAX) v = INT64_MAX;
  if (v < INT64_MIN) v = INT64_MIN;
  return BigInt.asIntN(64, v * mul);
}

/** redis 4.0.14: config.c yesnotoi on the C string (strcasecmp). */
function yesnotoi(value: string): boolean | null {
  const v = cString(value).toLowerCase();
  return v === 'yes' ? true : v === 'no' ? false : null;
}

/**
 * What 4.0.14's CONFIG SET stores for AOF key `k` (one of isKey40), or null where it answers
 * "Invalid argument" (its badfmt). `exact` is the stored value when a double cannot hold it
 * (auto-aof-rewrite-min-size past 2^53), for CONFIG GET to print.
 * - booleans (config_set_bool_field, and appendonly's special field): yesnotoi;
 * - appendfsync (config_set_enum_field): the three words in any case;
 * - auto-aof-rewrite-percentage and hz (config_set_numerical_field with min 0, max LLONG_MAX):
 *   string2ll, then `ll < 0` is refused and no upper bound is checked; the long long is assigned to
 *   the `int` field, so it keeps its low 32 bits as a signed int (2^31 is INT_MIN, 2^32 is 0).
 *   hz is then kept within 1..500 (2^31 -> 1, 2^32 + 7 -> 7), the percentage is not: it can be
 *   stored negative (serverCron's auto rewrite then runs whenever the file is past the min size);
 * - auto-aof-rewrite-min-size (config_set_memory_field): memtoll, refused when < 0.
 * dir is not parsed here: 4.0.14 chdir()s to it (the server refuses it, see configCommand40).
 */
export function parseConfigValue40(k: KeyDef, value: string): { value: unknown; exact?: bigint } | null {
  switch (k.kind) {
    case 'bool': {
      const yn = yesnotoi(value);
      return yn === null ? null : { value: yn };
    }
    case 'fsync': {
      const v = cString(value).toLowerCase();
      return v === 'always' || v === 'everysec' || v === 'no' ? { value: v } : null;
    }
    case 'int': {
      const ll = string2ll(value);
      if (ll === null || ll < 0n) return null;
      const n = Number(BigInt.asIntN(32, ll));
      return { value: k.clamp === undefined ? n : Math.min(k.clamp[1], Math.max(k.clamp[0], n)) };
    }
    case 'mem': {
      const ll = memtoll40(value);
      if (ll === null || ll < 0n) return null;
      return withExact(ll);
    }
    case 'string':
    case 'profile':
      throw new Error(`parseConfigValue40: ${k.name} is not a value 4.0.14's CONFIG SET parses`);
  }
}

/** A byte as C's `char` holds it on the machines Redis runs on (signed), lowered as tolower does in the C locale. */
function lowerSignedChar(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  return code >= 128 ? code - 256 : code;
}

/**
 * redis: util.c stringmatchlen with nocase, as CONFIG GET calls it (stringmatch: both are C
 * strings, so a read one past the end sees the NUL). `*`, `?`, `[...]` with `^`, ranges (either
 * way round) and `\` escapes (compared without folding case inside a class), `\` outside a class
 * escaping the next byte; an unterminated class ends at the end of the pattern.
 * 4.0.14 and 7.0.15 answer alike: 7.0's stringmatchlen_impl differs only by skipLongerMatches, which
 * gives up early once the rest of the pattern after a `*` matched no suffix of the string (every
 * other pattern element takes exactly one byte, so an earlier `*` taking more cannot help), and by
 * checking patternLen before it reads pattern[1], which for a C string is the NUL either way.
 */
export function stringmatch(pattern: string, str: string): boolean {
  const p = Array.from(pattern, (c) => c.charCodeAt(0));
  const s = Array.from(str, (c) => c.charCodeAt(0));
  const signed = (c: number): number => (c >= 128 ? c - 256 : c);
  const match = (pi: number, plen: number, si: number, slen: number): boolean => {
    const P = (k: number): number => (pi + k < p.length ? p[pi + k]! : 0);
    const S = (k: number): number => (si + k < s.length ? s[si + k]! : 0);
    while (plen !== 0 && slen !== 0) {
      const c = P(0);
      if (c === 42 /* * */) {
        while (P(1) === 42) {
          pi++;
          plen--;
        }
        if (plen === 1) return true;
        while (slen !== 0) {
          if (match(pi + 1, plen - 1, si, slen)) return true;
          si++;
          slen--;
        }
        return false;
      } else if (c === 63 /* ? */) {
        si++;
        slen--;
      } else if (c === 91 /* [ */) {
        pi++;
        plen--;
        const not = P(0) === 94; /* ^ */
        if (not) {
          pi++;
          plen--;
        }
        let hit = false;
        for (;;) {
          if (P(0) === 92 /* \ */ && plen >= 2) {
            pi++;
            plen--;
            if (P(0) === S(0)) hit = true;
          } else if (P(0) === 93 /* ] */) {
            break;
          } else if (plen === 0) {
            pi--;
            plen++;
            break;
          } else if (P(1) === 45 /* - */ && plen >= 3) {
            let start = signed(P(0));
            let end = signed(P(2));
            if (start > end) [start, end] = [end, start];
            const ch = lowerSignedChar(S(0));
            if (ch >= lowerSignedChar(start & 0xff) && ch <= lowerSignedChar(end & 0xff)) hit = true;
            pi += 2;
            plen -= 2;
          } else if (lowerSignedChar(P(0)) === lowerSignedChar(S(0))) {
            hit = true;
          }
          pi++;
          plen--;
        }
        if (not) hit = !hit;
        if (!hit) return false;
        si++;
        slen--;
      } else {
        if (c === 92 /* \ */ && plen >= 2) {
          pi++;
          plen--;
        }
        if (lowerSignedChar(P(0)) !== lowerSignedChar(S(0))) return false;
        si++;
        slen--;
      }
      pi++;
      plen--;
      if (slen === 0) {
        while (P(0) === 42) {
          pi++;
          plen--;
        }
        break;
      }
    }
    return plen === 0 && slen === 0;
  };
  return match(0, p.length, 0, s.length);
}

/**
 * 4.0.14's CONFIG GET of the AOF keys matching `pattern` (stringmatch): the keys it knows (isKey40) plus
 * aofsim-profile, by canonical name. appendonly is "yes" whenever the AOF is not off (configGetCommand
 * reads server.aof_state, so WAIT_REWRITE is "yes"); a value CONFIG SET stored beyond a double is
 * printed from `exact` when the field still holds it.
 * DIVERGENCE(redis): 4.0.14 prints getcwd() for dir, an absolute path; aofsim prints the dir it was
 * given (a simulated server has no working directory of its own), so a relative dir stays relative.
 */
export function configGet40(cfg: AofConfig, pattern: string, aofOn: boolean, exact: ExactValues): [string, string][] {
  const out: [string, string][] = [];
  for (const k of AOF_CONFIG_KEYS) {
    if ((!isKey40(k) && k.kind !== 'profile') || !stringmatch(pattern, k.name)) continue;
    out.push([k.name, k.field === 'appendonly' ? (aofOn ? 'yes' : 'no') : formatWithExact(cfg, k, exact)]);
  }
  return out;
}

/** The keys 4.0.14's config file does not know ("Bad directive or wrong number of arguments"). */
export const NOT_DIRECTIVES_40: ReadonlySet<string> = new Set(['appenddirname', 'aof-timestamp-enabled', 'aof-disable-auto-gc']);

/** redis 4.0.14: atoi, i.e. (int)strtol: blanks, a sign, the digits up to the first other byte (none: 0), saturated to 64 bits, then the low 32 bits. */
export function atoi40(value: string): bigint {
  const r = cStrtolString(value);
  return BigInt.asIntN(32, r.big ?? BigInt(r.value));
}

/**
 * One startup pair under redis-4.0, as 4.0.14's config.c loadServerConfigFromString reads its
 * directive (the texts are its `err` strings):
 * - booleans: yesnotoi; appendfsync: the three words in any case;
 * - hz: atoi, then kept within 1..500 ("12abc" is 12, "-5" and 2^31 are 1);
 * - auto-aof-rewrite-percentage: atoi, refused only when negative (2^32 + 100 is 100, "x" is 0);
 * - auto-aof-rewrite-min-size: memtoll with its error ignored, so what memtoll refuses is 0 and a
 *   negative size is kept ("-5mb" is -5242880; serverCron then finds every AOF past it);
 * - appendfilename and dir: as given (resolveAofConfig checks the file name as 4.0.14 does).
 */
export function parseStartupValue40(k: KeyDef, value: string): { value: unknown; exact?: bigint } | { error: string } {
  switch (k.kind) {
    case 'bool': {
      const yn = yesnotoi(value);
      return yn === null ? { error: "argument must be 'yes' or 'no'" } : { value: yn };
    }
    case 'fsync': {
      const v = cString(value).toLowerCase();
      return v === 'always' || v === 'everysec' || v === 'no' ? { value: v } : { error: "argument must be 'no', 'always' or 'everysec'" };
    }
    case 'int': {
      const n = Number(atoi40(value));
      if (k.clamp !== undefined) return { value: Math.min(k.clamp[1], Math.max(k.clamp[0], n)) };
      return n < 0 ? { error: 'Invalid negative percentage for AOF auto rewrite' } : { value: n };
    }
    case 'mem':
      return withExact(memtoll40(value) ?? 0n);
    case 'string':
    case 'profile':
      return parseConfigValue(k, value);
  }
}

/** What configFromPairs gives: the partial config, and the values a double cannot hold (for ServerOptions.configExact). */
export interface StartupConfig {
  config: Partial<AofConfig>;
  exact: Map<keyof AofConfig, bigint>;
}

/**
 * Startup `--config key value` pairs into a partial config (immutable keys allowed), read as the
 * `profile`'s redis-server reads them at startup: 7.0 with its CONFIG SET rules (config.c
 * loadServerConfigFromString applies each standardConfig's set function, then clamps hz), 4.0 with
 * 4.0.14's own (parseStartupValue40; the 7.0-only keys are refused as 4.0.14 refuses a directive it
 * does not know). Also accepts `bugs` (comma-separated switch names). Throws Error with the key and
 * the reason.
 */
export function configFromPairs(pairs: readonly [string, string][], profile: Profile): StartupConfig {
  const out: Record<string, unknown> = {};
  const exact = new Map<keyof AofConfig, bigint>();
  for (const [name, value] of pairs) {
    if (name === 'bugs' || name === 'aofsim-bugs') {
      out.bugs = new Set(value.split(',').map((s) => s.trim()).filter((s) => s !== ''));
      continue;
    }
    const k = findConfigKey(name);
    if (!k) throw new Error(`unknown config key '${name}'`);
    if (profile === 'redis-4.0' && NOT_DIRECTIVES_40.has(k.name)) throw new Error(`unknown config key '${name}' (not a redis 4.0 directive)`);
    const r = profile === 'redis-4.0' ? parseStartupValue40(k, value) : parseConfigValue(k, value);
    if ('error' in r) throw new Error(`bad value for '${name}': ${r.error}`);
    out[k.field] = r.value;
    if (r.exact !== undefined) exact.set(k.field, r.exact);
    else exact.delete(k.field);
  }
  return { config: out as Partial<AofConfig>, exact };
}
