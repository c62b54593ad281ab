// faultPlanFromPrng: the fault plan of a seeded run, drawn from its 'fs-faults' (or any) stream
// before the run starts, then logged. Knobs bound how many faults of each kind a plan may hold and
// where they may strike; all probabilities are integer ratios [num, den].
//
// Invariant: the plan depends only on (stream, knobs); it is validated before it is returned.

import type { FsErrorCode } from '../../src/ports/fs.ts';
import { CRASH_MODELS, type CrashModelName } from '../crash/crash-decision.ts';
import type { PrngStream } from '../prng/prng.ts';
import { validateFaultPlan, type Fault, type FaultPlan, type FaultSyscall, type PathPattern } from './fault-plan.ts';
import type { CrashPointName } from './crash-points.ts';

export type Ratio = readonly [num: number, den: number];

export interface FaultKnobs {
  /** Patterns faults may target (default ['**']). */
  paths?: readonly PathPattern[];
  /** nth / op indices are drawn from [1, horizonOps] (default 100). */
  horizonOps?: number;
  /** At most this many short-write faults (default 1; the count is uniform in [0, max]). */
  maxShortWrites?: number;
  /** At most this many error faults (default 1). */
  maxErrors?: number;
  /** Syscalls and codes error faults pick from (default write/fsync/fdatasync/ftruncate/rename/open/fsyncDir; EIO). */
  errorSyscalls?: readonly FaultSyscall[];
  errorCodes?: readonly FsErrorCode[];
  /** Chance an error fault is sticky (default 1/4). */
  stickyChance?: Ratio;
  /** Chance of a byte quota, its range, and the chance it is lifted later (default 1/4, [0, 4096], 1/2). */
  quotaChance?: Ratio;
  quotaBytes?: readonly [min: number, max: number];
  quotaLiftChance?: Ratio;
  /** Chance of fsync latency, and its range in ms (default 1/4, [1, 2000]). */
  latencyChance?: Ratio;
  latencyMs?: readonly [min: number, max: number];
  /** Chances of these faults (default 0/1 each: opt in). */
  writeBlockedChance?: Ratio;
  forkFailureChance?: Ratio;
  childKilledChance?: Ratio;
  /** Chance of a planned crash, and its models and named points (default 0: the world decides). */
  crashChance?: Ratio;
  crashModels?: readonly CrashModelName[];
  crashPoints?: readonly CrashPointName[];
}

const DEFAULT_ERROR_SYSCALLS: readonly FaultSyscall[] = ['write', 'fsync', 'fdatasync', 'ftruncate', 'rename', 'open', 'fsyncDir'];

function roll(prng: PrngStream, r: Ratio | undefined, fallback: Ratio): boolean {
  const [num, den] = r ?? fallback;
  return prng.chance(num, den);
}

export function faultPlanFromPrng(prng: PrngStream, knobs: FaultKnobs = {}, seed?: number): FaultPlan {
  const paths = knobs.paths ?? ['**'];
  if (paths.length === 0) throw new RangeError('faultPlanFromPrng: knobs.paths must not be empty');
  const horizon = knobs.horizonOps ?? 100;
  if (!Number.isSafeInteger(horizon) || horizon < 1) throw new RangeError(`faultPlanFromPrng: horizonOps must be >= 1, got ${horizon}`);
  const nth = (): number => prng.intBetween(1, horizon);
  const faults: Fault[] = [];

  const shortWrites = prng.below((knobs.maxShortWrites ?? 1) + 1);
  for (let i = 0; i < shortWrites; i++) {
    const f: Fault = { kind: 'short-write', path: prng.pick(paths), nth: nth(), shortByBytes: prng.intBetween(1, 64) };
    if (prng.chance(1, 2)) f.thenError = 'ENOSPC';
    faults.push(f);
  }
  const errors = prng.below((knobs.maxErrors ?? 1) + 1);
  for (let i = 0; i < errors; i++) {
    faults.push({
      kind: 'error',
      syscall: prng.pick(knobs.errorSyscalls ?? DEFAULT_ERROR_SYSCALLS),
      path: prng.pick(paths),
      nth: nth(),
      code: prng.pick(knobs.errorCodes ?? ['EIO']),
      sticky: roll(prng, knobs.stickyChance, [1, 4]),
    });
  }
  if (roll(prng, knobs.quotaChance, [1, 4])) {
    const [lo, hi] = knobs.quotaBytes ?? [0, 4096];
    faults.push({ kind: 'quota', quotaBytes: prng.intBetween(lo, hi) });
    if (roll(prng, knobs.quotaLiftChance, [1, 2])) faults.push({ kind: 'quota', quotaBytes: null, atOp: nth() });
  }
  if (roll(prng, knobs.latencyChance, [1, 4])) {
    const [lo, hi] = knobs.latencyMs ?? [1, 2000];
    faults.push({ kind: 'latency', path: prng.pick(paths), ms: prng.intBetween(lo, hi) });
  }
  if (roll(prng, knobs.writeBlockedChance, [0, 1])) faults.push({ kind: 'write-blocked-by-fsync', path: prng.pick(paths) });
  if (roll(prng, knobs.forkFailureChance, [0, 1])) faults.push({ kind: 'fork-failure', nth: prng.intBetween(1, 3) });
  if (roll(prng, knobs.childKilledChance, [0, 1])) {
    faults.push({ kind: 'child-killed', nth: prng.intBetween(1, 3), afterSteps: prng.below(20) });
  }
  if (roll(prng, knobs.crashChance, [0, 1])) {
    const model = prng.pick<CrashModelName>(knobs.crashModels ?? CRASH_MODELS);
    const points = knobs.crashPoints ?? [];
    if (points.length > 0 && prng.chance(1, 2)) faults.push({ kind: 'crash', point: prng.pick(points), nth: 1, model });
    else faults.push({ kind: 'crash', atOp: nth(), model });
  }
  return validateFaultPlan(seed === undefined ? { faults } : { seed, faults });
}
