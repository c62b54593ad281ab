// describeFaultPlan: a FaultPlan as readable lines, printed before a run (TigerBeetle's VOPR logs
// its fault plan up front) and in scenario timelines. One line per fault, numbered as in the plan,
// so an injected-fault report ("fault #3") points back to its line.

import type { Fault, FaultPlan } from './fault-plan.ts';

export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

function onPath(path: string): string {
  return path === '**' || path === '*' ? 'any file' : `'${path}'`;
}

export function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'error':
      return `${f.syscall} on ${onPath(f.path)} fails with ${f.code ?? 'EIO'} on the ${ordinal(f.nth)} call${f.sticky ? ' and every later one' : ' only'}`;
    case 'short-write':
      return `the ${ordinal(f.nth)} write to ${onPath(f.path)} is short by ${f.shortByBytes} bytes${f.thenError ? `, then the next write to that file fails with ${f.thenError}` : ''}`;
    case 'quota': {
      const when = f.atOp !== undefined ? `from op ${f.atOp}` : f.atMs !== undefined ? `from t=${f.atMs}ms` : 'from the start';
      return f.quotaBytes === null ? `${when}: no disk quota (space freed)` : `${when}: ENOSPC above ${f.quotaBytes} visible bytes`;
    }
    case 'latency': {
      const calls = (f.syscalls ?? ['fsync', 'fdatasync']).join('/');
      const per = f.perCallMs && f.perCallMs.length > 0 ? ` (calls 1..${f.perCallMs.length}: ${f.perCallMs.join(', ')}ms)` : '';
      return `${calls} on ${onPath(f.path)} takes ${f.ms}ms${per}`;
    }
    case 'write-blocked-by-fsync':
      return `writes to ${onPath(f.path)} wait for an in-flight fsync of the same file`;
    case 'fork-failure':
      return `the ${ordinal(f.nth)} fork fails${f.sticky ? ' and every later one' : ''} (${f.reason ?? 'Cannot allocate memory'})`;
    case 'child-killed':
      return `the child of the ${ordinal(f.nth)} fork is killed with ${f.signal ?? 'SIGKILL'} ${f.point !== undefined ? `at '${f.point}'` : `after ${f.afterSteps} steps`}`;
    case 'crash': {
      const at = f.atOp !== undefined ? `after op ${f.atOp}` : `at '${f.point}' (${ordinal(f.nth ?? 1)} time)`;
      const model = f.model === 'process-kill' ? 'process kill' : `power loss, ${f.model}${f.sectorBytes ? ` (${f.sectorBytes}-byte sectors)` : ''}`;
      return `crash ${at}: ${model}`;
    }
  }
}

/** One line per fault (`#0 short-write: ...`); a single line saying so when the plan is empty. */
export function describeFaultPlan(plan: FaultPlan): string[] {
  const head = plan.seed !== undefined ? `fault plan (seed=${plan.seed}): ${plan.faults.length} faults` : `fault plan: ${plan.faults.length} faults`;
  if (plan.faults.length === 0) return [`${head} (none)`];
  return [head, ...plan.faults.map((f, i) => `  #${i} ${f.kind}: ${describeFault(f)}`)];
}
