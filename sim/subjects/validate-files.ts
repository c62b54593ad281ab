// `aofsim validate files PATH` (issue 7 item 4; ARCHITECTURE.md#subjects, subject `files`): for an AOF file
// or directory written by another implementation, what Redis 7.0 would do at startup (load,
// truncate, refuse; and the resulting state), what the seed (Redis 4.0) would do with each file
// as its single `appendonly.aof`, and every deviation from the format rules.
//
// Sources of truth (this project's ports of Redis): src/aof/dump/dump-path.ts runDump (the 7.0
// loader in modify=false mode: files are never touched), src/aof/loader loadSingleAppendOnlyFile
// with the redis-4.0 dialect (the seed), src/aof/check checkAof (redis-check-aof 7.0.15: strict
// RESP, MULTI pairing, manifest rules).
// Invariants: read-only on any Fs; never throws for file contents (every outcome is a report).

import type { LoadResult } from '../../src/aof/loader/index.ts';
import { loadSingleAppendOnlyFile, rdbLoaderFor } from '../../src/aof/loader/index.ts';
import { checkAof } from '../../src/aof/check/index.ts';
import { runDump, resolveAofPath, unreproducedLines } from '../../src/aof/dump/dump-path.ts';
import { Executor } from '../../src/commands/executor.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { FsError, type Fs, type OpenMode } from '../../src/ports/fs.ts';
import { basename, joinPath } from '../../src/ports/fs.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import type { Clock } from '../../src/ports/clock.ts';

export type FileVerdict = 'load' | 'truncate' | 'refuse' | 'empty';

export interface StateSummary {
  keys: number;
  /** Keys per db (only dbs with keys). */
  dbs: Record<string, number>;
  /** Keys per type. */
  types: Record<string, number>;
}

export interface LoaderVerdict {
  verdict: FileVerdict;
  status: string;
  reason?: string;
  truncations: string[];
  state?: StateSummary;
  notes: string[];
}

export interface FilesReport {
  path: string;
  layout: 'single-file' | 'multi-part' | 'unknown';
  redis70: LoaderVerdict;
  /** The seed (4.0) per file, each as if it were its appendonly.aof. */
  seed: { file: string; verdict: LoaderVerdict }[];
  checker: { exitCode: number; lines: string[] };
  deviations: string[];
  ok: boolean;
}

function verdictOf(status: string): FileVerdict {
  if (status === 'ok') return 'load';
  if (status === 'truncated') return 'truncate';
  if (status === 'empty' || status === 'not-exist') return 'empty';
  return 'refuse';
}

function summarize(ks: Keyspace): StateSummary {
  const dbs: Record<string, number> = {};
  const types: Record<string, number> = {};
  let keys = 0;
  ks.dbs.forEach((db, i) => {
    if (db.dict.size === 0) return;
    dbs[String(i)] = db.dict.size;
    keys += db.dict.size;
    for (const v of db.dict.values()) types[v.type] = (types[v.type] ?? 0) + 1;
  });
  return { keys, dbs, types };
}

function fromLoad(result: LoadResult | undefined, stderr: string, ks: Keyspace | null): LoaderVerdict {
  const status = result?.status ?? 'failed';
  const v: LoaderVerdict = {
    verdict: verdictOf(status),
    status,
    truncations: (result?.truncations ?? []).map((t) => `${t.path}: ${t.fromSize} -> ${t.toSize} bytes`),
    notes: result?.notes ?? [],
  };
  if (result?.error) v.reason = result.error.message;
  else if (result === undefined) v.reason = stderr.trim().split('\n').pop();
  if (ks !== null && v.verdict !== 'refuse') v.state = summarize(ks);
  return v;
}

const fixedClock: Clock = { nowMs: () => 0 };

