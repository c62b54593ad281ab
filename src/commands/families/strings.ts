// placeholder, filled in next
import type { CommandDef } from '../command-def.ts';

export const stringCommands: CommandDef[] = [];
