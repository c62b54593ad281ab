// Property loader-preamble-tail-cut: a file made of an RDB preamble and a RESP tail, cut anywhere
// inside the tail, loads with aof-load-truncated yes to exactly the RDB's keys plus the complete tail
// commands before the cut (a MULTI block only with its EXEC); a short file is cut back to the end of
// the last complete command outside an open MULTI, never into the RDB part, and reloading it gives
// the same state with status ok (docs/redis-behaviour.md#base-format and 2.6). Redis 7.0.15 starts valid_up_to at 0 even after a
// preamble, so a short first tail command truncates the whole file, RDB part included, to 0 bytes
// ('preamble-cut-to-zero', observed with the loader differential test): half the cuts land inside
// the first tail record, where that shows.
//
// Shapes: a 4.0 single-file `appendonly.aof` (4.0 byte rules: no '#' lines in the tail), and a 7.0
// old-style BASE `appendonly.aof` listed in a manifest, followed by 0-2 INCRs. Only the last file may
// be short (docs/redis-behaviour.md#multi-part-load): with INCRs after it, a short BASE fails the load with AOF_NOT_LAST_FILE and no
// file changes. The RDB part comes from the rewrite's encoder (src/rdb) and loads into its own
// keyspace while the tail runs on a MapExecutor, so the two halves are compared separately (their
// key names are disjoint, as they would have to be for the merge to be a plain union).

import fc from 'fast-check';
import { createMemoryFs } from '../../../src/adapters/memory/memory-fs.ts';
import { loadAppendOnlyFiles, rdbLoaderFor } from '../../../src/aof/loader/index.ts';
import { MapExecutor } from '../../../src/aof/loader/map-executor.ts';
import { defaultRdbEncoder } from '../../../src/aof/rewrite/index.ts';
import type { Profile } from '../../../src/base/profile.ts';
import { canonicalDump } from '../../../src/keyspace/canonical-dump.ts';
import { Keyspace } from '../../../src/keyspace/keyspace.ts';
import type { Value } from '../../../src/keyspace/types.ts';
import type { Fs } from '../../../src/ports/fs.ts';
import { nullLog } from '../../../src/ports/log.ts';
import { scriptArb, type ScriptOp } from './script-arbitrary.ts';
import { AOF_DIR, firstChangedFile, MULTI_PART, multiPartTree, readFiles, SINGLE_FILE, standardParts, type PartFile } from './aof-dir.ts';
import { applyPrefix, newOracleState, prefixOracle, records, sameState, scriptText, snapshotOf } from './script-oracle.ts';
import { List } from '../../../src/keyspace/list.ts';

export type PreambleShape = 'redis-4.0 single file' | 'redis-7.0 old-style base';

interface Case {
  shape: PreambleShape;
  /** The RDB part's keys: [db, key, value]. */
  rdbKeys: [number, string, Value][];
  /** The RESP tail (never empty). */
  tail: ScriptOp[];
  /** 7.0: the INCR files after the BASE (none: the BASE is the last file). */
  incrs: ScriptOp[][];
  /** Bytes of the tail kept, in [1, tail length]. */
  tailCut: number;
}

const member = fc.constantFrom('a', 'x\r\n', '*1', '12', '');
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  fc.record({ type: fc.constant('string' as const), value: fc.oneof(member, fc.string({ maxLength: 20 })) }),
  fc.record({ type: fc.constant('list' as const), value: fc.array(member, { minLength: 1, maxLength: 3 }).map((a) => List.from(a)) }),
  fc.record({
    type: fc.constant('hash' as const),
    value: fc.uniqueArray(fc.tuple(member, member), { minLength: 1, maxLength: 3, selector: ([f]) => f }).map((e) => new Map(e)),
  }),
);

// Tail keys are 'a', 'b', 'c', 'n', 'k\r\n', '*1' (loader-arbitraries.ts): these are not among them.
const rdbKeysArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('p', 'q', 'r\r\n'), valueArb), { maxLength: 4 });

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.constantFrom<PreambleShape>('redis-4.0 single file', 'redis-7.0 old-style base'),
    rdbKeys: rdbKeysArb,
    tail: scriptArb,
    // Half the 7.0 cases have the BASE last (aof-load-truncated applies), half have INCRs after it.
    incrs: fc.oneof(fc.constant<ScriptOp[][]>([]), fc.array(scriptArb, { minLength: 1, maxLength: 2 })),
  })
  // 4.0 takes a '#' line for a format error and has no INCRs.
  .map((c) => (c.shape === 'redis-4.0 single file' ? { ...c, tail: c.tail.filter((op) => op.op !== 'ts'), incrs: [] } : c))
  .filter((c) => c.tail.length > 0)
  .chain((c) => {
    const ends: number[] = [];
    for (const r of records(c.tail)) ends.push((ends.at(-1) ?? 0) + r.text.length);
    // Half inside the first record (every record is at least 3 bytes, so it has an inside), a
    // quarter anywhere, a quarter at a record end (clean, or short only because a MULTI is open).
    return fc
      .oneof(
        { weight: 2, arbitrary: fc.integer({ min: 1, max: ends[0] - 1 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: ends[ends.length - 1] }) },
        { weight: 1, arbitrary: fc.constantFrom(...ends) },
      )
      .map((tailCut): Case => ({ ...c, tailCut }));
  });

const profileOf = (shape: PreambleShape): Profile => (shape === 'redis-4.0 single file' ? 'redis-4.0' : 'redis-7.0');

