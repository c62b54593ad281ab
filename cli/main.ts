// `aofsim`: dispatches to the subcommands in cli/commands.

import type { CliCommand } from './command.ts';
import { UsageError } from './command.ts';
import { allCommands } from './commands/index.ts';

export async function main(argv: string[]): Promise<number> {
  const commands = [...allCommands].sort((a, b) => a.name.localeCompare(b.name));
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('aofsim 0.1.0\n');
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`aofsim: unknown command '${name}'\n\n${helpText(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`aofsim ${name}: ${e.message}\n\n${cmd.usage}\n`);
      return 2;
    }
    throw e;
  }
}

function helpText(commands: CliCommand[]): string {
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
