import { describe, expect, it } from 'vitest';
import { MemoryLog } from '../ports/log.ts';
import { logRdbAux, logRdbDone, logRdbDuplicateKey, logRdbEmptyKey } from './rdb-load-log.ts';
import { logChildCow } from '../child/cow-log.ts';

const lines = (log: MemoryLog) => log.lines.map((l) => `${l.level} ${l.message}`);

describe('rdbLoadRio log lines (redis 7.0.15 / 4.0.14 rdb.c)', () => {
  const AUX: [string, string][] = [['redis-ver', '7.0.15'], ['REDIS-BITS', '64'], ['ctime', '1000'], ['used-mem', '985432'], ['aof-base', '1'], ['aof-preamble', '0'], ['%note', 'hi\0junk'], ['lua', 'x']];
  /** The lines of one load under `profile`: AUX at now = 1042, an empty key, a successful end with one expired and one skipped key, another with neither. */
  const loadLines = (profile: 'redis-4.0' | 'redis-7.0'): string[] => {
    const log = new MemoryLog();
    for (const [k, v] of AUX) logRdbAux(log, profile, k, v, 1042);
    logRdbEmptyKey(log, profile, 'k');
    logRdbDone(log, profile, 3, 1, 1);
    logRdbDone(log, profile, 3, 0, 0);
    return lines(log);
  };

  it('7.0: the known fields (any case), the age from now, the memory in Mb with two decimals, the end line', () => {
    expect(loadLines('redis-7.0')).toEqual([
      'notice Loading RDB produced by version 7.0.15',
      'notice RDB age 42 seconds',
      'notice RDB memory usage when created 0.94 Mb',
      'notice RDB is base AOF',
      "notice RDB '%note': hi",
      'warning rdbLoadObject skipping empty key: k',
      'warning Done loading RDB, keys loaded: 3, keys expired: 1, empty keys skipped: 1.',
      'notice Done loading RDB, keys loaded: 3, keys expired: 0.',
    ]);
  });

  it("4.0.14: only '%' fields at notice, unknown fields at debug, no empty-key or end line", () => {
    expect(loadLines('redis-4.0')).toEqual([
      "debug Unrecognized RDB AUX field: 'redis-ver'",
      "debug Unrecognized RDB AUX field: 'REDIS-BITS'",
      "debug Unrecognized RDB AUX field: 'ctime'",
      "debug Unrecognized RDB AUX field: 'used-mem'",
      "debug Unrecognized RDB AUX field: 'aof-base'",
      "debug Unrecognized RDB AUX field: 'aof-preamble'",
      "notice RDB '%note': hi",
    ]);
  });
});

describe('logRdbDuplicateKey (checked on the binaries: a dump.rdb holding key "a" twice)', () => {
  it("7.0.15's warning and serverPanic line; 4.0.14's failed dbAdd assertion", () => {
    const log = new MemoryLog();
    logRdbDuplicateKey(log, 'redis-7.0', 'a\0b', 3);
    logRdbDuplicateKey(log, 'redis-4.0', 'a', 0);
    expect(lines(log)).toEqual([
      "warning RDB has duplicated key 'a' in DB 3",
      'warning Guru Meditation: Duplicated key found in RDB file #rdb.c:3184',
      'warning === ASSERTION FAILED ===',
      "warning ==> db.c:171 'retval == DICT_OK' is not true",
    ]);
  });
});

describe('logChildCow (redis 7.0.15 sendChildCowInfo, 4.0.14 private_dirty line)', () => {
  it("prints each version's line with aofsim's 0 MB", () => {
    const log = new MemoryLog();
    logChildCow(log, 'redis-7.0', 'AOF rewrite');
    logChildCow(log, 'redis-4.0', 'RDB');
    expect(lines(log)).toEqual(['notice Fork CoW for AOF rewrite: current 0 MB, peak 0 MB, average 0 MB', 'notice RDB: 0 MB of memory used by copy-on-write']);
  });
});
