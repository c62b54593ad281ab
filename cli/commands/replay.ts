// `aofsim replay FILE... [--timeline] [--json]`: runs scenario files in the simulated world and
// checks their expectations. Exit 0 when every expectation of every file holds, 1 otherwise (or
// when a file is invalid). The timeline is printed with --timeline, and always for a failing file.
// Faces the real world on purpose: reads the scenario files from disk.

import { readFileSync } from 'node:fs';
import { systemMessage } from '../system-error.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';
import { parseScenario, ScenarioError } from '../../sim/scenario/parse-scenario.ts';
import { isAofError } from '../../src/base/errors.ts';
import { runScenario, type ScenarioResult } from '../../sim/scenario/run-scenario.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';
import { isRealScenarioText, parseRealScenario, runRealScenario } from '../../sim/subjects/real-scenario.ts';

const SPEC = {
  name: 'replay',
  synopsis: 'FILE... [--timeline] [--json]',
  description: `Runs each scenario file (*.scenario.json) deterministically in the simulated world and checks
its expectations. A file with "subject": "redis-server" runs against the real binary instead
(AOFSIM_REDIS_SERVER or its "bin", default redis-server on PATH).`,
  options: {
    timeline: { type: 'boolean', help: 'print the trace as a readable timeline (always printed when a file fails)' },
    json: { type: 'boolean', help: 'print one JSON report per file: name, ok, checks, failures, trace hash, trace events' },
  },
  footer: 'Exit status: 0 when every expectation holds, 1 otherwise, 2 usage error or an unreadable or invalid file.',
} satisfies CommandSpec;

export const replayCommand: CliCommand = {
  usage: helpText(SPEC),
  async run(args: string[]): Promise<number> {
    const p = parseCommandArgs(SPEC, args);
    const timeline = p.flag('timeline');
    const json = p.flag('json');
    const files = p.positionals;
    if (files.length === 0) throw new UsageError('expected at least one scenario file');
    const createServer = await loadServerFactory();
    let failed = 0;
    let invalid = 0;
    for (const file of files) {
      let result: ScenarioResult;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        invalid++;
        // EISDIR comes without the path: name the file either way.
        const msg = systemMessage(e);
        process.stderr.write(`aofsim replay: ${msg.startsWith(`${file}: `) ? msg : `${file}: ${msg}`}\n`);
        continue;
      }
      try {
        // `"subject": "redis-server"`: a scenario for a real binary (sim/subjects/real-scenario.ts).
        if (isRealScenarioText(text)) {
          const sc = parseRealScenario(text, file);
          const r = await runRealScenario(sc);
          if (!r.ok) failed++;
          if (json) {
            process.stdout.write(JSON.stringify({ file, name: sc.name, source: sc.source, subject: sc.subject, ok: r.ok, checks: r.checks, failures: r.failures, timeline: r.timeline }) + '\n');
            continue;
          }
          process.stdout.write(`scenario ${sc.name} (${sc.subject})\n  source: ${sc.source}\n`);
          if (timeline || !r.ok) process.stdout.write(`\n${r.timeline.join('\n')}\n\n`);
          for (const f of r.failures) process.stdout.write(`  FAIL ${f.path}: ${f.message}\n`);
          process.stdout.write(r.ok ? `  ok: ${r.checks} expectations hold\n` : `  FAILED: ${r.failures.length} of ${r.checks} expectations; reproduce with: aofsim replay ${file} --timeline\n`);
          continue;
        }
        const scenario = parseScenario(text, file);
        result = runScenario(scenario, { createServer, file });
        // Determinism is part of every replay: the same file run again gives the same trace.
        const again = runScenario(scenario, { createServer, file }).world.trace.hash();
        const first = result.world.trace.hash();
        if (again !== first) {
          result.ok = false;
          result.failures.push({ path: '$.determinism', message: `the same scenario ran twice gave traces ${first.slice(0, 16)} and ${again.slice(0, 16)}` });
        }
      } catch (e) {
        // A bad file (parseScenario's messages name the file and the JSON path; a config the server
        // rejects) is the user's mistake, exit 2; anything else failed while running, exit 1.
        if (e instanceof ScenarioError || (isAofError(e) && e.code === 'AOF_CONFIG')) invalid++;
        else failed++;
        process.stderr.write(`aofsim replay: ${file}: ${(e as Error).message.replace(`${file}: `, '')}\n`);
        continue;
      }
      if (!result.ok) failed++;
      if (json) {
        process.stdout.write(
          JSON.stringify({
            file,
            name: result.scenario.name,
            source: result.scenario.source,
            seed: result.scenario.seed,
            ok: result.ok,
            checks: result.checks,
            failures: result.failures,
            traceHash: result.world.trace.hash(),
            trace: result.world.trace.events,
          }) + '\n',
        );
        continue;
      }
      const s = result.scenario;
      process.stdout.write(`scenario ${s.name} (${s.profile}, seed ${s.seed})\n  source: ${s.source}\n`);
      if (timeline || !result.ok) process.stdout.write(`\n${result.world.trace.timeline()}\n`);
      for (const f of result.failures) process.stdout.write(`  FAIL ${f.path}: ${f.message}\n`);
      process.stdout.write(
        result.ok
          ? `  ok: ${result.checks} expectations hold (trace ${result.world.trace.hash().slice(0, 16)})\n`
          : `  FAILED: ${failedText(result.failures, result.checks)}; reproduce with: aofsim replay ${file} --timeline\n`,
      );
    }
    return invalid > 0 ? 2 : failed === 0 ? 0 : 1;
  },
};

/**
 * "1 of 4 expectations", and the oracle's violations apart: they are not counted among the
 * expectations (a file with none can fail on the oracle alone), so "2 of 1 expectations" said nothing.
 */
export function failedText(failures: readonly { path: string }[], checks: number): string {
  const oracle = failures.filter((f) => f.path === '$.oracle').length;
  const parts = [
    ...(failures.length > oracle || oracle === 0 ? [`${failures.length - oracle} of ${checks} expectations`] : []),
    ...(oracle > 0 ? [`${oracle} oracle violation${oracle === 1 ? '' : 's'}`] : []),
  ];
  return parts.join(', ');
}
