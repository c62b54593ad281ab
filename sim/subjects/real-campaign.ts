// The `aofsim validate redis-server` campaign (issue 7 item 5): process-level faults
// (real-faults.ts) and the ALICE power-loss search (real-alice.ts) against one binary, within a
// wall-clock budget, aggregated per fault and property with every failure's timeline and the
// command that replays it. Failures of the ALICE search are written as scenario files
// (alice-scenario.ts) when a directory is given.
//
// Failures are grouped into findings (real-findings.ts): the report leads with the distinct ones.
// The subject is the redis-server preset of a binary or any command template (server-command.ts);
// a probe start (real-features.ts) first finds what it supports, and the checks that need a
// missing feature are listed as skipped with the reason, never run, passed or failed.
//
// Invariants: the budget is checked between runs (a run is bounded by its own caps), so the
// campaign ends within budget + one run; seeds are consecutive from `seed`, so a campaign is
// repeatable up to the machine's timing (how many runs fit in the budget).

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runAlice, type AliceFailure, type FsyncPolicy } from './real-alice.ts';
import { scenarioFromFailure, scenarioName } from './alice-scenario.ts';
import { runFault, REAL_FAULTS, type RealFault } from './real-faults.ts';
import { DEFAULT_REDIS_BIN } from './real-redis-server.ts';
import { realFindings } from './real-findings.ts';
import { detectFeatures, type SkippedCheck, type SubjectFeatures } from './real-features.ts';
import { commandLine, placeholdersOf, redisServerCommand, type ServerCommand } from './server-command.ts';
import type { Finding } from '../campaign/findings.ts';

export interface CampaignOptions {
  bin?: string;
  /** A command template (validate server --cmd) instead of the redis-server preset of `bin`. */
  command?: ServerCommand;
  /** Where the AOF files are (--aof-dir: 'appendonlydir' or '.'); default: detected. */
  aofDir?: string;
  /** A checker template run on the files each fault left ({dir}, {file}); --check-cmd. */
  checkCmd?: string[];
  /** Already detected (the CLI probes before the campaign to report an unusable subject as a usage error). */
  features?: SubjectFeatures;
  budgetMs: number;
  seed?: number;
  /** Only this fault ('power-loss' for the ALICE search). */
  only?: RealFault | 'power-loss';
  /** Write ALICE failures as scenario files here. */
  scenariosDir?: string;
  onProgress?: (line: string) => void;
}

export interface CampaignRow {
  fault: string;
  property: string;
  passed: number;
  failed: number;
}

export interface CampaignFailure {
  fault: string;
  property: string;
  title: string;
  detail: string;
  timeline: string[];
  replay: string;
  foundAfterMs: number;
  /** Where the state went wrong (the syscall the crash followed, or the fault). */
  step: string;
  /** The server's log lines around the failure (its refusal reason). */
  log: string[];
  /** Counterexample size: trace operations before the crash, or workload units. */
  size: number;
  sizeUnit: string;
  /** Seed and policy, for the reader. */
  where: string;
}

export interface CampaignReport {
  bin: string;
  /** The command template the subject was started with (the preset's or --cmd). */
  command: string;
  version: string;
  /** What the probe start found the subject supports. */
  features: SubjectFeatures;
  /** Checks not run for want of a feature (or of --check-cmd), with the reason. */
  skipped: SkippedCheck[];
  startedAt: string;
  elapsedMs: number;
  budgetMs: number;
  rows: CampaignRow[];
  failures: CampaignFailure[];
  /** The failures grouped by signature: distinct findings, unknown ones first. */
  findings: Finding[];
  runs: Record<string, number>;
  alice: { statesChecked: number; statesTotal: number; crashPoints: number; checkMs: number; statesPerSecond: number; byModel: Record<string, number> };
  ok: boolean;
}

export function binaryVersion(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : `(${bin} --version failed)`;
}

/** The skipped check's fault when it concerns every process-level fault (--check-cmd). */
const EVERY_FAULT = 'every process-level fault';

