// Property loader-truncated-rdb-fails: an AOF file whose RDB part is cut short fails to load even
// with aof-load-truncated yes, with the RDB's own error (AOF_RDB_CORRUPT; AOF_FORMAT when the cut
// leaves less than the 5-byte "REDIS" signature), and the loader (modify: true) leaves every file
// byte-identical, so loading again gives the same outcome (docs/redis-behaviour.md#base-format, docs/redis-bugs.md#bug-9: Redis 7.0.x
// took the RDB failure for a short read, truncated the file to 0 and started with what was left,
// 'truncated-rdb-as-short-read'). Shapes: a 4.0 `appendonly.aof` with an RDB preamble and a RESP
// tail (single-file layout); a 7.0 old-style BASE `appendonly.aof` (preamble + tail, as the legacy
// upgrade lists it); a 7.0 `.base.rdb` BASE. The 7.0 BASE is followed by 0-2 INCRs, so it is the
// last file of the manifest or not. The RDB bytes come from the rewrite's encoder (src/rdb).

import fc from 'fast-check';
import { createMemoryFs } from '../../../src/adapters/memory/memory-fs.ts';
import { loadAppendOnlyFiles, rdbLoaderFor } from '../../../src/aof/loader/index.ts';
import { defaultRdbEncoder } from '../../../src/aof/rewrite/index.ts';
import { Executor } from '../../../src/commands/executor.ts';
import type { Profile } from '../../../src/base/profile.ts';
import { Keyspace } from '../../../src/keyspace/keyspace.ts';
import type { Value } from '../../../src/keyspace/types.ts';
import type { Fs } from '../../../src/ports/fs.ts';
import { nullLog } from '../../../src/ports/log.ts';
import { SeededRandom } from '../../../src/ports/random.ts';
import { scriptArb } from './script-arbitrary.ts';
import { firstChangedFile, MULTI_PART, multiPartTree, readFiles, SINGLE_FILE, standardParts, type PartFile } from './aof-dir.ts';
import { sameState, scriptText } from './script-oracle.ts';
import { List } from '../../../src/keyspace/list.ts';

export type RdbShape = 'redis-4.0 preamble' | 'redis-7.0 old-style preamble' | 'redis-7.0 rdb base';

interface Case {
  shape: RdbShape;
  /** The whole file that holds the RDB part (RDB, then the RESP tail for a preamble). */
  file: Uint8Array;
  rdbBytes: number;
  /** The INCR files after a 7.0 BASE. */
  incrs: string[];
  cut: number;
}

const member = fc.constantFrom('a', 'b', 'x\r\n', '*1', '12', '');
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  fc.record({ type: fc.constant('string' as const), value: fc.oneof(member, fc.string({ maxLength: 30 })) }),
  fc.record({ type: fc.constant('list' as const), value: fc.array(member, { minLength: 1, maxLength: 4 }).map((a) => List.from(a)) }),
  fc.record({ type: fc.constant('set' as const), value: fc.uniqueArray(member, { minLength: 1, maxLength: 4 }).map((m) => new Set(m)) }),
  fc.record({
    type: fc.constant('hash' as const),
    value: fc.uniqueArray(fc.tuple(member, member), { minLength: 1, maxLength: 3, selector: ([f]) => f }).map((e) => new Map(e)),
  }),
);

/** What the RDB part holds: keys in dbs 0..2 (may be none: an RDB with no keys is still an RDB). */
const keyspaceArb: fc.Arbitrary<Keyspace> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('k', 'l', 's', 'h\r\n'), valueArb), { maxLength: 5 })
  .map((entries) => {
    const ks = new Keyspace();
    for (const [db, key, value] of entries) ks.db(db).dict.set(key, value);
    return ks;
  });

function encode(profile: Profile, ks: Keyspace, aux: 'aof-preamble' | 'aof-base'): Buffer {
  const parts = [...defaultRdbEncoder(profile)(ks, aux, 0)];
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.constantFrom<RdbShape>('redis-4.0 preamble', 'redis-7.0 old-style preamble', 'redis-7.0 rdb base'),
    ks: keyspaceArb,
    tail: scriptArb,
    incrs: fc.array(scriptArb.map(scriptText), { maxLength: 2 }),
  })
  .chain(({ shape, ks, tail, incrs }) => {
    const profile: Profile = shape === 'redis-4.0 preamble' ? 'redis-4.0' : 'redis-7.0';
    const rdb = encode(profile, ks, shape === 'redis-7.0 rdb base' ? 'aof-base' : 'aof-preamble');
    const file = shape === 'redis-7.0 rdb base' ? rdb : Buffer.concat([rdb, Buffer.from(scriptText(tail), 'latin1')]);
    return fc.integer({ min: 1, max: rdb.length - 1 }).map(
      (cut): Case => ({ shape, file, rdbBytes: rdb.length, incrs: profile === 'redis-4.0' ? [] : incrs, cut }),
    );
  });

function treeOf(c: Case): Record<string, string | Uint8Array> {
  const cutFile = c.file.subarray(0, c.cut);
  if (c.shape === 'redis-4.0 preamble') return { [`${SINGLE_FILE.dir}/appendonly.aof`]: cutFile };
  const parts: PartFile[] =
    c.shape === 'redis-7.0 rdb base'
      ? standardParts(cutFile, c.incrs, 'rdb')
      : [{ name: 'appendonly.aof', type: 'b', seq: 1, content: cutFile }, ...standardParts('', c.incrs).slice(1)];
  return multiPartTree(parts);
}

function loadOnce(fs: Fs, shape: RdbShape, bugs: ReadonlySet<string>) {
  const keyspace = new Keyspace();
  const profile: Profile = shape === 'redis-4.0 preamble' ? 'redis-4.0' : 'redis-7.0';
  const executor = new Executor(keyspace, { profile, clock: { nowMs: () => 0 }, random: new SeededRandom(1), log: nullLog });
  const res = loadAppendOnlyFiles(
    { fs, log: nullLog, executor, modify: true, rdb: rdbLoaderFor(keyspace), bugs },
    profile === 'redis-4.0' ? SINGLE_FILE : MULTI_PART,
  );
  return { status: res.status, code: res.error?.code ?? null, keys: keyspace.size() };
}

export function truncatedRdbFailsProperty(bugList: readonly string[]): fc.IRawProperty<[Case], false> {
  const bugs = new Set(bugList);
  return fc.property(caseArb, (c) => {
    const tree = treeOf(c);
    const fs = createMemoryFs(tree);
    const paths = Object.keys(tree);
    const before = readFiles(fs, paths);
    const first = loadOnce(fs, c.shape, bugs);
    const where = `${c.shape}, RDB part ${c.rdbBytes} B cut at ${c.cut}, ${c.incrs.length} INCR(s) after it`;
    const changed = firstChangedFile(before, readFiles(fs, paths));
    if (changed !== null) throw new Error(`${where}: the load (${first.status}) modified a file: ${changed}`);
    const code = c.cut >= 5 ? 'AOF_RDB_CORRUPT' : 'AOF_FORMAT';
    if (first.status !== 'failed' || first.code !== code) throw new Error(`${where}: expected failed/${code}, got ${first.status}/${first.code}`);
    const second = loadOnce(fs, c.shape, bugs);
    if (!sameState(second, first)) throw new Error(`${where}: second load ${JSON.stringify(second)} != first ${JSON.stringify(first)}`);
  });
}
