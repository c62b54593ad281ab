// resolveAofPath and runDump, pinned beside the code: the CLI's tests (cli/commands/dump.test.ts)
// cover the same ground, but mutation runs leave cli/ out (mutation survivors of dump-path.ts).
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { ResolveError, resolveAofPath, runDump } from './dump-path.ts';

const PING = encodeCommand(['PING']);
const clock = { nowMs: () => 0 };

describe('resolveAofPath', () => {
  const fs = createMemoryFs({
    '/renamed/manifest-copy': '# a comment\nfile a seq 1 type i\n',
    '/renamed/commented.aof': '# a comment\n' + PING,
    '/bare/.manifest': 'file a seq 1 type i\n',
    '/custom/appendonlydir/x.aof.manifest': 'file x.aof.1.incr.aof seq 1 type i\n',
  });

  it('a file whose first non-comment line starts with "file" is a manifest, and must be named like one', () => {
    expect(() => resolveAofPath(fs, '/renamed/manifest-copy')).toThrow(ResolveError);
    expect(() => resolveAofPath(fs, '/renamed/manifest-copy')).toThrow('/renamed/manifest-copy: a manifest must be named <appendfilename>.manifest');
    expect(resolveAofPath(fs, '/renamed/commented.aof')).toEqual({ kind: 'single-file', path: '/renamed/commented.aof', file: 'commented.aof' });
  });

  it('a manifest named just ".manifest" has no appendfilename', () => {
    expect(() => resolveAofPath(fs, '/bare/.manifest')).toThrow('/bare/.manifest: a manifest must be named <appendfilename>.manifest');
  });

  it("a dir whose appendonlydir holds one manifest of another name takes that manifest's appendfilename", () => {
    expect(resolveAofPath(fs, '/custom')).toEqual({
      kind: 'multi-part',
      config: { dir: '/custom', appendDirname: 'appendonlydir', appendFilename: 'x.aof', layout: 'multi-part' },
    });
  });
});

describe('runDump', () => {
  it("a refused load prints Redis's warning lines before the reason, without --verbose", () => {
    const fs = createMemoryFs({ '/z.aof': PING + '\0'.repeat(10) });
    const out = runDump(fs, { path: '/z.aof', loadTruncated: true, verbose: false }, clock);
    expect(out.exitCode).toBe(1);
    expect(out.stderr.split('\n').filter((l) => l.startsWith('redis: '))).toEqual(['redis: Bad file format reading the append only file z.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>']);
  });

  it('a dir without any AOF: Redis starts empty, and the dump says so', () => {
    const fs = createMemoryFs({ '/empty/.keep': '' });
    const out = runDump(fs, { path: '/empty', loadTruncated: true, atMs: 5, verbose: false }, clock);
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('aofsim dump: no AOF files listed: Redis would start with an empty data set\n');
    expect(out.stdout).toBe('{"atMs": 5, "dbs": {}}\n');
  });

  it('an empty AOF loads as an empty data set, and the dump says the AOF is empty', () => {
    const fs = createMemoryFs({ '/e.aof': '' });
    const out = runDump(fs, { path: '/e.aof', loadTruncated: true, atMs: 5, verbose: false }, clock);
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('aofsim dump: the AOF is empty\n');
    expect(out.stdout).toBe('{"atMs": 5, "dbs": {}}\n');
  });
});