const FAULT_LABEL: Record<string, string> = {
  sigkill: 'SIGKILL during a workload',
  'sigkill-rewrite': 'SIGKILL during BGREWRITEAOF',
  'enospc-everysec': 'ENOSPC on AOF write (everysec, strace --inject)',
  'fsync-eio-always': 'EIO on AOF fdatasync (always, strace --inject)',
  'slow-fsync': 'slow fdatasync (30 ms, always) + SIGKILL',
  'power-loss': 'power-loss crash states (ALICE)',
  [EVERY_FAULT]: 'each process-level fault',
};

export function faultLabel(f: string): string {
  if (f === 'power-loss process-kill') return 'SIGKILL at each traced syscall (ALICE states)';
  return FAULT_LABEL[f] ?? (f.startsWith('power-loss') ? `power loss: ${f.slice('power-loss '.length)} crash states (ALICE)` : f);
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const t0 = Date.now();
  const command = opts.command ?? redisServerCommand(opts.bin ?? DEFAULT_REDIS_BIN);
  const bin = subjectName(command);
  const features = opts.features ?? (await detectFeatures(command, opts.aofDir));
  const planned = plan(command, features, opts.checkCmd !== undefined);
  const { faults: runnable, rewriteInPowerLoss } = planned;
  // With --only, only that fault's skipped checks (and those of every process-level fault, for one of them).
  const skipped = planned.skipped.filter((x) => opts.only === undefined || x.fault === opts.only || (x.fault === EVERY_FAULT && opts.only !== 'power-loss'));
  const launch = { bin, ...(opts.command ? { command } : {}) };
  const check = opts.checkCmd ? { argv: opts.checkCmd, checkFile: features.checkFile } : undefined;
  const replayBase = opts.command ? `aofsim validate server --cmd ${shellQuote(commandLine(command))}${opts.aofDir ? ` --aof-dir ${opts.aofDir}` : ''}` : `aofsim validate redis-server --bin ${bin}`;
  const rows = new Map<string, CampaignRow>();
  const failures: CampaignFailure[] = [];
  const runs: Record<string, number> = {};
  const alice = { statesChecked: 0, statesTotal: 0, crashPoints: 0, checkMs: 0, statesPerSecond: 0, byModel: {} as Record<string, number> };
  const row = (fault: string, property: string): CampaignRow => {
    const k = `${fault}\u0000${property}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { fault, property, passed: 0, failed: 0 }));
    return r;
  };
  const elapsed = (): number => Date.now() - t0;
  const progress = (what: string): void =>
    opts.onProgress?.(`[${Math.round(elapsed() / 1000)}s/${Math.round(opts.budgetMs / 1000)}s] ${what}; ${failures.length} failure(s)`);
  const seed0 = opts.seed ?? 1;
  const wanted = opts.only === undefined ? REAL_FAULTS : opts.only === 'power-loss' ? [] : [opts.only];
  const faults = wanted.filter((f) => runnable.includes(f));
  const doAlice = (opts.only === undefined || opts.only === 'power-loss') && runnable.includes('power-loss');
  const faultBudget = doAlice ? (faults.length > 0 ? opts.budgetMs * 0.35 : 0) : opts.budgetMs;
  // Process-level faults, round-robin over seeds.
  let seed = seed0;
  while (faults.length > 0 && elapsed() < faultBudget) {
    for (const fault of faults) {
      if (elapsed() >= faultBudget && (runs[fault] ?? 0) > 0) continue;
      const policies: FsyncPolicy[] = fault === 'sigkill' || fault === 'sigkill-rewrite' ? [seed % 2 === 0 ? 'always' : 'everysec'] : ['always'];
      for (const appendfsync of policies) {
        const r = await runFault(fault, { ...launch, seed, appendfsync, aofFile: features.aofFile, ...(check ? { check } : {}) });
        runs[fault] = (runs[fault] ?? 0) + 1;
        for (const c of r.checks) {
          const rw = row(fault, c.name);
          if (c.ok) rw.passed++;
          else {
            rw.failed++;
            failures.push({
              fault, property: c.name, title: `${faultLabel(fault)}, seed ${seed}, appendfsync ${r.appendfsync}`, detail: c.detail,
              timeline: r.timeline, replay: `${replayBase} --only ${fault} --seed ${seed}`, foundAfterMs: elapsed(),
              step: faultLabel(fault), log: [], size: r.timeline.length, sizeUnit: 'timeline entries', where: `seed ${seed}, appendfsync ${r.appendfsync}`,
            });
          }
        }
        progress(`${fault} seed ${seed}: ${r.ok ? 'ok' : 'FAIL'}`);
      }
    }
    seed++;
    if (opts.only !== undefined && opts.seed !== undefined) break; // --only X --seed N: one run
  }
  // Power-loss states (ALICE), seeds from seed0, alternating always / everysec.
  let aliceSeed = seed0;
  while (doAlice && elapsed() < opts.budgetMs) {
    const appendfsync: FsyncPolicy = aliceSeed % 3 === 0 ? 'everysec' : 'always';
    const aliceOpts = {
      ...launch, seed: aliceSeed, units: 12, appendfsync, rewriteAfter: rewriteInPowerLoss && aliceSeed % 4 === 0 ? 6 : undefined,
      maxStates: 400, budgetMs: Math.max(1000, opts.budgetMs - elapsed()),
      onProgress: (p: { statesChecked: number; statesTotal: number; failures: number }) => {
        if (p.statesChecked % 10 === 0) progress(`power loss seed ${aliceSeed} (${appendfsync}): ${alice.statesChecked + p.statesChecked} states checked`);
      },
    };
    const r = await runAlice(aliceOpts);
    runs['power-loss'] = (runs['power-loss'] ?? 0) + 1;
    alice.statesChecked += r.statesChecked;
    alice.statesTotal += r.statesTotal;
    alice.crashPoints += r.crashPoints;
    alice.checkMs += r.checkMs;
    for (const [m, n] of Object.entries(r.statesByModel)) alice.byModel[m] = (alice.byModel[m] ?? 0) + n;
    for (const [m, props] of Object.entries(r.tally)) {
      for (const [p, c] of Object.entries(props)) {
        const rw = row(`power-loss ${m}`, p);
        rw.passed += c.passed;
        rw.failed += c.failed;
      }
    }
    // One scenario per (property, model) per seed: the first failure found.
    const written = new Set<string>();
    for (const f of r.failures) {
      const key = `${f.property}/${f.model}`;
      let replay = `${replayBase} --only power-loss --seed ${aliceSeed}`;
      if (opts.scenariosDir && !written.has(key)) {
        written.add(key);
        mkdirSync(opts.scenariosDir, { recursive: true });
        const file = join(opts.scenariosDir, `${scenarioName(f, aliceOpts, bin)}.scenario.json`);
        writeFileSync(file, JSON.stringify(scenarioFromFailure(f, aliceOpts, bin), null, 2) + '\n');
        replay = `aofsim replay ${file} --timeline`;
      }
      failures.push(aliceFailure(f, aliceSeed, appendfsync, replay));
    }
    aliceSeed++;
    if (opts.only === 'power-loss' && opts.seed !== undefined) break;
  }
  alice.statesPerSecond = alice.checkMs > 0 ? alice.statesChecked / (alice.checkMs / 1000) : 0;
  const sorted = [...rows.values()].sort((a, b) => (a.fault < b.fault ? -1 : a.fault > b.fault ? 1 : a.property < b.property ? -1 : 1));
  return {
    bin, command: commandLine(command), version: opts.command ? features.version || '(no INFO server)' : binaryVersion(bin), features, skipped,
    startedAt: new Date(t0).toISOString(), elapsedMs: elapsed(), budgetMs: opts.budgetMs,
    rows: sorted, failures, findings: realFindings(failures), runs, alice, ok: failures.length === 0,
  };
}

/** The program a template runs (with its script when the program is an interpreter: `node cli/dev.mjs`). */
export function subjectName(command: ServerCommand): string {
  const [prog, first] = command.argv;
  return /^(node|python\d*(\.\d+)?|sh|bash|ruby|java)$/.test(basename(prog ?? '')) && first !== undefined ? `${prog} ${first}` : (prog ?? '');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Which faults can run on a subject with these features, and the skipped checks with their reasons. */
export function plan(command: ServerCommand, f: SubjectFeatures, hasCheckCmd: boolean): { skipped: SkippedCheck[]; faults: (RealFault | 'power-loss')[]; rewriteInPowerLoss: boolean } {
  const skipped: SkippedCheck[] = [];
  const all: (RealFault | 'power-loss')[] = [...REAL_FAULTS, 'power-loss'];
  if (!command.configArgs && !placeholdersOf(command).has('fsync') && !f.has['config-set']) {
    const reason = `cannot choose appendfsync: the template has no {fsync} and the subject has no CONFIG SET (${f.seen['config-set']})`;
    for (const fault of all) skipped.push({ fault, property: '(all)', reason });
    return { skipped, faults: [], rewriteInPowerLoss: false };
  }
  const faults = all.filter((fault) => fault !== 'sigkill-rewrite' || f.has.bgrewriteaof);
  if (!f.has.bgrewriteaof) skipped.push({ fault: 'sigkill-rewrite', property: '(all)', reason: `needs BGREWRITEAOF (${f.seen.bgrewriteaof})` });
  const rewriteInPowerLoss = f.has.bgrewriteaof && f.has['info-persistence'];
  if (!rewriteInPowerLoss) {
    skipped.push({
      fault: 'power-loss', property: 'during BGREWRITEAOF',
      reason: f.has.bgrewriteaof ? `waiting for a rewrite's end needs INFO persistence (${f.seen['info-persistence']}); those seeds run without the rewrite` : `needs BGREWRITEAOF (${f.seen.bgrewriteaof}); those seeds run without the rewrite`,
    });
  }
  if (!hasCheckCmd) {
    skipped.push({ fault: EVERY_FAULT, property: 'check-ok-means-loadable', reason: 'no --check-cmd given (a checker of the files each fault left, e.g. redis-check-aof {file})' });
  }
  return { skipped, faults, rewriteInPowerLoss };
}

