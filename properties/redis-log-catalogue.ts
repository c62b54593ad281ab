// The warnings Redis 7.0.15 and 4.0.14 print on the paths the AOF properties drive (writes, fsyncs,
// toggles, rewrites, restarts), as the printf formats in their aof.c, server.c and rdb.c. Each
// format is in the real binary's read-only data: properties/conformance/redis-log-catalogue-vs-binary.test.ts
// checks that, so the catalogue is Redis's words and not aofsim's.
//
// A line matches a format when it is the format with each conversion replaced by what printf can
// print for it (%s: anything on one line, %d/%ld/%lld: an integer, %.Nf: a decimal with N places).
// Redis's trailing '\n' in a format and the blank lines around a banner are not words: a line is
// compared trimmed.

import type { Profile } from '../src/base/profile.ts';

/** Printed at LL_WARNING by both 7.0.15 and 4.0.14 (both binaries hold the format). */
const BOTH = [
  'Error writing to the AOF file: %s',
  'Short write while writing to the AOF file: (nwritten=%lld, expected=%lld)',
  'Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: %s',
  "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...",
  'AOF write error looks solved, Redis can write again.',
  'Write error writing append only file on disk: %s',
  "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
  'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.',
  "Can't rewrite append only file in background: fork: %s",
  'Background AOF rewrite terminated with error',
  'Background AOF rewrite terminated by signal %d',
  'Background saving error',
  'Background saving terminated by signal %d',
  "Can't save in background: fork: %s",
  'Error moving temp DB file %s on the final destination %s (in server root dir %s): %s',
] as const;

/** Printed at LL_WARNING by 7.0.15 only. */
const V7 = [
  "Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...",
  'Fail to fsync the AOF file: %s',
  "Can't open the append-only file %s: %s",
  'Unable to obtain the AOF file %s length. stat: %s',
  'Error trying to write the temporary AOF manifest file %s: %s',
  'Fail to fsync the temp AOF file %s: %s.',
  'Error trying to rename the temporary AOF manifest file %s into %s: %s',
  'Error trying to rename the temporary AOF base file %s into %s: %s',
  'Error trying to rename the temporary AOF incr file %s into %s: %s',
  "Can't open or create append-only dir %s: %s",
  'Write error saving DB on disk(%s): %s',
  'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.',
  'AOF reopen, just ignore the last error.',
  'AOF reopen, just ignore the AOF fsync error in bio job',
  'Background AOF rewrite has repeatedly failed and triggered the limit, will retry in %d minutes',
  'Bad file format reading the append only file %s: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>',
] as const;

/** Printed at LL_WARNING by 4.0.14 only. */
const V4 = [
  'Unable to obtain the AOF file length. stat: %s',
  "Can't open the append-only file: %s",
  'Write error saving DB on disk: %s',
  'Error trying to rename the temporary AOF file %s into %s: %s',
  'AOF was enabled but there is already a child process saving an RDB file on disk. An AOF background was scheduled to start when possible.',
] as const;

/**
 * Fixes of later releases the 4.0 profile carries, each with a bug switch restoring 4.0.14
 * (src/aof/bugs.ts): redis/redis#8111 (6.2+: an fsync error under `always` exits, a failed bio
 * fsync refuses writes; 'fsync-error-ignored') and redis/redis#8030 (6.2+: turning the AOF on
 * forgets the last write error; 'write-error-sticky'). Their warnings are 7.0.15's words.
 */
const V4_WITH_FIXES = [
  "Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...",
  'Fail to fsync the AOF file: %s',
  'AOF reopen, just ignore the last error.',
  'AOF reopen, just ignore the AOF fsync error in bio job',
] as const;

/**
 * aofsim's own words where it carries a fix 7.0.15 lacks and no Redis release words it the same way
 * (each a `DIVERGENCE(redis)` in src/, with its bug switch restoring 7.0.15): not in any binary.
 */
export const AOFSIM_FIX_LINES = [
  // redis/redis#14372 (skip the rewrite after a short write); src/aof/rewrite/redis70-background.ts
  'Skipping the AOF rewrite: the AOF buffer could not be fully written (short write or write error)',
] as const;

/**
 * The 4.0 profile's fsync of the rewritten file before its rename, which abandons the switch when it
 * fails (switch 'rename-before-diff-fsync', docs/findings/redis40-rename-before-diff-fsync.md): the
 * words of the later Redis source that fsyncs there; neither binary here holds them.
 */
export const AOFSIM_FIX_LINES_40 = ['Error trying to fsync the parent diff to the rewritten AOF: %s'] as const;

export function redisWarningFormats(profile: Profile): readonly string[] {
  return [...BOTH, ...(profile === 'redis-7.0' ? [...V7, ...AOFSIM_FIX_LINES] : [...V4, ...V4_WITH_FIXES, ...AOFSIM_FIX_LINES_40])];
}

/** Every format of the catalogue with the binaries it must be found in. */
export const CATALOGUE: readonly { format: string; binaries: readonly Profile[] }[] = [
  ...BOTH.map((format) => ({ format, binaries: ['redis-7.0', 'redis-4.0'] as const })),
  ...V7.map((format) => ({ format, binaries: ['redis-7.0'] as const })),
  ...V4.map((format) => ({ format, binaries: ['redis-4.0'] as const })),
  ...V4_WITH_FIXES.map((format) => ({ format, binaries: ['redis-7.0'] as const })),
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regular expression of the lines a printf format can print. */
export function formatRegex(format: string): RegExp {
  const parts = format.split(/(%(?:\.\d+f|l{0,2}d|s))/);
  const src = parts
    .map((p) => {
      if (p === '%s') return '[^\\n]*';
      if (/^%l{0,2}d$/.test(p)) return '-?\\d+';
      const f = /^%\.(\d+)f$/.exec(p);
      if (f) return `-?\\d+\\.\\d{${f[1]}}`;
      return escape(p);
    })
    .join('');
  return new RegExp(`^${src}$`);
}

/** The catalogue's format the (trimmed) line matches, or null. */
export function matchingFormat(line: string, formats: readonly string[]): string | null {
  const t = line.trim();
  for (const f of formats) if (formatRegex(f).test(t)) return f;
  return null;
}
