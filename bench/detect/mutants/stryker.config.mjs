// StrykerJS for bench/detect/mutants (not the repo's stryker.config.mjs): how many of the mutants
// StrykerJS generates in the rewrite and flush paths the default 60 s campaign of `aofsim run`
// kills. A seeded sample (sample.mjs writes sample.json), each mutant judged by the command test
// runner running campaign-kills.ts: the whole campaign for the runs 60 s give on two idle cores.
// One mutant at a time: the machine is shared, and the campaign is the slow part.
//
//   node bench/detect/mutants/sample.mjs --size 12 --seed 1
//   npx stryker run bench/detect/mutants/stryker.config.mjs
import { readFileSync } from 'node:fs';

const sample = JSON.parse(readFileSync(new URL('./sample.json', import.meta.url), 'utf8'));

export default {
  testRunner: 'command',
  commandRunner: { command: 'npx tsx bench/detect/mutants/campaign-kills.ts' },
  coverageAnalysis: 'off',
  mutate: sample.ranges,
  plugins: ['@stryker-mutator/*', './bench/detect/mutants/ignorer.mjs'],
  ignorers: ['detect-sample'],
  // No type checking (the instrumented files are tsx-compiled), no build step.
  disableTypeChecks: true,
  concurrency: 1,
  timeoutMS: 30 * 60_000,
  timeoutFactor: 1.5,
  dryRunTimeoutMinutes: 120,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'bench/detect/mutants/report.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
