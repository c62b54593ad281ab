// Library API, fast-check arbitraries for a user's own properties: client workloads (the campaign's
// own command mix, sim/campaign/model-run.ts commandArb), fault plans (sim/faults
// faultPlanArbitrary) and crash decisions (sim/crash crashDecisionArbitrary). All shrink: workloads
// towards fewer and simpler commands, plans towards no fault, crash decisions towards the durable
// state (nothing pending survives).
//
// A crash decision depends on what is pending at the crash, so it is drawn from a world that has
// run: chain it from the inputs that build that world, and build the world again in the property
// (it is deterministic, so the decision fits it):
//   workloadArbitrary(o).chain((w) => crashDecisionArbitrary(setup(w)).map((d) => [w, d] as const))
// Not with fc.gen(): its replay cannot match a decision to a new world, so shrinking never ends.

import fc from 'fast-check';
import { commandArb } from '../sim/campaign/model-run.ts';
import { crashDecisionArbitrary as pendingCrashArbitrary } from '../sim/crash/crash-decision-arbitrary.ts';
import type { CrashDecision, CrashModelName } from '../sim/crash/crash-decision.ts';
import { faultPlanArbitrary as simFaultPlanArbitrary, type FaultKnobs } from '../sim/faults/fault-plan-arbitrary.ts';
import type { Fault } from '../sim/faults/fault-plan.ts';
import type { PendingSummary } from '../sim/fs/pending.ts';
import { SimWorld, type Profile } from './world.ts';

export interface WorkloadOptions {
  profile: Profile;
  /** Most commands in one workload (default 20). */
  maxCommands?: number;
  /** Include MULTI ... EXEC blocks of 1-3 writes (default true). */
  multi?: boolean;
  /** Include BGREWRITEAOF among the commands (default false). */
  rewrites?: boolean;
  /** Largest string value in bytes (default 65537: past the 64 KB boundaries; the campaign draws up to 4 MB). */
  maxValueBytes?: number;
}

/**
 * Client workloads: lists of commands (argv as strings) over keys k0..k3 (and, less often, keys
 * with NUL, CR LF and non-ASCII bytes) of the five core types, values from 0 bytes to `maxValueBytes` with
 * integers and collections at their encoding boundaries (sim/campaign/value-arbitraries.ts),
 * with TTLs (SET EX/PX, EXPIRE, PEXPIRE, PERSIST) and, unless `multi: false`, MULTI/EXEC blocks
 * (their commands inline, MULTI first, EXEC last; a block counts as one of the `maxCommands`). Only commands whose AOF form the profile keeps
 * exact are drawn (e.g. no INCRBYFLOAT on redis-4.0, which propagates it as a plain SET).
 */
export function workloadArbitrary(options: WorkloadOptions): fc.Arbitrary<string[][]> {
  if (options?.profile !== 'redis-4.0' && options?.profile !== 'redis-7.0') {
    throw new RangeError(`workloadArbitrary: profile must be 'redis-4.0' or 'redis-7.0', got ${JSON.stringify(options?.profile)}`);
  }
  const max = options.maxCommands ?? 20;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`workloadArbitrary: maxCommands must be a positive integer, got ${max}`);
  const maxValue = options.maxValueBytes ?? 65537;
  if (!(maxValue >= 0)) throw new RangeError(`workloadArbitrary: maxValueBytes must be a non-negative number, got ${options.maxValueBytes}`);
  const one = commandArb(options.profile, options.rewrites ?? false, maxValue).map((argv) => [argv]);
  const block = fc.array(commandArb(options.profile, false, maxValue), { minLength: 1, maxLength: 3 }).map((cmds) => [['MULTI'], ...cmds, ['EXEC']]);
  const unit = options.multi === false ? one : fc.oneof({ weight: 4, arbitrary: one }, { weight: 1, arbitrary: block });
  return fc.array(unit, { minLength: 1, maxLength: max }).map((units) => units.flat());
}

export type { FaultKnobs };

/** Fault plans (lists of faults for createWorld's `faults`) of up to `maxFaults` faults (default 4). */
export function faultPlanArbitrary(knobs: FaultKnobs = {}, maxFaults = 4): fc.Arbitrary<Fault[]> {
  return simFaultPlanArbitrary(knobs, maxFaults).map((plan) => plan.faults);
}

export interface CrashDecisionOptions {
  /** Models to draw from (default all six; strict first, where shrinking goes). */
  models?: readonly CrashModelName[];
  /** Sector size of the torn model (default 512). */
  sectorBytes?: number;
  /** Whether unsynced directory entries (creates, renames, unlinks) may survive in part (default true). */
  dirPrefixes?: boolean;
}

/** Crash decisions for a crash now in `world` (or for a pending summary taken earlier). */
export function crashDecisionArbitrary(world: SimWorld | PendingSummary, options: CrashDecisionOptions = {}): fc.Arbitrary<CrashDecision> {
  // From a world, the arbitrary sees the pending bytes too, so torn cuts favour record boundaries
  // (inner MULTI boundaries included) as the campaign's do; a summary alone gives uniform cuts.
  return pendingCrashArbitrary(world instanceof SimWorld ? world.simFs() : world, options);
}
