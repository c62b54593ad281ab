// `aofsim validate files PATH... [--json]`, `aofsim validate server --cmd TEMPLATE [--aof-dir D]
// [--check-cmd C] ...` (any RESP server that writes Redis-format AOF) and `aofsim validate
// redis-server [--bin PATH] ...`, the preset of `server` for redis-server's flags (issue 7 items 4
// and 5, issue 16 item 3; ARCHITECTURE.md#subjects). Faces the real world on purpose: reads files,
// starts processes, prints progress on stderr. A subject that cannot be driven at all (bad
// template, missing program, no start, no AOF file) is one line and exit 2 before any fault.
// Ctrl-C or SIGTERM kills the servers it started, removes the temp dirs it made (cli/subject-reaper.ts)
// and exits 130 / 143.

import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { helpText, parseCommandArgs, type CommandSpec, type OptionTable, type ParsedArgs } from '../options.ts';
import { checkServerBinary } from '../server-binary.ts';
import { SubjectReaper } from '../subject-reaper.ts';
import { runCampaign } from '../../sim/subjects/real-campaign.ts';
import { REAL_FAULTS, type RealFault } from '../../sim/subjects/real-faults.ts';
import { DEFAULT_REDIS_BIN } from '../../sim/subjects/real-redis-server.ts';
import { detectFeatures, SubjectUnusable } from '../../sim/subjects/real-features.ts';
import { parseServerCommand, redisServerCommand as redisServerCommandFor, splitCommandLine, TemplateError, type ServerCommand } from '../../sim/subjects/server-command.ts';
import { renderReportHtml } from '../../sim/subjects/report-html.ts';
import { formatValidateSummary, validateJUnit } from '../../sim/subjects/validate-report.ts';
import { junitXml } from '../../sim/campaign/junit.ts';
import { formatFilesReport, validateFiles } from '../../sim/subjects/validate-files.ts';

const FILES_SPEC = {
  name: 'validate files',
  synopsis: 'PATH... [--json]',
  description: `For an AOF file or directory written by another implementation: what Redis 7.0 would do at
startup (load / truncate / refuse, and the resulting state), what Redis 4.0 would do with each
file, redis-check-aof's verdict, and every deviation from the format rules. Never modifies the files.`,
  options: {
    json: { type: 'boolean', help: 'one JSON report per PATH' },
  },
  footer: 'Exit status: 0 no deviation; 1 deviations; 2 usage error.',
} satisfies CommandSpec;

const CAMPAIGN_OPTIONS = {
  time: { type: 'string', arg: 'D', help: 'wall-clock budget: 60s, 2m, 90 (seconds; default 60s)' },
  json: { type: 'boolean', help: 'print the campaign report as JSON on stdout' },
  report: { type: 'string', arg: 'FILE', help: 'write a self-contained HTML report (the distinct findings first)' },
  junit: { type: 'string', arg: 'FILE', help: 'write JUnit XML: one test case per fault x property, failures with their replay, skipped checks as <skipped/>' },
  scenarios: {
    type: 'string',
    arg: 'DIR',
    help: 'write each power-loss failure as a scenario file (aofsim replay FILE)\n(default: FILE.scenarios/ next to --report)',
  },
  only: { type: 'string', choices: [...REAL_FAULTS, 'power-loss'], arg: 'FAULT', help: `one of ${REAL_FAULTS.join(', ')}, power-loss` },
  seed: { type: 'string', arg: 'N', help: 'first seed (with --only: exactly one run of that seed)' },
  'check-cmd': { type: 'string', arg: 'CMD', help: "a checker run on the files each fault left, e.g. 'redis-check-aof {file}'\n({file}: the manifest or single AOF, {dir}: the data dir); exit 0 must mean loadable" },
} as const;

const CAMPAIGN_TEXT = `SIGKILL during a workload and during BGREWRITEAOF, strace --inject faults (ENOSPC on write, EIO on
fdatasync, slow fdatasync), and power-loss crash states rebuilt from a recorded strace (ALICE-style)
with the simulator's crash models; every recovery is judged by the simulator's oracle. Needs strace
for injection and power-loss states.`;