function keyspaceOf(rdbKeys: [number, string, Value][]): Keyspace {
  const ks = new Keyspace();
  for (const [db, key, value] of rdbKeys) ks.db(db).dict.set(key, value);
  return ks;
}

function encodePreamble(profile: Profile, ks: Keyspace): Buffer {
  const parts = [...defaultRdbEncoder(profile)(ks, 'aof-preamble', 0)];
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
}

/** Where the preamble file sits, and the whole tree. */
function layout(c: Case, file: Uint8Array): { path: string; tree: Record<string, string | Uint8Array> } {
  if (c.shape === 'redis-4.0 single file') {
    const path = `${SINGLE_FILE.dir}/appendonly.aof`;
    return { path, tree: { [path]: file } };
  }
  const incrs = standardParts('', c.incrs.map(scriptText)).slice(1);
  const base: PartFile = { name: 'appendonly.aof', type: 'b', seq: 1, content: file };
  return { path: `${AOF_DIR}/appendonly.aof`, tree: multiPartTree([base, ...incrs]) };
}

function load(fs: Fs, shape: PreambleShape, bugs: ReadonlySet<string>) {
  const keyspace = new Keyspace();
  const executor = new MapExecutor();
  const res = loadAppendOnlyFiles(
    // 4 KiB reads: the default 4 MiB chunk costs a 4 MiB buffer per read (the RDB part's last read
    // returns 0 bytes into one), which would be most of a run's time; these files are smaller.
    { fs, log: nullLog, executor, modify: true, rdb: rdbLoaderFor(keyspace), bugs, chunkBytes: 1 << 12 },
    shape === 'redis-4.0 single file' ? SINGLE_FILE : MULTI_PART,
  );
  return { status: res.status, code: res.error?.code ?? null, rdb: canonicalDump(keyspace), tail: executor.snapshot() };
}

export function preambleTailCutProperty(bugList: readonly string[]): fc.IRawProperty<[Case], false> {
  const bugs = new Set(bugList);
  return fc.property(caseArb, (c) => {
    const rdbKs = keyspaceOf(c.rdbKeys);
    const rdb = encodePreamble(profileOf(c.shape), rdbKs);
    const recs = records(c.tail);
    const tailText = recs.map((r) => r.text).join('');
    const cut = rdb.length + c.tailCut;
    const file = Buffer.concat([rdb, Buffer.from(tailText.slice(0, c.tailCut), 'latin1')]);
    const { path, tree } = layout(c, file);
    const paths = Object.keys(tree);
    const fs = createMemoryFs(tree);
    const before = readFiles(fs, paths);
    const verdict = prefixOracle(recs, c.tailCut);
    const lastFile = c.incrs.length === 0;
    const where =
      `${c.shape}, RDB part 0x${rdb.length.toString(16)}, file cut at 0x${cut.toString(16)} ` +
      `(tail byte ${c.tailCut} of ${tailText.length}, first tail record ${recs[0].text.length} B), ${c.incrs.length} INCR(s) after it`;

    const first = load(fs, c.shape, bugs);
    if (!verdict.clean && !lastFile) {
      // Only the last file may be short: the load fails and leaves every file as it was.
      if (first.status !== 'failed' || first.code !== 'AOF_NOT_LAST_FILE') {
        throw new Error(`${where}: expected failed/AOF_NOT_LAST_FILE, got ${first.status}/${first.code}`);
      }
      const changed = firstChangedFile(before, readFiles(fs, paths));
      if (changed !== null) throw new Error(`${where}: the failed load modified a file: ${changed}`);
      return;
    }

    // Expected tail state: the complete tail records, then every INCR from db 0 (one client per file).
    const st = newOracleState();
    applyPrefix(st, recs, c.tailCut);
    for (const incr of c.incrs) {
      st.db = 0;
      applyPrefix(st, records(incr), Number.POSITIVE_INFINITY);
    }
    const want = { rdb: canonicalDump(rdbKs), tail: snapshotOf(st) };
    const check = (what: string, got: ReturnType<typeof load>, status: string) => {
      if (got.status !== status) throw new Error(`${where}: ${what}: expected ${status}, got ${got.status}/${got.code}`);
      for (const part of ['rdb', 'tail'] as const) {
        if (!sameState(got[part], want[part])) {
          throw new Error(`${where}: ${what}: ${part} state ${JSON.stringify(got[part])} != expected ${JSON.stringify(want[part])}`);
        }
      }
    };
    check('load', first, verdict.clean ? 'ok' : 'truncated');
    const after = readFiles(fs, paths);
    if (verdict.clean) {
      const changed = firstChangedFile(before, after);
      if (changed !== null) throw new Error(`${where}: a clean load modified a file: ${changed}`);
      return;
    }
    const wantSize = rdb.length + verdict.toSize;
    const gotSize = after[path]?.length ?? -1;
    if (gotSize !== wantSize) {
      throw new Error(
        `${where}: the file was cut to 0x${gotSize.toString(16)}, expected 0x${wantSize.toString(16)} ` +
          `(end of the last complete command; the RDB part ends at 0x${rdb.length.toString(16)})`,
      );
    }
    if (after[path] !== before[path]?.slice(0, wantSize)) throw new Error(`${where}: the cut file is not a prefix of the original`);
    const again = load(fs, c.shape, bugs);
    check('reload of the cut file', again, 'ok');
    const changed = firstChangedFile(after, readFiles(fs, paths));
    if (changed !== null) throw new Error(`${where}: the reload modified a file: ${changed}`);
  });
}
