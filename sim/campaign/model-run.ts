// The campaign's generated runs: a fast-check arbitrary of model runs (client writes over a small
// key space of the five core types, with values, integers and collections at the size and encoding
// boundaries of value-arbitraries.ts, bursts of hundreds of writes or megabytes (BURSTS), MULTI/EXEC
// blocks, TTL commands, virtual-time ticks,
// BGREWRITEAOF, CONFIG SET appendonly/appendfsync, disk quota (ENOSPC) set and freed, wall-clock
// steps, crashes between steps or armed at an operation index / named point, restarts) plus a fault plan
// (sim/faults), for one profile, fsync policy and preamble setting. A run is plain data and is
// turned 1:1 into a scenario file (sim/scenario) by toScenario, so a counterexample replays with
// `aofsim replay` exactly as the property ran it (the scenario runner executes both).
//
// Invariants: every run ends with a quiet period, a crash (a process kill or one of the property's
// power-loss models) and a restart, so the oracle checks the last state;
// a quota is always lifted before a crash step (a restart then never fails for lack of space); a
// restart step always follows a crash step (the world never restarts a running server).

import fc from 'fast-check';
import type { Profile } from '../../src/base/profile.ts';
import type { Fault } from '../faults/fault-plan.ts';
import type { CrashModelName } from '../crash/crash-decision.ts';
import type { CrashAtStep, CrashStep, Scenario, Step } from '../scenario/scenario-types.ts';
import type { OracleCheck } from '../oracle/checks.ts';
import { REWRITE_POINTS, type CrashPointName } from '../faults/crash-points.ts';
import { bulkCollectionArb, intNearBoundaryArb, keyArb, memberArb, patternValue, PLAIN_KEYS, scoreArb, valueArb } from './value-arbitraries.ts';

export type Policy = 'always' | 'everysec' | 'no';
export const PROFILES: readonly Profile[] = ['redis-4.0', 'redis-7.0'];
export const POLICIES: readonly Policy[] = ['always', 'everysec', 'no'];
export const PREAMBLES: readonly boolean[] = [false, true];

export interface Combo {
  profile: Profile;
  policy: Policy;
  preamble: boolean;
}

export function allCombos(profiles: readonly Profile[] = PROFILES): Combo[] {
  const out: Combo[] = [];
  for (const profile of profiles) for (const policy of POLICIES) for (const preamble of PREAMBLES) out.push({ profile, policy, preamble });
  return out;
}

export function comboLabel(c: Combo): string {
  return `${c.profile} ${c.policy} preamble=${c.preamble ? 'yes' : 'no'}`;
}

// 'benign': what a real kernel may do to a write without any error to report: EINTR before any
// byte, or a short write followed by writes that succeed. Redis's aofWrite retries both invisibly.
// 'rewrite-file': an error on the rewrite's own temp file (the child's, or the one 4.0's parent
// appends the residual diff to), where the other families name only the AOF.
export type FaultFamily = 'short-write' | 'enospc' | 'eio' | 'latency' | 'fork' | 'child-killed' | 'benign' | 'rewrite-file';

/** What a property's runs may contain. */
export interface RunShape {
  crashModels: readonly CrashModelName[];
  faults: readonly FaultFamily[];
  rewrites: boolean;
  /** Crashes armed at named points of a rewrite (and after syscalls on AOF files). */
  crashPoints: boolean;
  /** Crashes armed at an operation index. */
  crashOps: boolean;
  /** CONFIG SET appendonly no/yes and appendfsync changes. */
  configChanges: boolean;
  /** Steps of the server's wall clock (NTP-like, forwards and backwards); redis-7.0 runs only. */
  clockJumps?: boolean;
  /** Weight of BGREWRITEAOF among the actions (default 2; writes are 8). */
  rewriteWeight?: number;
  /** Bursts (long pipelined write sequences, see BURSTS) per 40 actions (default 1). */
  burstWeight?: number;
  maxActions: number;
}

export type Action =
  | { a: 'cmds'; client: number; pipeline: boolean; cmds: string[][] }
  | { a: 'multi'; client: number; cmds: string[][] }
  | ({ a: 'burst'; client: number; rewrite: boolean } & BurstShape)
  | { a: 'tick'; ms: number }
  | { a: 'rewrite'; wait: boolean }
  /** Wait for a running rewrite child (one serverCron started, say) to finish; no BGREWRITEAOF. */
  | { a: 'wait-rewrite' }
  | { a: 'config'; argv: string[] }
  | { a: 'quota'; bytes: number }
  | { a: 'free-space' }
  | { a: 'clock-jump'; ms: number }
  | { a: 'clock-excursion'; ms: number; rewrite: boolean; volatile?: VolatileWrite }
  | { a: 'aof-toggle'; client: number; cmds: string[][]; rewrite?: boolean; crash?: ToggleCrash; again?: string[][]; diskFull?: string[][] }
  | { a: 'crash'; model: CrashModelName; sector?: number }
  | { a: 'crash-at'; point?: CrashPointName; nth?: number; atOp?: number; model: CrashModelName; sector?: number };

