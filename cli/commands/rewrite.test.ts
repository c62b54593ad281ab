import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { fromBytes } from '../../src/keyspace/types.ts';
import { UsageError } from '../command.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { parseRewriteArgs, runRewrite } from './rewrite.ts';

const clock = { nowMs: () => 1_700_000_000_000 };
const FIXTURES = new URL('../../fixtures/redis-7.0.15/', import.meta.url);

function fixtureDir(rel: string, to: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const dir = new URL(rel + '/', FIXTURES);
  for (const n of readdirSync(dir)) if (!n.endsWith('.txt') && !n.endsWith('.json')) files[`${to}/${n}`] = readFileSync(new URL(n, dir));
  return files;
}

function dump(fs: ReturnType<typeof createMemoryFs>, path: string): string {
  const r = runDump(fs, { path, loadTruncated: true, verbose: false }, clock);
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

describe('aofsim rewrite', () => {
  it('redis-4.0: compacts a single file (overwrites, SELECTs) and verifies by dump', () => {
    let aof = encodeCommand(['SELECT', '0']);
    for (let i = 0; i < 300; i++) aof += encodeCommand(['SET', `k${i % 10}`, `v${i}`]);
    aof += encodeCommand(['SELECT', '2']) + encodeCommand(['SET', 'other', 'x']) + encodeCommand(['PEXPIREAT', 'other', '1']);
    const fs = createMemoryFs({ '/w/appendonly.aof': aof });
    const r = runRewrite(fs, { path: '/w/appendonly.aof', out: '/w/out.aof', loadTruncated: true }, clock);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('verified: dumps identical');
    const out = fromBytes(fs.readFile('/w/out.aof'));
    expect(out.length).toBeLessThan(aof.length / 10);
    // The expired key is kept (offline compaction keeps everything the input holds).
    expect(out).toContain('PEXPIREAT');
    expect(dump(fs, '/w/out.aof')).toBe(dump(fs, '/w/appendonly.aof'));
    expect(fs.readdir('/w')).toEqual(['appendonly.aof', 'out.aof']);
  });

  it('redis-7.0: a fixture directory becomes manifest + BASE + empty INCR (RESP and RDB)', () => {
    for (const preamble of [false, true]) {
      const fs = createMemoryFs(fixtureDir('golden/golden-multiincr', '/in/appendonlydir'));
      const r = runRewrite(fs, { path: '/in', out: '/out', preamble, loadTruncated: true }, clock);
      expect(r.exitCode).toBe(0);
      const base = `appendonly.aof.1.base.${preamble ? 'rdb' : 'aof'}`;
      expect(fs.readdir('/out')).toEqual([base, 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
      expect(fromBytes(fs.readFile('/out/appendonly.aof.manifest'))).toBe(
        `file ${base} seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n`,
      );
      expect(fs.stat('/out/appendonly.aof.1.incr.aof').sizeBytes).toBe(0);
      expect(dump(fs, '/out')).toBe(dump(fs, '/in'));
    }
  });

  it('converts between layouts: 7.0 directory -> 4.0 file with an RDB preamble', () => {
    const fs = createMemoryFs(fixtureDir('preamble-yes/3-after-bgrewriteaof', '/in/appendonlydir'));
    const r = runRewrite(fs, { path: '/in', out: '/x.aof', profile: 'redis-4.0', preamble: true, loadTruncated: true }, clock);
    expect(r.exitCode).toBe(0);
    // The fixture holds a stream, which Redis 4.0 has not: RDB 10 instead of 4.0's RDB 8, said so.
    expect(fromBytes(fs.readFile('/x.aof').subarray(0, 9))).toBe('REDIS0010');
    expect(r.stderr).toContain('the preamble is RDB 10');
    expect(dump(fs, '/x.aof')).toBe(dump(fs, '/in'));
  });

  it('converts a 7.0 directory holding a stream to a 4.0 RESP file, and says 4.0 cannot load its XADD', () => {
    const fs = createMemoryFs(fixtureDir('preamble-yes/3-after-bgrewriteaof', '/in/appendonlydir'));
    const r = runRewrite(fs, { path: '/in', out: '/x.aof', profile: 'redis-4.0', preamble: false, loadTruncated: true }, clock);
    expect(r.exitCode).toBe(0);
    expect(fromBytes(fs.readFile('/x.aof'))).toContain('XADD');
    expect(r.stderr).toContain('aofsim rewrite: note: the data holds a stream, which Redis 4.0 has not: the file rebuilds it with XADD (Redis 4.0 cannot load it)');
    expect(dump(fs, '/x.aof')).toBe(dump(fs, '/in'));
  });

  it('redis-4.0 with a preamble writes RDB 8, as Redis 4.0 does', () => {
    const fs = createMemoryFs({ '/w/a.aof': encodeCommand(['RPUSH', 'l', 'a', '1']) + encodeCommand(['HSET', 'h', 'f', 'v']) });
    const r = runRewrite(fs, { path: '/w/a.aof', out: '/w/o.aof', profile: 'redis-4.0', preamble: true, loadTruncated: true }, clock);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(fromBytes(fs.readFile('/w/o.aof').subarray(0, 9))).toBe('REDIS0008');
  });

  it('refuses an existing OUT and an unloadable input', () => {
    const fs = createMemoryFs({ '/w/a.aof': encodeCommand(['SET', 'a', '1']), '/w/b.aof': 'x', '/w/bad.aof': '*1\r\n$7\r\nNOSUCHX\r\n' });
    const exists = runRewrite(fs, { path: '/w/a.aof', out: '/w/b.aof', loadTruncated: true }, clock);
    expect(exists.exitCode).toBe(1);
    expect(exists.stderr).toContain('/w/b.aof exists');
    const bad = runRewrite(fs, { path: '/w/bad.aof', out: '/w/c.aof', loadTruncated: true }, clock);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("Unknown command 'NOSUCHX'");
    expect(fs.tryStat('/w/c.aof')).toBeUndefined();
    // A PATH that names nothing is a usage error.
    const missing = runRewrite(fs, { path: '/nope', out: '/w/d.aof', loadTruncated: true }, clock);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('aofsim rewrite: /nope: No such file or directory\n');
  });

  it('a truncated input loads as Redis would (tail dropped, noted) unless --load-truncated no', () => {
    const full = encodeCommand(['SET', 'a', '1']) + encodeCommand(['SET', 'b', '2']);
    const fs = createMemoryFs({ '/w/t.aof': full.slice(0, -5) });
    const r = runRewrite(fs, { path: '/w/t.aof', out: '/w/o.aof', loadTruncated: true }, clock);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('truncated tail');
    expect(fromBytes(fs.readFile('/w/o.aof'))).toBe(encodeCommand(['SELECT', '0']) + encodeCommand(['SET', 'a', '1']));
    expect(runRewrite(fs, { path: '/w/t.aof', out: '/w/p.aof', loadTruncated: false }, clock).exitCode).toBe(1);
  });

  it('parses its arguments', () => {
    expect(parseRewriteArgs(['in', '-o', 'out', '--profile', 'redis-7.0', '--preamble', 'no'])).toEqual({
      path: 'in',
      out: 'out',
      profile: 'redis-7.0',
      preamble: false,
      loadTruncated: true,
    });
    expect(() => parseRewriteArgs(['in'])).toThrow(UsageError);
    expect(() => parseRewriteArgs(['-o', 'x'])).toThrow(UsageError);
    expect(() => parseRewriteArgs(['in', '-o', 'x', '--profile', 'redis-6'])).toThrow(UsageError);
    expect(() => parseRewriteArgs(['in', '-o', 'x', '--preamble', 'maybe'])).toThrow(UsageError);
  });
});
