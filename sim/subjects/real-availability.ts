// What the real-binary suites need and whether this machine has it: a redis-server 7.0.x
// (AOFSIM_REDIS_SERVER or redis-server on PATH), strace able to trace it (ptrace allowed), and
// headless Chromium for the report test. Each check returns null when usable, else the reason.
// Suites skip LOUDLY with the reason, and fail instead when AOFSIM_REQUIRE_REDIS=1 (CI).

import { spawnSync } from 'node:child_process';
import { DEFAULT_REDIS_BIN } from './real-redis-server.ts';

export const REQUIRE_REAL = process.env.AOFSIM_REQUIRE_REDIS === '1';

export function redisServerMissing(bin = DEFAULT_REDIS_BIN): string | null {
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return `${bin} --version failed (${v.error?.message ?? `exit ${v.status}`})`;
  if (!/v=7\.0\./.test(v.stdout)) return `${bin} is not redis 7.0 (${v.stdout.trim()})`;
  return null;
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
      'Install redis-server 7.0, strace (and chromium for the report test), or set AOFSIM_REQUIRE_REDIS=1 to make this a failure. !!!\n',
  );
  return true;
}