/** `atMs`: logical time for the state summary (keys expired at atMs are not counted). */
export function validateFiles(fs: Fs, path: string, options: { atMs?: number } = {}): FilesReport {
  const deviations: string[] = [];
  // Redis 7.0 startup, read-only.
  const dump = runDump(fs, { path, loadTruncated: true, verbose: false, atMs: options.atMs }, fixedClock);
  let layout: FilesReport['layout'] = 'unknown';
  let files: { file: string; path: string }[] = [];
  let checkPath = path;
  try {
    const r = resolveAofPath(fs, path);
    layout = r.kind;
    if (r.kind === 'single-file') files = [{ file: r.file, path: r.path }];
    else {
      const aofDir = joinPath(r.config.dir, r.config.appendDirname);
      checkPath = joinPath(aofDir, `${r.config.appendFilename}.manifest`);
      const m = dump.result?.manifest;
      if (m) {
        const all = [...(m.base ? [m.base] : []), ...m.incrs];
        files = all.map((a) => ({ file: a.name, path: joinPath(aofDir, a.name) }));
      }
    }
  } catch (e) {
    deviations.push(`path: ${(e as Error).message}`);
  }
  // State summary for 7.0, from the canonical dump runDump printed.
  let redis70: LoaderVerdict;
  if (dump.result) {
    const parsed = dump.exitCode === 0 ? (JSON.parse(dump.stdout) as { dbs: Record<string, { type: string }[]> }) : null; // keys live at atMs
    redis70 = fromLoad(dump.result, dump.stderr, null);
    if (parsed && redis70.verdict !== 'refuse') {
      const dbs: Record<string, number> = {};
      const types: Record<string, number> = {};
      let keys = 0;
      for (const [db, entries] of Object.entries(parsed.dbs)) {
        dbs[db] = entries.length;
        keys += entries.length;
        for (const e of entries) types[e.type] = (types[e.type] ?? 0) + 1;
      }
      redis70.state = { keys, dbs, types };
    }
  } else redis70 = { verdict: 'refuse', status: 'failed', reason: dump.stderr.trim(), truncations: [], notes: [] };
  if (redis70.verdict === 'refuse') deviations.push(`Redis 7.0 would refuse to start: ${redis70.reason ?? redis70.status}`);
  for (const t of redis70.truncations) deviations.push(`Redis 7.0 would truncate ${t} (aof-load-truncated yes; with no it refuses)`);
  if (dump.result && dump.result.unreproducedCount > 0) {
    // aofsim cannot say what Redis would load: the summary above lacks these commands' effects.
    for (const l of unreproducedLines('aofsim', dump.result)) deviations.push(l.replace(/^aofsim: /, ''));
  }
  const cmdErrors = /(\d+) command\(s\) replied with an error/.exec(dump.stderr);
  if (cmdErrors) deviations.push(`${cmdErrors[1]} command(s) in the AOF reply with an error when replayed`);

  // The seed, file by file.
  const seed = files.map((f) => {
    const ks = new Keyspace();
    const log = new MemoryLog();
    const executor = new Executor(ks, { profile: 'redis-4.0', clock: fixedClock, random: new SeededRandom(0), log });
    const r = loadSingleAppendOnlyFile(
      { fs, log, executor, modify: false, rdb: rdbLoaderFor(ks), clock: fixedClock },
      { file: f.file, path: f.path, loadTruncated: true, dialect: 'redis-4.0', oldStyle: true, isLastFile: true },
    );
    const v: LoaderVerdict = {
      verdict: verdictOf(r.status),
      status: r.status,
      truncations: r.truncation ? [`${r.truncation.path}: ${r.truncation.fromSize} -> ${r.truncation.toSize} bytes`] : [],
      notes: r.notes,
    };
    if (r.error) v.reason = r.error.message;
    if (v.verdict !== 'refuse') v.state = summarize(ks);
    return { file: basename(f.path), verdict: v };
  });
  // 4.0 refusing what only a newer Redis writes (an RDB version above 8, a command 4.0 lacks, the
  // `#TS:` annotation lines of 7.0's aof-timestamp-enabled, where 4.0 expects '*') is a
  // compatibility fact shown in the seed's verdict, not a deviation from the format.
  const newerThan40 = /^AOF_(RDB_UNSUPPORTED|UNKNOWN_COMMAND):|^AOF_FORMAT: .*: expected '\*', got '#'/;
  for (const s of seed) {
    if (s.verdict.verdict === 'refuse' && !newerThan40.test(s.verdict.reason ?? '')) deviations.push(`the seed (4.0) would refuse ${s.file}: ${s.verdict.reason ?? s.verdict.status}`);
  }

  // redis-check-aof (strict format rules); with no AOF at all there is nothing to check.
  let checker = { exitCode: 1, lines: [] as string[] };
  if (dump.result?.status === 'not-exist') {
    checker = { exitCode: 0, lines: ['(no AOF files: nothing to check)'] };
    return { path, layout, redis70, seed, checker, deviations, ok: deviations.length === 0 };
  }
  try {
    const c = checkAof(readOnly(fs), checkPath, {});
    checker = { exitCode: c.exitCode, lines: c.lines };
  } catch (e) {
    checker = { exitCode: 1, lines: [`aofsim: the checker failed: ${(e as Error).message}`] };
  }
  if (checker.exitCode !== 0) {
    const bad = checker.lines.filter((l) => /Bad|not valid|error|Error|truncat|Unexpected|Invalid|Failed|wrong/i.test(l));
    deviations.push(`redis-check-aof: ${bad.length > 0 ? bad.join(' / ') : checker.lines.slice(-1).join('')}`);
  } else {
    for (const l of checker.lines) if (/^aofsim: warning/.test(l)) deviations.push(l);
  }
  return { path, layout, redis70, seed, checker, deviations, ok: deviations.length === 0 };
}

