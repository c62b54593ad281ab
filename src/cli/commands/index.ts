// The offline subcommands (no simulator needed). Each lives in its own file.

import type { CliCommand } from '../command.ts';
import { checkCommand } from './check.ts';
import { dumpCommand } from './dump.ts';
import { rewriteCommand } from './rewrite.ts';
import { serveCommand } from './serve.ts';

export const offlineCommands: CliCommand[] = [checkCommand, dumpCommand, rewriteCommand, serveCommand];
