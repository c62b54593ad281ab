// The loader with the real RDB codec and command executor: RDB BASE + INCR, an old-style file with
// an RDB preamble and a RESP tail, and RDB failures (fatal even with aof-load-truncated: docs/redis-behaviour.md#base-format,
// docs/redis-bugs.md#bug-9).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { Executor } from '../../commands/executor.ts';
import { canonicalDump } from '../../keyspace/canonical-dump.ts';
import { Keyspace } from '../../keyspace/keyspace.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import { encodeRdb } from '../../rdb/index.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { loadAppendOnlyFiles } from './load-append-only-files.ts';
import { rdbLoaderFor } from './rdb-loader-for.ts';
import type { LoaderConfig } from './types.ts';

const GOLDEN = fileURLToPath(new URL('../../../fixtures/redis-7.0.15/golden/golden-rdb/', import.meta.url));
const read = (name: string) => readFileSync(GOLDEN + name);
const CFG: LoaderConfig = { dir: '/r', appendFilename: 'appendonly.aof', appendDirname: 'appendonlydir', loadTruncated: true, layout: 'multi-part' };

function run(files: Record<string, string | Uint8Array>, bugs: string[] = []) {
  const keyspace = new Keyspace();
  const log = new MemoryLog();
  const executor = new Executor(keyspace, { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1), log });
  const fs = createMemoryFs(files);
  const res = loadAppendOnlyFiles({ fs, log, executor, modify: true, rdb: rdbLoaderFor(keyspace), bugs: new Set(bugs) }, CFG);
  return { res, keyspace, log, fs };
}

const goldenFiles = () => ({
  '/r/appendonlydir/appendonly.aof.manifest': read('appendonly.aof.manifest'),
  '/r/appendonlydir/appendonly.aof.2.base.rdb': read('appendonly.aof.2.base.rdb'),
  '/r/appendonlydir/appendonly.aof.2.incr.aof': read('appendonly.aof.2.incr.aof'),
});

describe('RDB parts', () => {
  it('loads the golden RDB BASE + INCR to expected.json', () => {
    const expected = JSON.parse(readFileSync(GOLDEN + 'expected.json', 'utf8'));
    const { res, keyspace, log } = run(goldenFiles());
    expect(res.status).toBe('ok');
    expect(log.has('Reading RDB base file on AOF loading...')).toBe(true);
    expect(JSON.parse(JSON.stringify(canonicalDump(keyspace, expected.atMs)))).toEqual(expected);
  });

  it('a truncated RDB BASE is fatal even with aof-load-truncated (bug 9), at every cut', () => {
    const rdb = read('appendonly.aof.2.base.rdb');
    for (let cut = 5; cut < rdb.length; cut += 7) {
      const files = { ...goldenFiles(), '/r/appendonlydir/appendonly.aof.2.base.rdb': rdb.subarray(0, cut) };
      const { res, fs } = run(files);
      expect(res.status, `cut ${cut}`).toBe('failed');
      expect(res.error?.code).toBe('AOF_RDB_CORRUPT');
      expect(fs.stat('/r/appendonlydir/appendonly.aof.2.base.rdb').sizeBytes).toBe(cut);
    }
  });

  it("with bugs {'truncated-rdb-as-short-read'} a short RDB BASE alone is cut to 0 and loaded (Redis 7.0.x)", () => {
    const rdb = read('appendonly.aof.2.base.rdb');
    const { res, fs } = run({
      '/r/appendonlydir/appendonly.aof.manifest': 'file appendonly.aof.2.base.rdb seq 2 type b\n',
      '/r/appendonlydir/appendonly.aof.2.base.rdb': rdb.subarray(0, rdb.length - 9),
    }, ['truncated-rdb-as-short-read']);
    expect(res.status).toBe('truncated');
    expect(fs.stat('/r/appendonlydir/appendonly.aof.2.base.rdb').sizeBytes).toBe(0);
  });

  it('an old-style file with an RDB preamble and a RESP tail is upgraded and loads both parts', () => {
    const src = new Keyspace();
    src.db(0).dict.set('pre', { type: 'string', value: 'amble' });
    const preamble = encodeRdb(src, { nowMs: 0, aofPreamble: true });
    const tail = encodeCommand(['SET', 'tail', '1']);
    const file = Buffer.concat([Buffer.from(preamble), Buffer.from(tail + encodeCommand(['SET', 'cut', '1']).slice(0, -4), 'latin1')]);
    const { res, keyspace, log, fs } = run({ '/r/appendonly.aof': file });
    expect(res.status).toBe('truncated');
    expect(res.upgrade?.performed).toBe(true);
    expect(log.has('Reading RDB preamble from AOF file...')).toBe(true);
    expect(log.has('Reading the remaining AOF tail...')).toBe(true);
    expect(canonicalDump(keyspace).dbs['0']).toEqual([
      { key: 'pre', type: 'string', value: 'amble' },
      { key: 'tail', type: 'string', value: '1' },
    ]);
    expect(fs.stat('/r/appendonlydir/appendonly.aof').sizeBytes).toBe(preamble.length + tail.length);
  });

  it("a short first tail command after a preamble: cut after the RDB (fixed) or to 0 bytes ('preamble-cut-to-zero', Redis 7.0.15)", () => {
    const src = new Keyspace();
    src.db(0).dict.set('pre', { type: 'string', value: 'amble' });
    const preamble = encodeRdb(src, { nowMs: 0, aofPreamble: true });
    const file = Buffer.concat([Buffer.from(preamble), Buffer.from(encodeCommand(['SET', 'x', '1']).slice(0, 9), 'latin1')]);
    const fixed = run({ '/r/appendonly.aof': file });
    expect(fixed.res.status).toBe('truncated');
    expect(fixed.fs.stat('/r/appendonlydir/appendonly.aof').sizeBytes).toBe(preamble.length);
    const buggy = run({ '/r/appendonly.aof': file }, ['preamble-cut-to-zero']);
    expect(buggy.res.status).toBe('truncated');
    expect(buggy.fs.stat('/r/appendonlydir/appendonly.aof').sizeBytes).toBe(0);
    expect(canonicalDump(buggy.keyspace).dbs['0']).toEqual([{ key: 'pre', type: 'string', value: 'amble' }]);
  });
});

