// `validate files` on the real Redis 7.0.15 fixtures (every one loads, no deviation, the key count
// of expected.json; `#TS:` annotations, which 4.0 refuses, are a compatibility fact, not a deviation) and on damaged copies in a memory Fs (truncated tail: truncate; zero-filled
// tail: refuse, bug 8; unterminated MULTI: truncate; a broken manifest: refuse).

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { formatFilesReport, validateFiles } from './validate-files.ts';
import { FsError } from '../../src/ports/fs.ts';

const FIX = new URL('../../fixtures/redis-7.0.15/', import.meta.url).pathname;

describe('validateFiles on real fixtures', () => {
  const nodeFs = createNodeFs();
  for (const dir of ['golden/golden-resp', 'golden/golden-rdb', 'golden/golden-multiincr', 'preamble-no/4-after-rewrite-and-more-writes', 'preamble-yes/2-after-workload', 'timestamps']) {
    it(`${dir}: loads, no deviation`, () => {
      const expected = readdirSync(FIX + dir).includes('expected.json')
        ? (JSON.parse(readFileSync(FIX + dir + '/expected.json', 'utf8')) as { atMs?: number; dbs: Record<string, unknown[]> })
        : null;
      const r = validateFiles(nodeFs, FIX + dir, { atMs: expected?.atMs });
      expect(r.layout).toBe('multi-part');
      expect(r.redis70.verdict).toBe('load');
      expect(r.checker.exitCode).toBe(0);
      expect(r.deviations).toEqual([]);
      expect(r.ok).toBe(true);
      if (expected) expect(r.redis70.state?.keys).toBe(Object.values(expected.dbs).reduce((n, e) => n + e.length, 0));
      expect(formatFilesReport(r)).toContain('Redis 7.0: load');
    });
  }
});

describe('validateFiles on damaged files', () => {
  const set = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
  const manifest = 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n';
  const dir = (incr: string, m = manifest) =>
    createMemoryFs({ '/d/appendonlydir/appendonly.aof.manifest': m, '/d/appendonlydir/appendonly.aof.1.base.aof': '', '/d/appendonlydir/appendonly.aof.1.incr.aof': incr });

  it('files it may read but not write are judged by their bytes (the checker opens read-write, as redis-check-aof)', () => {
    const fs = dir(set);
    const open = fs.open.bind(fs);
    fs.open = (path, mode) => {
      if (mode !== 'read') throw new FsError('EACCES', 'open', path);
      return open(path, mode);
    };
    const r = validateFiles(fs, '/d');
    expect(r.checker.exitCode).toBe(0);
    expect(r.deviations).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('a manifest entry that is a directory: the checker says it cannot open it, as redis-check-aof', () => {
    const fs = createMemoryFs({ '/d/appendonlydir/appendonly.aof.manifest': manifest, '/d/appendonlydir/appendonly.aof.1.base.aof': '', '/d/appendonlydir/appendonly.aof.1.incr.aof/x': '' });
    const r = validateFiles(fs, '/d');
    expect(r.checker.lines.at(-1)).toBe('Cannot open file /d/appendonlydir/appendonly.aof.1.incr.aof: Is a directory, aborting...');
    expect(r.checker.exitCode).toBe(1);
  });

  it('a short tail: Redis 7.0 truncates, the checker flags it', () => {
    const r = validateFiles(dir(set + '*2\r\n$3\r\nSE'), '/d');
    expect(r.redis70.verdict).toBe('truncate');
    expect(r.redis70.truncations[0]).toContain(`-> ${set.length} bytes`);
    expect(r.redis70.state?.keys).toBe(1);
    expect(r.checker.exitCode).toBe(1);
    expect(r.ok).toBe(false);
  });

  it('a zero-filled tail: Redis 7.0 and the seed refuse (docs/redis-bugs.md#bug-8)', () => {
    const r = validateFiles(dir(set + '\u0000'.repeat(20)), '/d');
    expect(r.redis70.verdict).toBe('refuse');
    expect(r.redis70.reason).toContain('Bad file format');
    expect(r.seed.find((s) => s.file === 'appendonly.aof.1.incr.aof')?.verdict.verdict).toBe('refuse');
    expect(r.deviations.some((d) => d.startsWith('Redis 7.0 would refuse'))).toBe(true);
  });

  it('an unterminated MULTI: truncated before MULTI, nothing of it applied', () => {
    const r = validateFiles(dir(set + '*1\r\n$5\r\nMULTI\r\n' + set.replace('a', 'b')), '/d');
    expect(r.redis70.verdict).toBe('truncate');
    expect(r.redis70.state?.keys).toBe(1);
  });

  it('a manifest without its final newline: refused, with the checker agreeing', () => {
    const r = validateFiles(dir(set, manifest.slice(0, -1)), '/d');
    expect(r.redis70.verdict).toBe('refuse');
    expect(r.checker.exitCode).toBe(1);
  });
});
