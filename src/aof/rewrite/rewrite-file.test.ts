import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { Keyspace } from '../../keyspace/keyspace.ts';
import { FsError, type FileHandle, type Fs } from '../../ports/fs.ts';
import { MemoryLog } from '../../ports/log.ts';
import { rewriteAppendOnlyFile, runSync, type RewriteFileParams } from './rewrite-file.ts';

/** A memory fs whose handles count fsyncs and can fail writes after `failAfterBytes`. */
function countingFs(failAfterBytes = Infinity): { fs: Fs; fsyncs: () => number } {
  const fs = createMemoryFs({ '/d/.keep': '' });
  let fsyncs = 0;
  let written = 0;
  const open = fs.open.bind(fs);
  fs.open = (path, mode): FileHandle => {
    const h = open(path, mode);
    return new Proxy(h, {
      get(target, prop, receiver) {
        if (prop === 'fsync') return () => { fsyncs++; target.fsync(); };
        if (prop === 'write') {
          return (data: Uint8Array) => {
            if (written + data.length > failAfterBytes) throw new FsError('ENOSPC', 'write', path);
            written += data.length;
            return target.write(data);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  };
  return { fs, fsyncs: () => fsyncs };
}

function params(fs: Fs, keys: number, incrementalFsync: boolean): RewriteFileParams & { log: MemoryLog } {
  const ks = new Keyspace();
  for (let i = 0; i < keys; i++) ks.db(0).dict.set(`key:${i}`, { type: 'string', value: 'v'.repeat(100) });
  return { fs, log: new MemoryLog(), dir: '/d', snapshot: ks, profile: 'redis-7.0', nowMs: 0, useRdb: false, incrementalFsync, timestampS: null };
}

describe('rewriteAppendOnlyFile (7.0)', () => {
  it('fsyncs every 4 MB with aof-rewrite-incremental-fsync, once at the end without', () => {
    for (const inc of [true, false]) {
      const { fs, fsyncs } = countingFs();
      const p = params(fs, 70_000, inc); // ~9.3 MB of RESP
      expect(runSync(rewriteAppendOnlyFile(p, 42, '/d/base.aof'))).toBe(0);
      const size = fs.stat('/d/base.aof').sizeBytes;
      expect(size).toBeGreaterThan(8 * 1024 * 1024);
      expect(fsyncs()).toBe(inc ? Math.floor(size / (4 * 1024 * 1024)) + 1 : 1);
      expect(fs.readdir('/d')).toEqual(['.keep', 'base.aof']);
    }
  });

  it('a write error: exit 1, Redis wording, temp file unlinked, target untouched', () => {
    const { fs } = countingFs(100_000);
    const p = params(fs, 5000, true);
    expect(runSync(rewriteAppendOnlyFile(p, 42, '/d/base.aof'))).toBe(1);
    expect(p.log.has('Write error writing append only file on disk: No space left on device')).toBe(true);
    expect(fs.readdir('/d')).toEqual(['.keep']);
  });

  it('a rename error: exit 1, temp file unlinked', () => {
    const { fs } = countingFs();
    fs.rename = (from) => {
      throw new FsError('EIO', 'rename', from);
    };
    const p = params(fs, 10, true);
    expect(runSync(rewriteAppendOnlyFile(p, 42, '/d/base.aof'))).toBe(1);
    expect(p.log.has('Error moving temp append only file on the final destination: Input/output error')).toBe(true);
    expect(fs.readdir('/d')).toEqual(['.keep']);
  });
});