const SERVER_SPEC = {
  name: 'validate server',
  synopsis: `--cmd 'my-server --port {port} --dir {dir} --appendonly yes --appendfsync {fsync}'
                         [--aof-dir appendonlydir|.] [--check-cmd CMD] [--time 60s] [--json] [--report report.html]
                         [--junit FILE] [--scenarios DIR] [--only FAULT] [--seed N]`,
  description: `Runs the campaign against any RESP server that writes Redis-format AOF files (Valkey, KeyDB, aofsim
serve, your own), started from a command template on 127.0.0.1 in temp dirs: ${CAMPAIGN_TEXT}
A probe start first detects CONFIG SET, BGREWRITEAOF, INFO persistence and the AOF layout (a
manifest in appendonlydir, or one file in the data dir); checks that need a missing feature are
reported as SKIPPED with the reason, never as passed or failed.`,
  options: {
    cmd: { type: 'string', arg: 'TEMPLATE', help: "the server's command line; {port} and {dir} required, {fsync} (always|everysec|no)\noptional: without it the policy is set with CONFIG SET appendfsync" },
    'aof-dir': { type: 'string', arg: 'D', help: "where the AOF files are, relative to {dir}: appendonlydir or . (default: detected)" },
    ...CAMPAIGN_OPTIONS,
  },
  footer: 'Exit status: 0 every property that ran held; 1 failures; 2 usage error (a bad template, or a subject that does not start, take a SET or write an AOF file); 3 no check could run (every one SKIPPED).',
} satisfies CommandSpec;

const REDIS_SERVER_SPEC = {
  name: 'validate redis-server',
  synopsis: `[--bin PATH] [--check-cmd CMD] [--time 60s] [--json] [--report report.html] [--junit FILE]
                               [--scenarios DIR] [--only FAULT] [--seed N]`,
  description: `The preset of validate server for binaries that take redis-server's flags (redis-server,
valkey-server, keydb-server): the same campaign on --bin. ${CAMPAIGN_TEXT}`,
  options: {
    bin: { type: 'string', arg: 'PATH', help: 'the binary (default $AOFSIM_REDIS_SERVER or redis-server)' },
    ...CAMPAIGN_OPTIONS,
  },
  footer: 'Exit status: 0 every property that ran held; 1 failures; 2 usage error (including a --bin that is not a Redis server); 3 no check could run (every one SKIPPED).',
} satisfies CommandSpec;

const USAGE = `${helpText(FILES_SPEC)}\n${helpText(SERVER_SPEC)}\n${helpText(REDIS_SERVER_SPEC)}`;

function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s);
  if (!m) throw new UsageError(`--time takes a duration like 60s or 2m, got '${s}'`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

async function validateFilesCmd(args: string[]): Promise<number> {
  const p = parseCommandArgs(FILES_SPEC, args);
  const json = p.flag('json');
  const paths = p.positionals;
  if (paths.length === 0) throw new UsageError('validate files: expected at least one PATH');
  for (const path of paths) {
    // A path that names nothing is the user's mistake, not a deviation of someone's files.
    try {
      statSync(path);
    } catch (e) {
      throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory'}`, 2, false);
    }
  }
  const fs = createNodeFs();
  let bad = 0;
  for (const p of paths) {
    const r = validateFiles(fs, p);
    if (!r.ok) bad++;
    process.stdout.write(json ? JSON.stringify(r) + '\n' : formatFilesReport(r));
  }
  return bad === 0 ? 0 : 1;
}

/** Throws UsageError unless the template's program exists and is executable (a path, or a name on PATH). */
function checkProgram(prog: string): void {
  const candidates = prog.includes('/') ? [prog] : (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, prog));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return;
    } catch {
      // not this one
    }
  }
  throw new UsageError(`--cmd: ${prog}: ${prog.includes('/') ? 'no such executable file' : 'not found on PATH'}`, 2, false);
}

