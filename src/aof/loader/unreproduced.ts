// Results of one file folded into a LoadResult, and the words for commands whose load aofsim cannot
// reproduce (Reply.unreproduced: Redis would have run them; aofsim replied with an error).
// Invariant: LoadResult.unreproducedCount counts every such command; the list keeps the first
// MAX_UNREPRODUCED in load order, so a report always names the first one.

import { hexOffset } from '../../base/errors.ts';
import type { SingleFileResult } from './load-single-file.ts';
import { MAX_UNREPRODUCED, type FileLoad, type LoadResult, type UnreproducedCommand } from './types.ts';

/** "appendonly.aof@0x0000002a: 'FCALL' (ERR FCALL is unsupported by aofsim)" */
export function formatUnreproduced(u: UnreproducedCommand): string {
  return `${u.file}@${hexOffset(u.offset)}: '${u.command}' (${u.reason})`;
}

/** Adds one file's outcome to `res` (files, truncations, notes, error, unreproduced commands). */
export function mergeFileResult(res: LoadResult, f: SingleFileResult): void {
  // The FileLoad fields by name, in SingleFileLoad's order: an object rest takes V8's slow path
  // (about a microsecond per file of every simulated restart).
  const { error, truncation, notes, unsupportedCommand, unreproduced, unreproducedCount } = f;
  const file: FileLoad = { file: f.file, path: f.path, status: f.status, commands: f.commands, sizeBytes: f.sizeBytes, validUpTo: f.validUpTo };
  res.files.push(file);
  if (truncation) res.truncations.push(truncation);
  res.notes.push(...notes);
  if (error) res.error = error;
  if (unsupportedCommand !== undefined) res.unsupportedCommand = unsupportedCommand;
  for (const u of unreproduced) if (res.unreproduced.length < MAX_UNREPRODUCED) res.unreproduced.push(u);
  res.unreproducedCount += unreproducedCount;
}

/** The LoadResult of a load of one file on its own (`aofsim dump FILE`). */
export function singleFileLoadResult(f: SingleFileResult): LoadResult {
  const res: LoadResult = {
    status: f.status,
    truncations: [],
    currentSizeBytes: f.sizeBytes,
    baseSizeBytes: f.sizeBytes,
    manifest: null,
    files: [],
    notes: [],
    unreproduced: [],
    unreproducedCount: 0,
  };
  mergeFileResult(res, f);
  return res;
}
