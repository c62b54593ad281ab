// StrykerJS over the AOF implementation (issue: the campaign's own power, measured). Run it with
// `npm run mutation` (see mutation/README.md): it is far too slow for `npm test`.
//   AOFSIM_MUTATE: comma-separated globs of src/ files to mutate (default: the AOF, the RDB and
//     the propagation part of the commands);
//   AOFSIM_MUTATION_SUITE: `all` (default) or `properties` (property suites and scenarios only).
// Each suite keeps its own incremental file in mutation/, so a rerun tests only changed mutants.
const suite = process.env.AOFSIM_MUTATION_SUITE ?? 'all';
const mutate = (process.env.AOFSIM_MUTATE ?? 'src/aof/**/*.ts,src/rdb/**/*.ts,src/commands/executor.ts,src/commands/exec-all.ts')
  .split(',')
  .map((g) => g.trim())
  .filter((g) => g !== '');

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'mutation/vitest.mutation.config.ts', related: false },
  mutate: [...mutate, '!**/*.test.ts'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `mutation/incremental-${suite}.json`,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `mutation/report-${suite}.json` },
  concurrency: Number(process.env.AOFSIM_MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 60_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
