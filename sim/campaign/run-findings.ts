// The signature of one failed campaign cell (campaign.ts CellFailure), for findings.ts: the crash
// models and crash placements of the shrunk counterexample, the oracle check and its message, the
// incarnation it was detected in; and whether it matches a bug switch the run turned on (the
// counterexample replayed with no switch passes: the switch is the cause).
//
// Invariants: deterministic (the replay without switches runs the same scenario in the simulator);
// nothing here touches the disk: the replay command names the file the caller wrote.

import type { AofConfig } from '../../src/aof/config.ts';
import type { ServerFactory } from '../world/world.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import type { Scenario } from '../scenario/scenario-types.ts';
import type { CellFailure } from './campaign.ts';
import { normaliseSymptom, type FailureInstance } from './findings.ts';
import type { OfflineProperty } from './offline/index.ts';
import fc from 'fast-check';

/** The crash steps of a scenario: model names and where each crash is placed. */
export function crashPlacements(s: Scenario): { models: string[]; where: string[] } {
  const models: string[] = [];
  const where: string[] = [];
  for (const st of s.steps) {
    if ('crash' in st) {
      models.push(st.crash.model);
      where.push('crash between steps');
    } else if ('crashAt' in st) {
      models.push(st.crashAt.model);
      where.push(st.crashAt.point !== undefined ? `crash at ${st.crashAt.point}` : 'crash at an operation index');
    }
  }
  return { models, where };
}

/** `[check] t=N incarnation N: text` -> check, incarnation, text (sim/oracle/tracker.ts describe()). */
function parseOracleLine(line: string): { check: string; incarnation: number | null; text: string } {
  const m = /^(?:\$\.oracle: )?\[([a-z-]+)\] t=\d+ incarnation (\d+): (.*)$/.exec(line);
  if (m) return { check: m[1], incarnation: Number(m[2]), text: m[3] };
  const p = /^(\$[^:]*): (.*)$/.exec(line);
  return p ? { check: p[1].replace(/\[\d+\]/g, '[]'), incarnation: null, text: p[2] } : { check: 'failure', incarnation: null, text: line };
}

export interface InstanceContext {
  createServer: ServerFactory<AofConfig>;
  bugs: readonly string[];
  offline: readonly OfflineProperty[];
  /** The scenario file written for a world failure (null: none). */
  file: string | null;
}

/** A failed cell as a FailureInstance. */
export function cellFailureInstance(f: CellFailure, ctx: InstanceContext): FailureInstance {
  const bugArgs = ctx.bugs.map((b) => ` --bug ${b}`).join('');
  const fcReplay = `npx aofsim run --property ${f.cell.property}${f.cell.combo ? ` --profile ${f.cell.combo.profile}` : ''}${bugArgs} --fc-seed ${f.seed} --fc-path ${f.path ?? '0'}`;
  if (f.cell.kind === 'offline') {
    const p = ctx.offline.find((q) => q.name === f.cell.property);
    let known: string | null = null;
    if (ctx.bugs.length > 0 && p && f.path !== undefined) {
      const clean = fc.check(p.property([]), { seed: f.seed, path: f.path, numRuns: 1 });
      if (!clean.failed) known = `bug switch ${ctx.bugs.join(', ')}`;
    }
    return {
      property: f.cell.property, crashModel: null, step: 'loading the generated files', symptom: normaliseSymptom(f.message),
      size: f.shrunkBytes ?? 0, sizeUnit: 'bytes of input', replay: fcReplay, where: `offline, fast-check seed ${f.seed}`, detail: f.message, known,
    };
  }
  const first = parseOracleLine(f.message.split('\n')[0]);
  const placements = f.scenario ? crashPlacements(f.scenario) : { models: [], where: [] };
  const models = [...new Set(placements.models)];
  let known: string | null = null;
  if (ctx.bugs.length > 0 && f.scenario) {
    try {
      if (runScenario({ ...f.scenario, bugs: [] }, { createServer: ctx.createServer, trace: false }).ok) known = `bug switch ${ctx.bugs.join(', ')}`;
    } catch {
      // a replay that throws without the switch says nothing about the switch
    }
  }
  const where = [...new Set(placements.where)].join(', ') || 'no crash';
  return {
    property: f.cell.property,
    crashModel: models.length > 0 ? models.join('+') : null,
    step: first.incarnation !== null ? `${where}; detected in incarnation ${first.incarnation}` : where,
    symptom: `[${first.check}] ${normaliseSymptom(first.text)}`,
    size: f.shrunkActions ?? 0,
    sizeUnit: 'actions',
    replay: ctx.file !== null ? `npx aofsim replay ${ctx.file} --timeline` : fcReplay,
    where: `${f.cell.label}, fast-check seed ${f.seed}`,
    detail: f.message,
    known,
  };
}