/**
 * A crash armed at a named point of the rewrite an aof-toggle runs while the AOF is off, and the
 * restart after it (the process is killed and restarted whether the point was reached or not).
 */
export interface ToggleCrash {
  point: CrashPointName;
  model: CrashModelName;
  sector?: number;
}

/**
 * Around a clock excursion with a fork: the rewrite running before it is waited for (so the
 * BGREWRITEAOF forks inside the excursion instead of being scheduled for after it), `set` gives a
 * key a TTL shorter than the step, `touch` (if any) writes to that key once the clock is back, and
 * the excursion's rewrite is waited for (it switches before anything else steps the clock).
 */
export interface VolatileWrite {
  set: string[];
  touch?: string[];
}

export interface ModelRun {
  combo: Combo;
  seed: number;
  faults: Fault[];
  actions: Action[];
  /**
   * How the run ends: a quiet period (virtual ms without commands: replies settle, a running
   * rewrite finishes, everysec's last fsync is due or overdue) and then the final crash, drawn from
   * the property's crash models, before the last restart and check.
   */
  end: { quietMs: number; probe?: boolean; model: CrashModelName; sector?: number };
}

/**
 * Scripts in the workload (issue 12.5), so crashes, rewrites and torn tails meet them: 4.0 writes
 * the EVAL itself, 7.0 its effects (in MULTI/EXEC when more than one). Type-sensitive calls go
 * through redis.pcall, so a key of another type makes no error mid-script.
 */
const SCRIPTS = [
  `redis.call('set', KEYS[1], ARGV[1]) redis.pcall('incr', KEYS[2]) return redis.call('exists', KEYS[1])`,
  `local v = redis.pcall('get', KEYS[1]) if type(v) ~= 'string' then v = '' end redis.call('set', KEYS[2], v .. ARGV[1]) return v`,
  `redis.call('del', KEYS[1]) return redis.call('rpush', KEYS[1], ARGV[1], cjson.encode({ARGV[1], 1.5}))`,
  `return redis.pcall('type', KEYS[1])`,
];
/** A 7.0 function library for FCALL (loaded with REPLACE, so loading it twice is no error). */
const LIBRARY = `#!lua name=aofsim\nredis.register_function('aofsim_copy', function(keys, args) local v = redis.pcall('get', keys[1]) if type(v) ~= 'string' then v = '' end redis.call('set', keys[2], v .. args[1]) return v end)`;


/**
 * One client write of the campaign's workload (BGREWRITEAOF among them when `rewrites`); string
 * values of at most `maxValueBytes` (the campaign: 4 MB).
 */
