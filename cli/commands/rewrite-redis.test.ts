// Interoperability of `aofsim rewrite` output with a real redis-server 7.0 (runs only where
// redis-server is installed): the compacted forms of a real 7.0.15 fixture (7.0 directory with a RESP
// or RDB BASE, 4.0 single file with or without an RDB preamble, which 7.0 upgrades as a legacy AOF)
// load in redis-server to the same DEBUG DIGEST as the fixture itself.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { runRewrite } from './rewrite.ts';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const FIXTURE = new URL('../../fixtures/redis-7.0.15/preamble-no/2-after-workload/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'aofsim-rewrite-redis-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts redis-server on `dir`, returns DEBUG DIGEST and DBSIZE of db 0, shuts it down. */
function digest(dir: string, port: number): string {
  const r = spawnSync(
    'sh',
    [
      '-c',
      `redis-server --port ${port} --bind 127.0.0.1 --dir '${dir}' --appendonly yes --save '' --enable-debug-command yes ` +
        `--daemonize yes --logfile '${dir}/redis.log' >/dev/null && ` +
        `for i in $(seq 1 100); do redis-cli -p ${port} ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done; ` +
        `redis-cli -p ${port} DEBUG DIGEST; redis-cli -p ${port} DBSIZE; redis-cli -p ${port} shutdown nosave >/dev/null 2>&1; true`,
    ],
    { encoding: 'utf8' },
  );
  return r.stdout.trim();
}

describe.skipIf(!hasRedis)('aofsim rewrite output in redis-server 7.0', () => {
  it('every compacted form loads to the digest of the original', () => {
    const fs = createNodeFs();
    const origDir = join(work, 'orig');
    mkdirSync(join(origDir, 'appendonlydir'), { recursive: true });
    for (const f of ['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']) {
      cpSync(join(FIXTURE, f), join(origDir, 'appendonlydir', f));
    }
    const port = 22000 + (process.pid % 5000);
    const expected = digest(origDir, port);
    expect(expected).toMatch(/^[0-9a-f]{40}\n[1-9][0-9]*$/);
    const cases = [
      { name: 'v7-rdb', profile: 'redis-7.0', preamble: true },
      { name: 'v7-resp', profile: 'redis-7.0', preamble: false },
      { name: 'v4-rdb', profile: 'redis-4.0', preamble: true },
      { name: 'v4-resp', profile: 'redis-4.0', preamble: false },
    ] as const;
    for (const c of cases) {
      const dir = join(work, c.name);
      mkdirSync(dir);
      const out = c.profile === 'redis-7.0' ? join(dir, 'appendonlydir') : join(dir, 'appendonly.aof');
      const r = runRewrite(fs, { path: origDir, out, profile: c.profile, preamble: c.preamble, loadTruncated: true });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(digest(dir, port), c.name).toBe(expected);
    }
  });
});
