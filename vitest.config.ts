import { defineConfig } from 'vitest/config';

// Projects: `unit` (tests beside the code; their shared helpers live in testing/), `properties`
// (fast-check suites, budget from AOFSIM_RUNS), `scenarios` (replays scenarios/*.scenario.json),
// `conformance` (needs a real redis-server).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'sim/**/*.test.ts', 'cli/**/*.test.ts', 'testing/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'properties',
          include: ['properties/**/*.test.ts'],
          exclude: ['properties/conformance/**'],
          testTimeout: 300_000,
        },
      },
      {
        test: { name: 'scenarios', include: ['scenarios/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        test: {
          name: 'conformance',
          include: ['properties/conformance/**/*.test.ts'],
          testTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