export function commandArb(profile: Profile, rewrites = false, maxValueBytes = Number.POSITIVE_INFINITY): fc.Arbitrary<string[]> {
  const key = keyArb();
  const val = valueArb(maxValueBytes);
  const mem = memberArb();
  const all: { weight: number; arbitrary: fc.Arbitrary<string[]> }[] = [
    { weight: 4, arbitrary: fc.tuple(key, val).map(([k, v]) => ['SET', k, v]) },
    // Not on redis-4.0: Redis 4.0 writes `SET k v EX n` as SET + PEXPIREAT, two records without
    // MULTI, so a torn tail can keep the SET without its TTL (half an execution unit). Redis 7.0
    // writes one `SET ... PXAT` record.
    { weight: profile === 'redis-4.0' ? 0 : 2, arbitrary: fc.tuple(key, val, fc.constantFrom('EX', 'PX'), fc.integer({ min: 1, max: 4 })).map(([k, v, u, n]) => ['SET', k, v, u, String(u === 'EX' ? n : n * 700)]) },
    { weight: 3, arbitrary: key.map((k) => ['INCR', k]) },
    // Increments that cross (or overflow past) an integer encoding boundary.
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), key, intNearBoundaryArb()).map(([c, k, n]) => [c, k, n]) },
    // Excluded for redis-4.0: Redis 4.0 propagates INCRBYFLOAT as a plain `SET k v`, so a volatile
    // key loses its TTL on reload (docs/redis-bugs.md#bug-13, redis/redis#5256; fixed with KEEPTTL in 6.0).
    // The 4.0 profile reproduces that on purpose; the 7.0 profile's switch incrbyfloat-drops-ttl
    // brings it back there.
    { weight: profile === 'redis-4.0' ? 0 : 1, arbitrary: key.map((k) => ['INCRBYFLOAT', k, '1.5']) },
    { weight: 1, arbitrary: fc.tuple(key, val).map(([k, v]) => ['APPEND', k, v]) },
    { weight: 1, arbitrary: key.map((k) => ['DEL', k]) },
    { weight: 2, arbitrary: fc.tuple(key, fc.integer({ min: 1, max: 5 })).map(([k, n]) => ['EXPIRE', k, String(n)]) },
    { weight: 1, arbitrary: fc.tuple(key, fc.integer({ min: 1, max: 30 })).map(([k, n]) => ['PEXPIRE', k, String(n * 100)]) },
    { weight: 1, arbitrary: key.map((k) => ['PERSIST', k]) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('RPUSH', 'LPUSH'), key, val).map(([c, k, v]) => [c, k, v]) },
    { weight: 1, arbitrary: key.map((k) => ['LPOP', k]) },
    { weight: 2, arbitrary: fc.tuple(key, mem).map(([k, m]) => ['SADD', k, m]) },
    { weight: 1, arbitrary: fc.tuple(key, mem).map(([k, m]) => ['SREM', k, m]) },
    { weight: 1, arbitrary: key.map((k) => ['SPOP', k]) },
    { weight: 2, arbitrary: fc.tuple(key, scoreArb(), mem).map(([k, s, m]) => ['ZADD', k, s, m]) },
    { weight: 1, arbitrary: fc.tuple(key, mem).map(([k, m]) => ['ZINCRBY', k, '2', m]) },
    { weight: 1, arbitrary: fc.tuple(key, mem).map(([k, m]) => ['ZREM', k, m]) },
    { weight: 2, arbitrary: fc.tuple(key, mem, val).map(([k, f, v]) => ['HSET', k, f, v]) },
    { weight: 1, arbitrary: fc.tuple(key, mem).map(([k, f]) => ['HINCRBY', k, f, '3']) },
    { weight: 1, arbitrary: fc.tuple(key, mem).map(([k, f]) => ['HDEL', k, f]) },
    // One command that takes a collection across an encoding threshold (value-arbitraries.ts).
    { weight: 1, arbitrary: bulkCollectionArb(key) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...SCRIPTS), key, key, val).map(([body, a, b, v]) => ['EVAL', body, '2', a, b, v]) },
    { weight: profile === 'redis-7.0' ? 1 : 0, arbitrary: fc.constant(['FUNCTION', 'LOAD', 'REPLACE', LIBRARY]) },
    { weight: profile === 'redis-7.0' ? 1 : 0, arbitrary: fc.tuple(key, key, val).map(([a, b, v]) => ['FCALL', 'aofsim_copy', '2', a, b, v]) },
    // BGREWRITEAOF in the same pipeline as writes: the rewrite starts in the event-loop iteration
    // whose flush just failed, with aof_buf still full (docs/redis-bugs.md#bug-6).
    { weight: rewrites ? 1 : 0, arbitrary: fc.constant(['BGREWRITEAOF']) },
  ];
  return fc.oneof(...all.filter((c) => c.weight > 0));
}

/** Sector sizes of torn crashes: 1 (any byte, records favoured) a third of the time. */
const SECTORS = fc.constantFrom(4, 16, 64, 512, 1, 1);

export type BurstCommand = 'SET' | 'RPUSH' | 'INCR';

/**
 * Long runs without long generated lists: one action that pipelines `n` writes of `bytes`-byte
 * values (keys k0..k3 in turn), expanded only in toScenario. The shapes cross the boundaries the
 * short runs never reach: hundreds of records, 150 KB and 3 MB bursts (4.0's 64 KB diff pipe
 * fills, its child drains at 10 KB intervals) and a 15 MB one. With `rewrite`, BGREWRITEAOF goes
 * into the pipeline after `rewriteAt` writes, so the rest lands while the child runs: the 15 MB
 * burst forks with 4.4 MB in the keyspace (a 7.0 BASE body past the 4 MB autosync) and feeds 11 MB
 * after the fork (a second 10 MB block of 4.0's rewrite buffer).
 */
