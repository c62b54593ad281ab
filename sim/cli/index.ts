// Subcommands that drive the simulator or real processes (run, replay, validate). Handed to
// src/cli/main.ts by bin/aofsim.mjs. These face the real world on purpose: wall-clock budgets and
// progress only, through src/cli/real-world.ts, never inside a simulation.

import type { CliCommand } from '../../src/cli/command.ts';
import { replayCommand } from './replay.ts';
import { validateCommand } from './validate.ts';
import { runCommand } from './run.ts';

export const simCommands: CliCommand[] = [runCommand, replayCommand, validateCommand];
