// crashDecisionArbitrary: crash decisions as fast-check values, built from what is pending at the
// crash, so a failing property shrinks its crash towards the smallest survivor set (every count
// shrinks towards 0 = that inode's durable state; reorder lists shrink towards empty).
//
// The arbitrary depends on the pending summary taken at the crash point; decisions stay valid for
// any filesystem (applyCrash clamps), so a shrunk value replays even if the run before it changed.
// Torn with 1-byte sectors, when the bytes of the pending writes are known (a SimFs, or the
// `writeData` option): three cuts in four land on a RESP record boundary inside the torn write,
// the inner boundaries of a MULTI/EXEC block included (decideCrash's rule), so a file ending
// between the records of one block is common rather than a 1-in-100-bytes accident.

import fc from 'fast-check';
import type { PendingSummary } from '../fs/pending.ts';
import { SimFs } from '../fs/sim-fs.ts';
import { innerBoundaries } from './apply-crash.ts';
import { recordBoundaries, type CrashDecisionOptions } from './decide-crash.ts';
import { CRASH_MODELS, DEFAULT_SECTOR_BYTES, type CrashDecision, type CrashModelName, type DirPrefixes } from './crash-decision.ts';

export interface CrashDecisionArbitraryOptions extends CrashDecisionOptions {
  /** Models to draw from (default all, strict first so it is where shrinking tends to go). */
  models?: readonly CrashModelName[];
}

function recordOf<T>(entries: [string, fc.Arbitrary<T>][]): fc.Arbitrary<Record<string, T>> {
  return fc.record(Object.fromEntries(entries)) as fc.Arbitrary<Record<string, T>>;
}

export function crashDecisionArbitrary(
  source: SimFs | PendingSummary,
  options: CrashDecisionArbitraryOptions = {},
): fc.Arbitrary<CrashDecision> {
  const pending = source instanceof SimFs ? source.pendingSummary() : source;
  const writeData = options.writeData ?? (source instanceof SimFs ? (ino: number, opIndex: number) => source.pendingWriteData(ino, opIndex) : undefined);
  const models = options.models ?? ['strict', 'prefix', 'torn', 'zero-fill', 'reorder', 'process-kill'];
  if (models.length === 0) throw new RangeError('crashDecisionArbitrary: models must not be empty');
  for (const m of models) if (!CRASH_MODELS.includes(m)) throw new RangeError(`crashDecisionArbitrary: unknown model ${m}`);
  const sectorBytes = options.sectorBytes ?? DEFAULT_SECTOR_BYTES;
  const dirs: fc.Arbitrary<DirPrefixes> =
    options.dirPrefixes === false
      ? fc.constant({})
      : recordOf(pending.dirs.map((d) => [String(d.ino), fc.nat({ max: d.ops.length })]));
  const files = pending.files;
  const arbs = models.map((model): fc.Arbitrary<CrashDecision> => {
    switch (model) {
      case 'process-kill':
        return fc.constant({ model });
      case 'strict':
        return dirs.map((d) => ({ model, dirs: d }));
      case 'prefix':
        return fc
          .record({ files: recordOf(files.map((f) => [String(f.ino), fc.nat({ max: f.ops.length })])), dirs })
          .map((r) => ({ model, ...r }));
      case 'torn':
        return fc
          .record({
            files: recordOf(
              files.map((f) => {
                let maxInner = 0;
                for (const op of f.ops) {
                  if (op.kind === 'write') maxInner = Math.max(maxInner, innerBoundaries(op.offset, op.lengthBytes, sectorBytes));
                }
                const anyCut = fc.record({ keep: fc.nat({ max: f.ops.length }), sectors: fc.nat({ max: maxInner }) });
                if (sectorBytes !== 1 || writeData === undefined) return [String(f.ino), anyCut];
                // With 1-byte sectors `sectors` is the number of bytes kept of write ops[keep].
                const recordCut = fc.nat({ max: f.ops.length }).chain((keep) => {
                  const data = f.ops[keep]?.kind === 'write' ? writeData(f.ino, keep) : undefined;
                  const cuts = data === undefined ? [] : recordBoundaries(data);
                  return cuts.length === 0 ? fc.constant({ keep, sectors: 0 }) : fc.constantFrom(...cuts).map((sectors) => ({ keep, sectors }));
                });
                return [String(f.ino), fc.oneof({ weight: 1, arbitrary: anyCut }, { weight: 3, arbitrary: recordCut })];
              }),
            ),
            dirs,
          })
          .map((r) => ({ model, sectorBytes, ...r }));
      case 'zero-fill':
        return fc
          .record({
            files: recordOf(
              files.map((f) => [String(f.ino), fc.record({ keep: fc.nat({ max: f.ops.length }), data: fc.nat({ max: f.ops.length }) })]),
            ),
            dirs,
          })
          .map((r) => ({ model, ...r }));
      case 'reorder':
        return fc
          .record({
            files: recordOf(files.map((f) => [String(f.ino), fc.shuffledSubarray(f.ops.map((_, i) => i))])),
            dirs,
          })
          .map((r) => ({ model, ...r }));
    }
  });
  return arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
}
