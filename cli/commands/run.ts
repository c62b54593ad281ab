// `aofsim run [--seed S] [--runs N] [--time 60s] [--profile P] [--bug NAME] [--property NAME]
// [--list-bugs] [--json]`: the main job. Runs a campaign of every property (sim/campaign) over
// both profiles x always/everysec/no x preamble yes/no in rounds of small fast-check batches until
// the time budget (or --runs per combination) is spent, with a progress line on stderr, then a
// summary table (property x profile x policy: runs, failures) on stdout. On a failure it writes the
// shrunk counterexample as a scenario file and prints `npx aofsim replay <file>`, exit 1.
// Faces the real world on purpose: wall-clock time for the budget and progress only (the runs
// themselves are deterministic from the seed), crypto for a fresh seed, the disk for the scenario.

import { randomInt } from 'node:crypto';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';
import { BUG_SWITCHES, isBugSwitch } from '../../src/aof/bugs.ts';
import type { Profile } from '../../src/base/profile.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';
import { allCombos, PROFILES, type Combo } from '../../sim/campaign/model-run.ts';
import { PROPERTIES, type PropertyDef } from '../../sim/campaign/properties.ts';
import { describeOutcome, type PropertyOutcome } from '../../sim/campaign/run-property.ts';
import { runCampaign } from '../../sim/campaign/campaign.ts';
import { writeFailureScenario } from '../failure-file.ts';

const SPEC = {
  name: 'run',
  synopsis: `[--seed S] [--runs N] [--time 60s] [--profile P] [--bug NAME]... [--property NAME]...
                  [--list-bugs] [--json]`,
  description: `Runs a fault-injection campaign of every property (acknowledged writes survive, everysec loses at
most ~2 s, truncated tails recover a prefix, rewrite + diff reproduces the live state, write errors
refuse then recover, slow fsync postpone window, determinism) over both profiles, all three fsync
policies and aof-use-rdb-preamble yes/no, in the simulator.`,
  options: {
    seed: { type: 'string', arg: 'S', help: 'base seed (default: a fresh random seed, printed)' },
    runs: { type: 'string', arg: 'N', help: 'runs per property x profile x policy x preamble (default: until --time is spent)' },
    time: { type: 'string', arg: 'T', help: 'wall-clock budget, e.g. 60s, 5m (default 60s; with --runs: no limit)' },
    profile: { type: 'string', multiple: true, choices: PROFILES, help: 'only this profile (default both)' },
    bug: { type: 'string', multiple: true, arg: 'NAME', help: 'turn a historical bug switch on (repeatable); the campaign should then fail' },
    property: { type: 'string', multiple: true, arg: 'NAME', help: 'only this property (repeatable)' },
    'list-bugs': { type: 'boolean', help: 'list the bug switches and exit' },
    json: { type: 'boolean', help: 'print a machine-readable summary on stdout instead of the table' },
  },
  footer: `On a failure: the counterexample is written to $AOFSIM_FAILURES_DIR (default ./aofsim-failures)
as a scenario file, with its replay command. Exit status: 0 all properties held, 1 a failure,
2 usage error.`,
} satisfies CommandSpec;

interface Args {
  seed: number | null;
  runs: number | null;
  timeMs: number | null;
  profiles: Profile[];
  bugs: string[];
  properties: string[];
  listBugs: boolean;
  json: boolean;
}

function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s);
  if (!m) throw new UsageError(`--time: expected a duration such as 60s or 5m, got ${s}`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}

function parseRunArgs(argv: string[]): Args {
  const p = parseCommandArgs(SPEC, argv);
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
  const seed = p.string('seed');
  if (seed !== undefined && !/^-?\d+$/.test(seed)) throw new UsageError(`--seed: expected an integer, got ${seed}`);
  const runs = p.string('runs');
  if (runs !== undefined && (!/^\d+$/.test(runs) || Number(runs) < 1)) throw new UsageError(`--runs: expected a positive integer, got ${runs}`);
  const time = p.string('time');
  for (const b of p.strings('bug')) if (!isBugSwitch(b)) throw new UsageError(`--bug: unknown bug switch ${b} (see --list-bugs)`);
  for (const v of p.strings('property')) {
    if (!PROPERTIES.some((x) => x.name === v)) throw new UsageError(`--property: unknown property ${v} (known: ${PROPERTIES.map((x) => x.name).join(', ')})`);
  }
  return {
    seed: seed === undefined ? null : Number(seed) | 0,
    runs: runs === undefined ? null : Number(runs),
    timeMs: time === undefined ? null : parseDuration(time),
    profiles: p.strings('profile') as Profile[],
    bugs: p.strings('bug'),
    properties: p.strings('property'),
    listBugs: p.flag('list-bugs'),
    json: p.flag('json'),
  };
}

