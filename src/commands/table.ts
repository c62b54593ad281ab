// The command table (redis: commands.c + populateCommandTable): every family's CommandDef[] by
// lower-case name. Adding a family is one import and one entry in FAMILIES below; a later family
// may replace an earlier definition of the same name (e.g. a full implementation replacing a stub).
//
// Invariant: names are lower-case and unique after merging; every def has a handler.

import type { CommandDef } from './command-def.ts';
import { bitmapCommands } from './families/bitmaps.ts';
import { blockingCommands } from './families/blocking.ts';
import { dumpRestoreCommands } from './families/dump-restore.ts';
import { genericCommands } from './families/generic.ts';
import { geoCommands } from './families/geo.ts';
import { hashCommands } from './families/hashes.ts';
import { hyperloglogCommands } from './families/hyperloglog.ts';
import { lcsCommands } from './families/lcs.ts';
import { listCommands } from './families/lists.ts';
import { scanCommands } from './families/scan.ts';
import { scriptingCommands } from './families/scripting.ts';
import { serverCommands } from './families/server.ts';
import { setCommands } from './families/sets.ts';
import { sortCommands } from './families/sort.ts';
import { stringCommands } from './families/strings.ts';
import { streamCommands } from './families/streams.ts';
import { transactionCommands } from './families/transactions.ts';
import { unsupportedCommands } from './families/unsupported.ts';
import { zsetCommands } from './families/zsets.ts';

/** Families in load order; later entries override earlier ones by name. */
export const FAMILIES: readonly (readonly CommandDef[])[] = [
  unsupportedCommands,
  serverCommands,
  scriptingCommands,
  transactionCommands,
  genericCommands,
  scanCommands,
  stringCommands,
  lcsCommands,
  listCommands,
  hashCommands,
  setCommands,
  zsetCommands,
  streamCommands,
  hyperloglogCommands,
  bitmapCommands,
  geoCommands,
  sortCommands,
  blockingCommands,
  dumpRestoreCommands,
];

/** Builds the name -> definition map from FAMILIES plus `extra` (which wins). */
export function buildCommandTable(extra: readonly CommandDef[] = []): Map<string, CommandDef> {
  const table = new Map<string, CommandDef>();
  for (const family of FAMILIES) for (const d of family) table.set(d.name, d);
  for (const d of extra) table.set(d.name, d);
  return table;
}

/** FAMILIES merged once at load: immutable, shared by every Executor (which looks its extras up first). */
export const BASE_COMMAND_TABLE: ReadonlyMap<string, CommandDef> = buildCommandTable();
