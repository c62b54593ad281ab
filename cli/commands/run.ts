// `aofsim run [--seed S] [--runs N] [--time 60s] [--profile P] [--bug NAME] [--property NAME]
// [--workers N] [--list-bugs] [--json] [--junit FILE] [--partial]`: the main job. Runs a campaign
// (sim/campaign/campaign.ts) of every world property over both profiles x always/everysec/no x
// preamble yes/no, and of every offline loader property, in rounds of small fast-check batches
// until the time budget (or --runs per combination) is spent, with a progress line on stderr
// (elapsed/budget); then the distinct findings and every cell's status (sim/campaign/run-report.ts)
// on stdout. Failed world cells are written as scenario files with their replay command. With
// --workers N (default: the number of cores) the batches run on N worker threads (cli/run-pool.ts);
// for a given seed and --runs the summary is the same whatever N.
// Ctrl-C or SIGTERM stops a campaign: the summary covers the batches that ended (cells without
// one are listed as not run), and it ends with the command that runs the same campaign again;
// exit 130 / 143. A second signal exits at once. On worker threads the batches in flight are
// dropped at once; with --workers 1 the campaign runs in the main thread, where a signal handler
// runs only between batches: the batch in progress ends (and counts) first. A --fc-seed replay
// (one batch) is ended by the signal as usual.
// Faces the real world on purpose: wall-clock time for the budget and progress only (the runs
// themselves are deterministic from the seed), crypto for a fresh seed, the disk for the scenario.

import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';
import { BUG_SWITCHES, isBugSwitch } from '../../src/aof/bugs.ts';
import type { Profile } from '../../src/base/profile.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';
import { allCombos, PROFILES, type Combo } from '../../sim/campaign/model-run.ts';
import { PROPERTIES, type PropertyDef } from '../../sim/campaign/properties.ts';
import { campaignSteps, runCampaign, type CampaignOptions, type CampaignResult } from '../../sim/campaign/campaign.ts';
import { junitXml } from '../../sim/campaign/junit.ts';
import { OFFLINE_PROPERTIES } from '../../sim/campaign/offline/index.ts';
import { cellFailureInstance } from '../../sim/campaign/run-findings.ts';
import { buildRunReport, formatRunSummary, incompleteMessage, runJUnit } from '../../sim/campaign/run-report.ts';
import { writeFailureScenario } from '../failure-file.ts';
import { runCampaignOnWorkers, specOptions, type CampaignSpec } from '../run-pool.ts';
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemMessage } from '../system-error.ts';
import { signalExitCode } from '../subject-reaper.ts';

const SPEC = {
  name: 'run',
  synopsis: `[--seed S] [--runs N] [--time 60s] [--workers N] [--profile P] [--bug NAME]... [--property NAME]...
                  [--list-bugs] [--json] [--junit FILE] [--partial] [--stop-at-first] [--fc-seed N --fc-path P]`,
  description: `Runs a fault-injection campaign of every property (acknowledged writes survive, everysec loses at
most ~2 s, truncated tails recover a prefix, rewrite + diff reproduces the live state, write errors
refuse then recover, slow fsync postpone window, determinism) over both profiles, all three fsync
policies and aof-use-rdb-preamble yes/no, in the simulator, and the offline loader properties
(cut files, truncated RDB parts, empty INCRs, preamble tails) over generated AOF bytes.`,
  options: {
    seed: { type: 'string', arg: 'S', help: 'base seed (default: a fresh random seed, printed)' },
    runs: { type: 'string', arg: 'N', help: 'runs per property x profile x policy x preamble (default: until --time is spent)' },
    time: { type: 'string', arg: 'T', help: 'wall-clock budget, e.g. 60s, 5m (default 60s; with --runs: no limit, or if given checked between whole cells)' },
    workers: { type: 'string', arg: 'N', help: 'worker threads running the batches (default: the number of cores); results do not depend on it' },
    profile: { type: 'string', multiple: true, choices: PROFILES, help: 'only this profile (default both)' },
    bug: { type: 'string', multiple: true, arg: 'NAME', help: 'turn a historical bug switch on (repeatable); the campaign should then fail' },
    property: { type: 'string', multiple: true, arg: 'NAME', help: 'only this property (repeatable)' },
    'list-bugs': { type: 'boolean', help: 'list the bug switches and exit' },
    json: { type: 'boolean', help: 'print a machine-readable summary on stdout instead of the table' },
    junit: { type: 'string', arg: 'FILE', help: 'also write JUnit XML: one test case per property x combination' },
    partial: { type: 'boolean', help: 'accept a budget too short to run every property x combination once' },
    'stop-at-first': { type: 'boolean', help: 'end at the first failure (e.g. to time how fast a --bug is found)' },
    'fc-seed': { type: 'string', arg: 'N', help: 'replay one counterexample (with one --property and --fc-path): fast-check seed' },
    'fc-path': { type: 'string', arg: 'P', help: 'replay one counterexample: fast-check path' },
  },
  footer: `The summary leads with the distinct findings (failures grouped by property, crash model, step
and symptom), each with its shortest counterexample and replay command, then every property x
combination as held, FAILED or not run. World counterexamples are written to
$AOFSIM_FAILURES_DIR (default ./aofsim-failures) as scenario files (aofsim replay FILE).
Exit status: 0 every property x combination ran and held; 1 findings; 2 usage error;
3 the budget ended before every property x combination ran once (without --partial);
130 / 143 stopped by Ctrl-C / SIGTERM (the summary covers the batches that ended).`,
} satisfies CommandSpec;

