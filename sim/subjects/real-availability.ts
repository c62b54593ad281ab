// What the real-binary suites need and whether this machine has it: a redis-server 7.0.x
// (AOFSIM_REDIS_SERVER or redis-server on PATH), strace able to trace it (ptrace allowed), and
// headless Chromium for the report test. Each check returns null when usable, else the reason.
// Suites skip LOUDLY with the reason, and fail instead when AOFSIM_REQUIRE_REDIS=1 (CI).

import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REDIS_BIN } from './real-redis-server.ts';

export const REQUIRE_REAL = process.env.AOFSIM_REQUIRE_REDIS === '1';

export function redisServerMissing(bin = DEFAULT_REDIS_BIN): string | null {
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return `${bin} --version failed (${v.error?.message ?? `exit ${v.status}`})`;
  if (!/v=7\.0\./.test(v.stdout)) return `${bin} is not redis 7.0 (${v.stdout.trim()})`;
  return null;
}

/**
 * Where scripts/build-subject.sh (and CI's .ci/run) put the subjects built from release archives:
 * $AOFSIM_SUBJECTS, else ~/.cache/aofsim-subjects.
 */
export const SUBJECTS_DIR = process.env.AOFSIM_SUBJECTS ?? join(homedir(), '.cache', 'aofsim-subjects');

/** The redis-server 4.0.x binary: $AOFSIM_REDIS40_BIN, else the built subject in SUBJECTS_DIR. */
export const REDIS40_BIN = process.env.AOFSIM_REDIS40_BIN ?? join(SUBJECTS_DIR, 'redis-4.0.14', 'bin', 'redis-server');

/** The valkey-server 8.0.x binary: $AOFSIM_VALKEY_BIN, else the built subject in SUBJECTS_DIR. */
export const VALKEY_BIN = process.env.AOFSIM_VALKEY_BIN ?? join(SUBJECTS_DIR, 'valkey-8.0.1', 'bin', 'valkey-server');

const BUILD_HINT = 'build it with scripts/build-subject.sh ARCHIVE $AOFSIM_SUBJECTS (CI does: .ci/run)';

/** null when `bin` runs and reports a version matching `want` (e.g. /v=4\.0\./), else the reason. */
export function subjectMissing(bin: string, want: RegExp, what: string): string | null {
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return `${what} (${bin}) --version failed (${v.error?.message ?? `exit ${v.status}`}); ${BUILD_HINT}`;
  if (!want.test(v.stdout)) return `${bin} is not ${what} (${v.stdout.trim()})`;
  return null;
}

/** null when the redis 4.0 binary (REDIS40_BIN) is usable, else why not. */
export function redis40Missing(): string | null {
  return subjectMissing(REDIS40_BIN, /v=4\.0\./, 'redis-server 4.0');
}

/** null when the valkey 8.0 binary (VALKEY_BIN) is usable, else why not. */
export function valkeyMissing(): string | null {
  return subjectMissing(VALKEY_BIN, /v=8\.0\./, 'valkey-server 8.0');
}

export function straceMissing(): string | null {
  const v = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (v.error) return `strace not runnable (${v.error.message}); apt-get install strace`;
  if (v.status !== 0) return `strace cannot trace here (exit ${v.status}: ${v.stderr.trim().split('\n')[0]}); ptrace may be forbidden`;
  return null;
}

export const CHROMIUM_CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'headless_shell'];

export function findChromium(): string | null {
  for (const c of CHROMIUM_CANDIDATES) {
    const v = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' });
    if (v.status === 0 && v.stdout.trim() !== '') return v.stdout.trim();
  }
  return null;
}

/** Prints the loud skip banner; returns whether the suite must be skipped (false: run, maybe to fail). */
export function skipLoudly(suite: string, reason: string | null): boolean {
  if (reason === null) return false;
  if (REQUIRE_REAL) return false;
  process.stderr.write(
    `\n!!! SKIPPING ${suite}: ${reason}. The real binary is NOT being validated. ` +
      'Install what is named above (redis-server 7.0, strace, chromium for the report test, the subjects of scripts/build-subject.sh), or set AOFSIM_REQUIRE_REDIS=1 to make this a failure. !!!\n',
  );
  return true;
}
