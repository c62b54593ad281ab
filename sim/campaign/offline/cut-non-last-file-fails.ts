// Property loader-cut-non-last-file-fails: in a 7.0 multi-part AOF (BASE + INCRs + manifest), a file
// that is not the last one and is cut short makes the load fail with AOF_NOT_LAST_FILE, and the
// loader (modify: true, as at a real startup) leaves every file byte-identical, so loading again
// gives the same outcome (docs/redis-behaviour.md#load-byte-rules, docs/redis-bugs.md#bug-10: Redis 7.0 truncated the file before failing, and
// its next start silently dropped the partial command, 'truncate-non-last-file').
// A clean cut (at a record boundary outside MULTI) loads; files stay identical either way.
// Cuts are biased to the inside of a record, where the file is short.

import fc from 'fast-check';
import { createMemoryFs } from '../../../src/adapters/memory/memory-fs.ts';
import { loadAppendOnlyFiles } from '../../../src/aof/loader/index.ts';
import { MapExecutor } from '../../../src/aof/loader/map-executor.ts';
import { nullLog } from '../../../src/ports/log.ts';
import type { Fs } from '../../../src/ports/fs.ts';
import { scriptArb, type ScriptOp } from './script-arbitrary.ts';
import { firstChangedFile, MULTI_PART, multiPartTree, readFiles, standardParts } from './aof-dir.ts';
import { cutArb, prefixOracle, records, sameState, scriptText } from './script-oracle.ts';

interface Case {
  scripts: ScriptOp[][];
  /** Index of the cut file, never the last. */
  which: number;
  cut: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .array(scriptArb, { minLength: 2, maxLength: 4 })
  .chain((scripts) =>
    fc.nat({ max: scripts.length - 2 }).chain((which) =>
      cutArb(records(scripts[which]), [1, 0, 3]).map((cut) => ({ scripts, which, cut })),
    ),
  );

function loadOnce(fs: Fs, bugs: ReadonlySet<string>) {
  const executor = new MapExecutor();
  const res = loadAppendOnlyFiles({ fs, log: nullLog, executor, modify: true, bugs }, MULTI_PART);
  return { status: res.status, code: res.error?.code ?? null, state: executor.snapshot() };
}

export function cutNonLastFileFailsProperty(bugList: readonly string[]): fc.IRawProperty<[Case], false> {
  const bugs = new Set(bugList);
  return fc.property(caseArb, ({ scripts, which, cut }) => {
    const contents = scripts.map((sc, i) => (i === which ? scriptText(sc).slice(0, cut) : scriptText(sc)));
    const tree = multiPartTree(standardParts(contents[0], contents.slice(1)));
    const fs = createMemoryFs(tree);
    const paths = Object.keys(tree);
    const before = readFiles(fs, paths);
    const first = loadOnce(fs, bugs);
    const changed = firstChangedFile(before, readFiles(fs, paths));
    if (changed !== null) throw new Error(`the load (${first.status}) modified a file: ${changed}`);
    if (!prefixOracle(records(scripts[which]), cut).clean) {
      if (first.status !== 'failed' || first.code !== 'AOF_NOT_LAST_FILE') {
        throw new Error(`file ${which} cut short at ${cut}: expected failed/AOF_NOT_LAST_FILE, got ${first.status}/${first.code}`);
      }
    } else if (first.status !== 'ok' && first.status !== 'empty') {
      throw new Error(`file ${which} cut cleanly at ${cut}: expected ok, got ${first.status}/${first.code}`);
    }
    const second = loadOnce(fs, bugs);
    if (!sameState(second, first)) throw new Error(`second load ${JSON.stringify(second)} != first ${JSON.stringify(first)}`);
  });
}