function aliceFailure(f: AliceFailure, seed: number, appendfsync: FsyncPolicy, replay: string): CampaignFailure {
  const files = Object.entries(f.files).map(([p, b]) => `${p} (${b.length} bytes)`).join(', ');
  return {
    fault: `power-loss ${f.model}`,
    property: f.property,
    title: `power loss after ${f.syscall} (seed ${seed}, appendfsync ${appendfsync})`,
    detail: f.message,
    timeline: [
      `workload seed ${seed} recorded under strace (appendfsync ${appendfsync}); acknowledged units at the crash: promised k >= ${f.kMin}, executed k <= ${f.kMax}`,
      `crash after trace op ${f.opIndex} (strace line ${f.traceLine}): ${f.syscall}`,
      `crash state: ${f.decision}; files: ${files}`,
      `start on the crash state (appendonly yes, aof-load-truncated yes)`,
      ...f.log.map((l) => `  log: ${l}`),
      ...(f.probe ? [`> SET ${f.probe.key} -> ${f.probe.reply}`, 'SIGKILL, restart', `  ${f.probe.key} after restart: ${f.probe.after['0']?.[f.probe.key] ?? '(absent)'}`] : []),
      `verdict: ${f.message}`,
    ],
    replay,
    foundAfterMs: f.foundAfterMs,
    step: `power loss after ${f.syscall}`,
    log: f.log,
    size: f.opIndex,
    sizeUnit: 'traced syscalls before the crash',
    where: `seed ${seed}, appendfsync ${appendfsync}`,
  };
}
