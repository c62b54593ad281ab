// vitest setup file (every project, every test file): fast-check's global seed is the suite seed,
// so every fc.assert / fc.check / fc.sample without its own seed (unit tests beside the code
// included) is deterministic by default and moves with AOFSIM_SEED. Every fc.assert failure, in
// any suite, ends with fast-check's `{ seed, path }` report and a replay command for the file.

import { relative } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { testSeed } from '../../sim/campaign/suite-options.ts';

const suiteSeed = testSeed(process.env);

/** The command that reruns the failing file with the same suite seed (every derived seed follows it). */
function replayCommand(): string {
  const path = expect.getState().testPath;
  return `AOFSIM_SEED=${suiteSeed} npx vitest run ${path === undefined ? '<test file>' : relative(process.cwd(), path)}`;
}

fc.configureGlobal({
  ...fc.readConfigureGlobal(),
  seed: suiteSeed,
  // fast-check's own report (seed, path, counterexample), plus how to replay it from a shell.
  reporter(out) {
    if (!out.failed) return;
    throw new Error(`${fc.defaultReportMessage(out)}\n\nReplay: ${replayCommand()}`, { cause: out.errorInstance });
  },
});
