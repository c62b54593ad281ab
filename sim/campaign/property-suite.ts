// What each properties/<invariant>.test.ts file runs: one property over both profiles x the three
// fsync policies x aof-use-rdb-preamble yes/no, one vitest test per combination. A failure writes
// the shrunk counterexample as a scenario file (through the caller's `writeScenario`, which owns
// the disk) and fails the test with the seed, the fast-check path and the replay command.

import type { AofConfig } from '../../src/aof/config.ts';
import type { ServerFactory } from '../world/world.ts';
import type { Scenario } from '../scenario/scenario-types.ts';
import { allCombos, comboLabel, type Combo } from './model-run.ts';
import { PROPERTIES } from './properties.ts';
import { checkProperty, describeOutcome } from './run-property.ts';
import { comboSeed, type SuiteOptions } from './suite-options.ts';

export interface SuiteCase {
  label: string;
  combo: Combo;
  /** Runs the property for this combination; throws an Error with the report when it fails. */
  run(createServer: ServerFactory<AofConfig>): { runs: number };
}

export function propertySuite(name: string, opts: SuiteOptions, writeScenario: (s: Scenario) => string, bugs: readonly string[] = []): SuiteCase[] {
  const index = PROPERTIES.findIndex((p) => p.name === name);
  if (index < 0) throw new Error(`unknown property ${name}`);
  const def = PROPERTIES[index];
  return allCombos().map((combo, i) => ({
    label: comboLabel(combo),
    combo,
    run(createServer) {
      const seed = comboSeed(opts.baseSeed, index, i);
      const o = checkProperty(def, combo, { createServer, seed, numRuns: opts.runsPerCombo, bugs });
      if (o.failures > 0) {
        const file = o.scenario ? writeScenario(o.scenario) : null;
        const replay = file ? `\n  scenario: ${file}\n  replay:   npx aofsim replay ${file} --timeline` : '';
        throw new Error(`${describeOutcome(o)}\n  rerun:    AOFSIM_SEED=${opts.baseSeed} AOFSIM_RUNS=${opts.runsPerCombo} (fast-check seed ${seed}, path ${o.path})${replay}`);
      }
      return { runs: o.runs };
    },
  }));
}
