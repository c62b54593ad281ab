// The offline subcommands (no simulator needed). Each lives in its own file.

import type { CliCommand } from '../command.ts';

export const offlineCommands: CliCommand[] = [];
