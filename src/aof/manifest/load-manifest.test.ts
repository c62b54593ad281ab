import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { isAofError } from '../../base/errors.ts';
import { loadManifestFile } from './load-manifest.ts';

describe('loadManifestFile', () => {
  it('reads and parses through the Fs port', () => {
    const fs = createMemoryFs({ '/d/appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n' });
    expect(loadManifestFile(fs, '/d/appendonly.aof.manifest').incrs).toEqual([
      { name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'i' },
    ]);
  });

  it("a missing file: AOF_OPEN with Redis's wording", () => {
    try {
      loadManifestFile(createMemoryFs({ '/d/x': '' }), '/d/appendonly.aof.manifest');
      expect.unreachable();
    } catch (e) {
      expect(isAofError(e) && e.code).toBe('AOF_OPEN');
      expect(isAofError(e) && e.reason).toBe(
        "Fatal error: can't open the AOF manifest file /d/appendonly.aof.manifest for reading: No such file or directory",
      );
    }
  });

  it('a bad file: AOF_MANIFEST_INVALID naming the manifest', () => {
    try {
      loadManifestFile(createMemoryFs({ '/d/m.manifest': '\n' }), '/d/m.manifest');
      expect.unreachable();
    } catch (e) {
      expect(isAofError(e) && e.code).toBe('AOF_MANIFEST_INVALID');
      expect(isAofError(e) && e.details).toEqual({ file: 'm.manifest', line: 1, lineText: '' });
    }
  });
});
