// Generated checker inputs shared by the checker property (properties/check-aof-reports-damage.test.ts)
// and its conformance twin against redis-check-aof 7.0.15: the files of one case (an old-style AOF,
// or a manifest with its BASE and INCRs), the damaged file, the command-line mode, the answer to
// the --fix prompt, and what properties/check-aof-model.ts says the checker prints for them.

import fc from 'fast-check';
import { buildFile, damageArb, expectedCheck, fileRecsArb, type ModelFile } from './check-aof-model.ts';

export interface CheckCase {
  /** Path -> latin1 contents, under DIR. */
  files: Record<string, string>;
  target: string;
  multiPart: boolean;
  model: ModelFile[];
  mode: 'plain' | 'fix' | 'ts';
  toTimestamp: number;
  answer: string | null;
}

export const DIR = '/d';
const AOFDIR = `${DIR}/appendonlydir`;

export const checkCaseArb: fc.Arbitrary<CheckCase> = fc
  .record({
    multiPart: fc.boolean(),
    base: fc.boolean(),
    files: fc.array(fileRecsArb, { minLength: 1, maxLength: 3 }),
    damaged: fc.nat(),
    damage: damageArb,
    mode: fc.constantFrom('plain' as const, 'fix' as const, 'ts' as const),
    toTimestamp: fc.integer({ min: 95, max: 145 }),
    answer: fc.constantFrom('y', 'Yes', 'n', '', null),
  })
  .map((g) => {
    const recs = g.multiPart ? g.files : g.files.slice(0, 1);
    const damaged = g.damaged % recs.length;
    const model = recs.map((items, i) => {
      const dmg = i === damaged ? g.damage : { kind: 'none' as const };
      if (!g.multiPart) return buildFile(`${DIR}/appendonly.aof`, `${DIR}/appendonly.aof`, 'AOF', items, dmg);
      const isBase = g.base && i === 0;
      const name = isBase ? 'appendonly.aof.1.base.aof' : `appendonly.aof.${g.base ? i : i + 1}.incr.aof`;
      return buildFile(name, `${AOFDIR}/${name}`, isBase ? 'BASE AOF' : 'INCR AOF', items, dmg);
    });
    const files: Record<string, string> = {};
    for (const f of model) files[f.path] = f.bytes;
    let target = `${DIR}/appendonly.aof`;
    if (g.multiPart) {
      target = `${AOFDIR}/appendonly.aof.manifest`;
      files[target] = model
        .map((f, i) => `file ${f.name} seq ${g.base ? Math.max(1, i) : i + 1} type ${f.kind === 'BASE AOF' ? 'b' : 'i'}\n`)
        .join('');
    }
    return { files, target, multiPart: g.multiPart, model, mode: g.mode, toTimestamp: g.toTimestamp, answer: g.answer };
  });

/** What redis-check-aof prints (with aofsim's own lines when `aofsim`), its exit code, the files after. */
export function expectedFor(c: CheckCase, aofsim: boolean): { lines: string[]; exitCode: 0 | 1; after: Record<string, string> } {
  const e = expectedCheck(c.model, c.multiPart, {
    fix: c.mode === 'fix',
    answer: c.answer,
    toTimestamp: c.mode === 'ts' ? c.toTimestamp : 0,
    aofsimLines: aofsim,
  });
  const after = { ...c.files };
  for (const [p, t] of e.after) after[p] = t;
  return { lines: e.lines, exitCode: e.exitCode, after };
}
