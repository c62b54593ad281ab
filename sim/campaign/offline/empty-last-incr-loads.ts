// Property loader-empty-last-incr-loads: a 7.0 multi-part AOF whose BASE holds data and whose LAST
// INCR is empty (Redis creates it at startup or rewrite, before any write) loads with status 'ok',
// not 'empty': every command of the earlier files is applied and aof_current_size is the sum of the
// file sizes, aof_rewrite_base_size the BASE's (docs/redis-behaviour.md#load-byte-rules, docs/redis-bugs.md#bug-23, redis/redis#10295: the
// last file's AOF_EMPTY became the load's result, 'empty-last-incr').

import fc from 'fast-check';
import { createMemoryFs } from '../../../src/adapters/memory/memory-fs.ts';
import { loadAppendOnlyFiles } from '../../../src/aof/loader/index.ts';
import { MapExecutor } from '../../../src/aof/loader/map-executor.ts';
import { nullLog } from '../../../src/ports/log.ts';
import { scriptArb, type ScriptOp } from './script-arbitrary.ts';
import { MULTI_PART, multiPartTree, standardParts } from './aof-dir.ts';
import { applyPrefix, newOracleState, records, sameState, scriptText, snapshotOf } from './script-oracle.ts';

interface Case {
  base: ScriptOp[];
  /** INCRs before the empty last one (may be empty themselves). */
  middle: ScriptOp[][];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  base: scriptArb.filter((s) => s.length > 0),
  middle: fc.array(scriptArb, { maxLength: 2 }),
});

export function emptyLastIncrLoadsProperty(bugList: readonly string[]): fc.IRawProperty<[Case], false> {
  const bugs = new Set(bugList);
  return fc.property(caseArb, ({ base, middle }) => {
    const scripts = [base, ...middle];
    const texts = scripts.map(scriptText);
    const executor = new MapExecutor();
    const res = loadAppendOnlyFiles(
      { fs: createMemoryFs(multiPartTree(standardParts(texts[0], [...texts.slice(1), '']))), log: nullLog, executor, modify: true, bugs },
      MULTI_PART,
    );
    const where = `BASE ${texts[0].length} B, ${middle.length} INCR(s) of ${texts.slice(1).map((t) => t.length).join('/') || '-'} B, empty last INCR`;
    if (res.status !== 'ok') throw new Error(`${where}: expected ok, got ${res.status}`);
    const st = newOracleState();
    for (const sc of scripts) {
      st.db = 0;
      applyPrefix(st, records(sc), Infinity);
    }
    const state = snapshotOf(st);
    if (!sameState(executor.snapshot(), state)) throw new Error(`${where}: state ${JSON.stringify(executor.snapshot())} != ${JSON.stringify(state)}`);
    const total = texts.reduce((n, t) => n + t.length, 0);
    if (res.currentSizeBytes !== total) throw new Error(`${where}: currentSizeBytes ${res.currentSizeBytes} != ${total}`);
    if (res.baseSizeBytes !== texts[0].length) throw new Error(`${where}: baseSizeBytes ${res.baseSizeBytes} != ${texts[0].length}`);
  });
}
