// `aofsim validate files PATH... [--json]` and `aofsim validate redis-server [--bin PATH]
// [--time 60s] [--json] [--report report.html] [--scenarios DIR] [--only FAULT] [--seed N]`
// (issue 7 items 4 and 5; ARCHITECTURE.md#subjects subjects `files` and `redis-server`). Faces the real
// world on purpose: reads files, starts processes, prints progress on stderr.

import { statSync, writeFileSync } from 'node:fs';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';
import { checkServerBinary } from '../server-binary.ts';
import { runCampaign } from '../../sim/subjects/real-campaign.ts';
import { REAL_FAULTS, type RealFault } from '../../sim/subjects/real-faults.ts';
import { DEFAULT_REDIS_BIN } from '../../sim/subjects/real-redis-server.ts';
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

const SERVER_SPEC = {
  name: 'validate redis-server',
  synopsis: `[--bin PATH] [--time 60s] [--json] [--report report.html] [--junit FILE]
                               [--scenarios DIR] [--only FAULT] [--seed N]`,
  description: `Runs the campaign against a real binary (redis-server, valkey-server, keydb-server) on 127.0.0.1
in temp dirs: SIGKILL during a workload and during BGREWRITEAOF, strace --inject faults (ENOSPC on
write, EIO on fdatasync, slow fdatasync), and power-loss crash states rebuilt from a recorded
strace (ALICE-style) with the simulator's crash models. Needs strace for injection and power-loss
states.`,
  options: {
    bin: { type: 'string', arg: 'PATH', help: 'the binary (default $AOFSIM_REDIS_SERVER or redis-server)' },
    time: { type: 'string', arg: 'D', help: 'wall-clock budget: 60s, 2m, 90 (seconds; default 60s)' },
    json: { type: 'boolean', help: 'print the campaign report as JSON on stdout' },
    report: { type: 'string', arg: 'FILE', help: 'write a self-contained HTML report (the distinct findings first)' },
    junit: { type: 'string', arg: 'FILE', help: 'write JUnit XML: one test case per fault x property, failures with their replay' },
    scenarios: {
      type: 'string',
      arg: 'DIR',
      help: 'write each power-loss failure as a scenario file (aofsim replay FILE)\n(default: FILE.scenarios/ next to --report)',
    },
    only: { type: 'string', choices: [...REAL_FAULTS, 'power-loss'], arg: 'FAULT', help: `one of ${REAL_FAULTS.join(', ')}, power-loss` },
    seed: { type: 'string', arg: 'N', help: 'first seed (with --only: exactly one run of that seed)' },
  },
  footer: 'Exit status: 0 every property held; 1 failures; 2 usage error (including a --bin that is not a Redis server).',
} satisfies CommandSpec;

const USAGE = `${helpText(FILES_SPEC)}\n${helpText(SERVER_SPEC)}`;

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

async function validateServerCmd(args: string[]): Promise<number> {
  const p = parseCommandArgs(SERVER_SPEC, args);
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
  const bin = p.string('bin') ?? DEFAULT_REDIS_BIN;
  const time = p.string('time');
  const budgetMs = time === undefined ? 60_000 : parseDuration(time);
  const json = p.flag('json');
  const report = p.string('report');
  let scenariosDir = p.string('scenarios');
  const only = p.string('only') as RealFault | 'power-loss' | undefined;
  const seedText = p.string('seed');
  if (seedText !== undefined && !/^\d{1,9}$/.test(seedText)) throw new UsageError(`--seed takes a non-negative integer, got '${seedText}'`);
  const seed = seedText === undefined ? undefined : Number(seedText);
  // Before any fault is injected: a binary that cannot run is the user's mistake, not a Redis failure.
  checkServerBinary(bin);
  if (scenariosDir === undefined && report !== undefined) scenariosDir = `${report}.scenarios`;
  const tty = process.stderr.isTTY === true;
  const r = await runCampaign({
    bin, budgetMs, seed, only, scenariosDir,
    onProgress: (line) => process.stderr.write(tty ? `\r\u001b[K${line}` : `${line}\n`),
  });
  if (tty) process.stderr.write('\n');
  if (report !== undefined) {
    writeFileSync(report, renderReportHtml(r));
    process.stderr.write(`aofsim validate: report written to ${report}\n`);
  }
  const junit = p.string('junit');
  if (junit !== undefined) writeFileSync(junit, junitXml(validateJUnit(r)));
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  else process.stdout.write(formatValidateSummary(r));
  return r.ok ? 0 : 1;
}

export const validateCommand: CliCommand = {
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === 'files') return validateFilesCmd(rest);
    if (sub === 'redis-server') return validateServerCmd(rest);
    throw new UsageError(`validate: expected "files" or "redis-server", got ${sub ?? 'nothing'}`);
  },
};