export interface BurstShape {
  cmd: BurstCommand;
  n: number;
  bytes: number;
  rewriteAt: number;
  /** Values LZF cannot compress (value-arbitraries.ts patternValue). */
  noise?: boolean;
}

const BURSTS: readonly { weight: number; burst: BurstShape }[] = [
  { weight: 4, burst: { cmd: 'INCR', n: 300, bytes: 0, rewriteAt: 0 } },
  { weight: 2, burst: { cmd: 'SET', n: 600, bytes: 16, rewriteAt: 0 } },
  { weight: 2, burst: { cmd: 'RPUSH', n: 400, bytes: 8, rewriteAt: 0 } },
  { weight: 4, burst: { cmd: 'SET', n: 150, bytes: 1024, rewriteAt: 0 } },
  { weight: 2, burst: { cmd: 'SET', n: 40, bytes: 70_000, rewriteAt: 0 } },
  // The costly one (~1 s of CPU): one burst in eight.
  { weight: 2, burst: { cmd: 'SET', n: 7, bytes: 2_200_000, rewriteAt: 2, noise: true } },
];

/** The commands of a burst action (BGREWRITEAOF among them when `rewrite`). */
export function burstCommands(b: BurstShape & { rewrite: boolean }): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < b.n; i++) {
    if (b.rewrite && i === b.rewriteAt) out.push(['BGREWRITEAOF']);
    const key = PLAIN_KEYS[i % PLAIN_KEYS.length];
    out.push(b.cmd === 'INCR' ? ['INCR', key] : [b.cmd, key, patternValue(b.bytes, i, b.noise)]);
  }
  return out;
}

/** The faults of one family's draw: one fault, or (enospc) a few consecutive ones. */
function faultArb(family: FaultFamily): fc.Arbitrary<Fault | Fault[]> {
  const aof = 're:appendonly\\.aof(\\.\\d+\\.incr\\.aof)?$';
  switch (family) {
    case 'short-write':
      return fc
        .record({ nth: fc.integer({ min: 1, max: 12 }), by: fc.integer({ min: 1, max: 30 }), then: fc.constantFrom<('ENOSPC' | 'EIO' | null)>(null, 'ENOSPC', 'EIO') })
        .map(({ nth, by, then }) => ({ kind: 'short-write', path: aof, nth, shortByBytes: by, ...(then ? { thenError: then } : {}) }) as Fault);
    case 'enospc':
      // A disk full for a moment: ENOSPC on `span` consecutive writes to the AOF (freed space ends
      // it), so a retry in the next event-loop iteration can fail too and a BGREWRITEAOF can start
      // while aof_buf still holds what the first failure left (docs/redis-bugs.md#bug-6).
      return fc
        .record({ nth: fc.integer({ min: 1, max: 6 }), span: fc.integer({ min: 1, max: 3 }) })
        .map(({ nth, span }) => Array.from({ length: span }, (_, i) => ({ kind: 'error', syscall: 'write', path: aof, nth: nth + i, code: 'ENOSPC' }) as Fault));
    case 'benign':
      return fc.oneof(
        fc.integer({ min: 1, max: 12 }).map((nth) => ({ kind: 'error', syscall: 'write', path: aof, nth, code: 'EINTR' }) as Fault),
        fc.record({ nth: fc.integer({ min: 1, max: 12 }), by: fc.integer({ min: 1, max: 30 }) }).map(({ nth, by }) => ({ kind: 'short-write', path: aof, nth, shortByBytes: by }) as Fault),
      );
    case 'eio':
      return fc
        .record({ syscall: fc.constantFrom('write', 'fsync', 'fdatasync', 'fdatasync', 'rename', 'ftruncate'), nth: fc.integer({ min: 1, max: 10 }) })
        .map(({ syscall, nth }) => ({ kind: 'error', syscall, path: syscall === 'rename' ? '**' : aof, nth, code: 'EIO' }) as Fault);
    case 'latency':
      return fc.integer({ min: 1, max: 30 }).map((n) => ({ kind: 'latency', path: '**', ms: n * 100, syscalls: ['fsync', 'fdatasync'] }) as Fault);
    case 'fork':
      return fc.integer({ min: 1, max: 2 }).map((nth) => ({ kind: 'fork-failure', nth }) as Fault);
    case 'child-killed':
      return fc.integer({ min: 0, max: 6 }).map((afterSteps) => ({ kind: 'child-killed', nth: 1, afterSteps }) as Fault);
    case 'rewrite-file':
      // The child writes temp-rewriteaof-<pid>.aof; 4.0 renames it to temp-rewriteaof-bg-<pid>.aof,
      // to which the parent's done handler appends the residual diff before the switch: a failure
      // there must fail the rewrite, never switch in a file without the diff. No fault named these
      // files before (a disk quota reached them only by chance), and a mutant that ignored the
      // residual write's error survived the 60 s campaign (bench/detect/mutants).
      return fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .record({ nth: fc.integer({ min: 1, max: 2 }), code: fc.constantFrom('EIO', 'ENOSPC') })
            .map(({ nth, code }) => ({ kind: 'error', syscall: 'write', path: 're:temp-rewriteaof-bg-\\d+\\.aof$', nth, code }) as Fault),
        },
        {
          weight: 1,
          arbitrary: fc
            .record({ syscall: fc.constantFrom('write', 'fsync'), nth: fc.integer({ min: 1, max: 3 }), code: fc.constantFrom('EIO', 'ENOSPC') })
            .map(({ syscall, nth, code }) => ({ kind: 'error', syscall, path: 're:temp-rewriteaof-\\d+\\.aof$', nth, code }) as Fault),
        },
      );
  }
}

