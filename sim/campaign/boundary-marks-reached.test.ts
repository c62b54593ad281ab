// The campaign's generated runs reach the size boundaries of both rewrites (issue 18.2), shown by
// coverage marks: 4.0's 64 KB diff pipe fills (the parent holds diff bytes the child has not read
// yet) and its rewrite buffer opens a second 10 MB block; 7.0's rewrite child passes the 4 MB
// autosync in a BASE body. The runs are those of the rewrite property's default budget (10 per
// combination, the suite's seeds, every combination of the profile in suite order), run as the
// suite runs them; the test reports after how many of them each mark was first reached and fails
// if one is not reached within that budget. The 64 MB boundaries (serverCron's auto-rewrite on
// both profiles, 4.0's 32 MB child autosync) take a burst of seconds of CPU: the property suite
// runs one such run per profile instead (properties/rewrite-reproduces-live-state.test.ts,
// sim/campaign/huge-burst-run.ts).

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../../src/aof/config.ts';
import type { CoverageMark } from '../../src/ports/coverage-marks.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { loadServerFactory } from '../world/server-factory.ts';
import type { ServerFactory } from '../world/world.ts';
import { allCombos, modelRunArb } from './model-run.ts';
import { PROPERTIES } from './properties.ts';
import { scenarioFor } from './run-property.ts';
import { comboSeed, DEFAULT_RUNS_PER_COMBO, testSeed } from './suite-options.ts';

const SEED = testSeed(process.env);
const PROPERTY = 'rewrite-reproduces-live-state';

const TARGETS: Record<'redis-4.0' | 'redis-7.0', CoverageMark[]> = {
  'redis-4.0': ['rewrite.redis40.diff-pipe-full', 'rewrite.redis40.buffer-block-opened'],
  'redis-7.0': ['rewrite.child.autosync'],
};

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

describe('generated runs reach the rewrites\' size boundaries within the default budget', () => {
  for (const profile of ['redis-4.0', 'redis-7.0'] as const) {
    it(`${profile}: ${TARGETS[profile].join(', ')}`, () => {
      const index = PROPERTIES.findIndex((p) => p.name === PROPERTY);
      const def = PROPERTIES[index];
      const firstAt = new Map<CoverageMark, number>();
      let runs = 0;
      const combos = allCombos().map((combo, i) => ({ combo, i })).filter((c) => c.combo.profile === profile);
      outer: for (const { combo, i } of combos) {
        const sample = fc.sample(modelRunArb(def.shape, combo), { numRuns: DEFAULT_RUNS_PER_COMBO, seed: comboSeed(SEED, index, i) });
        for (const run of sample) {
          runs++;
          const r = runScenario(scenarioFor(def, run, []), { createServer, trace: false });
          expect(r.failures, `run ${runs} of ${PROPERTY} (${profile}) failed`).toEqual([]);
          for (const m of TARGETS[profile]) if (!firstAt.has(m) && (r.world.marks.get(m) ?? 0) > 0) firstAt.set(m, runs);
          if (firstAt.size === TARGETS[profile].length) break outer;
        }
      }
      const budget = combos.length * DEFAULT_RUNS_PER_COMBO;
      const report = TARGETS[profile].map((m) => `${m}: ${firstAt.has(m) ? `first reached at run ${firstAt.get(m)}` : 'not reached'} of ${budget}`).join('; ');
      console.log(`${profile} (seed ${SEED}): ${report}`);
      expect(firstAt.size, `${report}; rerun with AOFSIM_SEED=${SEED} npx vitest run sim/campaign/boundary-marks-reached.test.ts`).toBe(TARGETS[profile].length);
    }, 300_000);
  }
});