async function validateServerCmd(args: string[], preset: boolean): Promise<number> {
  // The two specs share CAMPAIGN_OPTIONS; only --bin (preset) and --cmd/--aof-dir (server) differ.
  const own = preset ? parseCommandArgs(REDIS_SERVER_SPEC, args) : parseCommandArgs(SERVER_SPEC, args);
  const p = own as ParsedArgs<typeof CAMPAIGN_OPTIONS>;
  const ownString = (name: 'bin' | 'cmd' | 'aof-dir'): string | undefined => (own as ParsedArgs<OptionTable>).string(name);
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
  const time = p.string('time');
  const budgetMs = time === undefined ? 60_000 : parseDuration(time);
  const json = p.flag('json');
  const report = p.string('report');
  let scenariosDir = p.string('scenarios');
  const only = p.string('only') as RealFault | 'power-loss' | undefined;
  const seedText = p.string('seed');
  if (seedText !== undefined && !/^\d{1,9}$/.test(seedText)) throw new UsageError(`--seed takes a non-negative integer, got '${seedText}'`);
  const seed = seedText === undefined ? undefined : Number(seedText);
  const checkText = p.string('check-cmd');
  let checkCmd: string[] | undefined;
  let command: ServerCommand | undefined;
  let bin: string | undefined;
  let aofDir: string | undefined;
  try {
    checkCmd = checkText === undefined ? undefined : splitCommandLine(checkText);
    if (checkCmd !== undefined && checkCmd.length === 0) throw new TemplateError('--check-cmd: empty command');
    if (!preset) {
      const template = ownString('cmd');
      if (template === undefined) throw new UsageError("validate server: --cmd 'my-server --port {port} --dir {dir} ...' is required");
      command = parseServerCommand(template);
      aofDir = ownString('aof-dir');
      if (aofDir !== undefined && (aofDir.startsWith('/') || aofDir.split('/').includes('..'))) throw new TemplateError(`--aof-dir takes a directory relative to {dir}, got '${aofDir}'`);
    }
  } catch (e) {
    if (e instanceof TemplateError) throw new UsageError(e.message, 2, false);
    throw e;
  }
  // Before any fault is injected: a program that cannot run is the user's mistake, not a failure.
  if (command !== undefined) checkProgram(command.argv[0] as string);
  else {
    bin = ownString('bin') ?? DEFAULT_REDIS_BIN;
    checkServerBinary(bin);
  }
  if (checkCmd !== undefined) checkProgram(checkCmd[0] as string);
  // From the first server started on: a Ctrl-C must not leave the servers running.
  const reaper = new SubjectReaper('validate');
  let r;
  try {
    let features;
    try {
      features = await detectFeatures(command ?? redisServerCommandFor(bin as string), aofDir);
    } catch (e) {
      if (e instanceof SubjectUnusable) throw new UsageError(e.message, 2, false);
      throw e;
    }
    if (scenariosDir === undefined && report !== undefined) scenariosDir = `${report}.scenarios`;
    const tty = process.stderr.isTTY === true;
    r = await runCampaign({
      ...(command ? { command } : { bin }), aofDir, checkCmd, features, budgetMs, seed, only, scenariosDir,
      onProgress: (line) => process.stderr.write(tty ? `\r\u001b[K${line}` : `${line}\n`),
    });
  } finally {
    reaper.dispose();
  }
  const tty = process.stderr.isTTY === true;
  if (tty) process.stderr.write('\n');
  if (report !== undefined) {
    writeFileSync(report, renderReportHtml(r));
    process.stderr.write(`aofsim validate: report written to ${report}\n`);
  }
  const junit = p.string('junit');
  if (junit !== undefined) writeFileSync(junit, junitXml(validateJUnit(r)));
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  else process.stdout.write(formatValidateSummary(r));
  // Nothing ran (every check needed a feature the subject lacks): not a pass, whatever `ok` says.
  if (r.rows.length === 0) return 3;
  return r.ok ? 0 : 1;
}

export const validateCommand: CliCommand = {
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === 'files') return validateFilesCmd(rest);
    if (sub === 'server') return validateServerCmd(rest, false);
    if (sub === 'redis-server') return validateServerCmd(rest, true);
    throw new UsageError(`validate: expected "files", "server" or "redis-server", got ${sub ?? 'nothing'}`);
  },
};
