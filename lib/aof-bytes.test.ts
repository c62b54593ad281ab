// Library API loadAof / checkAof on the inputs with nothing to load: an empty dir (or one holding
// no AOF) is a Redis `dir` before its first write: Redis 7.0 starts empty from it, and
// redis-check-aof, given a directory, cannot read it (as `aofsim check DIR` says). Neither throws,
// and no message shows the in-memory mount point.

import { describe, expect, it } from 'vitest';
import { checkAof, loadAof } from './aof-bytes.ts';

describe('loadAof / checkAof on a dir holding no AOF', () => {
  for (const [what, input] of [
    ['no files at all', {}],
    ['a file that is no AOF', { 'notes.txt': 'x' }],
  ] as const) {
    it(`${what}: Redis starts empty; the checker cannot read it`, () => {
      const loaded = loadAof(input);
      expect(loaded.ok).toBe(true);
      expect(loaded.status).toBe('not-exist');
      expect(JSON.parse(loaded.dump!)).toEqual({ atMs: 0, dbs: {} });
      const checked = checkAof(input);
      expect(checked).toEqual({
        exitCode: 1,
        ok: false,
        lines: ['aofsim: the input holds no manifest, no appendonlydir/ with a manifest, and no appendonly.aof', 'Cannot read file: .'],
      });
      for (const l of [...loaded.messages, ...checked.lines]) expect(l).not.toContain('/aof');
    });
  }
});
