// Property loader-truncated-prefix: a valid AOF cut at any offset loads (aof-load-truncated yes) to
// exactly the state of its complete commands before the cut, a MULTI block counting only when its
// EXEC is complete (docs/redis-behaviour.md#load-byte-rules, docs/redis-bugs.md#bug-7, docs/redis-bugs.md#bug-22); the file is cut right after the last complete
// command outside an open MULTI (or before that MULTI), and loading the cut file again gives 'ok'
// and the same state. Cuts are biased to record boundaries: a boundary inside a MULTI block is the
// case where the open MULTI alone makes the file short (bug 7, 'incomplete-multi-applied').

import fc from 'fast-check';
import { createMemoryFs } from '../../../src/adapters/memory/memory-fs.ts';
import { loadSingleAppendOnlyFile } from '../../../src/aof/loader/index.ts';
import { MapExecutor } from '../../../src/aof/loader/map-executor.ts';
import { nullLog } from '../../../src/ports/log.ts';
import { scriptArb } from './script-arbitrary.ts';
import { cutArb, prefixOracle, records, sameState, type Rec } from './script-oracle.ts';

const PATH = '/d/appendonly.aof';

function load(content: string, bugs: ReadonlySet<string>) {
  const fs = createMemoryFs({ [PATH]: content });
  const executor = new MapExecutor();
  const res = loadSingleAppendOnlyFile(
    { fs, log: nullLog, executor, modify: true, bugs },
    { file: 'appendonly.aof', path: PATH, loadTruncated: true, dialect: 'redis-7.0', oldStyle: false, isLastFile: true },
  );
  return { res, state: executor.snapshot(), after: Buffer.from(fs.readFile(PATH)).toString('latin1') };
}

/** A script's records, their text, and a cut offset. */
export const cutScriptArb: fc.Arbitrary<[Rec[], string, number]> = scriptArb.chain((script) => {
  const recs = records(script);
  const text = recs.map((r) => r.text).join('');
  return fc.tuple(fc.constant(recs), fc.constant(text), cutArb(recs, [1, 1, 0]));
});

export function truncatedPrefixProperty(bugList: readonly string[]): fc.IRawProperty<[[Rec[], string, number]], false> {
  const bugs = new Set(bugList);
  return fc.property(cutScriptArb, ([recs, text, cut]) => {
    const exp = prefixOracle(recs, cut);
    const got = load(text.slice(0, cut), bugs);
    if (!sameState(got.state, exp.state)) throw new Error(`state ${JSON.stringify(got.state)} != oracle ${JSON.stringify(exp.state)}`);
    if (exp.clean) {
      if (cut > 0 && got.res.status !== 'ok') throw new Error(`expected ok, got ${got.res.status}`);
      if (got.after.length !== cut) throw new Error('a clean file was modified');
      return;
    }
    if (got.res.status !== 'truncated') throw new Error(`expected truncated, got ${got.res.status}`);
    if (got.after !== text.slice(0, exp.toSize)) throw new Error(`cut at ${got.after.length}, oracle ${exp.toSize}`);
    const again = load(got.after, bugs);
    if (got.after.length > 0 && again.res.status !== 'ok') throw new Error(`reload: ${again.res.status}`);
    if (!sameState(again.state, exp.state)) throw new Error('reload state differs');
  });
}
