// Property: at a rewrite switch the current files load to exactly the live state; a crash at any named point or operation of a rewrite recovers a valid prefix.
// Defined once in sim/campaign/properties.ts (shared with `aofsim run`); runs over both profiles x
// always/everysec/no x aof-use-rdb-preamble yes/no. Budget: AOFSIM_RUNS runs per combination,
// AOFSIM_SEED pins the base seed (sim/campaign/suite-options.ts). A failure writes a scenario file
// to $AOFSIM_FAILURES_DIR (default ./aofsim-failures) and prints its replay command.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../src/aof/config.ts';
import { loadServerFactory } from '../sim/world/server-factory.ts';
import type { ServerFactory } from '../sim/world/world.ts';
import { propertySuite } from '../sim/campaign/property-suite.ts';
import { suiteOptions } from '../sim/campaign/suite-options.ts';
import { writeFailureScenario } from '../cli/failure-file.ts';
import fc from 'fast-check';
import type { CoverageMark } from '../src/ports/coverage-marks.ts';
import { runScenario } from '../sim/scenario/run-scenario.ts';
import { comboLabel, modelRunArb, type Combo } from '../sim/campaign/model-run.ts';
import { PROPERTIES } from '../sim/campaign/properties.ts';
import { scenarioFor } from '../sim/campaign/run-property.ts';
import { comboSeed } from '../sim/campaign/suite-options.ts';
import { hugeBurstRun } from '../sim/campaign/huge-burst-run.ts';

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

const opts = suiteOptions(process.env);

describe('rewrite-reproduces-live-state', () => {
  for (const c of propertySuite('rewrite-reproduces-live-state', opts, (s) => writeFailureScenario(s))) {
    it(c.label, () => {
      expect(c.run(createServer).runs).toBe(opts.runsPerCombo);
    }, 120_000);
  }
});

// One run per profile past 64 MB (sim/campaign/huge-burst-run.ts): a generated run of the property,
// then a burst that makes serverCron start a rewrite by itself, whose child runs to the end; the
// oracle judges it like any run. 4.0 in the AOF form, so that its child writes the 68 MB and
// fsyncs at 32 and 64 MB. The generated part's seed follows the suite seed (combination indexes
// 12 and 13 of the property, after the twelve above).
const HUGE: readonly { combo: Combo; marks: readonly [CoverageMark, number][] }[] = [
  { combo: { profile: 'redis-4.0', policy: 'everysec', preamble: false }, marks: [['rewrite.auto-started', 1], ['rewrite.child.autosync', 2], ['rewrite.redis40.switched', 1]] },
  { combo: { profile: 'redis-7.0', policy: 'everysec', preamble: true }, marks: [['rewrite.auto-started', 1], ['rewrite.redis70.switched', 1]] },
];

describe('rewrite-reproduces-live-state past 64 MB: the auto-rewrite, one run per profile', () => {
  const index = PROPERTIES.findIndex((p) => p.name === 'rewrite-reproduces-live-state');
  const def = PROPERTIES[index];
  HUGE.forEach(({ combo, marks }, k) => {
    it(`${comboLabel(combo)}: ${marks.map(([m, n]) => `${m} >= ${n}`).join(', ')}`, () => {
      const seed = comboSeed(opts.baseSeed, index, 12 + k);
      const [generated] = fc.sample(modelRunArb(def.shape, combo), { numRuns: 1, seed });
      const r = runScenario(scenarioFor(def, hugeBurstRun(generated), []), { createServer, trace: false });
      const rerun = `rerun: AOFSIM_SEED=${opts.baseSeed} npx vitest run properties/rewrite-reproduces-live-state.test.ts`;
      expect(r.failures, rerun).toEqual([]);
      for (const [m, n] of marks) expect(r.world.marks.get(m) ?? 0, `${m}; ${rerun}`).toBeGreaterThanOrEqual(n);
    }, 120_000);
  });
});
