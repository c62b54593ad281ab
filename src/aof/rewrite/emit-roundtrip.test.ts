// Rewrite output loaded by the real loader and command layer (src/aof/loader + src/commands)
// gives back the same canonical dump: RESP bodies for both profiles, RDB bodies via encodeRdb.
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { Executor } from '../../commands/executor.ts';
import { Keyspace } from '../../keyspace/keyspace.ts';
import { formatCanonicalDump } from '../../keyspace/canonical-dump.ts';
import { ZSet } from '../../keyspace/zset.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import { loadRdbInto } from '../../rdb/index.ts';
import { loadSingleAppendOnlyFile } from '../loader/index.ts';
import { rewriteToString } from './emit.ts';
import { defaultRdbEncoder } from './rdb-body.ts';
import { List } from '../../keyspace/list.ts';

const NOW = 1_700_000_000_000;

function dataset(): Keyspace {
  const ks = new Keyspace();
  const d = ks.db(0);
  d.dict.set('str', { type: 'string', value: 'hello' });
  d.dict.set('int', { type: 'string', value: '-42' });
  d.dict.set('bin', { type: 'string', value: 'a\x00\xff\r\n' });
  d.dict.set('list', { type: 'list', value: List.from(Array.from({ length: 150 }, (_, i) => `e${i}`)) });
  d.dict.set('intset', { type: 'set', value: new Set(Array.from({ length: 70 }, (_, i) => String(i))) });
  d.dict.set('set', { type: 'set', value: new Set(Array.from({ length: 130 }, (_, i) => `m${i}`)) });
  const z = new ZSet();
  for (let i = 0; i < 140; i++) z.set(`z${i}`, i * 1.1);
  z.set('a', -Infinity);
  z.set('b', 0.1);
  z.set('c', 1e300);
  d.dict.set('zset', { type: 'zset', value: z });
  d.dict.set('hash', { type: 'hash', value: new Map(Array.from({ length: 70 }, (_, i) => [`f${i}`, `v${i}`])) });
  d.dict.set('ttl', { type: 'string', value: 'x' });
  d.expires.set('ttl', NOW + 100_000);
  d.dict.set('stream', {
    type: 'stream',
    value: {
      entries: [{ id: { ms: 5n, seq: 1n }, fields: ['f', 'v'] }],
      lastId: { ms: 7n, seq: 0n },
      entriesAdded: 3,
      maxDeletedId: { ms: 6n, seq: 0n },
      firstId: { ms: 5n, seq: 1n },
      groups: new Map([
        [
          'g',
          {
            name: 'g',
            lastId: { ms: 5n, seq: 1n },
            entriesRead: 3,
            pel: [{ id: { ms: 5n, seq: 1n }, consumer: 'c1', deliveryTimeMs: NOW, deliveryCount: 2 }],
            consumers: new Map([
              ['c1', { name: 'c1', seenTimeMs: NOW }],
              ['c2', { name: 'c2', seenTimeMs: NOW }],
            ]),
          },
        ],
      ]),
    },
  });
  ks.db(5).dict.set('other', { type: 'list', value: List.from(['1']) });
  ks.db(5).expires.set('other', NOW + 5);
  return ks;
}

function load(bytes: Uint8Array, profile: 'redis-4.0' | 'redis-7.0'): { ks: Keyspace; status: string } {
  const fs = createMemoryFs({ '/d/appendonly.aof': bytes });
  const ks = new Keyspace();
  const log = new MemoryLog();
  const executor = new Executor(ks, { profile, clock: { nowMs: () => NOW }, random: new SeededRandom(1), log });
  const r = loadSingleAppendOnlyFile(
    { fs, log, executor, modify: false, rdb: (b, file) => loadRdbInto(ks, b, { file }).endOffset },
    { file: 'appendonly.aof', path: '/d/appendonly.aof', loadTruncated: false, dialect: profile, oldStyle: true, isLastFile: true },
  );
  expect(log.marks.get('loader.command-error') ?? 0).toBe(0);
  return { ks, status: r.status };
}

describe('rewrite output through the real loader', () => {
  for (const profile of ['redis-4.0', 'redis-7.0'] as const) {
    it(`${profile}: RESP body reloads to the same canonical dump`, () => {
      const ks = dataset();
      // Redis 4.0 has no streams, and its loader refuses XADD (an unknown command in 4.0.14).
      if (profile === 'redis-4.0') ks.db(0).dict.delete('stream');
      const text = rewriteToString(ks, { profile, nowMs: NOW, timestampS: 1_700_000_000 });
      const r = load(Buffer.from(text, 'latin1'), profile);
      expect(r.status).toBe('ok');
      expect(formatCanonicalDump(r.ks)).toBe(formatCanonicalDump(ks));
    });
    it(`${profile}: RDB body (${profile === 'redis-4.0' ? 'aof-preamble' : 'aof-base'}) reloads to the same canonical dump`, () => {
      const ks = dataset();
      const parts = [...defaultRdbEncoder(profile)(ks, profile === 'redis-4.0' ? 'aof-preamble' : 'aof-base', NOW)];
      const r = load(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p))), profile);
      expect(r.status).toBe('ok');
      expect(formatCanonicalDump(r.ks)).toBe(formatCanonicalDump(ks));
    });
  }

  it('redis-4.0: a stream rewritten as XADD is refused by the 4.0 loader, as 4.0.14 refuses XADD', () => {
    const text = rewriteToString(dataset(), { profile: 'redis-7.0', nowMs: NOW, timestampS: 1_700_000_000 });
    const r = load(Buffer.from(text.replace(/#TS:\d+\r\n/g, ''), 'latin1'), 'redis-4.0');
    expect(r.status).toBe('failed');
  });
});
