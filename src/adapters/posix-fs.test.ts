import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './memory/memory-fs.ts';
import { isFsError } from '../ports/fs.ts';

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
});
