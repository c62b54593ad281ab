// `aofsim validate files PATH... [--json]` and `aofsim validate redis-server [--bin PATH]
// [--time 60s] [--json] [--report report.html] [--scenarios DIR] [--only FAULT] [--seed N]`
// (issue 7 items 4 and 5; DESIGN section 6 subjects `files` and `redis-server`). Faces the real
// world on purpose: reads files, starts processes, prints progress on stderr.

import { writeTextFile } from '../real-world.ts';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { runCampaign } from '../../sim/subjects/real-campaign.ts';
import { REAL_FAULTS, type RealFault } from '../../sim/subjects/real-faults.ts';
import { DEFAULT_REDIS_BIN } from '../../sim/subjects/real-redis-server.ts';
import { renderReportHtml } from '../../sim/subjects/report-html.ts';
import { formatFilesReport, validateFiles } from '../../sim/subjects/validate-files.ts';

const USAGE = `Usage:
  aofsim validate files PATH... [--json]
  aofsim validate redis-server [--bin PATH] [--time 60s] [--json] [--report report.html]
                               [--scenarios DIR] [--only FAULT] [--seed N]

files         For an AOF file or directory written by another implementation: what Redis 7.0
              would do at startup (load / truncate / refuse, and the resulting state), what the
              seed (Redis 4.0) would do with each file, redis-check-aof's verdict, and every
              deviation from the format rules. Never modifies the files.
              Exit 0: no deviation; 1: deviations; 2: usage.
redis-server  Runs the campaign against a real binary (redis-server, valkey-server, keydb-server)
              on 127.0.0.1 in temp dirs: SIGKILL during a workload and during BGREWRITEAOF,
              strace --inject faults (ENOSPC on write, EIO on fdatasync, slow fdatasync), and
              power-loss crash states rebuilt from a recorded strace (ALICE-style) with the
              simulator's crash models. Needs strace for injection and power-loss states.
  --bin PATH        the binary (default $AOFSIM_REDIS_SERVER or redis-server)
  --time D          wall-clock budget: 60s, 2m, 90 (seconds; default 60s)
  --json            print the campaign report as JSON on stdout
  --report FILE     write a self-contained HTML report
  --scenarios DIR   write each power-loss failure as a scenario file (aofsim replay FILE)
                    (default: FILE.scenarios/ next to --report)
  --only FAULT      one of ${REAL_FAULTS.join(', ')}, power-loss
  --seed N          first seed (with --only: exactly one run of that seed)
              Exit 0: every property held; 1: failures; 2: usage.`;

function parseDuration(s: string | undefined): number {
  const m = s === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s);
  if (!m) throw new UsageError(`--time takes a duration like 60s or 2m, got ${s ?? 'nothing'}`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

async function validateFilesCmd(args: string[]): Promise<number> {
  let json = false;
  const paths: string[] = [];
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else paths.push(a);
  }
  if (paths.length === 0) throw new UsageError('validate files: expected at least one PATH');
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
  let bin = DEFAULT_REDIS_BIN;
  let budgetMs = 60_000;
  let json = false;
  let report: string | undefined;
  let scenariosDir: string | undefined;
  let only: RealFault | 'power-loss' | undefined;
  let seed: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--bin') bin = val();
    else if (a === '--time') budgetMs = parseDuration(val());
    else if (a === '--json') json = true;
    else if (a === '--report') report = val();
    else if (a === '--scenarios') scenariosDir = val();
    else if (a === '--only') {
      const v = val();
      if (v !== 'power-loss' && !(REAL_FAULTS as readonly string[]).includes(v)) throw new UsageError(`--only takes one of ${REAL_FAULTS.join(', ')}, power-loss; got ${v}`);
      only = v as RealFault | 'power-loss';
    } else if (a === '--seed') {
      const v = val();
      if (!/^\d{1,9}$/.test(v)) throw new UsageError(`--seed takes a non-negative integer, got ${v}`);
      seed = Number(v);
    } else throw new UsageError(`unknown option ${a}`);
  }
  if (scenariosDir === undefined && report !== undefined) scenariosDir = `${report}.scenarios`;
  const tty = process.stderr.isTTY === true;
  const r = await runCampaign({
    bin, budgetMs, seed, only, scenariosDir,
    onProgress: (line) => process.stderr.write(tty ? `\r\u001b[K${line}` : `${line}\n`),
  });
  if (tty) process.stderr.write('\n');
  if (report !== undefined) {
    writeTextFile(report, renderReportHtml(r));
    process.stderr.write(`aofsim validate: report written to ${report}\n`);
  }
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  else {
    process.stdout.write(`${r.bin} (${r.version}): ${r.ok ? 'every property held' : `${r.failures.length} failure(s)`} in ${(r.elapsedMs / 1000).toFixed(1)} s\n`);
    for (const x of r.rows) process.stdout.write(`  ${x.failed > 0 ? 'FAIL' : 'pass'}  ${x.fault.padEnd(22)} ${x.property.padEnd(32)} ${x.passed} passed, ${x.failed} failed\n`);
    process.stdout.write(`  power-loss crash states checked: ${r.alice.statesChecked} (${r.alice.statesPerSecond.toFixed(1)}/s)\n`);
    const shown = new Set<string>();
    for (const f of r.failures) {
      const k = `${f.fault}/${f.property}`;
      if (shown.has(k)) continue;
      shown.add(k);
      process.stdout.write(`  FAILURE ${f.property} (${f.fault}): ${f.detail}\n    replay: ${f.replay}\n`);
    }
  }
  return r.ok ? 0 : 1;
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'validate other AOF implementations: offline files, or a real redis-server/valkey-server binary',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === 'files') return validateFilesCmd(rest);
    if (sub === 'redis-server') return validateServerCmd(rest);
    throw new UsageError(`validate: expected "files" or "redis-server", got ${sub ?? 'nothing'}`);
  },
};