interface Args {
  seed: number | null;
  runs: number | null;
  timeMs: number | null;
  workers: number;
  profiles: Profile[];
  bugs: string[];
  properties: string[];
  listBugs: boolean;
  json: boolean;
  junit: string | null;
  partial: boolean;
  stopAtFirst: boolean;
  fcSeed: number | null;
  fcPath: string | null;
}

function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s);
  if (!m) throw new UsageError(`--time: expected a duration such as 60s or 5m, got ${s}`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}

/** A 32-bit integer, as seeds are used: a larger one would wrap silently (`| 0`) into another seed. */
function isInt32(s: string): boolean {
  return /^-?\d+$/.test(s) && Number(s) >= -(2 ** 31) && Number(s) < 2 ** 31;
}

function parseRunArgs(argv: string[]): Args {
  const p = parseCommandArgs(SPEC, argv);
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
  const seed = p.string('seed');
  if (seed !== undefined && !isInt32(seed)) throw new UsageError(`--seed: expected an integer from -2147483648 to 2147483647, got ${seed}`);
  const runs = p.string('runs');
  if (runs !== undefined && (!/^\d+$/.test(runs) || Number(runs) < 1 || !Number.isSafeInteger(Number(runs)))) throw new UsageError(`--runs: expected a positive integer, got ${runs}`);
  const time = p.string('time');
  const workers = p.string('workers');
  if (workers !== undefined && (!/^\d+$/.test(workers) || Number(workers) < 1 || Number(workers) > 256)) {
    throw new UsageError(`--workers: expected an integer from 1 to 256, got ${workers}`);
  }
  for (const b of p.strings('bug')) if (!isBugSwitch(b)) throw new UsageError(`--bug: unknown bug switch ${b} (see --list-bugs)`);
  const known = [...PROPERTIES.map((x) => x.name), ...OFFLINE_PROPERTIES.map((x) => x.name)];
  for (const v of p.strings('property')) {
    if (!known.includes(v)) throw new UsageError(`--property: unknown property ${v} (known: ${known.join(', ')})`);
  }
  const fcSeed = p.string('fc-seed');
  const fcPath = p.string('fc-path');
  if ((fcSeed === undefined) !== (fcPath === undefined)) throw new UsageError('--fc-seed and --fc-path go together');
  if (fcSeed !== undefined && !isInt32(fcSeed)) throw new UsageError(`--fc-seed: expected an integer from -2147483648 to 2147483647, got ${fcSeed}`);
  if (fcSeed !== undefined && p.strings('property').length !== 1) throw new UsageError('--fc-seed/--fc-path replay one property: give exactly one --property');
  const junit = p.string('junit');
  if (junit !== undefined) checkOutputFile('--junit', junit);
  return {
    seed: seed === undefined ? null : Number(seed) | 0,
    runs: runs === undefined ? null : Number(runs),
    timeMs: time === undefined ? null : parseDuration(time),
    workers: workers === undefined ? availableParallelism() : Number(workers),
    profiles: p.strings('profile') as Profile[],
    bugs: p.strings('bug'),
    properties: p.strings('property'),
    listBugs: p.flag('list-bugs'),
    json: p.flag('json'),
    junit: p.string('junit') ?? null,
    partial: p.flag('partial'),
    stopAtFirst: p.flag('stop-at-first'),
    fcSeed: fcSeed === undefined ? null : Number(fcSeed) | 0,
    fcPath: fcPath ?? null,
  };
}

/**
 * A file the run writes at its end (--junit): a path that cannot be written is a usage error now,
 * not after the whole campaign ran.
 */
