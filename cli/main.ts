// `aofsim`: dispatches to the subcommands in cli/commands, loading only the one that runs.
// A user's mistake ends with one line on stderr and exit 2 (or the mirrored tool's code), never a
// stack trace: UsageError from the commands, and system errors (ENOENT, EACCES, EADDRINUSE, ...)
// about what the user named. Anything else is aofsim's own bug and keeps its stack trace.

import type { CommandEntry } from './command.ts';
import { isUsageError } from './command.ts';
import { allCommands } from './commands/index.ts';
import { createStdoutWriter } from './stdio.ts';
import { systemMessage } from './system-error.ts';

export const VERSION = '0.1.0';

export async function main(argv: string[]): Promise<number> {
  // Byte order, not localeCompare: the names are lowercase ASCII, and the first localeCompare of a
  // process loads ICU's collator (10-20 ms of a ~100 ms start-up).
  const commands = [...allCommands].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const [name, ...rest] = argv;
  const out = createStdoutWriter();
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    out(`aofsim ${VERSION}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`aofsim: unknown command '${name}' (aofsim --help lists them)\n`);
    return 2;
  }
  const cmd = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    out(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (isUsageError(e)) {
      const hint = e.showHelpHint ? ` (aofsim ${name} --help)` : '';
      process.stderr.write(`aofsim ${name}: ${e.message}${hint}\n`);
      return e.exitCode;
    }
    if (isSystemError(e)) {
      process.stderr.write(`aofsim ${name}: ${systemMessage(e)}\n`);
      return 2;
    }
    throw e;
  }
}

/** A Node system error (errno code such as ENOENT): about a path or port the user gave. */
function isSystemError(e: unknown): e is Error & { code: string } {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

function helpText(commands: CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'aofsim: deterministic fault-injection simulator and test harness for Redis-style AOF persistence',
    '',
    'Usage: aofsim <command> [options]     (aofsim <command> --help for details)',
    '',
    'Commands:',
    ...lines,
    '',
  ].join('\n');
}
