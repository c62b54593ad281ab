// Library API, AOF bytes (`loadAof`, `checkAof`): load AOF bytes exactly as Redis 7.0 would at
// startup (redis: aof.c loadAppendOnlyFiles, through src/aof/dump) and render the canonical dump,
// and check AOF bytes as redis-check-aof 7.x does (src/aof/check). Everything runs on an in-memory
// copy of the bytes given: nothing on disk is read or changed. File names in messages are relative
// to the input (the in-memory mount point never shows).

import { checkAof as checkAofFs } from '../src/aof/check/check-aof.ts';
import { runDump } from '../src/aof/dump/dump-path.ts';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';

/**
 * AOF bytes: one file (taken as an old-style `appendonly.aof`), or the files of a Redis `dir` or of
 * an AOF directory by relative name, e.g. `{ 'appendonlydir/appendonly.aof.manifest': ..., ... }`.
 * Strings are bytes (latin1, one char per byte).
 */
export type AofInput = Uint8Array | string | Record<string, Uint8Array | string>;

export interface LoadAofOptions {
  /** aof-load-truncated (default true, as Redis). */
  loadTruncated?: boolean;
  /** Logical time in Unix ms: keys with expire time <= atMs are left out of the dump. Default 0. */
  atMs?: number;
}

export interface LoadAofResult {
  /** Whether Redis 7.0 would start (possibly after truncating a short last file). */
  ok: boolean;
  /** Loader status: ok, truncated, empty, not-exist, failed, open-err. */
  status: string;
  /** The canonical dump (JSON text) of what loads; null when Redis would refuse to start. */
  dump: string | null;
  /** What Redis would log, truncate or refuse, one message a line (aofsim's wording). */
  messages: string[];
}

export interface CheckAofOptions {
  /** `--truncate-to-timestamp T` is not offered here (it changes files); "now" for expiry counts. */
  nowMs?: number;
}

export interface CheckAofResult {
  /** redis-check-aof's exit code: 0 valid, 1 not valid. */
  exitCode: number;
  ok: boolean;
  /** redis-check-aof's output lines (aofsim's own start with `aofsim: `). */
  lines: string[];
}

const ROOT = '/aof';

function mount(input: AofInput): { fs: ReturnType<typeof createMemoryFs>; path: string } {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    return { fs: createMemoryFs({ [`${ROOT}/appendonly.aof`]: input }), path: `${ROOT}/appendonly.aof` };
  }
  const files: Record<string, Uint8Array | string> = {};
  for (const [name, data] of Object.entries(input)) {
    if (name.startsWith('/') || name.split('/').includes('..')) throw new Error(`aofsim: file names are relative to the dir: ${name}`);
    files[`${ROOT}/${name}`] = data;
  }
  const fs = createMemoryFs(files);
  // A dir with no files at all is still a dir (a Redis `dir` before the first write).
  fs.mkdir(ROOT, true);
  return { fs, path: ROOT };
}

/** Loads AOF bytes as Redis 7.0 would at startup (read-only) and returns the canonical dump. */
export function loadAof(input: AofInput, options: LoadAofOptions = {}): LoadAofResult {
  const { fs, path } = mount(input);
  const atMs = options.atMs ?? 0;
  const r = runDump(fs, { path, loadTruncated: options.loadTruncated ?? true, atMs, verbose: false }, { nowMs: () => atMs });
  const messages = r.stderr.split('\n').filter((l) => l !== '').map((l) => l.split(`${ROOT}/`).join(''));
  return { ok: r.exitCode === 0, status: r.result?.status ?? 'failed', dump: r.exitCode === 0 ? r.stdout : null, messages };
}

/**
 * Checks AOF bytes as redis-check-aof 7.x does (same lines and exit code). For a directory input the
 * manifest is `appendonlydir/appendonly.aof.manifest`, or a `*.manifest` at the top.
 */
export function checkAof(input: AofInput, options: CheckAofOptions = {}): CheckAofResult {
  const { fs, path } = mount(input);
  let target = path;
  if (path === ROOT) {
    const top = fs.readdir(ROOT).filter((n) => n.endsWith('.manifest'));
    if (top.length === 1) target = `${ROOT}/${top[0]}`;
    else if (fs.tryStat(`${ROOT}/appendonlydir/appendonly.aof.manifest`)) target = `${ROOT}/appendonlydir/appendonly.aof.manifest`;
    else if (fs.tryStat(`${ROOT}/appendonly.aof`)) target = `${ROOT}/appendonly.aof`;
    // As `aofsim check DIR`: redis-check-aof given a directory cannot read it.
    else return { exitCode: 1, ok: false, lines: ['aofsim: the input holds no manifest, no appendonlydir/ with a manifest, and no appendonly.aof', 'Cannot read file: .'] };
  }
  const report = checkAofFs(fs, target, { nowMs: options.nowMs ?? 0 });
  const lines = report.lines.map((l) => l.split(`${ROOT}/`).join(''));
  return { exitCode: report.exitCode, ok: report.exitCode === 0, lines };
}
