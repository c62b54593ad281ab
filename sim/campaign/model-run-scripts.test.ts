// Issue 12.5: the campaign's workload holds scripts, so crash, rewrite and truncation properties
// meet AOFs that carry them (4.0: EVAL records; 7.0: a script's effects in MULTI/EXEC, FUNCTION
// LOAD records and libraries in rewrites). Checked on the generated runs of the property whose
// runs hold rewrites and crashes, for each profile, with a fixed seed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROPERTIES } from './properties.ts';
import { modelRunArb, type ModelRun } from './model-run.ts';
import { testSeed } from './suite-options.ts';

const SEED = testSeed(process.env);
const RERUN = `seed ${SEED}: rerun with AOFSIM_SEED=${SEED} npx vitest run sim/campaign/model-run-scripts.test.ts`;
const commands = (run: ModelRun): string[][] => run.actions.flatMap((a) => ('cmds' in a ? a.cmds : []));

describe('the campaign workload generates scripts', () => {
  const def = PROPERTIES.find((p) => p.name === 'rewrite-reproduces-live-state');
  it.each(['redis-4.0', 'redis-7.0'] as const)('%s: EVAL in runs that also rewrite and crash (and FCALL/FUNCTION LOAD on 7.0)', (profile) => {
    expect(def).toBeDefined();
    const runs = fc.sample(modelRunArb(def!.shape, { profile, policy: 'everysec', preamble: true }), { numRuns: 200, seed: SEED });
    const has = (run: ModelRun, name: string): boolean => commands(run).some((c) => c[0] === name);
    const withEval = runs.filter((r) => has(r, 'EVAL'));
    const met = withEval.filter((r) => (has(r, 'BGREWRITEAOF') || r.actions.some((a) => a.a === 'rewrite')) && r.actions.some((a) => a.a === 'crash' || a.a === 'crash-at'));
    // A fifth: this property weighs BGREWRITEAOF 5 against writes 8, so its runs hold fewer commands.
    expect(withEval.length, RERUN).toBeGreaterThan(runs.length / 5);
    expect(met.length, RERUN).toBeGreaterThan(0);
    const fcall = runs.filter((r) => has(r, 'FCALL') && has(r, 'FUNCTION')).length;
    if (profile === 'redis-7.0') expect(fcall, RERUN).toBeGreaterThan(0);
    else expect(fcall, RERUN).toBe(0);
  });
});
