import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { UsageError } from '../command.ts';
import { resolveAofPath, runDump } from '../../src/aof/dump/dump-path.ts';
import { parseDumpArgs } from './dump.ts';

const R = (...argv: string[]) => encodeCommand(argv);
const fixedClock = { nowMs: () => 0 };
const PING = R('PING');

function snapshot(fs: ReturnType<typeof createMemoryFs>, paths: string[]): Record<string, string | undefined> {
  return Object.fromEntries(paths.map((p) => [p, fs.tryStat(p) ? Buffer.from(fs.readFile(p)).toString('latin1') : undefined]));
}

describe('parseDumpArgs', () => {
  it('parses options and rejects bad ones', () => {
    expect(parseDumpArgs(['x', '--at-ms', '12', '--load-truncated', 'no'])).toEqual({
      path: 'x',
      loadTruncated: false,
      atMs: 12,
      verbose: false,
    });
    expect(() => parseDumpArgs([])).toThrow(UsageError);
    expect(() => parseDumpArgs(['x', '--load-truncated', 'maybe'])).toThrow(UsageError);
    expect(() => parseDumpArgs(['x', '--at-ms', 'soon'])).toThrow(UsageError);
    expect(() => parseDumpArgs(['x', 'y'])).toThrow(UsageError);
  });
});

describe('resolveAofPath', () => {
  const files = {
    '/r/appendonlydir/appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n',
    '/r/appendonlydir/appendonly.aof.1.incr.aof': PING,
    '/other/my.aof.manifest': 'file my.aof.1.incr.aof seq 1 type i\n',
    '/other/my.aof.1.incr.aof': PING,
    '/legacy/appendonly.aof': PING,
    '/custom/appendonlydir/x.aof.manifest': 'file x.aof.1.incr.aof seq 1 type i\n',
    '/custom/appendonlydir/x.aof.1.incr.aof': PING,
    '/renamed/manifest-copy': '# comment\nfile a seq 1 type i\n',
    '/empty/nothing': 'x',
  };
  const fs = createMemoryFs(files);
  it('maps every accepted PATH form', () => {
    expect(resolveAofPath(fs, '/r')).toEqual({
      kind: 'multi-part',
      config: { dir: '/r', appendDirname: 'appendonlydir', appendFilename: 'appendonly.aof', layout: 'multi-part' },
    });
    const viaDir = resolveAofPath(fs, '/r/appendonlydir/');
    const viaManifest = resolveAofPath(fs, '/r/appendonlydir/appendonly.aof.manifest');
    expect(viaDir).toEqual(viaManifest);
    expect(viaDir).toEqual({
      kind: 'multi-part',
      config: { dir: '/r', appendDirname: 'appendonlydir', appendFilename: 'appendonly.aof', layout: 'multi-part', ignoreLegacyFile: true },
    });
    expect(resolveAofPath(fs, '/other')).toMatchObject({ kind: 'multi-part', config: { dir: '/', appendDirname: 'other', appendFilename: 'my.aof' } });
    expect(resolveAofPath(fs, '/legacy')).toMatchObject({ kind: 'multi-part', config: { dir: '/legacy', appendFilename: 'appendonly.aof' } });
    expect(resolveAofPath(fs, '/custom')).toMatchObject({ kind: 'multi-part', config: { appendFilename: 'x.aof' } });
    expect(resolveAofPath(fs, '/r/appendonlydir/appendonly.aof.1.incr.aof')).toEqual({
      kind: 'single-file',
      path: '/r/appendonlydir/appendonly.aof.1.incr.aof',
      file: 'appendonly.aof.1.incr.aof',
    });
    expect(() => resolveAofPath(fs, '/renamed/manifest-copy')).toThrow(/must be named <appendfilename>.manifest/);
    // No AOF: Redis's dir before the first write (Redis starts empty there).
    expect(resolveAofPath(fs, '/empty')).toEqual({
      kind: 'multi-part',
      config: { dir: '/empty', appendDirname: 'appendonlydir', appendFilename: 'appendonly.aof', layout: 'multi-part' },
    });
    expect(() => resolveAofPath(fs, '/empty/nothing/x')).toThrow(/\/empty\/nothing\/x: Not a directory/);
    expect(() => resolveAofPath(fs, '/missing')).toThrow(/No such file or directory/);
  });
});

