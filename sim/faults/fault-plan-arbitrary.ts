// faultPlanArbitrary: fault plans as fast-check values, for properties that want the plan itself
// to shrink (fewer faults, smaller nth, smaller byte counts). FaultKnobs bound where faults may
// strike and the ranges their numbers come from.
// Plans are validated by construction (every field in range).

import fc from 'fast-check';
import type { FsErrorCode } from '../../src/ports/fs.ts';
import type { CrashModelName } from '../crash/crash-decision.ts';
import type { Fault, FaultPlan, FaultSyscall, PathPattern } from './fault-plan.ts';
import type { CrashPointName } from './crash-points.ts';

/** What the plans may hold: where faults strike and from which ranges their numbers are drawn. */
export interface FaultKnobs {
  /** Patterns faults may target (default ['**']). */
  paths?: readonly PathPattern[];
  /** nth / op indices are drawn from [1, horizonOps] (default 100). */
  horizonOps?: number;
  /** Syscalls and codes error faults pick from (default write/fsync/fdatasync/ftruncate/rename/open/fsyncDir; EIO). */
  errorSyscalls?: readonly FaultSyscall[];
  errorCodes?: readonly FsErrorCode[];
  /** Byte quota range (default [0, 4096]). */
  quotaBytes?: readonly [min: number, max: number];
  /** fsync latency range in ms (default [1, 2000]). */
  latencyMs?: readonly [min: number, max: number];
  /** Crash models and named points a planned crash picks from. */
  crashModels?: readonly CrashModelName[];
  crashPoints?: readonly CrashPointName[];
}

const DEFAULT_ERROR_SYSCALLS: readonly FaultSyscall[] = ['write', 'fsync', 'fdatasync', 'ftruncate', 'rename', 'open', 'fsyncDir'];

export function faultArbitrary(knobs: FaultKnobs = {}): fc.Arbitrary<Fault> {
  const paths = knobs.paths ?? ['**'];
  const horizon = knobs.horizonOps ?? 100;
  const path = fc.constantFrom(...paths);
  const nth = fc.integer({ min: 1, max: horizon });
  const [qlo, qhi] = knobs.quotaBytes ?? [0, 4096];
  const [llo, lhi] = knobs.latencyMs ?? [1, 2000];
  const arbs: fc.Arbitrary<Fault>[] = [
    fc.record(
      {
        kind: fc.constant('short-write' as const),
        path,
        nth,
        shortByBytes: fc.integer({ min: 1, max: 64 }),
        thenError: fc.constantFrom<FsErrorCode>('ENOSPC'),
      },
      { requiredKeys: ['kind', 'path', 'nth', 'shortByBytes'] },
    ),
    fc.record({
      kind: fc.constant('error' as const),
      syscall: fc.constantFrom(...(knobs.errorSyscalls ?? DEFAULT_ERROR_SYSCALLS)),
      path,
      nth,
      code: fc.constantFrom(...(knobs.errorCodes ?? (['EIO'] as FsErrorCode[]))),
      sticky: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('quota' as const), quotaBytes: fc.integer({ min: qlo, max: qhi }) }),
    fc.record({ kind: fc.constant('quota' as const), quotaBytes: fc.constant(null), atOp: nth }),
    fc.record({ kind: fc.constant('latency' as const), path, ms: fc.integer({ min: llo, max: lhi }) }),
    fc.record({ kind: fc.constant('write-blocked-by-fsync' as const), path }),
    fc.record({ kind: fc.constant('fork-failure' as const), nth: fc.integer({ min: 1, max: 3 }), sticky: fc.boolean() }),
    fc.record({ kind: fc.constant('child-killed' as const), nth: fc.integer({ min: 1, max: 3 }), afterSteps: fc.nat({ max: 20 }) }),
  ];
  const models = knobs.crashModels ?? ['strict', 'prefix', 'torn', 'zero-fill', 'reorder', 'process-kill'];
  if (models.length > 0) {
    arbs.push(fc.record({ kind: fc.constant('crash' as const), atOp: nth, model: fc.constantFrom(...models) }));
    const points = knobs.crashPoints ?? [];
    if (points.length > 0) {
      arbs.push(fc.record({ kind: fc.constant('crash' as const), point: fc.constantFrom(...points), nth: fc.integer({ min: 1, max: 3 }), model: fc.constantFrom(...models) }));
    }
  }
  return fc.oneof(...arbs);
}

/** Plans of up to `maxFaults` faults (default 4); shrinks towards the empty plan. */
export function faultPlanArbitrary(knobs: FaultKnobs = {}, maxFaults = 4): fc.Arbitrary<FaultPlan> {
  return fc.array(faultArbitrary(knobs), { maxLength: maxFaults }).map((faults) => ({ faults }));
}
