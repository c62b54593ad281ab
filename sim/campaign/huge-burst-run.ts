// The rewrite property's run past the size thresholds no short run reaches (issue 18.2): serverCron's
// auto-rewrite at auto-aof-rewrite-min-size (64 MB; redis: serverCron's growth check) on both
// profiles, and 4.0's rewrite child fsyncing every 32 MB it writes (rio autosync,
// REDIS_AUTOSYNC_BYTES with aof-rewrite-incremental-fsync), with that child running to the end.
//
// A burst of tens of megabytes costs seconds of CPU, so the property suite runs one such run per
// profile (properties/rewrite-reproduces-live-state.test.ts) instead of drawing the burst among
// the generated ones (where a fault or the run's final crash ended its child first, and every
// combination paid for a few). The run is a generated run of the property with, appended, the
// burst and a wait for the rewrite it makes serverCron start; its final quiet period and crash
// stay, so the oracle judges the state after the 64 MB switch.
//
// Invariants: what could end the auto-rewrite's child before it finishes is left out of the
// generated part (fork failures, a killed child, crashes armed at a point or an operation, which
// could fire inside it); the AOF is on (CONFIG SET appendonly yes) and no other rewrite runs
// when the burst starts, so the growth check sees the whole burst.

import type { Profile } from '../../src/base/profile.ts';
import type { Action, BurstShape, ModelRun } from './model-run.ts';

/**
 * One burst per profile: 7.0, 68 MB of SETs on four keys; 4.0, four 17 MB values, so that the
 * auto-rewrite's child also writes 68 MB in the AOF form and passes its 32 MB autosync twice.
 */
export const HUGE_BURSTS: Readonly<Record<Profile, BurstShape>> = {
  'redis-4.0': { cmd: 'SET', n: 4, bytes: 17_000_000, rewriteAt: 0 },
  'redis-7.0': { cmd: 'SET', n: 8, bytes: 8_500_000, rewriteAt: 0 },
};

/** `run` with the huge burst of its profile appended (see the file comment). */
export function hugeBurstRun(run: ModelRun): ModelRun {
  const kept = run.actions.flatMap((a): Action[] => (a.a === 'crash-at' ? [] : a.a === 'aof-toggle' && a.crash ? [{ ...a, crash: undefined }] : [a]));
  const tail: Action[] = [
    { a: 'config', argv: ['CONFIG', 'SET', 'appendonly', 'yes'] },
    { a: 'wait-rewrite' },
    { a: 'burst', client: 0, ...HUGE_BURSTS[run.combo.profile], rewrite: false },
    // serverCron (10 Hz) sees the grown AOF and forks; then the child runs to the end.
    { a: 'tick', ms: 400 },
    { a: 'wait-rewrite' },
  ];
  return { ...run, faults: run.faults.filter((f) => f.kind === 'latency'), actions: [...kept, ...tail] };
}
