// A deterministic write workload for real subjects, and the model that turns the acknowledged
// replies into the oracle's live states. The workload is a list of execution units: a single write
// command, or a MULTI/EXEC block (one unit, one k). The model runs every unit through this project's
// Executor (redis-7.0 profile) on its own Keyspace and records S_k in a StateHistory
// (sim/oracle/state-history.ts), so checkRecovery can judge what a crashed subject recovered.
//
// Invariants: the same seed gives the same units; units use strings, counters, lists and hashes
// without TTLs (so recovery does not depend on wall-clock time); every unit is a write (k grows by
// one per unit the server executed).

import { Executor } from '../../src/commands/executor.ts';
import { newClient, type ClientState } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom, randomBelow } from '../../src/ports/random.ts';
import { StateHistory } from '../oracle/state-history.ts';

/** One execution unit: the commands sent for it (a MULTI block includes MULTI and EXEC). */
export type WorkloadUnit = string[][];

export interface WorkloadOptions {
  seed: number;
  units: number;
  /** Probability (percent) of a MULTI/EXEC block; default 25. */
  multiPercent?: number;
  /** Size of values in bytes (default 8; bigger values make bigger writes). */
  valueBytes?: number;
}

export function generateWorkload(opts: WorkloadOptions): WorkloadUnit[] {
  const r = new SeededRandom(opts.seed);
  const multi = opts.multiPercent ?? 25;
  const vb = opts.valueBytes ?? 8;
  const units: WorkloadUnit[] = [];
  let n = 0;
  const one = (): string[] => {
    n++;
    const v = `v${n}-`.padEnd(vb, String.fromCharCode(97 + randomBelow(r, 26)));
    switch (randomBelow(r, 5)) {
      case 0:
        return ['SET', `k${randomBelow(r, 8)}`, v];
      case 1:
        return ['INCR', `c${randomBelow(r, 4)}`];
      case 2:
        return ['RPUSH', `l${randomBelow(r, 3)}`, v];
      case 3:
        return ['HSET', `h${randomBelow(r, 2)}`, `f${randomBelow(r, 4)}`, v];
      default:
        return ['SET', `s${n}`, v];
    }
  };
  for (let i = 0; i < opts.units; i++) {
    if (randomBelow(r, 100) < multi) {
      const len = 1 + randomBelow(r, 3);
      const block: string[][] = [['MULTI']];
      for (let j = 0; j < len; j++) block.push(one());
      block.push(['EXEC']);
      units.push(block);
    } else units.push([one()]);
  }
  return units;
}

/** The live side of the oracle: S_0..S_k as the subject acknowledged them. */
export class WorkloadModel {
  readonly keyspace: Keyspace;
  readonly history: StateHistory;
  private readonly executor: Executor;
  private readonly client: ClientState = newClient(1);
  /** Units whose last reply arrived (acknowledged). */
  acked = 0;

  constructor(initial: Keyspace = new Keyspace()) {
    this.keyspace = initial;
    this.history = new StateHistory(initial);
    this.executor = new Executor(this.keyspace, { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  }

  /** Runs a unit in the model (the subject executed it) and records S_k; returns k. */
  apply(unit: WorkloadUnit): number {
    for (const argv of unit) this.executor.call(this.client, argv);
    return this.history.recordWrite(this.keyspace, 'all');
  }

  get executed(): number {
    return this.history.executed;
  }
}
