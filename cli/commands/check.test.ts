import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { CheckPathError, REDIS_USAGE_LINE, resolveCheckPath, runCheck } from './check.ts';

describe('resolveCheckPath', () => {
  it('takes a file as is, a directory by its manifest, appendonlydir/ or appendonly.aof', () => {
    const fs = createMemoryFs({
      '/a/x.manifest': 'file a seq 1 type b\n',
      '/b/appendonlydir/appendonly.aof.manifest': '',
      '/b/appendonlydir/temp-appendonly.aof.manifest': '',
      '/c/appendonly.aof': '',
      '/e/other': '',
      '/f/one.manifest': '',
      '/f/two.manifest': '',
    });
    expect(resolveCheckPath(fs, '/c/appendonly.aof')).toBe('/c/appendonly.aof');
    expect(resolveCheckPath(fs, '/missing')).toBe('/missing');
    expect(resolveCheckPath(fs, '/a')).toBe('/a/x.manifest');
    expect(resolveCheckPath(fs, '/b')).toBe('/b/appendonlydir/appendonly.aof.manifest');
    expect(resolveCheckPath(fs, '/b/appendonlydir')).toBe('/b/appendonlydir/appendonly.aof.manifest');
    expect(resolveCheckPath(fs, '/c')).toBe('/c/appendonly.aof');
    expect(() => resolveCheckPath(fs, '/e')).toThrow(CheckPathError);
    expect(() => resolveCheckPath(fs, '/f')).toThrow(/several manifests/);
  });
});

describe('runCheck', () => {
  const good = encodeCommand(['SET', 'a', 'b']);
  const setup = (answer: string | null = null) => {
    const fs = createMemoryFs({
      '/srv/appendonlydir/appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n',
      '/srv/appendonlydir/appendonly.aof.1.incr.aof': good + '*2\r\n$3',
    });
    let out = '';
    const io = { fs, write: (t: string) => void (out += t), readAnswer: () => answer, nowMs: 0 };
    const incr = () => Buffer.from(fs.readFile('/srv/appendonlydir/appendonly.aof.1.incr.aof')).toString('latin1');
    return { io, out: () => out, incr };
  };

  it('reports an invalid directory with exit 1 and changes nothing', () => {
    const s = setup();
    expect(runCheck(['/srv'], s.io)).toBe(1);
    expect(s.out()).toContain('AOF appendonly.aof.1.incr.aof is not valid. Use the --fix option to try fixing it.\n');
    expect(s.incr()).toBe(good + '*2\r\n$3');
  });

  it('--fix --yes truncates without asking', () => {
    const s = setup();
    expect(runCheck(['--fix', '--yes', '/srv'], s.io)).toBe(0);
    expect(s.out()).toContain('Continue? [y/N]: y (--yes)\nSuccessfully truncated AOF appendonly.aof.1.incr.aof\n');
    expect(s.incr()).toBe(good);
  });

  it('--fix takes the answer from stdin', () => {
    const no = setup('n');
    expect(runCheck(['--fix', '/srv'], no.io)).toBe(1);
    expect(no.out()).toContain('Continue? [y/N]: Aborting...\n');
    const yes = setup('y');
    expect(runCheck(['--fix', '/srv'], yes.io)).toBe(0);
    expect(yes.incr()).toBe(good);
  });

  it('usage errors: the usage line on stdout and exit 1, as redis-check-aof', () => {
    const s = setup();
    expect(() => runCheck(['a', 'b'], s.io)).toThrow(expect.objectContaining({ exitCode: 1, message: 'only one PATH' }));
    expect(s.out()).toBe(REDIS_USAGE_LINE);
    expect(() => runCheck(['--fix', '--truncate-to-timestamp', '5', 'x'], s.io)).toThrow(/exclude each other/);
    expect(() => runCheck([], s.io)).toThrow(/missing PATH/);
    expect(() => runCheck(['--yes', 'x'], s.io)).toThrow(/--yes only goes with --fix/);
    expect(() => runCheck(['--bogus', 'x'], s.io)).toThrow(/unknown option/);
    // redis-check-aof reads the word after --truncate-to-timestamp as its value, "-5" too.
    expect(() => runCheck(['--fix', '--truncate-to-timestamp', '-5', 'x'], s.io)).toThrow(/exclude each other/);
  });

  it('--profile redis-4.0: 4.0.14\'s redis-check-aof (one file, no timestamps, an empty file is invalid)', () => {
    const fs = createMemoryFs({ '/d/appendonly.aof': good + '*2\r\n$3', '/d/empty.aof': '' });
    let out = '';
    const io = { fs, write: (t: string) => void (out += t), readAnswer: () => 'y', nowMs: 0 };
    expect(runCheck(['--profile', 'redis-4.0', '/d/appendonly.aof'], io)).toBe(1);
    expect(out).toBe(
      '0x              1f: Expected \\r\\n, got: 0000\nAOF analyzed: size=33, ok_up_to=27, diff=6\n' +
        'AOF is not valid. Use the --fix option to try fixing it.\n',
    );
    out = '';
    expect(runCheck(['--profile', 'redis-4.0', '/d/empty.aof'], io)).toBe(1);
    expect(out).toBe('Empty file: /d/empty.aof\n');
    out = '';
    expect(runCheck(['--profile', 'redis-4.0', '--fix', '/d/appendonly.aof'], io)).toBe(0);
    expect(out).toContain('Successfully truncated AOF\n');
    expect(Buffer.from(fs.readFile('/d/appendonly.aof')).toString('latin1')).toBe(good);
    expect(() => runCheck(['--profile', 'redis-4.0', '--truncate-to-timestamp', '5', '/d/appendonly.aof'], io)).toThrow(/not in Redis 4.0/);
    // A directory holding no AOF: 4.0.14's line for a file it cannot open (fopen "r+" of a directory).
    const dirs = createMemoryFs({ '/e/notes.txt': 'x' });
    out = '';
    expect(runCheck(['--profile', 'redis-4.0', '/e'], { ...io, fs: dirs })).toBe(1);
    expect(out.split('\n').filter((l) => !l.startsWith('aofsim: '))).toEqual(['Cannot open file: /e', '']);
  });
});

describe('aofsim check (process)', () => {
  const root = mkdtempSync(join(tmpdir(), 'aofsim-check-cli-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const bin = new URL('../dev.mjs', import.meta.url).pathname;

  it('reads the --fix answer from the real stdin', () => {
    const f = join(root, 'x.aof');
    writeFileSync(f, encodeCommand(['SET', 'a', 'b']) + '\0\0');
    const r = spawnSync(process.execPath, [bin, 'check', '--fix', f], { input: 'y\n', encoding: 'utf8' });
    expect(r.stdout).toContain(`Continue? [y/N]: Successfully truncated AOF ${f}\n`);
    expect(r.status).toBe(0);
    expect(readFileSync(f, 'latin1')).toBe(encodeCommand(['SET', 'a', 'b']));
  });
});
