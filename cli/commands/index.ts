// Every `aofsim` subcommand: the offline ones (check, dump, rewrite, serve) and the ones that drive
// the simulator or real processes (run, replay, validate).

import type { CliCommand } from '../command.ts';
import { checkCommand } from './check.ts';
import { dumpCommand } from './dump.ts';
import { replayCommand } from './replay.ts';
import { rewriteCommand } from './rewrite.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { validateCommand } from './validate.ts';

export const allCommands: CliCommand[] = [
  checkCommand, dumpCommand, replayCommand, rewriteCommand, runCommand, serveCommand, validateCommand,
];