function checkOutputFile(option: string, path: string): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    const dir = dirname(path);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${option} ${path}: ${systemMessage({ code: (e as { code?: unknown }).code })}`, 2, false);
  }
}

/** The command line of the same campaign: argv with its seed made explicit. */
function sameCampaignArgs(argv: string[], seed: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.split('=')[0];
    if (name === '--seed') {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);
  }
  return ['--seed', String(seed), ...out];
}

/**
 * Ctrl-C and SIGTERM while the campaign runs: the first aborts `signal` (the pool, or the loop in
 * this thread, stops and returns what ended), a second exits at once with 128 + the signal's number.
 */
class Interrupt {
  private readonly controller = new AbortController();
  by: 'SIGINT' | 'SIGTERM' | null = null;
  private readonly onInt = (): void => this.stop('SIGINT');
  private readonly onTerm = (): void => this.stop('SIGTERM');
  constructor(private readonly beforeMessage: () => void) {
    process.on('SIGINT', this.onInt);
    process.on('SIGTERM', this.onTerm);
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  dispose(): void {
    process.off('SIGINT', this.onInt);
    process.off('SIGTERM', this.onTerm);
  }
  private stop(sig: 'SIGINT' | 'SIGTERM'): void {
    if (this.by !== null) process.exit(signalExitCode(sig));
    this.by = sig;
    this.beforeMessage();
    process.stderr.write(`aofsim run: ${sig}: stopping; the summary of the batches that ended follows (${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to quit at once)\n`);
    this.controller.abort();
  }
}

/**
 * The campaign in this thread, batch by batch, with a turn of the event loop after each: a signal
 * handler runs only then, so a Ctrl-C takes effect when the batch in progress ends (that batch is
 * counted), and `abort` stops the campaign before the next one.
 */
async function inMainThread(o: CampaignOptions, abort: AbortSignal): Promise<CampaignResult> {
  const steps = campaignSteps({ ...o, shouldStop: () => abort.aborted || o.shouldStop() });
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Progress on stderr: redrawn in place on a TTY, a plain line every few seconds otherwise. */
class Progress {
  private lastPlain = 0;
  constructor(
    private readonly tty: boolean,
    private readonly startMs: number,
  ) {}
  show(text: string, force = false): void {
    const now = Date.now();
    if (this.tty) process.stderr.write(`\r\x1b[K${text}`);
    else if (force || now - this.lastPlain >= 5000) {
      this.lastPlain = now;
      process.stderr.write(`${text}\n`);
    }
  }
  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
  elapsed(): string {
    return `${((Date.now() - this.startMs) / 1000).toFixed(1)}s`;
  }
}

export const runCommand: CliCommand = {
  usage: helpText(SPEC),
  async run(argv: string[]): Promise<number> {
    const args = parseRunArgs(argv);
    if (args.listBugs) {
      for (const b of BUG_SWITCHES) {
        process.stdout.write(`${b.name.padEnd(28)} [${b.profiles.join(', ')}] ${b.source}\n${' '.repeat(29)}${b.symptom}\n`);
      }
      return 0;
    }
    const seed = args.seed ?? randomInt(1, 2 ** 31 - 1);
    const budgetMs = args.timeMs ?? (args.runs === null ? 60_000 : Infinity);
    // With --bug and no --profile: the profiles whose code has every switch given (the other
    // profile cannot show them).
    const bugProfiles = PROFILES.filter((p) => args.bugs.every((b) => BUG_SWITCHES.find((x) => x.name === b)!.profiles.includes(p)));
    const profiles = args.profiles.length > 0 ? args.profiles : bugProfiles.length > 0 ? bugProfiles : [...PROFILES];
    const pick = <T extends { name: string }>(all: readonly T[]): T[] => (args.properties.length > 0 ? all.filter((p) => args.properties.includes(p.name)) : [...all]);
    const defs: PropertyDef[] = pick(PROPERTIES);
    const offline = pick(OFFLINE_PROPERTIES);
    const combos: Combo[] = allCombos(profiles);
    const createServer = await loadServerFactory();
    const start = Date.now();
    const progress = new Progress(process.stderr.isTTY === true, start);
    const cellCount = defs.length * combos.length + offline.length;
    const budgetText = Number.isFinite(budgetMs) ? `${(budgetMs / 1000).toFixed(0)}s` : 'no limit';
    process.stderr.write(
      `aofsim run: seed ${seed}${args.bugs.length ? `, bug switches ${args.bugs.join(', ')}` : ''}; ${cellsText(defs.length, combos.length, offline.length)}; ${
        args.runs !== null ? `${args.runs} runs each` : `budget ${budgetText}`
      }; ${args.workers > 1 && args.fcSeed === null ? `${args.workers} worker threads` : 'one thread'}\n`,
    );
    let runs = 0;
    let crashChecks = 0;
    let faults = 0;
    let failing = 0;
    let firstFailureMs: number | null = null;
    const status = (): string =>
      `runs ${runs}  crash checks ${crashChecks}  faults injected ${faults}  failing cells ${failing}  elapsed ${progress.elapsed()}/${budgetText}`;

    const spec: CampaignSpec = {
      seed,
      profiles,
      properties: defs.map((d) => d.name),
      offline: offline.map((p) => p.name),
      bugs: args.bugs,
      runsPerCombo: args.runs,
      ...(args.fcSeed !== null ? { replay: { seed: args.fcSeed, path: args.fcPath as string } } : {}),
    };
    const options: CampaignOptions = {
      ...specOptions(spec, createServer),
      shouldStop: () => Date.now() - start >= budgetMs,
      stopAtFirstFailure: args.stopAtFirst,
      onRun: (info) => {
        runs++;
        crashChecks += info.crashChecks;
        faults += info.faults;
        progress.show(status());
      },
      onBatch: (_cell, o) => {
        if (o.failure === null) return;
        failing++;
        firstFailureMs ??= Date.now() - start;
      },
    };
    // A replay is one batch of one cell: no threads for it, and nothing to summarise if stopped.
    const replay = spec.replay !== undefined;
    const onThreads = args.workers > 1 && !replay;
    const interrupt = replay ? null : new Interrupt(() => progress.done());
    let result: CampaignResult;
    try {
      if (onThreads) result = await runCampaignOnWorkers(options, spec, args.workers, interrupt?.signal);
      else if (interrupt === null) result = runCampaign(options);
      else result = await inMainThread(options, interrupt.signal);
    } finally {
      interrupt?.dispose();
    }
    // Dated by the campaign's own count (the same for any --workers), timed by the wall clock.
    const firstFailure = result.failure !== null && firstFailureMs !== null ? { afterMs: firstFailureMs, afterRuns: result.failure.foundAfterRuns } : null;
    progress.show(status(), true);
    progress.done();
    const report = buildRunReport(
      result,
      (i) => {
        const f = result.cells[i].failure!;
        const file = f.scenario ? writeFailureScenario(f.scenario) : null;
        return cellFailureInstance(f, { createServer, bugs: args.bugs, offline, file });
      },
      {
        seed, bugs: args.bugs, elapsedMs: Date.now() - start, budgetMs: Number.isFinite(budgetMs) ? budgetMs : null,
        partialAccepted: args.partial || args.stopAtFirst, firstFailure,
      },
    );
    const stoppedBy = interrupt?.by ?? null;
    if (args.junit !== null) {
      // The cells a signal kept from running were not cut by the budget: say what stopped them.
      const why = stoppedBy === null ? null : `not run: stopped by ${stoppedBy} first`;
      const suites = runJUnit(report).map((s) => (why === null ? s : { ...s, cases: s.cases.map((c) => (c.skipped !== undefined ? { ...c, skipped: why } : c)) }));
      writeFileSync(args.junit, junitXml(suites));
    }
    if (stoppedBy === null) {
      if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else process.stdout.write(formatRunSummary(report));
    } else {
      const exitCode = signalExitCode(stoppedBy);
      const again = `npx aofsim run ${sameCampaignArgs(argv, seed).join(' ')}`;
      const line = `stopped by ${stoppedBy} after ${progress.elapsed()}: the summary covers the ${report.runs} runs of the batches that ended; run it again with: ${again}\n`;
      if (args.json) {
        process.stdout.write(JSON.stringify({ ...report, ok: false, exitCode, interrupted: stoppedBy, again }, null, 2) + '\n');
        process.stderr.write(`aofsim run: ${line}`);
      } else process.stdout.write(formatRunSummary(report) + line);
      return exitCode;
    }
    if (report.exitCode === 3) process.stderr.write(incompleteMessage(report) + '\n');
    return report.exitCode;
  },
};

/** `N`, the noun in the singular or plural it needs. */
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The header's count of cells: "7 world properties x 12 combinations + 6 offline properties = 90 cells". */
export function cellsText(world: number, combos: number, offline: number): string {
  const parts = [
    ...(world > 0 ? [`${plural(world, 'world property', 'world properties')} x ${plural(combos, 'combination', 'combinations')}`] : []),
    ...(offline > 0 ? [plural(offline, 'offline property', 'offline properties')] : []),
  ];
  return `${parts.join(' + ')} = ${plural(world * combos + offline, 'cell', 'cells')}`;
}
