// What `aofsim run` reports, built from a campaign result (campaign.ts): the distinct findings
// first (findings.ts), then every cell (property x combination) as held, FAILED or not run, and the
// same as JSON and JUnit (junit.ts). A cell that never ran is never called held.
//
// Exit status (documented in the README and the usage): 0 every cell ran and held; 1 findings;
// 2 a usage error (the CLI); 3 the budget ended before every cell ran once (unless the caller
// accepted a partial run: then 0 or 1 as above, the cells still listed as not run).

import type { CampaignResult } from './campaign.ts';
import { describeFinding, groupFindings, signatureKey, type FailureInstance, type Finding } from './findings.ts';
import type { JUnitSuite } from './junit.ts';

export type CellStatus = 'held' | 'failed' | 'not run';

export interface RunCellRow {
  property: string;
  combination: string;
  runs: number;
  status: CellStatus;
  /** The failed cell's counterexample. */
  failure?: FailureInstance;
}

export interface RunReport {
  seed: number;
  bugs: readonly string[];
  runs: number;
  elapsedMs: number;
  budgetMs: number | null;
  complete: boolean;
  partialAccepted: boolean;
  firstFailure: { afterMs: number; afterRuns: number } | null;
  cells: RunCellRow[];
  findings: Finding[];
  /** One per failed cell, in cell order. */
  instances: FailureInstance[];
  /** No findings and every cell ran (or a partial run was accepted). */
  ok: boolean;
  exitCode: 0 | 1 | 3;
}

export interface RunMeta {
  seed: number;
  bugs: readonly string[];
  elapsedMs: number;
  budgetMs: number | null;
  partialAccepted: boolean;
  /** When the first failure was found (wall clock since the start, campaign runs), or null. */
  firstFailure: { afterMs: number; afterRuns: number } | null;
}

export function buildRunReport(result: CampaignResult, instanceOf: (cellIndex: number) => FailureInstance, meta: RunMeta): RunReport {
  const instances: FailureInstance[] = [];
  const cells: RunCellRow[] = result.cells.map((c, i) => {
    const row: RunCellRow = { property: c.cell.property, combination: c.cell.label, runs: c.runs, status: c.failure !== null ? 'failed' : c.runs > 0 ? 'held' : 'not run' };
    if (c.failure !== null) {
      row.failure = instanceOf(i);
      instances.push(row.failure);
    }
    return row;
  });
  const findings = groupFindings(instances);
  const exitCode = findings.length > 0 ? 1 : !result.complete && !meta.partialAccepted ? 3 : 0;
  return { ...meta, runs: result.runs, complete: result.complete, cells, findings, instances, ok: exitCode === 0, exitCode };
}

const sec = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The console summary: findings first, then the cells, then what did not run. */
export function formatRunSummary(r: RunReport): string {
  const out: string[] = [];
  const failed = r.cells.filter((c) => c.status === 'failed').length;
  const notRun = r.cells.filter((c) => c.status === 'not run');
  out.push(
    r.findings.length > 0
      ? `${r.findings.length} distinct finding${r.findings.length === 1 ? '' : 's'} (${failed} failing propert${failed === 1 ? 'y' : 'ies'} x combination)`
      : 'no findings',
  );
  r.findings.forEach((f, i) => out.push(...describeFinding(f, i)));
  out.push('');
  const w = Math.max(8, ...r.cells.map((c) => c.property.length));
  out.push(`${'property'.padEnd(w)}  ${'combination'.padEnd(30)}  ${'runs'.padStart(6)}  status`);
  for (const c of r.cells) out.push(`${c.property.padEnd(w)}  ${c.combination.padEnd(30)}  ${String(c.runs).padStart(6)}  ${c.status === 'failed' ? 'FAILED' : c.status}`);
  out.push(
    `seed ${r.seed}${r.bugs.length ? `, bug switches ${r.bugs.join(', ')}` : ''}: ${r.runs} runs in ${sec(r.elapsedMs)}${r.budgetMs !== null ? ` of a ${sec(r.budgetMs)} budget` : ''}` +
      (r.firstFailure ? `; first failure after ${r.firstFailure.afterRuns} runs, ${sec(r.firstFailure.afterMs)}` : ''),
  );
  if (notRun.length > 0) {
    const per = new Map<string, number>();
    for (const c of notRun) per.set(c.property, (per.get(c.property) ?? 0) + 1);
    const total = (p: string) => r.cells.filter((c) => c.property === p).length;
    out.push(`not run (${notRun.length} of ${r.cells.length}): ${[...per].map(([p, n]) => `${p} ${n}/${total(p)}`).join(', ')}`);
  }
  if (r.findings.length === 0) {
    if (notRun.length === 0) out.push(`all ${r.cells.length} properties x combinations held`);
    else out.push(`${r.cells.length - notRun.length} of ${r.cells.length} properties x combinations held; ${notRun.length} did not run: this is not a full verdict`);
  }
  return out.join('\n') + '\n';
}

/** The error line when the budget ended before every cell ran once (exit 3). */
export function incompleteMessage(r: RunReport): string {
  const n = r.cells.filter((c) => c.status === 'not run').length;
  return `aofsim run: the budget ended before every property x combination ran once (${n} of ${r.cells.length} did not run); give a longer --time or fewer --property/--profile, or --partial to accept a partial run`;
}

/** One JUnit case per property x combination; failures carry the finding and its replay command. */
export function runJUnit(r: RunReport): JUnitSuite[] {
  return [
    {
      name: 'aofsim run',
      timeSeconds: r.elapsedMs / 1000,
      properties: { seed: String(r.seed), bugs: r.bugs.join(','), runs: String(r.runs) },
      cases: r.cells.map((c) => {
        const base = { classname: c.property, name: c.combination, out: `${c.runs} runs` };
        if (c.status === 'not run') return { ...base, skipped: 'not run: the budget ended first' };
        if (c.status === 'held') return base;
        const inst = c.failure;
        const finding = inst ? r.findings.find((f) => f.key === signatureKey(inst)) : undefined;
        const body = [
          ...(finding ? describeFinding(finding, r.findings.indexOf(finding)) : []),
          '',
          'this combination:',
          inst?.detail ?? 'failed',
          `replay: ${inst?.replay ?? '-'}`,
        ].join('\n');
        return { ...base, failure: { message: inst ? `${inst.symptom} (replay: ${inst.replay})` : 'failed', body } };
      }),
    },
  ];
}
