import { describe, expect, it } from 'vitest';
import { isFsError } from '../../src/ports/fs.ts';
import { applyCrash } from '../crash/apply-crash.ts';
import { SimFs } from './sim-fs.ts';
import type { SyscallEvent } from './syscall.ts';

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const text = (fs: SimFs, path: string): string => Buffer.from(fs.readFile(path)).toString('latin1');
const strict = (fs: SimFs): SimFs => applyCrash(fs, { model: 'strict' });

function errCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isFsError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

describe('SimFs durability', () => {
  it('loses an unsynced write on power loss (strict) and keeps it after fsync', () => {
    const fs = SimFs.withFiles({ '/d/a': 'old' });
    const h = fs.open('/d/a', 'append');
    h.write(enc('+new'));
    expect(text(fs, '/d/a')).toBe('old+new');
    expect(text(strict(fs), '/d/a')).toBe('old');
    h.fdatasync();
    expect(text(strict(fs), '/d/a')).toBe('old+new');
    h.write(enc('+more'));
    h.fsync();
    expect(text(strict(fs), '/d/a')).toBe('old+new+more');
  });

  it('loses a created file without fsyncDir, even if the file was fsynced', () => {
    const fs = SimFs.withFiles({ '/d/keep': 'k' });
    const h = fs.open('/d/new', 'create-truncate');
    h.write(enc('data'));
    h.fsync();
    expect(strict(fs).tryStat('/d/new')).toBeUndefined();
    fs.fsyncDir('/d');
    expect(text(strict(fs), '/d/new')).toBe('data');
  });

  it('keeps a created file with fsyncDir but loses its unsynced data', () => {
    const fs = SimFs.withFiles({ '/d/keep': 'k' });
    const h = fs.open('/d/new', 'append');
    fs.fsyncDir('/d');
    h.write(enc('data'));
    const after = strict(fs);
    expect(after.stat('/d/new').sizeBytes).toBe(0);
  });

  it('loses a rename without fsyncDir and keeps it with fsyncDir (redis/redis#3487)', () => {
    const fs = SimFs.withFiles({ '/d/appendonly.aof': 'OLD', '/d/temp.aof': 'NEW' });
    fs.rename('/d/temp.aof', '/d/appendonly.aof');
    expect(text(fs, '/d/appendonly.aof')).toBe('NEW');
    expect(fs.tryStat('/d/temp.aof')).toBeUndefined();
    const lost = strict(fs);
    expect(text(lost, '/d/appendonly.aof')).toBe('OLD');
    expect(text(lost, '/d/temp.aof')).toBe('NEW');
    fs.fsyncDir('/d');
    const kept = strict(fs);
    expect(text(kept, '/d/appendonly.aof')).toBe('NEW');
    expect(kept.tryStat('/d/temp.aof')).toBeUndefined();
  });

  it('sends writes after a rename to the renamed inode', () => {
    const fs = SimFs.withFiles({ '/d/x': '' });
    const h = fs.open('/d/temp', 'append');
    h.write(enc('ab'));
    fs.rename('/d/temp', '/d/x');
    h.write(enc('cd'));
    expect(text(fs, '/d/x')).toBe('abcd');
    expect(h.stat().ino).toBe(fs.stat('/d/x').ino);
    const again = fs.open('/d/temp', 'append');
    again.write(enc('zz'));
    expect(text(fs, '/d/x')).toBe('abcd');
    expect(text(fs, '/d/temp')).toBe('zz');
  });

  it('keeps an unlinked open file alive for its handles, then frees it', () => {
    const fs = SimFs.withFiles({ '/d/f': 'hello' });
    const h = fs.open('/d/f', 'read-write');
    fs.unlink('/d/f');
    expect(fs.tryStat('/d/f')).toBeUndefined();
    expect(fs.readdir('/d')).toEqual([]);
    expect(Buffer.from(h.read(5, 0)).toString()).toBe('hello');
    h.write(enc('HE'));
    expect(Buffer.from(h.read(5, 0)).toString()).toBe('HEllo');
    expect(fs.usedBytes).toBe(5);
    // Power loss before the unlink was made durable brings the name back with the durable data.
    expect(text(strict(fs), '/d/f')).toBe('hello');
    h.close();
    expect(fs.usedBytes).toBe(0);
    fs.fsyncDir('/d');
    expect(strict(fs).tryStat('/d/f')).toBeUndefined();
  });

  it('keeps everything visible after a process kill, with pending still pending', () => {
    const fs = SimFs.withFiles({ '/d/a': 'x' });
    const h = fs.open('/d/a', 'append');
    h.write(enc('yz'));
    fs.open('/d/b', 'append').write(enc('new'));
    fs.rename('/d/a', '/d/c');
    const killed = applyCrash(fs, { model: 'process-kill' });
    expect(killed.snapshot()).toEqual({ '/d/b': 'new', '/d/c': 'xyz' });
    expect(killed.pendingSummary()).toEqual(fs.pendingSummary());
    // A later power loss still loses what was never synced.
    expect(strict(killed).snapshot()).toEqual({ '/d/a': 'x' });
    // The old handle does not reach the new fs.
    h.write(enc('!'));
    expect(text(killed, '/d/c')).toBe('xyz');
  });

  it('loses a mkdir and everything under it without fsyncDir of the parent', () => {
    const fs = new SimFs();
    fs.mkdir('/data');
    fs.mkdir('/data/appendonlydir');
    const h = fs.open('/data/appendonlydir/base.rdb', 'create-truncate');
    h.write(enc('REDIS'));
    h.fsync();
    fs.fsyncDir('/data/appendonlydir');
    expect(strict(fs).snapshot()).toEqual({});
    fs.fsyncDir('/');
    expect(strict(fs).snapshot()).toEqual({});
    fs.fsyncDir('/data');
    expect(strict(fs).snapshot()).toEqual({ '/data/appendonlydir/base.rdb': 'REDIS' });
  });

  it('treats a cross-directory rename as two entry changes, one per directory', () => {
    const fs = SimFs.withFiles({ '/a/f': 'F', '/b/keep': '' });
    fs.rename('/a/f', '/b/g');
    fs.fsyncDir('/b');
    const both = strict(fs);
    expect(both.snapshot()).toEqual({ '/a/f': 'F', '/b/g': 'F', '/b/keep': '' });
    expect(both.stat('/a/f').ino).toBe(both.stat('/b/g').ino);
  });

  it('makes truncates durable with fsync and replays them in order', () => {
    const fs = SimFs.withFiles({ '/f': 'abcdef' });
    const h = fs.open('/f', 'append');
    h.truncate(2);
    h.write(enc('XY'));
    expect(text(fs, '/f')).toBe('abXY');
    expect(text(strict(fs), '/f')).toBe('abcdef');
    h.fsync();
    expect(text(strict(fs), '/f')).toBe('abXY');
    fs.truncate('/f', 6);
    expect(Array.from(fs.readFile('/f'))).toEqual([97, 98, 88, 89, 0, 0]);
  });

  it('copies written data: a caller reusing its Buffer does not change what was written', () => {
    const fs = SimFs.withFiles({ '/f': '' });
    const h = fs.open('/f', 'append');
    const buf = Buffer.from('abcd', 'latin1');
    h.write(buf);
    buf.write('WXYZ', 'latin1');
    h.write(buf.subarray(0, 2));
    expect(text(fs, '/f')).toBe('abcdWX');
    const ino = String(fs.stat('/f').ino);
    expect(text(applyCrash(fs, { model: 'prefix', files: { [ino]: 1 } }), '/f')).toBe('abcd');
    h.fsync();
    expect(text(strict(fs), '/f')).toBe('abcdWX');
  });

  it('O_TRUNC of an existing file is a pending truncate', () => {
    const fs = SimFs.withFiles({ '/f': 'abc' });
    fs.open('/f', 'create-truncate').write(enc('z'));
    expect(text(fs, '/f')).toBe('z');
    expect(text(strict(fs), '/f')).toBe('abc');
  });
});

