// Every `aofsim` subcommand, listed without loading it: main() imports a command's module only
// when that command runs, so start-up does not pay for the simulator (issue: start-up <= 150 ms).

import type { CommandEntry } from '../command.ts';

export const allCommands: CommandEntry[] = [
  { name: 'check', summary: 'check (and --fix) an AOF like redis-check-aof 7.x', load: async () => (await import('./check.ts')).checkCommand },
  {
    name: 'dump',
    summary: 'load an AOF as Redis 7.0 would and print the canonical dump (never modifies files)',
    load: async () => (await import('./dump.ts')).dumpCommand,
  },
  {
    name: 'replay',
    summary: 'replay scenario files in the simulator and check their expectations (--timeline)',
    load: async () => (await import('./replay.ts')).replayCommand,
  },
  {
    name: 'rewrite',
    summary: 'offline compaction of an AOF into its minimal form (redis-4.0 file or redis-7.0 directory), verified by dump',
    load: async () => (await import('./rewrite.ts')).rewriteCommand,
  },
  {
    name: 'run',
    summary: 'run the property campaign (fault injection, crashes, oracle, offline loader) with a time budget; findings with replayable counterexamples',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'serve',
    summary: 'run the aofsim server on real files, speaking RESP2 on 127.0.0.1',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'validate',
    summary: 'validate other AOF implementations: offline files, or a real redis-server/valkey-server binary',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
];
