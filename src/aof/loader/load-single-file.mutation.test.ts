// An RDB preamble of a version the server cannot read (mutation survivor of load-single-file.ts):
// 4.0.14's version test returns C_ERR with errno EINVAL, so it logs one more line than 7.0.
import { describe, expect, it } from 'vitest';
import { AofError } from '../../base/errors.ts';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import type { Profile } from '../../base/profile.ts';
import { MemoryLog } from '../../ports/log.ts';
import { loadSingleAppendOnlyFile } from './load-single-file.ts';
import { MapExecutor } from './map-executor.ts';

function loadTooNew(dialect: Profile): string[] {
  const fs = createMemoryFs({ '/d/appendonly.aof': 'REDIS0011<rdb>' });
  const log = new MemoryLog();
  const rdb = (): number => {
    throw new AofError('AOF_RDB_UNSUPPORTED', "Can't handle RDB format version 11");
  };
  const res = loadSingleAppendOnlyFile(
    { fs, log, executor: new MapExecutor(), modify: false, rdb },
    { file: 'appendonly.aof', path: '/d/appendonly.aof', loadTruncated: true, dialect, oldStyle: true, isLastFile: true },
  );
  expect(res.status).toBe('failed');
  return log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
}

describe('an RDB preamble of an unknown version', () => {
  it('4.0 adds "Invalid argument" after the preamble error', () => {
    expect(loadTooNew('redis-4.0')).toEqual([
      "Can't handle RDB format version 11",
      'Error reading the RDB preamble of the AOF file, AOF loading aborted',
      'Unrecoverable error reading the append only file: Invalid argument',
    ]);
  });

  it('7.0 does not', () => {
    expect(loadTooNew('redis-7.0')).toEqual([
      "Can't handle RDB format version 11",
      'Error reading the RDB preamble of the AOF file appendonly.aof, AOF loading aborted',
    ]);
  });
});
