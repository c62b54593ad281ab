// The rewrite property's 'rewrite-file' faults (model-run.ts faultArb): errors on the rewrite's own
// temp file, which no other fault family names. The one that matters most: 4.0's done handler
// appends the residual diff (writes that came after the child's last read) to
// temp-rewriteaof-bg-<pid>.aof before the switch; a failed write there must abandon the rewrite,
// and a switch without the diff fails the rewrite-switch check. Shown on a run made to leave a
// residual diff, and the generator is shown to draw such faults.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../../src/aof/config.ts';
import type { Fault } from '../faults/fault-plan.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { loadServerFactory } from '../world/server-factory.ts';
import type { ServerFactory } from '../world/world.ts';
import { modelRunArb, type ModelRun } from './model-run.ts';
import { PROPERTIES } from './properties.ts';
import { scenarioFor } from './run-property.ts';
import { testSeed } from './suite-options.ts';

const def = PROPERTIES.find((p) => p.name === 'rewrite-reproduces-live-state')!;
const RESIDUAL_WRITE: Fault = { kind: 'error', syscall: 'write', path: 're:temp-rewriteaof-bg-\\d+\\.aof$', nth: 1, code: 'EIO' };

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

describe('faults on the rewrite temp file', () => {
  it("redis-4.0: a failed residual-diff write abandons the rewrite, and the oracle holds", () => {
    // The child stops reading diffs about 20 ms after its body and then exits: a write 40 ms after
    // BGREWRITEAOF reaches the parent's rewrite buffer only, so the done handler has a residual.
    const run: ModelRun = {
      combo: { profile: 'redis-4.0', policy: 'always', preamble: false },
      seed: 1,
      faults: [RESIDUAL_WRITE],
      actions: [
        { a: 'cmds', client: 0, pipeline: false, cmds: [['SET', 'k1', '1']] },
        { a: 'rewrite', wait: false },
        { a: 'tick', ms: 40 },
        { a: 'cmds', client: 0, pipeline: false, cmds: [['SET', 'k0', '2']] },
        { a: 'wait-rewrite' },
      ],
      end: { quietMs: 100, model: 'process-kill' },
    };
    const r = runScenario(scenarioFor(def, run, []), { createServer, trace: false });
    expect(r.world.logged('Error trying to flush the parent diff to the rewritten AOF: Input/output error')).toHaveLength(1);
    expect(r.failures).toEqual([]);
  });

  it('the rewrite property draws faults on both temp files', () => {
    const seed = testSeed(process.env);
    const paths = new Set(
      fc
        .sample(modelRunArb(def.shape, { profile: 'redis-4.0', policy: 'always', preamble: false }), { seed, numRuns: 300 })
        .flatMap((r) => r.faults.flatMap((f) => ('path' in f && String(f.path).includes('temp-rewriteaof') ? [String(f.path)] : []))),
    );
    expect([...paths].sort(), `seed ${seed}`).toEqual(['re:temp-rewriteaof-\\d+\\.aof$', 're:temp-rewriteaof-bg-\\d+\\.aof$']);
  });
});