describe("RDB parts: rdbLoadRio's log lines (redis 7.0.15 rdb.c; src/persistence/rdb-load-log.ts)", () => {
  it('a BASE logs its aux fields in file order and the keys it loaded, between the loader lines, as redis-server 7.0.15 does', () => {
    const { log } = run(goldenFiles());
    const lines = log.lines.map((l) => l.message);
    const from = lines.indexOf('Reading RDB base file on AOF loading...');
    const to = lines.findIndex((l) => l.startsWith('DB loaded from base file'));
    expect(lines.slice(from, to + 1).map((l) => l.replace(/RDB age \d+ seconds/, 'RDB age N seconds'))).toEqual([
      'Reading RDB base file on AOF loading...',
      'Loading RDB produced by version 7.0.15',
      'RDB age N seconds',
      expect.stringMatching(/^RDB memory usage when created \d+\.\d\d Mb$/),
      'RDB is base AOF',
      expect.stringMatching(/^Done loading RDB, keys loaded: [1-9]\d*, keys expired: 0\.$/),
      expect.stringMatching(/^DB loaded from base file appendonly\.aof\.2\.base\.rdb: /),
    ]);
  });

  it('an empty BASE logs the same lines on every load (its parse is remembered, its lines are not)', () => {
    const base = encodeRdb(new Keyspace(), { nowMs: 0, aofBase: true });
    const files = () => ({
      '/r/appendonlydir/appendonly.aof.manifest': 'file appendonly.aof.1.base.rdb seq 1 type b\n',
      '/r/appendonlydir/appendonly.aof.1.base.rdb': base,
    });
    const first = run(files()).log.lines.map((l) => l.message);
    const second = run(files()).log.lines.map((l) => l.message);
    expect(first).toContain('RDB is base AOF');
    expect(first).toContain('Done loading RDB, keys loaded: 0, keys expired: 0.');
    expect(second.filter((l) => !l.includes('seconds'))).toEqual(first.filter((l) => !l.includes('seconds')));
  });
});

describe('RDB parts: a key found twice (redis 7.0.15 rdbLoadRio: warning, then serverPanic)', () => {
  it("logs 'RDB has duplicated key' and the panic line, not 'AOF loading aborted' (as redis-server 7.0.15 on the same bytes)", () => {
    // The fresh-start BASE with every byte from offset 25 zeroed: its aux field is cut, then keys "" follow.
    const dir = fileURLToPath(new URL('../../../fixtures/redis-7.0.15/preamble-yes/1-fresh-start/', import.meta.url));
    const base = Uint8Array.from(readFileSync(dir + 'appendonly.aof.1.base.rdb'));
    base.fill(0, 25);
    const { res, log } = run({
      '/r/appendonlydir/appendonly.aof.manifest': readFileSync(dir + 'appendonly.aof.manifest'),
      '/r/appendonlydir/appendonly.aof.1.base.rdb': base,
      '/r/appendonlydir/appendonly.aof.1.incr.aof': readFileSync(dir + 'appendonly.aof.1.incr.aof'),
    });
    expect(res.status).toBe('failed');
    expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      "RDB has duplicated key '' in DB 0",
      'Guru Meditation: Duplicated key found in RDB file #rdb.c:3184',
    ]);
  });
});
