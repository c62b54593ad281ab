import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Projects: `unit` (tests beside the code; their shared helpers live in testing/), `properties`
// (fast-check suites, budget from AOFSIM_RUNS), `scenarios` (replays scenarios/*.scenario.json),
// `conformance` (needs a real redis-server), `examples` (the library examples, importing `aofsim`,
// which here is the source: lib/index.ts; cli/package.test.ts runs them against the packed tarball).
// Every project decides its seed the same way (AOFSIM_SEED; `random` drawn once and printed).
export const seeded = {
  globalSetup: ['properties/setup/seed-global-setup.ts'],
  setupFiles: ['properties/setup/fast-check-seed.ts'],
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...seeded,
          name: 'unit',
          include: ['src/**/*.test.ts', 'sim/**/*.test.ts', 'cli/**/*.test.ts', 'testing/**/*.test.ts', 'bench/**/*.test.ts', 'lib/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          ...seeded,
          name: 'properties',
          include: ['properties/**/*.test.ts'],
          exclude: ['properties/conformance/**'],
          testTimeout: 300_000,
        },
      },
      {
        resolve: { alias: { aofsim: fileURLToPath(new URL('./lib/index.ts', import.meta.url)) } },
        test: { ...seeded, name: 'examples', include: ['examples/**/*.test.ts'], testTimeout: 300_000 },
      },
      {
        test: { ...seeded, name: 'scenarios', include: ['scenarios/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        test: {
          ...seeded,
          name: 'conformance',
          include: ['properties/conformance/**/*.test.ts'],
          testTimeout: 300_000,
        },
      },
    ],
  },
});
