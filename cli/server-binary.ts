// Checks a server binary named by the user before `validate redis-server` starts its campaign:
// it must exist, be executable, and answer `--version` the way Redis-like servers do
// ("Redis server v=7.0.15 ...", "Valkey server v=8.0.1 ...", "KeyDB server v=..."). Otherwise the
// campaign would start processes that never come up and report every property as failed.

import { spawnSync } from 'node:child_process';
import { UsageError } from './command.ts';

/** Throws UsageError (one line) when `bin` cannot be a Redis-like server; returns its version line. */
export function checkServerBinary(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(bin.includes('/') ? `--bin ${bin}: No such file or directory` : `--bin ${bin}: not found on PATH`, 2, false);
    }
    if (code === 'EACCES') throw new UsageError(`--bin ${bin}: not executable (Permission denied)`, 2, false);
    if (code === 'ETIMEDOUT') throw new UsageError(`--bin ${bin}: '${bin} --version' did not answer within 10 s`, 2, false);
    throw new UsageError(`--bin ${bin}: cannot run it (${code ?? r.error.message})`, 2, false);
  }
  const out = `${r.stdout ?? ''}`.trim().split('\n')[0] ?? '';
  if (r.status !== 0 || !/\bserver v=\d/i.test(out)) {
    const said = out === '' ? `exit status ${r.status ?? r.signal}` : `'${out.slice(0, 80)}'`;
    throw new UsageError(`--bin ${bin}: not a Redis-like server ('${bin} --version' gave ${said})`, 2, false);
  }
  return out;
}