describe('SimFs as a POSIX-like filesystem', () => {
  it('reports errno-style errors like Node', () => {
    const fs = SimFs.withFiles({ '/d/f': 'x' });
    expect(errCode(() => fs.open('/d/missing', 'read'))).toBe('ENOENT');
    expect(errCode(() => fs.open('/d/missing', 'append-existing'))).toBe('ENOENT');
    expect(errCode(() => fs.open('/nope/f', 'append'))).toBe('ENOENT');
    expect(errCode(() => fs.open('/d/f/x', 'append'))).toBe('ENOTDIR');
    expect(errCode(() => fs.open('/d', 'append'))).toBe('EISDIR');
    expect(errCode(() => fs.unlink('/d'))).toBe('EISDIR');
    expect(errCode(() => fs.mkdir('/d'))).toBe('EEXIST');
    expect(errCode(() => fs.rename('/d/nope', '/d/x'))).toBe('ENOENT');
    expect(errCode(() => fs.readdir('/d/f'))).toBe('ENOTDIR');
    fs.mkdir('/d', true);
    const h = fs.open('/d/f', 'read');
    expect(errCode(() => h.write(enc('x')))).toBe('EBADF');
    expect(errCode(() => h.truncate(0))).toBe('EINVAL');
    h.close();
    expect(errCode(() => h.close())).toBe('EBADF');
    expect(errCode(() => h.read(1))).toBe('EBADF');
    try {
      fs.open('/d/missing', 'read');
    } catch (e) {
      expect((e as Error).message).toBe("ENOENT: no such file or directory, open '/d/missing'");
    }
  });

  it('reads sequentially and at positions, writes at the position in non-append modes', () => {
    const fs = SimFs.withFiles({ '/f': 'hello world' });
    const h = fs.open('/f', 'read-write');
    expect(Buffer.from(h.read(5)).toString()).toBe('hello');
    expect(Buffer.from(h.read(100)).toString()).toBe(' world');
    expect(h.read(10).length).toBe(0);
    const w = fs.open('/f', 'read-write');
    w.write(enc('J'));
    expect(text(fs, '/f')).toBe('Jello world');
    expect(h.stat()).toEqual({ sizeBytes: 11, isDirectory: false, ino: fs.stat('/f').ino });
  });

  it('lists entries sorted by bytes and resolves relative paths against cwd', () => {
    const fs = new SimFs({ cwd: '/data' });
    fs.mkdir('/data');
    for (const n of ['b', 'a', 'B', 'appendonly.aof.1.incr.aof']) fs.open(n, 'append').close();
    expect(fs.readdir('.')).toEqual(['B', 'a', 'appendonly.aof.1.incr.aof', 'b']);
    expect(fs.stat('/data/a').isDirectory).toBe(false);
    expect(fs.stat('/data').isDirectory).toBe(true);
  });

  it('rename onto itself and over a file in another directory', () => {
    const fs = SimFs.withFiles({ '/a/x': '1', '/b/y': '2' });
    fs.rename('/a/x', '/a/x');
    expect(text(fs, '/a/x')).toBe('1');
    fs.rename('/a/x', '/b/y');
    expect(fs.snapshot()).toEqual({ '/b/y': '1' });
    expect(fs.usedBytes).toBe(1);
  });

  it('reports every syscall once, with op index, args, result or errno', () => {
    const events: SyscallEvent[] = [];
    const fs = new SimFs({ hooks: { onSyscall: (e) => events.push(e) } });
    const h = fs.open('/f', 'append');
    h.write(enc('abc'));
    h.fdatasync();
    fs.tryStat('/nope');
    fs.rename('/f', '/g');
    h.close();
    expect(events.map((e) => `${e.opIndex} ${e.name} ${e.path}${e.path2 ? `->${e.path2}` : ''} ${e.args} ${e.result ?? e.error}`)).toEqual([
      '1 open /f mode=append ino=2 created',
      '2 write /f len=3 3',
      '3 fdatasync /f  ok (1 ops durable, size=3)',
      '4 stat /nope  ENOENT',
      '5 rename /f->/g  ok',
      '6 close /f  ok',
    ]);
    expect(fs.opCount).toBe(6);
  });

  it('tryStat reports the same syscall events as stat (found, ENOENT, ENOTDIR, missing parent)', () => {
    const seen = (probe: (fs: SimFs, p: string) => unknown): string[] => {
      const events: SyscallEvent[] = [];
      const fs = SimFs.withFiles({ '/d/f': 'abc' }, { hooks: { onSyscall: (e) => events.push(e) } });
      const out: string[] = [];
      for (const p of ['/d/f', '/d/nope', '/d/f/x', '/no/x', '/d']) {
        try {
          out.push(JSON.stringify(probe(fs, p) ?? null));
        } catch (e) {
          out.push(isFsError(e) ? e.code : String(e));
        }
      }
      return [...out, ...events.map((e) => JSON.stringify(e))];
    };
    const viaStat = seen((fs, p) => fs.stat(p));
    const viaTry = seen((fs, p) => fs.tryStat(p));
    expect(viaStat.slice(0, 5)).toEqual([viaTry[0], 'ENOENT', 'ENOTDIR', 'ENOENT', viaTry[4]]);
    expect(viaTry.slice(1, 4)).toEqual(['null', 'null', 'null']);
    expect(viaTry.slice(5)).toEqual(viaStat.slice(5));
    expect(viaTry.slice(5).map((e) => JSON.parse(e).error ?? 'ok')).toEqual(['ok', 'ENOENT', 'ENOTDIR', 'ENOENT', 'ok']);
  });

  it('resolves unclean paths like clean ones (//, ., .., trailing /, relative to cwd, dot files)', () => {
    const fs = SimFs.withFiles({ '/d/f': 'abc', '/d/.hidden': 'xy' }, { cwd: '/d' });
    const ino = fs.stat('/d/f').ino;
    for (const p of ['/d//f', '//d/f', '/d/./f', '/d/../d/f', '/./d/f', 'f', './f', '../d/f']) expect(fs.stat(p).ino).toBe(ino);
    expect(fs.stat('/d/.hidden').sizeBytes).toBe(2);
    expect(fs.stat('/d/x/..').ino).toBe(fs.stat('/d').ino); // '..' is lexical, as path.resolve
    expect(fs.stat('/d').isDirectory).toBe(true);
    expect(fs.stat('/').isDirectory).toBe(true);
  });

  it('rejects syscalls after retire()', () => {
    const fs = new SimFs();
    fs.retire('power loss at op 3');
    expect(() => fs.mkdir('/x')).toThrow(/retired by power loss at op 3/);
  });

  it('frees inodes nothing refers to any more', () => {
    const fs = new SimFs();
    for (let i = 0; i < 200; i++) {
      const h = fs.open(`/t${i}`, 'append');
      h.write(enc('x'));
      h.close();
      fs.unlink(`/t${i}`);
      fs.fsyncDir('/');
    }
    expect(fs.internals().nodes.size).toBeLessThan(80);
    expect(fs.usedBytes).toBe(0);
  });
});
