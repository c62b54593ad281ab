import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import type { FileHandle, Fs } from '../../ports/fs.ts';
import { FsError, isFsError } from '../../ports/fs.ts';
import { MemoryLog } from '../../ports/log.ts';
import { persistManifest, persistManifestIfDirty } from './persist-manifest.ts';
import { parseManifest } from './parse-manifest.ts';
import { emptyManifest, type Manifest } from './types.ts';

/** A recording Fs: every call is logged; writes can be cut short; one step can be made to fail. */
function recordingFs(opts: { maxWriteBytes?: number; failOn?: string; eintrOnce?: boolean } = {}) {
  const inner = createMemoryFs({ '/d/.keep': '' });
  const calls: string[] = [];
  let eintr = opts.eintrOnce ?? false;
  const maybeFail = (op: string, path: string): void => {
    if (opts.failOn === op) throw new FsError('EIO', op, path);
  };
  const wrapHandle = (h: FileHandle): FileHandle => ({
    path: h.path,
    write(data) {
      calls.push(`write ${data.length}`);
      if (eintr) {
        eintr = false;
        throw new FsError('EINTR', 'write', h.path);
      }
      maybeFail('write', h.path);
      return h.write(data.subarray(0, Math.min(data.length, opts.maxWriteBytes ?? data.length)));
    },
    read: (n, p) => h.read(n, p),
    fsync() {
      calls.push(`fsync ${h.path}`);
      maybeFail('fsync', h.path);
      h.fsync();
    },
    fdatasync: () => h.fdatasync(),
    truncate: (n) => h.truncate(n),
    stat: () => h.stat(),
    close() {
      calls.push(`close ${h.path}`);
      h.close();
    },
  });
  const fs: Fs = {
    open(path, mode) {
      calls.push(`open ${path} ${mode}`);
      maybeFail('open', path);
      return wrapHandle(inner.open(path, mode));
    },
    rename(from, to) {
      calls.push(`rename ${from} ${to}`);
      maybeFail('rename', from);
      inner.rename(from, to);
    },
    fsyncDir(dir) {
      calls.push(`fsyncDir ${dir}`);
      maybeFail('fsyncDir', dir);
      inner.fsyncDir(dir);
    },
    unlink: (p) => inner.unlink(p),
    truncate: (p, n) => inner.truncate(p, n),
    stat: (p) => inner.stat(p),
    tryStat: (p) => inner.tryStat(p),
    readdir: (d) => inner.readdir(d),
    mkdir: (d, e) => inner.mkdir(d, e),
    readFile: (p) => inner.readFile(p),
  };
  return { fs, calls };
}

function sample(): Manifest {
  const m = emptyManifest();
  m.base = { name: 'appendonly.aof.1.base.rdb', seq: 1, type: 'b' };
  m.incrs.push({ name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'i' });
  m.currBaseSeq = 1;
  m.currIncrSeq = 1;
  m.dirty = true;
  return m;
}

describe('persistManifest (redis writeAofManifestFile)', () => {
  it('writes temp, fsyncs, renames, fsyncs the directory, in that order', () => {
    const { fs, calls } = recordingFs();
    const m = sample();
    persistManifest(fs, '/d', 'appendonly.aof', m);
    expect(calls).toEqual([
      'open /d/temp-appendonly.aof.manifest create-truncate',
      'write 88',
      'fsync /d/temp-appendonly.aof.manifest',
      'close /d/temp-appendonly.aof.manifest',
      'rename /d/temp-appendonly.aof.manifest /d/appendonly.aof.manifest',
      'fsyncDir /d',
    ]);
    expect(parseManifest(fs.readFile('/d/appendonly.aof.manifest'), 'm')).toEqual({ ...m, dirty: false });
    expect(m.dirty).toBe(false);
    expect(fs.tryStat('/d/temp-appendonly.aof.manifest')).toBeUndefined();
  });

  it('loops on short writes and EINTR until everything is written', () => {
    const { fs, calls } = recordingFs({ maxWriteBytes: 10, eintrOnce: true });
    persistManifest(fs, '/d', 'appendonly.aof', sample());
    expect(calls.filter((c) => c.startsWith('write')).length).toBe(1 + 9); // EINTR + ceil(88/10)
    expect(Buffer.from(fs.readFile('/d/appendonly.aof.manifest')).toString('latin1')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
  });

  for (const step of ['open', 'write', 'fsync', 'rename', 'fsyncDir']) {
    it(`FAULT: a failing ${step} throws the FsError, logs it, and keeps the manifest dirty`, () => {
      const { fs } = recordingFs({ failOn: step });
      const log = new MemoryLog();
      const m = sample();
      let thrown: unknown;
      try {
        persistManifest(fs, '/d', 'appendonly.aof', m, { log });
      } catch (e) {
        thrown = e;
      }
      expect(isFsError(thrown)).toBe(true);
      expect((thrown as FsError).code).toBe('EIO');
      expect(m.dirty).toBe(true);
      expect(log.lines).toHaveLength(1);
      expect(log.lines[0]!.message).toMatch(/Input\/output error/);
      if (step !== 'fsyncDir') expect(fs.tryStat('/d/appendonly.aof.manifest')).toBeUndefined();
    });
  }

  it("bug 'no-dir-fsync' skips the directory fsync", () => {
    const { fs, calls } = recordingFs();
    const log = new MemoryLog();
    persistManifest(fs, '/d', 'appendonly.aof', sample(), { bugs: ['no-dir-fsync'], log });
    expect(calls.some((c) => c.startsWith('fsyncDir'))).toBe(false);
    expect(log.marks.get('manifest.persist.bug-no-dir-fsync')).toBe(1);
  });

  it('persistManifestIfDirty skips a clean manifest', () => {
    const { fs, calls } = recordingFs();
    const m = sample();
    m.dirty = false;
    persistManifestIfDirty(fs, '/d', 'appendonly.aof', m);
    expect(calls).toEqual([]);
    m.dirty = true;
    persistManifestIfDirty(fs, '/d', 'appendonly.aof', m);
    expect(calls.length).toBeGreaterThan(0);
  });
});
