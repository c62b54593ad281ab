// The scripting fixtures (fixtures/scripting/, written by redis-server 7.0.15 and 4.0.14, issue
// 12.2): `aofsim dump` of each stage equals the canonical dump of what the server held (its own
// SAVE) and `dump --digest` its DEBUG DIGEST; `aofsim check` finds the files valid; `aofsim rewrite`
// verifies and its output dumps the same. With the real binaries, the rewrite loaded back into the
// real server gives the same DEBUG DIGEST and (7.0) the same FUNCTION LIST as the server that
// wrote the fixture. The real-server half skips loudly without the binaries and fails instead with
// AOFSIM_REQUIRE_REDIS=1; the offline half always runs.

import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { runCheck } from '../../cli/commands/check.ts';
import { runRewrite } from '../../cli/commands/rewrite.ts';
import { functionListJson } from '../../fixtures/scripting/function-list.ts';
import { startRealRedis, type RealRedis, redisUnavailableReason } from './harness.ts';
import { REDIS40_BIN, REDIS40_MISSING, loadAofInServer } from './redis40.ts';

const ROOT = new URL('../../fixtures/scripting/', import.meta.url).pathname;
const STAGES = ['1-workload', '2-after-bgrewriteaof', '3-after-more-scripts'];
const CASES = [
  ...STAGES.map((s) => ({ server: 'redis-7.0.15' as const, stage: s, path: join(ROOT, 'redis-7.0.15', s, 'appendonlydir') })),
  ...STAGES.map((s) => ({ server: 'redis-4.0.14' as const, stage: s, path: join(ROOT, 'redis-4.0.14', s, 'appendonly.aof') })),
];
const REQUIRED = process.env.AOFSIM_REQUIRE_REDIS === '1';
const missing = (server: string): string | null => (server === 'redis-7.0.15' ? redisUnavailableReason() : REDIS40_MISSING);

const fs = createNodeFs();
const clock = { nowMs: () => Date.now() };
const work = mkdtempSync(join(tmpdir(), 'aofsim-script-fixtures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const read = (...p: string[]): string => readFileSync(join(...p), 'latin1');

describe.each(CASES)('$server $stage', ({ server, stage, path }) => {
  const dir = join(ROOT, server, stage);
  const profile = server === 'redis-4.0.14' ? 'redis-4.0' : 'redis-7.0';
  const out = join(work, `${server}-${stage}.aof`);

  it('dump equals what the server held, and its DEBUG DIGEST', () => {
    const r = runDump(fs, { path, loadTruncated: false, verbose: false }, clock);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(read(dir, 'expected.json').trim());
    const d = runDump(fs, { path, loadTruncated: false, verbose: false, digest: true }, clock);
    expect(d.stdout.trim()).toBe(read(dir, 'digest.txt').trim());
  });

  it('check finds the files valid', () => {
    let text = '';
    const code = runCheck([...(profile === 'redis-4.0' ? ['--profile', 'redis-4.0'] : []), path], { fs, write: (t) => (text += t), readAnswer: () => null, nowMs: Date.now() });
    expect(text).not.toMatch(/not valid|Bad file format/);
    expect(code).toBe(0);
  });

  it('rewrite verifies and its output dumps the same', () => {
    const r = runRewrite(fs, { path, out, profile, loadTruncated: false }, clock);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('verified');
    const again = runDump(fs, { path: out, loadTruncated: false, verbose: false }, clock);
    expect(again.stdout.trim()).toBe(read(dir, 'expected.json').trim());
  });

  const why = missing(server);
  if (why !== null && !REQUIRED) console.warn(`\n!!! SKIPPING the real-server half of the scripting fixtures (${server}): ${why}. Set AOFSIM_REQUIRE_REDIS=1 to fail instead. !!!\n`);
  it.skipIf(why !== null && !REQUIRED)(`the rewrite loads into the real ${server} with the same DEBUG DIGEST${server === 'redis-7.0.15' ? ' and FUNCTION LIST' : ''}`, async () => {
    if (why !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${why}`);
    runRewrite(fs, { path, out, profile, loadTruncated: false }, clock);
    let real: RealRedis;
    if (server === 'redis-4.0.14') {
      real = await startRealRedis(['--appendonly', 'no'], REDIS40_BIN);
      await loadAofInServer(real, readFileSync(out));
    } else {
      // a single appendonly.aof in dir: 7.0 takes it as its base when it starts (the upgrade path)
      const d = mkdtempSync(join(work, 'real-'));
      // the rewrite of a multi-part directory is a directory of the same shape
      if (statSync(out).isDirectory()) cpSync(out, join(d, 'appendonlydir'), { recursive: true });
      else cpSync(out, join(d, 'appendonly.aof'));
      real = await startRealRedis(['--appendonly', 'yes', '--dir', d, '--enable-debug-command', 'yes']);
    }
    try {
      const digest = await real.client.call(['DEBUG', 'DIGEST']);
      expect(digest.kind === 'status' ? digest.value : JSON.stringify(digest)).toBe(read(dir, 'digest.txt').trim());
      if (server === 'redis-7.0.15') {
        expect(functionListJson(await real.client.call(['FUNCTION', 'LIST', 'WITHCODE']))).toBe(read(dir, 'function-list.json').trim());
      }
    } finally {
      await real.stop();
    }
  });
});
