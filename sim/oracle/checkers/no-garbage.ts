// Checker 'no-garbage': after a process kill or a self-exit between steps (not inside a syscall
// sequence), the AOF holds no partial record: the loader had nothing to truncate. Redis writes a
// whole aof_buf per write() and removes a short write's partial bytes with ftruncate
// (redis: flushAppendOnlyFile, "Could not remove short write").
//
// Excused: every recovery the promise ledger excuses (a failed ftruncate leaves the partial record
// on purpose; see sim/oracle/promise-ledger.ts RecoveryExcuse); crashes inside a step (an armed
// crash at an operation or point may cut a write in the middle, which is the loader's business).

import type { Restart } from '../promise-ledger.ts';
import type { Checker, CheckerContext } from './checker.ts';

export class NoGarbageChecker implements Checker {
  constructor(private readonly ctx: CheckerContext) {}

  onRestart(r: Restart): void {
    if (r.excuse !== null || r.kind !== 'process' || !r.betweenSteps) return;
    const status = r.server.lastLoad?.status;
    if (status === 'truncated') this.ctx.violate('no-garbage', `after ${r.label} between steps the AOF had a partial record (loader status ${status})`);
  }
}
