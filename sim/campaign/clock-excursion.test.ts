// The clock excursion's volatile composition (model-run.ts VolatileWrite): what a run needs to show
// that a 7.0 rewrite child judging TTLs by the stepped clock loses keys the parent still serves
// (docs/redis-bugs.md#bug-15, switch rewrite-skips-expired). The steps come out in the order that
// makes the two clocks matter; such a run fails with the switch and passes without it; and the
// rewrite property's generator draws the composition with a forward step.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../../src/aof/config.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { loadServerFactory } from '../world/server-factory.ts';
import type { ServerFactory } from '../world/world.ts';
import { modelRunArb, type ModelRun } from './model-run.ts';
import { PROPERTIES } from './properties.ts';
import { scenarioFor } from './run-property.ts';
import { testSeed } from './suite-options.ts';

const def = PROPERTIES.find((p) => p.name === 'rewrite-reproduces-live-state')!;

function excursionRun(touch: boolean): ModelRun {
  return {
    combo: { profile: 'redis-7.0', policy: 'everysec', preamble: false },
    seed: 1,
    faults: [],
    actions: [{ a: 'clock-excursion', ms: 1500, rewrite: true, volatile: { set: ['SET', 'k0', '5', 'PX', '1000'], ...(touch ? { touch: ['INCR', 'k0'] } : {}) } }],
    end: { quietMs: 100, model: 'process-kill' },
  };
}

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

describe('clock excursion with a volatile key', () => {
  it('waits for a running rewrite, sets the TTL, steps, forks, steps back, touches the key, waits for the switch', () => {
    const steps = scenarioFor(def, excursionRun(true), []).steps.map((s) => Object.keys(s)[0]);
    expect(steps.slice(0, 7)).toEqual(['waitForRewrite', 'commands', 'clockJump', 'rewrite', 'clockJump', 'commands', 'waitForRewrite']);
  });

  for (const touch of [true, false]) {
    it(`${touch ? 'with' : 'without'} a write after the correction: fails with rewrite-skips-expired, passes without it`, () => {
      const run = excursionRun(touch);
      const buggy = runScenario(scenarioFor(def, run, ['rewrite-skips-expired']), { createServer, trace: false });
      expect(buggy.failures.map((f) => f.message).join('\n')).toMatch(/\[rewrite-switch\].*key "k0"/);
      const fixed = runScenario(scenarioFor(def, run, []), { createServer, trace: false });
      expect(fixed.failures).toEqual([]);
    });
  }

  it('the rewrite property draws it on redis-7.0, with a forward step, and never on redis-4.0', () => {
    const seed = testSeed(process.env);
    const count = (profile: 'redis-4.0' | 'redis-7.0'): number =>
      fc
        .sample(modelRunArb(def.shape, { profile, policy: 'no', preamble: false }), { seed, numRuns: 400 })
        .filter((r) => r.actions.some((a) => a.a === 'clock-excursion' && a.ms > 0 && a.volatile !== undefined)).length;
    expect(count('redis-7.0'), `seed ${seed}`).toBeGreaterThan(0);
    expect(count('redis-4.0')).toBe(0);
  });
});
