import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './memory/memory-fs.ts';
import { inRedisDir, isFsError, joinPath, readInto, type FileHandle } from '../ports/fs.ts';

describe('PosixFs on memfs', () => {
  it('handles follow the inode across rename, and unlinked files stay writable', () => {
    const fs = createMemoryFs({ '/d/a': 'x' });
    const h = fs.open('/d/a', 'append');
    fs.rename('/d/a', '/d/b');
    expect(h.write(Buffer.from('yz'))).toBe(2);
    expect(Buffer.from(fs.readFile('/d/b')).toString()).toBe('xyz');
    fs.unlink('/d/b');
    expect(h.write(Buffer.from('!'))).toBe(1);
    expect(h.stat().sizeBytes).toBe(4);
    expect(fs.tryStat('/d/b')).toBeUndefined();
    h.close();
  });

  it('reports errors as FsError with Node-style messages', () => {
    const fs = createMemoryFs();
    let err: unknown;
    try {
      fs.open('/nope', 'read');
    } catch (e) {
      err = e;
    }
    expect(isFsError(err)).toBe(true);
    expect((err as Error).message).toBe("ENOENT: no such file or directory, open '/nope'");
  });

  it('readdir is sorted by bytes and truncate works through handles', () => {
    const fs = createMemoryFs({ '/d/b': '1', '/d/a': '22', '/d/B': '3' });
    expect(fs.readdir('/d')).toEqual(['B', 'a', 'b']);
    const h = fs.open('/d/a', 'append');
    h.truncate(1);
    h.close();
    expect(fs.stat('/d/a').sizeBytes).toBe(1);
  });

  it("readInto fills the caller's buffer at a position or at the handle's position; the helper falls back to read()", () => {
    const fs = createMemoryFs({ '/f': 'abcdefgh' });
    const h = fs.open('/f', 'read');
    const buf = new Uint8Array(3);
    expect(h.readInto!(buf, 2)).toBe(3);
    expect(Buffer.from(buf).toString()).toBe('cde');
    expect(h.readInto!(buf)).toBe(3); // the handle's position did not move for the positioned read
    expect(Buffer.from(buf).toString()).toBe('abc');
    expect(h.readInto!(buf)).toBe(3);
    expect(Buffer.from(buf).toString()).toBe('def');
    expect(h.readInto!(buf)).toBe(2); // EOF inside the buffer: the count says how much is new
    expect(Buffer.from(buf.subarray(0, 2)).toString()).toBe('gh');
    expect(h.readInto!(buf)).toBe(0);
    // A handle without readInto (a test wrapper, say): read() and a copy, same result.
    const plain: FileHandle = {
      path: h.path,
      read: (n, pos) => h.read(n, pos),
      write: (d) => h.write(d),
      fsync: () => h.fsync(),
      fdatasync: () => h.fdatasync(),
      truncate: (n) => h.truncate(n),
      stat: () => h.stat(),
      close: () => h.close(),
    };
    const into = new Uint8Array(4).fill(0x2e);
    expect(readInto(plain, into, 6)).toBe(2);
    expect(Buffer.from(into).toString()).toBe('gh..');
    h.close();
    expect(() => h.readInto!(buf, 0)).toThrow(/EBADF/);
  });
});

describe('empty names (dbfilename "": Redis opens names relative to its dir)', () => {
  it('inRedisDir(dir, "") names nothing, and every syscall on it fails with ENOENT, as on Linux', () => {
    expect(inRedisDir('/d', '')).toBe('');
    expect(inRedisDir('/d', 'dump.rdb')).toBe('/d/dump.rdb');
    expect(joinPath('/d', '')).toBe('/d/'); // a dir prefix, as callers use it
    const fs = createMemoryFs({ '/d/t.rdb': 'x' });
    for (const op of [() => fs.readFile(''), () => fs.open('', 'create-truncate'), () => fs.rename('/d/t.rdb', ''), () => fs.unlink(''), () => fs.stat('')]) {
      expect(op).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    }
    expect(fs.readFile('/d/t.rdb').length).toBe(1);
  });
});
