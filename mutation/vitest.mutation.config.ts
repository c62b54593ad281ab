import { defineConfig } from 'vitest/config';
import { seeded } from '../vitest.config.ts';

// The test runs StrykerJS uses to judge a mutant (see mutation/README.md). Two suites:
//   AOFSIM_MUTATION_SUITE=properties: the fast-check property suites and the scenario replays only,
//     to measure what the properties catch on their own;
//   AOFSIM_MUTATION_SUITE=all (default): those plus the unit tests beside the code.
// Left out of both: the conformance suites (they need real binaries and minutes per run) and cli/
// (it spawns processes); a mutant of src/ that only they would catch counts as survived.
const suite = process.env.AOFSIM_MUTATION_SUITE ?? 'all';
const properties = ['properties/*.test.ts', 'scenarios/**/*.test.ts'];
const unit = ['src/**/*.test.ts', 'sim/**/*.test.ts', 'testing/**/*.test.ts'];

export default defineConfig({
  test: {
    ...seeded,
    root: new URL('..', import.meta.url).pathname,
    include: suite === 'properties' ? properties : [...properties, ...unit],
    exclude: ['properties/conformance/**', '**/node_modules/**'],
    testTimeout: 300_000,
  },
});