/** The report as text, one fact per line. */
export function formatFilesReport(r: FilesReport): string {
  const v = (x: LoaderVerdict): string =>
    `${x.verdict} (status ${x.status})${x.reason ? `: ${x.reason}` : ''}` +
    (x.state ? `; state: ${x.state.keys} keys${Object.keys(x.state.dbs).length > 0 ? ` (${Object.entries(x.state.dbs).map(([d, n]) => `db${d}=${n}`).join(', ')}; ${Object.entries(x.state.types).map(([t, n]) => `${t}=${n}`).join(', ')})` : ''}` : '');
  const out = [`${r.path} (${r.layout})`, `  Redis 7.0: ${v(r.redis70)}`];
  for (const t of r.redis70.truncations) out.push(`    would truncate ${t}`);
  for (const s of r.seed) out.push(`  seed 4.0, ${s.file} as appendonly.aof: ${v(s.verdict)}`);
  out.push(`  redis-check-aof: exit ${r.checker.exitCode}`);
  for (const l of r.checker.lines) out.push(`    | ${l}`);
  if (r.deviations.length === 0) out.push('  no deviation from the format rules');
  for (const d of r.deviations) out.push(`  DEVIATION: ${d}`);
  return out.join('\n') + '\n';
}

/**
 * The checker opens each file read-write, as redis-check-aof does even without --fix; here it only
 * reads, so files the user may read but not write are judged by their bytes, not by their mode.
 * DIVERGENCE(redis): redis-check-aof says "Cannot open file F: Permission denied" for those.
 */
function readOnly(fs: Fs): Fs {
  return new Proxy(fs, {
    get(target, prop, receiver) {
      if (prop === 'open') {
        return (path: string, mode: OpenMode) => {
          if (mode !== 'read-write') return target.open(path, mode);
          const fh = target.open(path, 'read');
          // What open(O_RDWR) says of a directory, which a read-only open lets through.
          if (fh.stat().isDirectory) {
            fh.close();
            throw new FsError('EISDIR', 'open', path);
          }
          return fh;
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