function actionArb(shape: RunShape, combo: Combo): fc.Arbitrary<Action> {
  const client = fc.integer({ min: 0, max: 2 });
  const choices: { weight: number; arbitrary: fc.Arbitrary<Action> }[] = [
    { weight: 8, arbitrary: fc.record({ a: fc.constant('cmds' as const), client, pipeline: fc.boolean(), cmds: fc.array(commandArb(combo.profile, shape.rewrites), { minLength: 1, maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ a: fc.constant('multi' as const), client, cmds: fc.array(commandArb(combo.profile), { minLength: 1, maxLength: 3 }) }) },
    { weight: 4, arbitrary: fc.record({ a: fc.constant('tick' as const), ms: fc.constantFrom(10, 100, 400, 1000, 2500, 5000) }) },
  ];
  if (shape.rewrites) choices.push({ weight: shape.rewriteWeight ?? 2, arbitrary: fc.record({ a: fc.constant('rewrite' as const), wait: fc.boolean() }) });
  if (shape.configChanges) {
    // An operator turning the AOF off and on again, with writes in between (docs/redis-behaviour.md#enable-at-runtime, P7).
    // With `rewrite`, a BGREWRITEAOF while the AOF is off: 7.0 then moves every INCR to the
    // history, which a crash before the history is deleted leaves behind (incr-seq-reuses-history).
    // With `crash` (properties that crash at named points), a crash armed at a point of that
    // rewrite and a restart after it: the restart meets what the crash left of a rewrite made
    // with no INCR open (a manifest of a BASE and history only, before history-unlink). A crash
    // armed elsewhere in the run reaches that rewrite's points only by chance (0 in 300 runs).
    const toggle = fc.record(
      { a: fc.constant('aof-toggle' as const), client, cmds: fc.array(commandArb(combo.profile), { maxLength: 2 }), rewrite: shape.rewrites ? fc.boolean() : fc.constant(false) },
      { requiredKeys: ['a', 'client', 'cmds'] },
    );
    // With `again`, the operator flaps: these writes, then off and on once more while the rewrite
    // the first enable started still runs (7.0 leaves its temp INCR behind and reopens it:
    // temp-incr-reopened-truncated).
    const crashing = shape.rewrites && shape.crashPoints && shape.crashModels.length > 0;
    // Only the properties that crash at named points draw these (the others' runs stay as they were).
    const crash = fc.record({ point: fc.constantFrom(...REWRITE_POINTS[combo.profile]), model: fc.constantFrom(...shape.crashModels), sector: SECTORS });
    const again = fc.array(commandArb(combo.profile), { minLength: 1, maxLength: 2 });
    // With `diskFull` (properties with ENOSPC), the toggle is the operator's answer to a full disk
    // (redis/redis#8030): these writes fail on it, the AOF goes off, space is freed, the AOF goes
    // on again, and the write error must be forgotten (write-error-sticky keeps it).
    const full = shape.faults.includes('enospc');
    const diskFull = fc.array(commandArb(combo.profile), { minLength: 1, maxLength: 2 });
    let toggleArb: fc.Arbitrary<Action> = toggle;
    if (full) {
      toggleArb = fc.tuple(toggle, fc.option(diskFull, { nil: undefined, freq: 2 })).map(([t, d]): Action => (d !== undefined ? { ...t, diskFull: d } : t));
    } else if (crashing) {
      // One or the other: a crash's restart turns the AOF on, so the flap would start from on.
      toggleArb = fc.tuple(toggle, fc.option(crash, { nil: undefined, freq: 2 }), fc.option(again, { nil: undefined, freq: 2 })).map(([t, c, g]): Action => {
        if (c !== undefined && t.rewrite === true) return { ...t, crash: c };
        return g !== undefined ? { ...t, again: g } : t;
      });
    }
    choices.push({ weight: 1, arbitrary: toggleArb });
    choices.push({
      weight: 1,
      arbitrary: fc.record({
        a: fc.constant('config' as const),
        argv: fc.constantFrom(['appendonly', 'no'], ['appendonly', 'yes'], ['appendfsync', 'always'], ['appendfsync', 'everysec'], ['appendfsync', 'no']).map((x) => ['CONFIG', 'SET', ...x]),
      }),
    });
  }
  // Not on redis-4.0: its rewrite child skips keys already expired by its clock (4.0,
  // docs/redis-bugs.md#bug-15), so after a clock step back the rewrite drops keys the parent still serves; Redis 4.0
  // does that. The 7.0 profile's switch rewrite-skips-expired brings the 4.0 rule back there.
  if (shape.clockJumps && combo.profile !== 'redis-4.0') {
    const ms = fc.constantFrom(-5000, -1500, 1500, 5000);
    choices.push({ weight: 1, arbitrary: fc.record({ a: fc.constant('clock-jump' as const), ms }) });
    // The clock steps away and is corrected back at once (NTP, a resumed VM), maybe with a
    // BGREWRITEAOF forked in between: parent and child then judge TTLs by different clocks.
    const excursion = fc.record({ a: fc.constant('clock-excursion' as const), ms, rewrite: fc.boolean() });
    // With `volatile`, what makes the two clocks matter (docs/redis-bugs.md#bug-15):
    // a key whose TTL (300-1400 ms: under either step, over the ~200 ms a small rewrite takes to
    // switch) falls between the stepped clock the child forks with and the corrected one the parent
    // goes on with, maybe a write to it after the correction, then the rewrite's end, all while the
    // parent still serves the key: a child that skipped it loses it at the switch, and the write
    // recreates it without a TTL on reload. A run reached that by chance only: the TTL commands, a
    // step forwards, a fork inside the step (no rewrite already running) and a switch before the
    // next step or the key's expiry had to meet (not once in 9,000 campaign runs at seed 1).
    const key = keyArb();
    const ttl = fc.integer({ min: 3, max: 14 }).map((n) => String(n * 100));
    const volatile = fc.record(
      {
        // Mostly a new string (it exists whatever came before); PEXPIRE for the other types.
        set: fc.oneof(
          { weight: 3, arbitrary: fc.tuple(key, fc.nat(99), ttl).map(([k, v, t]) => ['SET', k, String(v), 'PX', t]) },
          { weight: 1, arbitrary: fc.tuple(key, ttl).map(([k, t]) => ['PEXPIRE', k, t]) },
        ),
        touch: fc.constantFrom(['INCR'], ['APPEND', 'x']),
      },
      { requiredKeys: ['set'] },
    ).map(({ set, touch }): VolatileWrite => (touch === undefined ? { set } : { set, touch: [touch[0], set[1], ...touch.slice(1)] }));
    const excursionArb = fc
      .tuple(excursion, fc.option(volatile, { nil: undefined, freq: 2 }))
      .map(([e, v]): Action => (v !== undefined && e.rewrite ? { ...e, volatile: v } : e));
    choices.push({ weight: 2, arbitrary: excursionArb });
  }
  if (shape.faults.includes('enospc')) {
    choices.push({ weight: 1, arbitrary: fc.record({ a: fc.constant('quota' as const), bytes: fc.integer({ min: 50, max: 3000 }) }) });
    choices.push({ weight: 1, arbitrary: fc.constant({ a: 'free-space' as const }) });
  }
  if (shape.crashModels.length > 0) {
    // Small sectors let a torn write cut inside one record or MULTI block (the default is 512);
    // 1 cuts at any byte, three times in four on a record boundary (sim/crash/decide-crash.ts).
    const sector = SECTORS;
    choices.push({ weight: 2, arbitrary: fc.record({ a: fc.constant('crash' as const), model: fc.constantFrom(...shape.crashModels), sector }) });
    if (shape.crashPoints) {
      choices.push({
        weight: 2,
        arbitrary: fc.record({ a: fc.constant('crash-at' as const), point: fc.constantFrom(...REWRITE_POINTS[combo.profile]), nth: fc.integer({ min: 1, max: 2 }), model: fc.constantFrom(...shape.crashModels), sector }),
      });
    }
    if (shape.crashOps) {
      choices.push({ weight: 2, arbitrary: fc.record({ a: fc.constant('crash-at' as const), atOp: fc.integer({ min: 1, max: 120 }), model: fc.constantFrom(...shape.crashModels), sector }) });
    }
  }
  // The bursts made for a rewrite's boundaries (rewriteAt > 0) only where the property rewrites.
  const bursts = BURSTS.filter((b) => shape.rewrites || b.burst.rewriteAt === 0);
  const burst = fc
    .record({ client, burst: fc.oneof(...bursts.map((b) => ({ weight: b.weight, arbitrary: fc.constant(b.burst) }))), rewrite: shape.rewrites ? fc.boolean() : fc.constant(false) })
    // A burst made to cross a rewrite's boundaries (rewriteAt > 0) always forks when the property rewrites.
    .map(({ client: c, burst: b, rewrite }): Action => ({ a: 'burst', client: c, ...b, rewrite: rewrite || (shape.rewrites && b.rewriteAt > 0) }));
  // Bursts cost 5-50x a short action: a fixed share (burstWeight in 40) whatever the other weights.
  return fc.oneof({ weight: 40 - (shape.burstWeight ?? 1), arbitrary: fc.oneof(...choices) }, { weight: shape.burstWeight ?? 1, arbitrary: burst });
}

export function modelRunArb(shape: RunShape, combo: Combo): fc.Arbitrary<ModelRun> {
  // 'rewrite-file' is drawn on its own, so it does not thin out the property's other families.
  const pool = shape.faults.filter((f) => f !== 'rewrite-file');
  const drawn = pool.length === 0 ? fc.constant([] as Fault[]) : fc.array(fc.constantFrom(...pool).chain(faultArb), { maxLength: 3 }).map((fs) => fs.flat());
  const faults = !shape.faults.includes('rewrite-file')
    ? drawn
    : fc
        .tuple(drawn, fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: faultArb('rewrite-file') }))
        .map(([fs, rf]) => (rf === undefined ? fs : [...fs, ...[rf].flat()]));
  // Shrinks towards the old fixed ending: 100 ms, then a process kill.
  const models: readonly CrashModelName[] = ['process-kill', ...shape.crashModels.filter((m) => m !== 'process-kill')];
  const end = fc.record(
    { quietMs: fc.constantFrom(100, 1500, 5000), probe: fc.constant(true), model: fc.constantFrom(...models), sector: SECTORS },
    { requiredKeys: ['quietMs', 'model'] },
  );
  return fc.record({
    combo: fc.constant(combo),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    faults,
    actions: fc.array(actionArb(shape, combo), { minLength: 1, maxLength: shape.maxActions }),
    end,
  });
}

