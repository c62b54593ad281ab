// Writes a failing property's counterexample as a scenario file so that
// `npx aofsim replay FILE` reproduces it with a timeline. Directory: $AOFSIM_FAILURES_DIR, else
// ./aofsim-failures. Faces the real world on purpose (node:fs); used by `aofsim run`, the vitest
// property suites and bench/detect.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../sim/scenario/scenario-types.ts';

export function failuresDir(): string {
  return process.env.AOFSIM_FAILURES_DIR || 'aofsim-failures';
}

/** Writes `<dir>/<scenario.name>.scenario.json` and returns its path. */
export function writeFailureScenario(scenario: Scenario, dir = failuresDir()): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${scenario.name}.scenario.json`);
  writeFileSync(file, JSON.stringify(scenario, null, 2) + '\n');
  return file;
}