interface Cell {
  property: string;
  profile: Profile;
  policy: string;
  runs: number;
  failures: number;
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
    const defs: PropertyDef[] = args.properties.length > 0 ? PROPERTIES.filter((p) => args.properties.includes(p.name)) : [...PROPERTIES];
    const combos: Combo[] = allCombos(profiles);
    const createServer = await loadServerFactory();
    const start = Date.now();
    const progress = new Progress(process.stderr.isTTY === true, start);
    process.stderr.write(
      `aofsim run: seed ${seed}${args.bugs.length ? `, bug switches ${args.bugs.join(', ')}` : ''}; ${defs.length} properties x ${combos.length} combinations; ${
        args.runs !== null ? `${args.runs} runs each` : `budget ${budgetMs / 1000}s`
      }\n`,
    );

    const cells = new Map<string, Cell>();
    const cell = (p: string, c: Combo): Cell => {
      const key = `${p}|${c.profile}|${c.policy}`;
      let x = cells.get(key);
      if (!x) cells.set(key, (x = { property: p, profile: c.profile, policy: c.policy, runs: 0, failures: 0 }));
      return x;
    };
    let runs = 0;
    let crashChecks = 0;
    let faults = 0;
    const status = (): string => `runs ${runs}  crash checks ${crashChecks}  faults injected ${faults}  elapsed ${progress.elapsed()}`;

    const result = runCampaign({
      createServer,
      seed,
      defs,
      combos,
      bugs: args.bugs,
      runsPerCombo: args.runs,
      shouldStop: () => Date.now() - start >= budgetMs,
      onRun: (info) => {
        runs++;
        crashChecks += info.crashChecks;
        faults += info.faults;
        progress.show(status());
      },
      onBatch: (def, combo, o) => {
        const c = cell(def.name, combo);
        c.runs += o.runs;
        c.failures += o.failures;
      },
    });
    const failure: PropertyOutcome | null = result.failure;
    const failureFile = failure?.scenario ? writeFailureScenario(failure.scenario) : null;
    progress.show(status(), true);
    progress.done();

    const rows = [...cells.values()];
    if (args.json) {
      process.stdout.write(
        JSON.stringify(
          {
            seed,
            bugs: args.bugs,
            ok: failure === null,
            runs,
            crashChecks,
            faultsInjected: faults,
            elapsedMs: Date.now() - start,
            cells: rows,
            ...(failure
              ? { failure: { property: failure.property, combo: failure.combo, seed: failure.seed, path: failure.path, message: failure.message, scenario: failureFile, replay: failureFile ? `npx aofsim replay ${failureFile} --timeline` : null } }
              : {}),
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      const w = Math.max(...defs.map((d) => d.name.length), 8);
      process.stdout.write(`${'property'.padEnd(w)}  ${'profile'.padEnd(9)}  ${'policy'.padEnd(8)}  ${'runs'.padStart(6)}  failures\n`);
      for (const r of rows) process.stdout.write(`${r.property.padEnd(w)}  ${r.profile.padEnd(9)}  ${r.policy.padEnd(8)}  ${String(r.runs).padStart(6)}  ${r.failures}\n`);
      process.stdout.write(`seed ${seed}: ${runs} runs, ${crashChecks} crash checks, ${faults} faults injected, ${progress.elapsed()}\n`);
    }
    if (failure) {
      process.stderr.write(`\n${describeOutcome(failure)}\n`);
      if (failureFile) process.stderr.write(`\nscenario written: ${failureFile}\nreplay: npx aofsim replay ${failureFile} --timeline\n`);
      return 1;
    }
    if (!args.json) process.stdout.write('all properties held\n');
    return 0;
  },
};
