// Property loader-truncated-prefix-multi-part: in a 7.0 multi-part AOF (BASE + INCRs + manifest)
// only the last file may be short: cutting the last file loads the prefix state, cutting another
// file short fails with AOF_NOT_LAST_FILE, and a clean cut anywhere loads every complete command
// (docs/redis-behaviour.md#load-byte-rules). Loaded with modify: false (what Redis would do is reported, not done).
// Files are split at record boundaries (SELECT/MULTI state never crosses a file: each file starts in
// db 0 with a fresh client, so scripts are split between ops).

import fc from 'fast-check';
import { createMemoryFs } from '../../../src/adapters/memory/memory-fs.ts';
import { loadAppendOnlyFiles } from '../../../src/aof/loader/index.ts';
import { MapExecutor } from '../../../src/aof/loader/map-executor.ts';
import { nullLog } from '../../../src/ports/log.ts';
import { scriptArb, type ScriptOp } from './script-arbitrary.ts';
import { MULTI_PART, multiPartTree, standardParts } from './aof-dir.ts';
import { applyPrefix, newOracleState, prefixOracle, records, sameState, scriptText, snapshotOf } from './script-oracle.ts';

interface Case {
  scripts: ScriptOp[][];
  files: string[];
  /** Index of the cut file. */
  which: number;
  cut: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(fc.array(scriptArb, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat())
  .map(([scripts, whichSeed, cutSeed]) => {
    const files = scripts.map(scriptText);
    const which = whichSeed % files.length;
    const cut = files[which].length === 0 ? 0 : cutSeed % (files[which].length + 1);
    return { scripts, files, which, cut };
  });

export function truncatedPrefixMultiPartProperty(bugList: readonly string[]): fc.IRawProperty<[Case], false> {
  const bugs = new Set(bugList);
  return fc.property(caseArb, ({ scripts, files, which, cut }) => {
    const contents = files.map((f, i) => (i === which ? f.slice(0, cut) : f));
    const executor = new MapExecutor();
    const res = loadAppendOnlyFiles(
      { fs: createMemoryFs(multiPartTree(standardParts(contents[0], contents.slice(1)))), log: nullLog, executor, modify: false, bugs },
      MULTI_PART,
    );
    const cutClean = prefixOracle(records(scripts[which]), cut).clean;
    if (which !== files.length - 1 && !cutClean) {
      if (res.status !== 'failed' || res.error?.code !== 'AOF_NOT_LAST_FILE') throw new Error(`expected not-last-file failure, got ${res.status}`);
      return;
    }
    if (res.status === 'failed' || res.status === 'open-err') throw new Error(`unexpected ${res.status}: ${res.error?.message}`);
    // Expected state: every file's complete records applied in order over shared dbs.
    const st = newOracleState();
    scripts.forEach((sc, i) => {
      st.db = 0;
      applyPrefix(st, records(sc), contents[i].length);
    });
    const state = snapshotOf(st);
    if (!sameState(executor.snapshot(), state)) throw new Error(`state ${JSON.stringify(executor.snapshot())} != ${JSON.stringify(state)}`);
  });
}