export interface ScenarioMeta {
  name: string;
  source: string;
  description?: string;
  bugs: readonly string[];
  oracle: OracleCheck[];
}

/** The run as a scenario file (docs/formats.md), 1:1: the scenario runner executes it. */
export function toScenario(run: ModelRun, meta: ScenarioMeta): Scenario {
  const steps: Step[] = [];
  let quota = false;
  const lift = (): void => {
    if (quota) steps.push({ quota: null });
    quota = false;
  };
  // Generous: up to three stacked latency faults make every fsync take seconds (`always` fsyncs per command).
  const timeoutMs = 600_000;
  for (const act of run.actions) {
    switch (act.a) {
      case 'cmds':
        steps.push({ commands: act.cmds, client: act.client, ...(act.pipeline ? { pipeline: true } : {}), timeoutMs });
        break;
      case 'multi':
        steps.push({ commands: [['MULTI'], ...act.cmds, ['EXEC']], client: act.client, pipeline: true, timeoutMs });
        break;
      case 'burst':
        steps.push({ commands: burstCommands(act), client: act.client, pipeline: true, timeoutMs });
        break;
      case 'tick':
        steps.push({ tick: act.ms });
        break;
      case 'rewrite':
        steps.push({ rewrite: true });
        if (act.wait) steps.push({ waitForRewrite: { timeoutMs } });
        break;
      case 'wait-rewrite':
        steps.push({ waitForRewrite: { timeoutMs } });
        break;
      case 'config':
        steps.push({ commands: [act.argv], timeoutMs });
        break;
      case 'aof-toggle':
        if (act.diskFull) steps.push({ quota: 0 }, { commands: act.diskFull, client: act.client, timeoutMs });
        steps.push({ commands: [['CONFIG', 'SET', 'appendonly', 'no']], timeoutMs });
        if (act.diskFull) {
          quota = true;
          lift();
        }
        if (act.crash) steps.push({ crashAt: crashAtSpec(act.crash.model, act.crash.sector, { point: act.crash.point, nth: 1 }) });
        if (act.rewrite === true) steps.push({ rewrite: true }, { waitForRewrite: { timeoutMs } });
        if (act.crash) steps.push({ crash: crashSpec('process-kill', undefined) }, { restart: true });
        if (act.cmds.length > 0) steps.push({ commands: act.cmds, client: act.client, timeoutMs });
        steps.push({ commands: [['CONFIG', 'SET', 'appendonly', 'yes']], timeoutMs });
        if (act.again) {
          steps.push({ commands: act.again, client: act.client, timeoutMs });
          steps.push({ commands: [['CONFIG', 'SET', 'appendonly', 'no']], timeoutMs }, { commands: [['CONFIG', 'SET', 'appendonly', 'yes']], timeoutMs });
        }
        break;
      case 'quota':
        steps.push({ quota: act.bytes });
        quota = true;
        break;
      case 'free-space':
        lift();
        break;
      case 'clock-jump':
        steps.push({ clockJump: act.ms });
        break;
      case 'clock-excursion':
        if (act.volatile) steps.push({ waitForRewrite: { timeoutMs } }, { commands: [act.volatile.set], timeoutMs });
        steps.push({ clockJump: act.ms });
        if (act.rewrite) steps.push({ rewrite: true });
        steps.push({ clockJump: -act.ms });
        if (act.volatile?.touch) steps.push({ commands: [act.volatile.touch], timeoutMs });
        if (act.volatile) steps.push({ waitForRewrite: { timeoutMs } });
        break;
      case 'crash':
        lift();
        steps.push({ crash: crashSpec(act.model, act.sector) });
        steps.push({ restart: true });
        break;
      case 'crash-at':
        steps.push({ crashAt: crashAtSpec(act.model, act.sector, act.atOp !== undefined ? { atOp: act.atOp } : { point: act.point!, nth: act.nth ?? 1 }) });
        break;
    }
  }
  lift();
  // Let the last writes settle (replies, a running rewrite), then the final crash and check.
  const e = run.end;
  steps.push({ tick: e.quietMs });
  // A last write after the quiet period: accepted once no fault lasts (misconf-clears), and
  // something for the final crash to keep or lose.
  if (e.probe) steps.push({ commands: [['INCR', 'k3']], client: 0, timeoutMs });
  steps.push({ crash: crashSpec(e.model, e.sector) });
  steps.push({ restart: true });
  return {
    name: meta.name,
    source: meta.source,
    ...(meta.description ? { description: meta.description } : {}),
    profile: run.combo.profile,
    config: {
      appendonly: 'yes',
      appendfsync: run.combo.policy,
      'aof-use-rdb-preamble': run.combo.preamble ? 'yes' : 'no',
      'aof-load-truncated': 'yes',
    },
    bugs: [...meta.bugs],
    seed: run.seed,
    files: installedFiles(run.combo.profile),
    faults: run.faults,
    steps,
    oracle: meta.oracle,
  };
}

