// Property: the loader never throws for anything files can contain. On arbitrary bytes (random
// bytes, valid AOFs with random edits, "REDIS"-prefixed garbage for the RDB path), arbitrary
// manifests and missing files, loadAppendOnlyFiles / loadSingleAppendOnlyFile return a LoadResult
// whose status is one of Redis's results, and 'failed' / 'open-err' always carry an AofError.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';
import { isAofError } from '../src/base/errors.ts';
import { loadAppendOnlyFiles, loadSingleAppendOnlyFile, type LoadResult } from '../src/aof/loader/index.ts';
import { MapExecutor } from '../src/aof/loader/map-executor.ts';
import { Keyspace } from '../src/keyspace/keyspace.ts';
import { nullLog } from '../src/ports/log.ts';
import { loadRdbInto } from '../src/rdb/index.ts';
import { encodeCommand } from '../src/resp/encode.ts';
import { bytesArb, fcParams } from './loader-arbitraries.ts';

const STATUSES = new Set(['ok', 'not-exist', 'empty', 'truncated', 'failed', 'open-err']);

const validAof = fc
  .array(fc.constantFrom(['set', 'a', '1'], ['incr', 'n'], ['multi'], ['exec'], ['del', 'a'], ['select', '1'], ['ping']), {
    maxLength: 8,
  })
  .map((cmds) => cmds.map((c) => encodeCommand(c)).join(''));

/** A valid AOF with random byte edits (overwrite, insert, delete). */
const mutatedAof = fc
  .tuple(validAof, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'ins', 'del')), { maxLength: 4 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [at, byte, kind] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      const c = String.fromCharCode(byte);
      if (kind === 'set') s = s.slice(0, i) + c + s.slice(i + 1);
      else if (kind === 'ins') s = s.slice(0, i) + c + s.slice(i);
      else s = s.slice(0, i) + s.slice(i + 1);
    }
    return s;
  });

const contentArb = fc.oneof(
  bytesArb(200),
  mutatedAof,
  bytesArb(60).map((s) => 'REDIS' + s),
  fc.constantFrom('', '*0\r\n', '*', '$', '#', '\0\0\0', '*1\r\n$-5\r\n', '*99999999999999999999\r\n'),
);

const manifestLine = fc.oneof(
  fc.tuple(fc.constantFrom('f1', 'f2', 'f3', 'a/b', '"q"'), fc.constantFrom('0', '1', '2', '3', 'x'), fc.constantFrom('b', 'i', 'h', 'z', 'incr')).map(
    ([n, s, t]) => `file ${n} seq ${s} type ${t}\n`,
  ),
  bytesArb(30).map((s) => s + '\n'),
  fc.constantFrom('# comment\n', '\n', 'file f1 seq 1\n'),
);

function check(res: LoadResult | { status: string; error?: unknown }): void {
  if (!STATUSES.has(res.status)) throw new Error(`unknown status ${res.status}`);
  if ((res.status === 'failed' || res.status === 'open-err') && !isAofError(res.error)) {
    throw new Error(`status ${res.status} without an AofError`);
  }
}

describe('the loader never throws on arbitrary files', () => {
  it('multi-part: arbitrary manifest lines and file contents', () => {
    fc.assert(
      fc.property(
        fc.array(manifestLine, { maxLength: 5 }),
        fc.dictionary(fc.constantFrom('f1', 'f2', 'f3'), contentArb),
        fc.boolean(),
        fc.boolean(),
        fc.option(contentArb),
        (lines, files, loadTruncated, modify, legacy) => {
          const tree: Record<string, string> = { '/d/appendonlydir/appendonly.aof.manifest': lines.join('') };
          for (const [n, c] of Object.entries(files)) tree[`/d/appendonlydir/${n}`] = c;
          if (legacy !== null) tree['/d/appendonly.aof'] = legacy;
          const keyspace = new Keyspace();
          const res = loadAppendOnlyFiles(
            {
              fs: createMemoryFs(tree),
              log: nullLog,
              executor: new MapExecutor(),
              modify,
              rdb: (bytes, file) => loadRdbInto(keyspace, bytes, { file }).endOffset,
            },
            { dir: '/d', appendFilename: 'appendonly.aof', appendDirname: 'appendonlydir', loadTruncated, layout: 'multi-part' },
          );
          check(res);
        },
      ),
      fcParams(300), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });

  it('single file, both dialects, any bug switches', () => {
    fc.assert(
      fc.property(
        contentArb,
        fc.boolean(),
        fc.constantFrom('redis-4.0' as const, 'redis-7.0' as const),
        fc.subarray(['multi-tail-truncate', 'incomplete-multi-applied', 'truncated-rdb-as-short-read']),
        fc.integer({ min: 1, max: 64 }),
        (content, loadTruncated, dialect, bugs, chunkBytes) => {
          const keyspace = new Keyspace();
          const res = loadSingleAppendOnlyFile(
            {
              fs: createMemoryFs({ '/d/f': content }),
              log: nullLog,
              executor: new MapExecutor(),
              modify: true,
              bugs: new Set(bugs),
              chunkBytes,
              rdb: (bytes, file) => loadRdbInto(keyspace, bytes, { file }).endOffset,
            },
            { file: 'f', path: '/d/f', loadTruncated, dialect, oldStyle: false, isLastFile: true },
          );
          check(res);
        },
      ),
      fcParams(500), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });
});
