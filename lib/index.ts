// The `aofsim` package's library entry: everything a user's own suite may import, and nothing
// else (the modules behind it are internals and may change). Five parts:
//   - AOF bytes: loadAof (what Redis 7.0 would load, as a canonical dump), checkAof (redis-check-aof 7.x);
//   - the simulated world: createWorld -> SimWorld (commands, virtual time, crashes, restarts, dumps);
//   - fast-check arbitraries: workloadArbitrary, faultPlanArbitrary, crashDecisionArbitrary;
//   - properties and scenarios: checkProperty, listProperties, runScenario, listBugSwitches;
//   - the canonical dump's types (docs/formats.md).
// Names and types here are the stable surface (README "Use it in your project"); adding is fine,
// renaming or removing is a breaking change.

export const VERSION = '0.1.0';

export { loadAof, checkAof, type AofInput, type LoadAofOptions, type LoadAofResult, type CheckAofOptions, type CheckAofResult } from './aof-bytes.ts';
export { createWorld, SimWorld, type WorldOptions, type Profile, type StartOutcome, type CrashSpec } from './world.ts';
export { workloadArbitrary, faultPlanArbitrary, crashDecisionArbitrary, type WorkloadOptions, type FaultKnobs, type CrashDecisionOptions } from './arbitraries.ts';
export {
  checkProperty,
  listProperties,
  listBugSwitches,
  runScenario,
  type PropertyOptions,
  type PropertyResult,
  type PropertyInfo,
  type BugSwitchInfo,
  type ScenarioOutcome,
} from './properties.ts';
export type { CanonicalDump, DumpEntry, DumpValue, DumpString, DumpStream } from '../src/keyspace/canonical-dump.ts';
export type { Fault } from '../sim/faults/fault-plan.ts';
export type { CrashDecision, CrashModelName } from '../sim/crash/crash-decision.ts';
export type { OracleCheck } from '../sim/oracle/checks.ts';
export type { PendingSummary } from '../sim/fs/pending.ts';
