// Property: an interrupted write (EINTR before any byte) and a short write followed by writes that
// succeed are invisible: no MISCONF reply, no exit, and the oracle's recovery, no-garbage and
// misconf-clears checks hold. Redis's aofWrite retries both at once (redis: aof.c aofWrite,
// redis/redis#4066); the other write-fault properties always follow a short write with an error,
// so without this suite that retry loop could break unnoticed (found by mutation testing).
// Runs over both profiles x always/everysec/no (the preamble changes nothing on the write path).
// Budget: AOFSIM_RUNS runs per combination; AOFSIM_SEED pins the base seed.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../src/aof/config.ts';
import { loadServerFactory } from '../sim/world/server-factory.ts';
import type { ServerFactory } from '../sim/world/world.ts';
import { allCombos, comboLabel, modelRunArb, type RunShape } from '../sim/campaign/model-run.ts';
import { scenarioFor } from '../sim/campaign/run-property.ts';
import type { PropertyDef } from '../sim/campaign/properties.ts';
import { comboSeed, suiteOptions } from '../sim/campaign/suite-options.ts';
import { runScenario } from '../sim/scenario/run-scenario.ts';

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

const opts = suiteOptions(process.env);

const shape: RunShape = {
  crashModels: ['process-kill'],
  faults: ['benign'],
  rewrites: true,
  crashPoints: false,
  crashOps: false,
  configChanges: false,
  maxActions: 14,
};

const def: PropertyDef = {
  name: 'benign-write-faults-are-invisible',
  invariant: 'EINTR and a short write followed by successful writes are retried invisibly: no MISCONF, no exit',
  shape,
  checks: ['recovery', 'no-garbage', 'misconf-clears'],
  kind: 'oracle',
  weight: 1,
};

/** Why the run shows a benign fault, or null. */
function visible(run: Parameters<typeof scenarioFor>[1]): string | null {
  const r = runScenario(scenarioFor(def, run, []), { createServer, trace: false });
  if (!r.ok) return r.failures.map((f) => `${f.path}: ${f.message}`).join('\n');
  const misconf = r.world.requests.find((q) => q.reply?.kind === 'error' && String(q.reply.value).startsWith('MISCONF'));
  if (misconf) return `command #${misconf.seq} refused: ${String(misconf.reply?.value)}`;
  if (r.world.exits.length > 0) return `the server exited: ${r.world.exits[0]!.reason}`;
  return null;
}

describe(def.name, () => {
  // A property index of its own for the seeds (the campaign's properties use 0..6).
  const combos = allCombos().filter((c) => !c.preamble);
  combos.forEach((combo, i) => {
    it(comboLabel(combo), () => {
      // fc.assert, not fc.check: a failure then prints fast-check's seed and path and the replay
      // command (the setup file's reporter), with what became visible as the error.
      fc.assert(
        fc.property(modelRunArb(shape, combo), (run) => {
          const why = visible(run);
          expect(why, 'a benign write fault must stay invisible').toBeNull();
        }),
        { seed: comboSeed(opts.baseSeed, 50, i), numRuns: opts.runsPerCombo },
      );
    }, 300_000);
  });
});
