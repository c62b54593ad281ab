import { defineConfig } from 'vitest/config';
import { seeded } from '../vitest.config.ts';
import { UNJUDGING_TESTS } from './verdicts.mjs';

// The test runs StrykerJS uses to judge a mutant (see mutation/README.md). Two suites:
//   AOFSIM_MUTATION_SUITE=properties: the property suites and the scenario replays only, to measure
//     what the properties catch on their own. The property suites include the differential ones in
//     properties/conformance/, which compare aofsim with the real binaries (redis-server,
//     redis-check-aof, redis-check-rdb) under fast-check: without the binaries they skip, and a
//     mutant only they would catch counts as survived;
//   AOFSIM_MUTATION_SUITE=all (default): those plus the unit tests beside the code.
// Left out of both: cli/, the conformance files that spawn the CLI or drive real processes through
// timing-dependent crashes (UNJUDGING_TESTS in mutation/verdicts.mjs: a spawned process runs code
// StrykerJS cannot switch to a mutant, and under load the others failed on harmless mutants), the one that compares a committed source file's text with
// the live server (StrykerJS's sandbox prepends `// @ts-nocheck` to every .ts file), and the examples.
// AOFSIM_MUTATION_CONFORMANCE=no leaves out the conformance suites too (a machine without the binaries).
const suite = process.env.AOFSIM_MUTATION_SUITE ?? 'all';
const conformance = process.env.AOFSIM_MUTATION_CONFORMANCE !== 'no';
const properties = ['properties/**/*.test.ts', 'scenarios/**/*.test.ts'];
const unit = ['src/**/*.test.ts', 'sim/**/*.test.ts', 'testing/**/*.test.ts'];

export default defineConfig({
  test: {
    ...seeded,
    root: new URL('..', import.meta.url).pathname,
    include: suite === 'properties' ? properties : [...properties, ...unit],
    exclude: [
      'properties/conformance/serve-as-redis-server.test.ts',
      'properties/conformance/redis40-command-table.test.ts',
      // Failures there judge no mutant (mutation/verdicts.mjs, UNJUDGING_TESTS).
      ...UNJUDGING_TESTS,
      ...(conformance ? [] : ['properties/conformance/**']),
      '**/node_modules/**',
    ],
    testTimeout: 300_000,
  },
});
