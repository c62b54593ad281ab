// StrykerJS over the AOF implementation (issue: the campaign's own power, measured). Run it with
// `npm run mutation` (see mutation/README.md): it is far too slow for `npm test`.
//   AOFSIM_MUTATE: comma-separated globs of src/ files to mutate (default: the AOF, the RDB and
//     the propagation part of the commands);
//   AOFSIM_MUTATION_SUITE: `all` (default) or `properties` (property suites and scenarios only);
//   AOFSIM_MUTATION_SAMPLE, AOFSIM_MUTATION_SAMPLE_SEED: test a seeded sample of the mutation
//     sites only (mutation/sample.mjs); the default 1 tests them all.
// Each suite keeps its own incremental file in mutation/, so a rerun tests only changed mutants.
// A run of the `all` suite records which tests kill each mutant (no bail), so that mutation/score.mjs
// gives the property suites' score and the whole suite's from one run.
import { filesOf, sampleFraction, sampleMutatePatterns } from './mutation/sample.mjs';

const suite = process.env.AOFSIM_MUTATION_SUITE ?? 'all';
export const mutateGlobs = [
  ...(process.env.AOFSIM_MUTATE ?? 'src/aof/**/*.ts,src/rdb/**/*.ts,src/commands/executor.ts,src/commands/exec-all.ts')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== ''),
  '!**/*.test.ts',
];

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'mutation/vitest.mutation.config.ts', related: false },
  mutate: sampleFraction < 1 ? await sampleMutatePatterns(filesOf(mutateGlobs)) : mutateGlobs,
  plugins: ['@stryker-mutator/*', './mutation/sample.mjs', './mutation/progress-log.mjs'],
  ignorers: ['aofsim-sample'],
  coverageAnalysis: 'perTest',
  // The whole suite does not bail: the report lists every test that failed on a mutant, which is how
  // one run gives the property suites' score too. A run of the property suites alone only needs to
  // know whether one of them fails, so it stops at the first (a mutant of code every start runs is
  // covered by every property: minutes per mutant without bail).
  disableBail: suite !== 'properties',
  incremental: true,
  incrementalFile: `mutation/incremental-${suite}.json`,
  reporters: ['clear-text', 'progress', 'json', 'aofsim-progress'],
  jsonReporter: { fileName: `mutation/report-${suite}.json` },
  concurrency: Number(process.env.AOFSIM_MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 60_000,
  // The initial run is the whole suite with coverage: minutes on a loaded 2-core machine.
  dryRunTimeoutMinutes: 60,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
