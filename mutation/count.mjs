// How many mutants the scope holds and how many the sample tests, per file, without running a
// test: `node mutation/count.mjs [--files]` (same AOFSIM_MUTATE / AOFSIM_MUTATION_SAMPLE*
// variables as `npm run mutation`). Use it to choose a fraction that fits the machine.
import { filesOf, instrument, resume, sampledSites, sampleFraction, sampleSeed, siteLocation, skippedSites } from './sample.mjs';
import { mutateGlobs } from '../stryker.config.mjs';

const files = filesOf(mutateGlobs);
const perFile = new Map(files.map((f) => [f, { all: 0, sampled: 0 }]));
for (const mutant of await instrument(files)) {
  const row = perFile.get(mutant.fileName);
  row.all++;
  if (!mutant.status && (sampleFraction >= 1 || sampledSites.has(siteLocation(mutant.fileName, mutant.location)))) row.sampled++;
}
const total = { all: 0, sampled: 0 };
for (const [file, row] of perFile) {
  total.all += row.all;
  total.sampled += row.sampled;
  if (process.argv.includes('--files')) {
    console.log(`${String(row.sampled).padStart(5)} ${String(row.all).padStart(5)}  ${file}`);
  }
}
const judged = sampleFraction < 1 && resume ? `; ${skippedSites.size} sampled sites already judged (mutation/verdicts-*.jsonl) are left out` : '';
console.log(
  `${files.length} files, ${total.all} mutants, ${total.sampled} in the sample to test (fraction ${sampleFraction}, seed ${sampleSeed})${judged}`,
);
