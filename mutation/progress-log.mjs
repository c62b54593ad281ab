// A StrykerJS reporter that keeps every verdict as soon as it is known (see mutation/README.md).
//
// StrykerJS writes its report and incremental file only when the whole run ends, so a run of a
// few hundred mutants that is stopped after two hours keeps nothing. This reporter appends one
// JSON line per event to mutation/progress-<suite>.jsonl, synchronously, as the event happens:
//   {"event":"tests", "tests":[{id, file}]}            after the initial run: which file each test is in
//   {"event":"plan", "mutants":N, "toRun":N}           the number of mutants and how many need a test run
//   {"event":"mutant", file, mutatorName, replacement, location, status, killedBy, coveredBy, statusReason}
// The file is started afresh by each run. mutation/score.mjs reads it when no report is given or
// when the report is older, so a stopped run is scored on the mutants it finished. Each verdict is
// also appended to the kept verdicts, mutation/verdicts-<suite>.jsonl (mutation/verdicts.mjs), which
// the next sampled run skips.
import fs from 'node:fs';
import path from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { verdictOf, verdictsFile } from './verdicts.mjs';

const suite = process.env.AOFSIM_MUTATION_SUITE ?? 'all';
export const progressFile = `mutation/progress-${suite}.jsonl`;

// Test files are reported inside StrykerJS's sandbox copy; name them as in the project.
function projectPath(file) {
  return path.relative(process.cwd(), file).replace(/^\.stryker-tmp\/sandbox-[^/]+\//, '');
}

class ProgressLog {
  constructor() {
    // The reporter runs in the project directory, not the sandbox: the log outlives the run.
    this.fd = fs.openSync(progressFile, 'w');
    this.kept = fs.openSync(verdictsFile, 'a');
  }

  write(record) {
    fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  onDryRunCompleted(event) {
    this.write({
      event: 'tests',
      tests: event.result.tests.map((t) => ({ id: t.id, file: t.fileName ? projectPath(t.fileName) : '' })),
    });
  }

  onMutationTestingPlanReady(event) {
    const toRun = event.mutantPlans.filter((p) => p.plan === 'Run').length;
    this.write({ event: 'plan', mutants: event.mutantPlans.length, toRun });
  }

  onMutantTested(result) {
    const file = projectPath(result.fileName);
    if (result.status !== 'Ignored' && result.status !== 'Pending') {
      fs.writeSync(this.kept, `${JSON.stringify(verdictOf(file, result))}\n`);
    }
    this.write({
      event: 'mutant',
      file,
      mutatorName: result.mutatorName,
      replacement: result.replacement,
      location: result.location,
      status: result.status,
      statusReason: result.statusReason,
      killedBy: result.killedBy ?? [],
      coveredBy: result.coveredBy ?? [],
    });
  }

  wrapUp() {
    fs.closeSync(this.fd);
    fs.closeSync(this.kept);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'aofsim-progress', ProgressLog)];
