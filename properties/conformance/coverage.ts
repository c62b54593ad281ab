// The coverage table of Redis 7.0's write commands: for each command of `COMMAND LIST FILTERBY
// ACLCAT write` (asked from a running redis-server when one is given with --port, else read from
// redis-7.0.15-write-commands.txt, captured from redis-server 7.0.15), whether aofsim's command table
// supports it and whether the differential suite's generators produce it.
//
//   npx tsx properties/conformance/coverage.ts [--port N]   prints the Markdown table
//
// Invariants: "supported" means the table has the command (for `container|sub`, the container) and
// it is not one of the knowingly unsupported commands; nothing here is maintained by hand.

import { readFileSync } from 'node:fs';
import { Executor } from '../../src/commands/executor.ts';
import { UNSUPPORTED_NAMES } from '../../src/commands/families/unsupported.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { generatedCommandNames } from './command-arbitraries.ts';
import { SCRIPTING_SUITE_WRITE_COMMANDS } from './script-arbitraries.ts';
import { RespClient } from '../../sim/subjects/real-resp-client.ts';

export interface CoverageRow {
  command: string;
  supported: boolean;
  /** In the table as a knowingly unsupported command (fails with "... is unsupported by aofsim"). */
  refused: boolean;
  differential: boolean;
}

export function storedWriteCommands(): string[] {
  const text = readFileSync(new URL('./redis-7.0.15-write-commands.txt', import.meta.url), 'utf8');
  return text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

export async function liveWriteCommands(port: number): Promise<string[]> {
  const c = await RespClient.connect(port);
  try {
    const r = await c.call(['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'write']);
    if (r.kind !== 'array' || r.value === null) throw new Error('COMMAND LIST: unexpected reply');
    return r.value.map((x) => (x.kind === 'bulk' ? (x.value as string) : '')).sort();
  } finally {
    c.close();
  }
}

export function coverageRows(writeCommands: string[]): CoverageRow[] {
  const ex = new Executor(new Keyspace(), { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  const unsupported = new Set<string>(UNSUPPORTED_NAMES);
  const generated = generatedCommandNames();
  for (const n of SCRIPTING_SUITE_WRITE_COMMANDS) generated.add(n); // scripting-vs-redis.test.ts
  return writeCommands.map((command) => {
    const base = command.split('|')[0];
    const supported = ex.lookup(base) !== undefined && !unsupported.has(base);
    const refused = unsupported.has(base);
    const differential = generated.has(command) || (!command.includes('|') && generated.has(base));
    return { command, supported, refused, differential };
  });
}

export function coverageMarkdown(rows: CoverageRow[]): string {
  const sup = rows.filter((r) => r.supported).length;
  const diff = rows.filter((r) => r.differential).length;
  const out = [
    `Redis 7.0 write commands: ${rows.length}; supported by aofsim: ${sup}; exercised by the differential suite: ${diff}.`,
    '',
    '| command | supported | differential suite |',
    '|---|---|---|',
  ];
  for (const r of rows) out.push(`| ${r.command.replace('|', '\\|')} | ${r.supported ? 'yes' : r.refused ? 'no (unsupported error)' : 'no (unknown command)'} | ${r.differential ? 'yes' : 'no'} |`);
  return out.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/properties\//, 'properties/'))) {
  const i = process.argv.indexOf('--port');
  const cmds = i > 0 ? await liveWriteCommands(Number(process.argv[i + 1])) : storedWriteCommands();
  console.log(coverageMarkdown(coverageRows(cmds)));
}
