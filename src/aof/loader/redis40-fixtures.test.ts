// The redis-4.0 profile's loader (loadAppendOnlyFile 4.0.14) on the files redis-server 4.0.14 wrote
// (fixtures/redis-4.0.14, made by its generate.ts): each loads, untouched, to the canonical dump
// of what 4.0.14 held (expected.json, from its own SAVE).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { Executor } from '../../commands/executor.ts';
import { formatCanonicalDump } from '../../keyspace/canonical-dump.ts';
import { Keyspace } from '../../keyspace/keyspace.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import { loadSingleAppendOnlyFile } from './load-single-file.ts';
import { rdbLoaderFor } from './rdb-loader-for.ts';

const ROOT = new URL('../../../fixtures/redis-4.0.14/', import.meta.url).pathname;
const DIRS = ['preamble-no', 'preamble-yes'].flatMap((p) => readdirSync(join(ROOT, p)).map((s) => `${p}/${s}`));

describe('redis-4.0 profile loads the files redis-server 4.0.14 wrote', () => {
  it('has the six stages', () => {
    expect(DIRS.length).toBe(6);
  });
  for (const d of DIRS) {
    it(`${d}: loads to expected.json`, () => {
      const bytes = readFileSync(join(ROOT, d, 'appendonly.aof'));
      const fs = createMemoryFs({ '/d/appendonly.aof': bytes });
      const ks = new Keyspace();
      const log = new MemoryLog();
      const clock = { nowMs: () => 0 };
      const executor = new Executor(ks, { profile: 'redis-4.0', clock, random: new SeededRandom(0), log });
      const r = loadSingleAppendOnlyFile(
        { fs, log, executor, modify: true, rdb: rdbLoaderFor(ks), clock },
        { file: 'appendonly.aof', path: '/d/appendonly.aof', loadTruncated: false, dialect: 'redis-4.0', oldStyle: true, isLastFile: true },
      );
      expect(r.status, r.error?.message).toBe('ok');
      expect(Buffer.compare(Buffer.from(fs.readFile('/d/appendonly.aof')), bytes)).toBe(0);
      expect(formatCanonicalDump(ks) + '\n').toBe(readFileSync(join(ROOT, d, 'expected.json'), 'utf8'));
    });
  }
  it("4.0.14's records show what 4.0 counts dirty: SUNIONSTORE with an empty result, SET + PEXPIREAT", () => {
    const text = readFileSync(join(ROOT, 'preamble-no/1-after-workload/appendonly.aof.decoded.txt'), 'utf8');
    expect(text).toContain('"SUNIONSTORE" "t0" "t3" "t0"');
    expect(text).toMatch(/"SET" "ex" "v"\n\d+: "PEXPIREAT" "ex" "\d{13}"/);
  });
});
