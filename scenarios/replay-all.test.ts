// Replays every scenarios/*.scenario.json in the simulated world and asserts that all of its
// expectations hold (the same check as `aofsim replay FILE`). A failure prints the failed
// expectations and the replay command that shows the timeline.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../sim/scenario/parse-scenario.ts';
import { runScenario } from '../sim/scenario/run-scenario.ts';
import { loadServerFactory } from '../sim/world/server-factory.ts';
import type { ServerFactory } from '../sim/world/world.ts';
import type { AofConfig } from '../src/aof/config.ts';
import { BUG_SWITCHES } from '../src/aof/bugs.ts';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.scenario.json'))
  .sort();

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

describe('scenarios', () => {
  it('has the scenario files the simulator issue requires', () => {
    for (const name of [
      'short-write-then-ftruncate',
      'enospc-everysec-recovery',
      'always-fsync-eio-exits',
      'crash-after-child-rename-before-done-handler',
      'power-loss-after-rename-without-dir-fsync',
      'zero-fill-tail-after-power-loss',
      'multi-tail-truncate',
    ]) {
      expect(files).toContain(`${name}.scenario.json`);
    }
  });

  it('keeps every bug switch as a scenario that turns it on (the symptom pinned)', () => {
    const on = new Set(files.flatMap((f) => parseScenario(readFileSync(join(here, f), 'utf8'), f).bugs));
    const missing = BUG_SWITCHES.map((b) => b.name).filter((n) => !on.has(n));
    expect(missing).toEqual([]);
  });

  it.each(files)('%s: every expectation holds', (file) => {
    const path = join(here, file);
    const scenario = parseScenario(readFileSync(path, 'utf8'), `scenarios/${file}`);
    expect(scenario.source.length).toBeGreaterThan(0);
    const result = runScenario(scenario, { createServer, file: `scenarios/${file}` });
    const report = result.failures.map((f) => `${f.path}: ${f.message}`).join('\n');
    expect(result.checks).toBeGreaterThan(0);
    expect(report, `reproduce with: npx aofsim replay scenarios/${file} --timeline`).toBe('');
    // Deterministic: a second run gives the same trace.
    expect(runScenario(scenario, { createServer, file }).world.trace.hash()).toBe(result.world.trace.hash());
  });
});
