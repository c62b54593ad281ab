// Property: everysec loses only writes after the last completed fsync, about 2 s at most while fsync latency stays under 1 s; no recovers an exact prefix.
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

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

const opts = suiteOptions(process.env);

describe('everysec-bounded-loss', () => {
  for (const c of propertySuite('everysec-bounded-loss', opts, (s) => writeFailureScenario(s))) {
    it(c.label, () => {
      expect(c.run(createServer).runs).toBe(opts.runsPerCombo);
    }, 120_000);
  }
});