describe('runDump', () => {
  it('prints the canonical dump of what loads, exit 0 (PING only: empty dbs)', () => {
    const fs = createMemoryFs({ '/r/appendonly.aof': PING });
    const out = runDump(fs, { path: '/r', loadTruncated: true, atMs: 5, verbose: false }, fixedClock);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe('{"atMs": 5, "dbs": {}}\n');
    expect(out.stderr).toContain('Redis would migrate /r/appendonly.aof to /r/appendonlydir/appendonly.aof');
    expect(snapshot(fs, ['/r/appendonly.aof', '/r/appendonlydir/appendonly.aof.manifest'])).toEqual({
      '/r/appendonly.aof': PING,
      '/r/appendonlydir/appendonly.aof.manifest': undefined,
    });
  });

  it('reports what Redis would truncate, never truncates; exit 1 with load-truncated no', () => {
    const text = PING + PING.slice(0, 5);
    const fs = createMemoryFs({ '/f.aof': text });
    const yes = runDump(fs, { path: '/f.aof', loadTruncated: true, verbose: false }, fixedClock);
    expect(yes.exitCode).toBe(0);
    expect(yes.stderr).toContain(`Redis would truncate /f.aof from ${text.length} to ${PING.length} bytes (not done)`);
    const no = runDump(fs, { path: '/f.aof', loadTruncated: false, verbose: false }, fixedClock);
    expect(no.exitCode).toBe(1);
    expect(no.stderr).toContain('Unexpected end of file reading the append only file f.aof');
    expect(no.stderr).toContain('Redis would refuse to start: AOF_UNEXPECTED_EOF');
    expect(Buffer.from(fs.readFile('/f.aof')).toString('latin1')).toBe(text);
  });

  it('exit 1 with the reason where Redis refuses to start (zero tail, bad manifest, missing file)', () => {
    const fs = createMemoryFs({
      '/z.aof': PING + '\0'.repeat(100),
      '/m/appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 0 type i\n',
      '/n/appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n',
    });
    const zero = runDump(fs, { path: '/z.aof', loadTruncated: true, verbose: false }, fixedClock);
    expect(zero.exitCode).toBe(1);
    expect(zero.stderr).toContain(`AOF_FORMAT: z.aof@0x${PING.length.toString(16).padStart(8, '0')}`);
    const bad = runDump(fs, { path: '/m', loadTruncated: true, verbose: false }, fixedClock);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('Invalid AOF manifest file format');
    const missing = runDump(fs, { path: '/n', loadTruncated: true, verbose: false }, fixedClock);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory');
  });

  it('an unknown command fails with its name and offset', () => {
    const fs = createMemoryFs({ '/u.aof': PING + R('NOSUCHCMD', 'x') });
    const out = runDump(fs, { path: '/u.aof', loadTruncated: true, verbose: false }, fixedClock);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain(`AOF_UNKNOWN_COMMAND: u.aof@0x${PING.length.toString(16).padStart(8, '0')}: Unknown command 'NOSUCHCMD'`);
    expect(out.stderr).toContain('Redis would refuse to start');
  });

  it('--verbose prints Redis log lines', () => {
    const fs = createMemoryFs({ '/r/appendonlydir/appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n', '/r/appendonlydir/appendonly.aof.1.incr.aof': PING });
    const out = runDump(fs, { path: '/r', loadTruncated: true, verbose: true }, fixedClock);
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toContain('redis: DB loaded from incr file appendonly.aof.1.incr.aof: 0.000 seconds');
  });
});

describe('runDump: a manifest path that is a directory (checked on redis-server 7.0.15)', () => {
  it('Redis takes it for no manifest, writes a new AOF and exits 1 on the rename: dump says it would refuse to start', () => {
    const fs = createMemoryFs({ '/r/appendonlydir/appendonly.aof.manifest/.keep': '' });
    const out = runDump(fs, { path: '/r', loadTruncated: true, verbose: false }, fixedClock);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/^aofsim dump: Redis would refuse to start: appendonly\.aof\.manifest is a directory: .*Is a directory"\n$/);
    const empty = runDump(createMemoryFs({ '/e/appendonlydir/.keep': '' }), { path: '/e', loadTruncated: true, verbose: false }, fixedClock);
    expect([empty.exitCode, empty.stderr]).toEqual([0, 'aofsim dump: no AOF files listed: Redis would start with an empty data set\n']);
  });
});
