// aofsim's redis-check-aof: checks an old-style AOF (RESP, or RDB preamble + RESP tail) or a
// multi-part AOF given by its manifest, on any Fs, and returns a CheckReport (output lines, exit
// code, truncations performed). redis: redis-check-aof.c redis_check_aof_main, checkMultiPartAof,
// checkOldStyleAof (7.0.15). Output lines are Redis's, in Redis's order; aofsim's own lines start
// with `aofsim: `. Manifest errors are printed without the `<pid>:C <date> # ` log prefix and
// blank lines redis-check-aof gets from serverLog.
// DIVERGENCE(redis): a manifest is recognised only when the first non-comment line starts with
// `file` (redis/redis#12958); 7.0.15 looks at every line. A warning says when 7.0.15 would differ.
// Invariants: only the last file (in manifest order) is ever truncated; nothing is written
// unless `fix` was asked for and confirmed, or a `#TS:` annotation is past --truncate-to-timestamp.

import type { Fs } from '../../ports/fs.ts';
import { dirname, isFsError } from '../../ports/fs.ts';
import { isAofError } from '../../base/errors.ts';
import { parseManifest } from '../manifest/parse-manifest.ts';
import type { Manifest } from '../manifest/types.ts';
import { cStrtolString } from './c-strtol.ts';
import { CheckExit, CheckRun, type SingleResult } from './check-run.ts';
import { isRdb, manifestDecision } from './input-type.ts';
import type { CheckOptions, CheckReport } from './types.ts';

export function checkAof(fs: Fs, filepath: string, options: CheckOptions = {}): CheckReport {
  let toTimestamp = 0n;
  const early: string[] = [];
  if (options.truncateToTimestamp !== undefined) {
    const r = cStrtolString(options.truncateToTimestamp);
    if (r.overflow || r.end !== Buffer.byteLength(options.truncateToTimestamp, 'latin1')) {
      early.push('Invalid timestamp, aborting...');
      options.onLine?.(early[0]!);
      return { lines: early, exitCode: 1, fixes: [] };
    }
    toTimestamp = r.big ?? BigInt(r.value);
  }
  const run = new CheckRun(fs, options, toTimestamp);
  let exitCode: 0 | 1 = 0;
  try {
    main(run, fs, filepath, options);
  } catch (e) {
    if (!(e instanceof CheckExit)) throw e;
    exitCode = e.code;
  }
  return { lines: run.lines, exitCode, fixes: run.fixes };
}

/** The first `max` bytes of a file (redis: fopen + fread in fileIsManifest / fileIsRDB). */
function readPrefixOrExit(run: CheckRun, fs: Fs, path: string, max: number): Uint8Array {
  try {
    const fh = fs.open(path, 'read');
    try {
      const size = fh.stat().sizeBytes;
      return size === 0 ? new Uint8Array(0) : fh.read(Math.min(size, max), 0);
    } finally {
      fh.close();
    }
  } catch (e) {
    if (!isFsError(e)) throw e;
    run.print(`Cannot open file ${path}: ${e.strerror}`);
    return run.exit(1);
  }
}

/**
 * How much of the input is scanned to pick the mode. The fixed rule (redis/redis#12958) decides on
 * the first non-comment line; only the 7.0.15 comparison (a warning) looks further, up to here.
 */
const DETECT_MAX_BYTES = 16 * 1024 * 1024;

function main(run: CheckRun, fs: Fs, filepath: string, options: CheckOptions): void {
  const fix = options.fix === true;
  const dirpath = dirname(filepath);
  const data = readPrefixOrExit(run, fs, filepath, DETECT_MAX_BYTES);
  const d = data.length === 0 ? { manifest: false, legacyManifest: false } : manifestDecision(data);
  if (d.manifest) {
    checkMultiPart(run, fs, dirpath, filepath, fix);
  } else {
    if (d.legacyManifest) {
      run.print(
        `aofsim: warning: ${filepath} has a line starting with 'file' after other content: redis-check-aof 7.0.15 and older (before redis/redis#12958) would take it for a manifest`,
      );
    }
    checkOldStyle(run, filepath, fix, isRdb(data));
  }
  run.exit(0);
}

function report(run: CheckRun, kind: string, name: string, ret: SingleResult): void {
  if (ret === 'ok') run.print(`${kind} ${name} is valid`);
  else if (ret === 'empty') run.print(`${kind} ${name} is empty`);
  else if (ret === 'timestamp-truncated') run.print(`Successfully truncated AOF ${name} to timestamp ${run.toTimestamp}`);
  else run.print(`Successfully truncated AOF ${name}`);
}

function loadManifest(run: CheckRun, fs: Fs, path: string): Manifest {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFile(path);
  } catch (e) {
    if (!isFsError(e)) throw e;
    run.print(`Fatal error: can't open the AOF manifest file ${path} for reading: ${e.strerror}`);
    return run.exit(1);
  }
  try {
    return parseManifest(bytes, path);
  } catch (e) {
    if (!isAofError(e)) throw e;
    run.print('*** FATAL AOF MANIFEST FILE ERROR ***');
    if (e.details.line !== undefined) {
      run.print(`Reading the manifest file, at line ${e.details.line}`);
      run.print(`>>> '${e.details.lineText ?? ''}'`);
    }
    run.print(e.reason);
    return run.exit(1);
  }
}

/** redis: checkMultiPartAof. */
function checkMultiPart(run: CheckRun, fs: Fs, dirpath: string, manifestPath: string, fix: boolean): void {
  run.print('Start checking Multi Part AOF');
  const am = loadManifest(run, fs, manifestPath);
  const total = (am.base ? 1 : 0) + am.incrs.length;
  let n = 0;
  if (am.base) {
    const name = am.base.name;
    const path = `${dirpath}/${name}`;
    const last = ++n === total;
    const preamble = isRdb(readPrefixOrExit(run, fs, path, 8));
    run.print(`Start to check BASE AOF (${preamble ? 'RDB' : 'RESP'} format).`);
    report(run, 'BASE AOF', name, run.checkSingleAof(name, path, last, fix, preamble));
  }
  if (am.incrs.length > 0) {
    run.print('Start to check INCR files.');
    for (const ai of am.incrs) {
      const path = `${dirpath}/${ai.name}`;
      const last = ++n === total;
      report(run, 'INCR AOF', ai.name, run.checkSingleAof(ai.name, path, last, fix, false));
    }
  }
  run.print('All AOF files and manifest are valid');
}

/** redis: checkOldStyleAof. */
function checkOldStyle(run: CheckRun, filepath: string, fix: boolean, preamble: boolean): void {
  run.print('Start checking Old-Style AOF');
  report(run, 'AOF', filepath, run.checkSingleAof(filepath, filepath, true, fix, preamble));
}
