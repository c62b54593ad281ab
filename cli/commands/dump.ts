// `aofsim dump PATH`: loads an AOF exactly as Redis 7.0 would at startup and prints the canonical
// dump on stdout (the engine is src/aof/dump/dump-path.ts). Never modifies files.

import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { runDump, type DumpOptions } from '../../src/aof/dump/dump-path.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { helpText, parseCommandArgs, type CommandSpec } from '../options.ts';

const SPEC = {
  name: 'dump',
  synopsis: 'PATH [--load-truncated yes|no] [--at-ms T] [--digest] [--verbose]',
  description: `Loads an AOF as Redis 7.0 would at startup and prints its canonical dump (JSON) on stdout.
Never modifies files: what Redis would truncate or migrate is reported on stderr.

PATH: an AOF file, a manifest, a directory holding a manifest, or a Redis dir holding
appendonlydir/ or an old-style appendonly.aof.`,
  options: {
    'load-truncated': { type: 'string', choices: ['yes', 'no'], help: 'aof-load-truncated (default yes)' },
    'at-ms': { type: 'string', arg: 'T', help: 'logical time in Unix ms: keys with expire time <= T are left out,\nand "atMs": T starts the dump' },
    digest: { type: 'boolean', help: "print the data set's DEBUG DIGEST (Redis's 40 hex digits) instead of the dump" },
    verbose: { type: 'boolean', help: "also print Redis's log lines for the load on stderr" },
  },
  footer: `Exit status: 0 dump printed; 1 Redis would refuse to start, or the AOF uses a Redis command
aofsim does not implement or a command replies with an error Redis would not give (file, offset
and command on stderr); 2 usage error.`,
} satisfies CommandSpec;

export function parseDumpArgs(args: string[]): DumpOptions {
  const p = parseCommandArgs(SPEC, args);
  if (p.positionals.length === 0) throw new UsageError('PATH is required');
  if (p.positionals.length > 1) throw new UsageError(`unexpected argument ${p.positionals[1]}`);
  const atMs = p.string('at-ms');
  if (atMs !== undefined && !/^-?[0-9]{1,16}$/.test(atMs)) throw new UsageError(`--at-ms takes an integer (Unix ms), got '${atMs}'`);
  return {
    path: p.positionals[0]!,
    loadTruncated: p.string('load-truncated') !== 'no',
    atMs: atMs === undefined ? undefined : Number(atMs),
    verbose: p.flag('verbose'),
    ...(p.flag('digest') ? { digest: true } : {}),
  };
}

export const dumpCommand: CliCommand = {
  usage: helpText(SPEC),
  async run(args: string[]): Promise<number> {
    const out = runDump(createNodeFs(), { ...parseDumpArgs(args), stream: true }, nodeClock);
    if (out.stderr) process.stderr.write(out.stderr);
    if (out.stdout) process.stdout.write(out.stdout);
    out.writeStdout?.((chunk) => process.stdout.write(chunk));
    return out.exitCode;
  },
};
