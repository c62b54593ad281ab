import { describe, expect, it } from 'vitest';
import { FsCore } from './fs-core.ts';
import { SimFs } from './sim-fs.ts';

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');

describe('FsCore durability queries', () => {
  it('a created name is durable only after its directory is synced, whatever the file fsyncs', () => {
    const fs = SimFs.withFiles({ '/d/old': 'x' });
    expect(fs.core.isNameDurable('/d/old')).toBe(true);
    const h = fs.open('/d/new', 'append');
    h.write(enc('abc'));
    h.fsync();
    expect(fs.core.isNameDurable('/d/new')).toBe(false);
    expect(fs.core.undurableNames().map((n) => n.path)).toEqual(['/d/new']);
    fs.fsyncDir('/d');
    expect(fs.core.isNameDurable('/d/new')).toBe(true);
    expect(fs.core.undurableNames()).toEqual([]);
    expect(fs.core.isNameDurable('/d/missing')).toBe(false);
  });

  it('a rename over a durable name leaves it undurable (the old inode is what a power loss keeps)', () => {
    const fs = SimFs.withFiles({ '/d/a.aof': 'old', '/d/tmp': 'new' });
    const oldIno = fs.inodeAt('/d/a.aof');
    const newIno = fs.inodeAt('/d/tmp');
    fs.rename('/d/tmp', '/d/a.aof');
    expect(fs.core.isNameDurable('/d/a.aof')).toBe(false);
    expect(fs.core.durableInodeAt('/d/a.aof')).toBe(oldIno);
    expect(fs.core.inodeAt('/d/a.aof')).toBe(newIno);
    fs.fsyncDir('/d');
    expect(fs.core.durableInodeAt('/d/a.aof')).toBe(newIno);
    expect(fs.core.isNameDurable('/d/a.aof')).toBe(true);
  });

  it('names below an undurable directory are undurable; only the directory is listed', () => {
    const fs = new SimFs();
    fs.mkdir('/dir');
    fs.open('/dir/f', 'append').close();
    fs.fsyncDir('/dir');
    expect(fs.core.isNameDurable('/dir/f')).toBe(false);
    expect(fs.core.undurableNames().map((n) => n.path)).toEqual(['/dir']);
    fs.fsyncDir('/');
    expect(fs.core.isNameDurable('/dir/f')).toBe(true);
  });

  it('a file is dirty with its written bytes pending until an fsync', () => {
    const fs = SimFs.withFiles({ '/a': 'xy' });
    const ino = fs.inodeAt('/a')!;
    const h = fs.open('/a', 'append');
    expect(fs.core.isDirty(ino)).toBe(false);
    h.write(enc('123'));
    h.write(enc('45'));
    expect(fs.core.isDirty(ino)).toBe(true);
    expect(fs.core.pendingBytes(ino)).toBe(5);
    expect(fs.core.fileSizes(ino)).toEqual({ visibleBytes: 7, durableBytes: 2 });
    h.truncate(3);
    expect(fs.core.pendingBytes(ino)).toBe(5);
    h.fdatasync();
    expect(fs.core.isDirty(ino)).toBe(false);
    expect(fs.core.pendingBytes(ino)).toBe(0);
    expect(fs.core.fileSizes(ino)).toEqual({ visibleBytes: 3, durableBytes: 3 });
    expect(fs.core.isDirty(12345)).toBe(false);
    expect(fs.core.fileSizes(1)).toBeUndefined();
  });

  it('counts no syscalls and reports no events (queries and direct core use are not syscalls)', () => {
    const events: unknown[] = [];
    const fs = SimFs.withFiles({ '/d/f': 'abc' }, { hooks: { onSyscall: (e) => events.push(e) } });
    fs.core.isNameDurable('/d/f');
    fs.core.undurableNames();
    fs.core.pendingSummary();
    expect(fs.opCount).toBe(0);
    expect(events).toEqual([]);
    const core = FsCore.withFiles({ '/x': 'q' });
    const p = core.resolve('/y', 'open');
    const { node, created } = core.openFile(p, true, false);
    core.write(node, 0, enc('hello'), 4);
    expect(created).toBe(true);
    expect(core.usedBytes).toBe(5);
    expect(core.listFiles('visible').map((f) => [f.path, Buffer.from(f.data).toString('latin1')])).toEqual([['/x', 'q'], ['/y', 'hell']]);
    expect(core.listFiles('durable').map((f) => f.path)).toEqual(['/x']);
  });
});
