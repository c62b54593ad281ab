// The campaign's properties, defined once: the vitest suites in properties/ (one file per
// invariant) and `aofsim run` both take them from here. Each property is a RunShape (what its
// generated runs contain) plus the oracle checks (sim/oracle/checks.ts) that must hold
// for every run, over both profiles x the three fsync policies x aof-use-rdb-preamble yes/no.
//
// `check --fix then load equals loading with aof-load-truncated; fix is idempotent` lives in
// properties/check-fix.test.ts (offline files, no world) and is not repeated here.

import type { OracleCheck } from '../oracle/checks.ts';
import type { RunShape } from './model-run.ts';

export interface PropertyDef {
  name: string;
  /** The invariant, one sentence. */
  invariant: string;
  shape: RunShape;
  checks: OracleCheck[];
  /** 'oracle': the checks above; 'determinism': the same run twice gives the same trace. */
  kind: 'oracle' | 'determinism';
  /** Relative cost of one run (the campaign gives cheap properties more runs). */
  weight: number;
  /**
   * The property's share of `aofsim run`'s runs, relative to the others (runs per batch: batch x
   * share / weight). The properties that meet the most failure mechanisms at once (rewrites with
   * crashes and faults, write errors with rewrites and AOF toggles) get the most: the historical
   * bugs that take a campaign longest to find all sit there (bench/detect/main-job-table.ts).
   * Default 1.
   */
  share?: number;
}

const POWER = ['strict', 'prefix', 'torn'] as const;

export const PROPERTIES: readonly PropertyDef[] = [
  {
    name: 'acked-writes-survive',
    invariant: 'acknowledged writes survive a process kill (all policies) and a power loss under always; every recovery is some live state S_k',
    shape: { crashModels: ['process-kill', ...POWER], faults: [], rewrites: true, crashPoints: false, crashOps: true, configChanges: false, maxActions: 18 },
    checks: ['recovery', 'start-decision', 'rewrite-liveness'],
    kind: 'oracle',
    weight: 1,
    share: 1,
  },
  {
    name: 'everysec-bounded-loss',
    invariant: 'everysec loses only writes after the last completed fsync, about 2 s at most while fsync latency stays under 1 s; no recovers an exact prefix',
    shape: { crashModels: POWER, faults: ['latency'], rewrites: true, crashPoints: false, crashOps: false, configChanges: false, maxActions: 18 },
    checks: ['recovery', 'everysec-bound', 'fsync-cadence', 'start-decision', 'rewrite-liveness'],
    kind: 'oracle',
    weight: 1,
    share: 1,
  },
  {
    name: 'truncated-tail-recovers-prefix',
    invariant: 'with aof-load-truncated yes, recovery after a crash under the prefix and torn models (at any operation) always succeeds and is a prefix state: no half transactions',
    shape: { crashModels: ['process-kill', 'prefix', 'torn'], faults: [], rewrites: false, crashPoints: false, crashOps: true, configChanges: false, maxActions: 16 },
    checks: ['recovery', 'start-decision'],
    kind: 'oracle',
    weight: 1,
    share: 0.5,
  },
  {
    name: 'rewrite-reproduces-live-state',
    invariant: 'at a rewrite switch the current files load to exactly the live state; a crash at any named point or operation of a rewrite recovers a valid prefix',
    // Slow fsyncs stretch a rewrite so that writes land in its buffer late (the 4.0 residual diff),
    // and more rewrites per run let one rewrite meet what the previous one left behind
    // (docs/redis-bugs.md#bug-17); without them seed 1 needed more than 15,000 campaign runs there.
    // Bursts weigh more here: they are what fills 4.0's diff pipe and rewrite-buffer blocks.
    shape: { crashModels: ['process-kill', ...POWER], faults: ['fork', 'child-killed', 'latency', 'rewrite-file'], rewrites: true, rewriteWeight: 5, burstWeight: 3, crashPoints: true, crashOps: true, configChanges: true, clockJumps: true, maxActions: 18 },
    checks: ['recovery', 'rewrite-switch', 'start-decision', 'rewrite-liveness'],
    kind: 'oracle',
    weight: 1,
    share: 3,
  },
  {
    name: 'write-errors-refuse-then-recover',
    invariant: 'short write / ENOSPC / EIO: no garbage is persisted, writes are refused (MISCONF) while the error lasts and accepted after, always exits rather than acknowledge an unsynced write',
    // Rewrites weigh more here: a rewrite started while aof_buf holds what a failed write left
    // (docs/redis-bugs.md#bug-6) is this property's business.
    shape: { crashModels: ['process-kill', 'strict'], faults: ['short-write', 'enospc', 'eio'], rewrites: true, rewriteWeight: 6, crashPoints: false, crashOps: false, configChanges: true, maxActions: 18 },
    checks: ['recovery', 'no-garbage', 'misconf-clears', 'rewrite-liveness'],
    kind: 'oracle',
    weight: 1,
    share: 3,
  },
  {
    name: 'slow-fsync-postpone-window',
    invariant: 'slow fsync: everysec postpones the flush at most 2 s (then writes and counts aof_delayed_fsync); acknowledged writes still survive',
    shape: { crashModels: ['process-kill', 'strict'], faults: ['latency'], rewrites: false, crashPoints: false, crashOps: false, configChanges: false, maxActions: 18 },
    checks: ['recovery', 'postpone-window'],
    kind: 'oracle',
    weight: 1,
    share: 0.5,
  },
  {
    name: 'same-seed-same-trace',
    invariant: 'determinism: the same run (seed, steps, faults) gives the same trace, byte for byte',
    shape: { crashModels: ['process-kill', ...POWER], faults: ['short-write', 'latency', 'fork'], rewrites: true, crashPoints: true, crashOps: true, configChanges: true, maxActions: 14 },
    checks: [],
    kind: 'determinism',
    weight: 2,
    share: 0.5,
  },
];