/**
 * The files of a fresh install, present and durable before the first start: the AOF's directory
 * entry, since Redis never fsyncs the directory after creating appendonly.aof (4.0) or
 * appendonlydir (7.0), so without it no write of the first incarnation is durable by name.
 */
export function installedFiles(profile: Profile): Record<string, string> {
  return profile === 'redis-4.0' ? { 'appendonly.aof': '' } : { 'appendonlydir/.keep': '' };
}

function crashSpec(model: CrashModelName, sector: number | undefined): CrashStep['crash'] {
  return { model, ...(model === 'process-kill' ? {} : { random: true }), ...(model === 'torn' && sector ? { sectorBytes: sector } : {}) };
}

function crashAtSpec(model: CrashModelName, sector: number | undefined, at: { atOp: number } | { point: CrashPointName; nth: number }): CrashAtStep['crashAt'] {
  return { ...crashSpec(model, sector), ...at };
}

/** Faults and crashes a run injects (for progress counters). */
export function countInjections(run: ModelRun): { faults: number; crashes: number } {
  let crashes = 1;
  let faults = run.faults.length;
  for (const a of run.actions) {
    if (a.a === 'crash' || a.a === 'crash-at') crashes++;
    if (a.a === 'quota') faults++;
  }
  return { faults, crashes };
}
