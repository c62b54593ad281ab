// The everysec oracle finds fsync schedules that lose more than Redis would, each shown on a
// deliberately broken variant of the server (its bio fsync jobs filtered in the ServerDeps the world
// hands it; nothing in src/ changes):
// - half-cadence: every other background fsync is dropped, so under a steady load the AOF is fsynced
//   every 2 s. The old oracle saw it only when a loss happened to exceed its blanket bound (about
//   3.2 s); the 'fsync-cadence' checker (an fsync starts at least once a second while unsynced
//   bytes wait and none runs) sees the first 2 s gap.
// - stop-after-slow-fsync: after one fsync that stayed pending 1.5 s or more (so that it surely cost
//   over 1 s), no fsync is ever submitted again. The old oracle lifted the everysec bound for the
//   whole incarnation once an fsync took 1 s, so it let this through on redis-4.0 (1,000 runs) and
//   found it on redis-7.0 after 224 property runs; 'everysec-bound', relaxed only by the
//   latency it measured, finds it on both, and so does 'fsync-cadence'.
// The unbroken server passes the same checks in properties/everysec-bounded-loss.test.ts.
// Seeds are fixed here, whatever AOFSIM_SEED says: the test measures the oracle's power on a fixed
// sample, and the run budget is sized for it (fast-check stops at the first failure).
import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../src/aof/config.ts';
import type { BioJob, BioKind, Tasks } from '../src/ports/tasks.ts';
import type { Clock } from '../src/ports/clock.ts';
import { loadServerFactory } from '../sim/world/server-factory.ts';
import type { ServerFactory } from '../sim/world/world.ts';
import { PROPERTIES } from '../sim/campaign/properties.ts';
import { checkProperty } from '../sim/campaign/run-property.ts';
import { allCombos, comboLabel } from '../sim/campaign/model-run.ts';
import { comboSeed } from '../sim/campaign/suite-options.ts';
import type { OracleCheck } from '../sim/oracle/checks.ts';

/** Tasks that pass every call through, except the bio jobs `keep` refuses (the server believes it submitted them). */
function filteredTasks(inner: Tasks, keep: (job: BioJob) => boolean, onPending: (kind: BioKind, n: number) => void = () => {}): Tasks {
  return {
    submitBio: (job) => {
      if (keep(job)) inner.submitBio(job);
    },
    pendingBio: (kind) => {
      const n = inner.pendingBio(kind);
      onPending(kind, n);
      return n;
    },
    takeBioCompletions: () => inner.takeBioCompletions(),
    fork: (program) => inner.fork(program),
    reap: () => inner.reap(),
    kill: (pid, signal) => inner.kill(pid, signal),
    pipe: (capacityBytes) => inner.pipe(capacityBytes),
  };
}

function halfCadence(real: ServerFactory<AofConfig>): ServerFactory<AofConfig> {
  return (deps, config) => {
    let submitted = 0;
    return real({ ...deps, tasks: filteredTasks(deps.tasks, (job) => job.kind !== 'fsync' || submitted++ % 2 === 0) }, config);
  };
}

function stopAfterSlowFsync(real: ServerFactory<AofConfig>): ServerFactory<AofConfig> {
  return (deps, config) => {
    const clock: Clock = deps.clock;
    let submittedAtMs: number | null = null;
    let stopped = false;
    const tasks = filteredTasks(
      deps.tasks,
      (job) => {
        if (job.kind !== 'fsync') return true;
        if (stopped) return false;
        submittedAtMs = clock.nowMs();
        return true;
      },
      (kind, n) => {
        if (kind !== 'fsync' || n !== 0 || submittedAtMs === null) return;
        if (clock.nowMs() - submittedAtMs >= 1500) stopped = true;
        submittedAtMs = null;
      },
    );
    return real({ ...deps, tasks }, config);
  };
}

const RUNS = 600;
const SEED = 20261124;
const property = PROPERTIES.find((p) => p.name === 'everysec-bounded-loss')!;
const everysec = allCombos().filter((c) => c.policy === 'everysec' && !c.preamble);

let real: ServerFactory<AofConfig>;
beforeAll(async () => {
  real = await loadServerFactory();
});

function finds(variant: (f: ServerFactory<AofConfig>) => ServerFactory<AofConfig>, checks: OracleCheck[], comboIndex: number): { failures: number; message: string } {
  const combo = everysec[comboIndex];
  const seed = comboSeed(SEED, 0x5eed, comboIndex);
  const o = checkProperty({ ...property, checks }, combo, { createServer: variant(real), seed, numRuns: RUNS });
  return { failures: o.failures, message: `${comboLabel(combo)}: seed ${seed}, ${o.runs} runs, ${o.message ?? 'not found'}` };
}

describe('the everysec oracle finds broken fsync schedules', () => {
  for (let i = 0; i < everysec.length; i++) {
    it(`half cadence, fsync-cadence, ${comboLabel(everysec[i])}`, () => {
      const r = finds(halfCadence, ['fsync-cadence'], i);
      expect(r.failures, r.message).toBe(1);
      expect(r.message).toContain('[fsync-cadence]');
    }, 120_000);
    it(`stop after a slow fsync, everysec-bound, ${comboLabel(everysec[i])}`, () => {
      const r = finds(stopAfterSlowFsync, ['everysec-bound'], i);
      expect(r.failures, r.message).toBe(1);
      expect(r.message).toContain('[everysec-bound]');
    }, 120_000);
    it(`stop after a slow fsync, fsync-cadence, ${comboLabel(everysec[i])}`, () => {
      const r = finds(stopAfterSlowFsync, ['fsync-cadence'], i);
      expect(r.failures, r.message).toBe(1);
      expect(r.message).toContain('[fsync-cadence]');
    }, 120_000);
  }
});
