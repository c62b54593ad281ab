// The campaign loop shared by `aofsim run` and bench/detect: rounds over every property x
// combination, each a small fast-check batch with its own seed derived from the base seed, until
// `shouldStop()` (the caller's wall-clock budget) or `runsPerCombo` is reached, or a property fails.
// No clock here: budgets live in the caller.

import type { AofConfig } from '../../src/aof/config.ts';
import type { ServerFactory } from '../world/world.ts';
import type { Combo } from './model-run.ts';
import type { PropertyDef } from './properties.ts';
import { checkProperty, type PropertyOutcome } from './run-property.ts';

export interface CampaignOptions {
  createServer: ServerFactory<AofConfig>;
  seed: number;
  defs: readonly PropertyDef[];
  combos: readonly Combo[];
  bugs?: readonly string[];
  /** Runs per property x combination (one batch); null: rounds of `batch` until shouldStop. */
  runsPerCombo: number | null;
  batch?: number;
  shouldStop: () => boolean;
  onRun?: (info: { ok: boolean; faults: number; crashes: number; crashChecks: number }) => void;
  onBatch?: (def: PropertyDef, combo: Combo, outcome: PropertyOutcome) => void;
}

export interface CampaignResult {
  runs: number;
  failure: PropertyOutcome | null;
}

/** The fast-check seed of one batch. */
export function batchSeed(seed: number, round: number, propertyIndex: number, comboIndex: number): number {
  return (seed + round * 1_000_003 + propertyIndex * 10_007 + comboIndex * 101) | 0;
}

export function runCampaign(o: CampaignOptions): CampaignResult {
  let runs = 0;
  const batch = o.runsPerCombo ?? o.batch ?? 3;
  for (let round = 0; ; round++) {
    for (let pi = 0; pi < o.defs.length; pi++) {
      for (let ci = 0; ci < o.combos.length; ci++) {
        if (runs > 0 && o.shouldStop()) return { runs, failure: null };
        const def = o.defs[pi];
        const combo = o.combos[ci];
        const out = checkProperty(def, combo, {
          createServer: o.createServer,
          seed: batchSeed(o.seed, round, pi, ci),
          // A costlier property (weight 2: each run is two runs) gets proportionally fewer runs.
          numRuns: o.runsPerCombo ?? Math.max(1, Math.round(batch / def.weight)),
          bugs: o.bugs ?? [],
          onRun: (info) => {
            runs++;
            o.onRun?.(info);
          },
        });
        o.onBatch?.(def, combo, out);
        if (out.failures > 0) return { runs, failure: out };
      }
    }
    if (o.runsPerCombo !== null) return { runs, failure: null };
  }
}
