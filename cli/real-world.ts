// The CLI's contact with the real world, in the one place STYLE.md allows it (cli/): wall-clock
// time for budgets and progress lines, and reading/writing the files a user names (scenario files,
// reports, failure scenarios). Never used inside a simulation: the simulator's own time is virtual.
// The commands import these instead of touching Date or node:fs itself.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Wall-clock milliseconds, for budgets and progress only. */
export function wallClockMs(): number {
  return Date.now();
}

export function readTextFile(path: string): string {
  return readFileSync(path, 'utf8');
}

export function writeTextFile(path: string, text: string): void {
  writeFileSync(path, text);
}

export function makeDirs(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
