// Four Redis 7.0 defects that aofsim's simulated campaign found in the 7.x logic (bug switches
// fork-failure-keeps-temp-incr, incr-seq-reuses-history, dropped-buffer-error-sticky (7.x case) and
// temp-incr-reopened-truncated, scenarios/<name>-bug.scenario.json),
// replayed with strace fault injection on the real redis-server 7.0.15 and on Valkey 8.0.1 (issue 11
// item 3; $AOFSIM_VALKEY_BIN): all four reproduce on both, step for step (Valkey's aof.c keeps
// these paths; only a log line's wording differs). Each test asserts what the
// real binary does, so a test that starts failing means the binary no longer has the defect (or
// the injection no longer lands where it should: every step also checks the log line, manifest
// text and file listing that prove it did).
//
// - fork-failure-keeps-temp-incr: the first `clone` of the server is its fork (glibc 2.36 forks with
//   clone; threads use clone3), so `inject=clone:error=ENOMEM:when=1` fails the fork of
//   CONFIG SET appendonly yes after it opened temp-appendonly.aof.incr. The fd stays open with the
//   AOF off; the next BGREWRITEAOF then keeps the manifest's last INCR (written before appendonly no)
//   next to the new BASE, and the restart applies RPUSH k0 a twice. A control run without the failed
//   CONFIG SET shows the same steps otherwise end in [a].
// - incr-seq-reuses-history: strace delivers SIGKILL on entry to the unlink of the history file
//   appendonly.aof.1.incr.aof (-P matches the literal relative path redis passes), which is the crash
//   window between the done handler persisting the manifest with its history lines and the history
//   deletion. The next start numbers its new INCR from INCR lines only, reopens the history file's
//   name, unlinks it as history, and the start after that cannot find the INCR the manifest lists.
// - dropped-buffer-error-sticky (7.x case): CONFIG SET appendonly yes puts the AOF in WAIT_REWRITE, writing to
//   appendonlydir/temp-appendonly.aof.incr; strace (main thread only, no -f) fails every write to that
//   file with ENOSPC (-P with the absolute path: a write is matched by its fd's /proc path) and the
//   first rename of it (-P with the relative path: rename is matched by its first argument) with
//   ENOSPC, which fails the enabling rewrite in its done handler. The cleanup drops aof_buf and the
//   temp INCR, the rescheduled rewrite switches the AOF on, and aof_last_write_status stays err with
//   nothing left to write: MISCONF for every write until appendonly no/yes. rdb-key-save-delay slows
//   the rewrite child so the failed write always comes before the done handler. A control run without
//   the rename fault shows the same write error cleared right after the rewrite. (A full tmpfs, which
//   fails the rewrite child's own write with ENOSPC, ends the same way on 7.0.15; it is not used here
//   because mounting needs root.)
// - temp-incr-reopened-truncated: with appendfsync no, stopAppendOnly fdatasyncs the temp INCR that
//   CONFIG SET appendonly yes opened (holding RPUSH k0 a, written during WAIT_REWRITE); the next
//   CONFIG SET appendonly yes reopens the same name with O_TRUNC and nothing fsyncs that file again
//   before the done handler renames it to appendonly.aof.2.incr.aof and fdatasyncs the directory.
//   This one is a power-loss state, so it goes through the ALICE machinery (real-alice.ts): the run is
//   recorded with strace (file syscalls with data), replayed into a SimFs (trace-replay.ts) and cut
//   right after the done handler's directory fdatasync with the strict model (only fsynced data and
//   fsynced directory entries survive: the truncation is lost). Both aofsim's loader and
//   redis-server load the state as [a, a]: the RPUSH is in the new BASE and back in INCR 2. A control
//   run that writes RPUSH k0 a before the two appendonly no/yes cycles (so the temp INCR was fsynced
//   empty) gives [a] from the same cut. appendonlydir exists before the start because Redis never
//   fsyncs the data directory after creating it: under the strict model the whole appendonlydir would
//   be lost. (Not tried on a real power cut: a journaling file system such as ext4 likely commits
//   the truncation's metadata with the directory's fdatasync; the state is what POSIX allows.)
//
// Each subject skips LOUDLY on its own without its binary (redis-server 7.0, valkey-server 8.0) or strace;
// fails instead when AOFSIM_REQUIRE_REDIS=1.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { crashImage } from '../../sim/subjects/crash-states.ts';
import { STRACE_ARGS } from '../../sim/subjects/real-alice.ts';
import { REQUIRE_REAL, VALKEY_BIN, redisServerMissing, skipLoudly, straceMissing, valkeyMissing } from '../../sim/subjects/real-availability.ts';
import { DEFAULT_REDIS_BIN, RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { bulkText } from '../../sim/subjects/real-resp-client.ts';
import { parseStrace, type TracedOp } from '../../sim/subjects/strace-parse.ts';
import { TraceReplay } from '../../sim/subjects/trace-replay.ts';

/** The subjects, each with the INFO server line that proves a started server is that binary. */
const SUBJECTS = [
  { name: 'redis-server 7.0.15', bin: DEFAULT_REDIS_BIN, missing: redisServerMissing() ?? straceMissing(), version: /^redis_version:7\.0\./m },
  { name: 'valkey-server 8.0.1', bin: VALKEY_BIN, missing: valkeyMissing() ?? straceMissing(), version: /^valkey_version:8\.0\./m },
];

const CONFIG = { appendonly: 'yes', appendfsync: 'everysec', 'aof-use-rdb-preamble': 'no' };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function manifest(dir: string): string {
  return readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
}

function listing(dir: string): string[] {
  return readdirSync(join(dir, 'appendonlydir')).sort();
}

/** The elements of an array-of-bulks reply (null for anything else). */
function bulks(r: Reply | null): (string | null)[] | null {
  if (r === null || r.kind !== 'array' || r.value === null) return null;
  return r.value.map((x) => (x.kind === 'bulk' ? x.value : null));
}

/** Waits (bounded: 10 s) until no AOF rewrite is scheduled or running; returns INFO persistence. */
async function rewriteFinished(server: RedisServerSubject): Promise<string> {
  let info = '';
  for (let i = 0; i < 200; i++) {
    const r = await server.call(['INFO', 'persistence']);
    info = bulkText(r);
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return info;
    await sleep(50);
  }
  throw new Error(`the AOF rewrite did not finish within 10 s:\n${info}`);
}

/**
 * RPUSH k0 a; CONFIG SET appendonly no; [CONFIG SET appendonly yes, its fork failing]; BGREWRITEAOF;
 * LPOP k0; SIGKILL; restart. Returns the dir's evidence and LRANGE k0 after the restart.
 */
async function forkFailureRun(bin: string, failEnable: boolean): Promise<{ enableReply: Reply | null; log: string; manifestAfterRewrite: string; listingAfterRewrite: string[]; recovered: (string | null)[] | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'aofsim-found-fork-'));
  const strace = { args: ['-f', '-qq', '-e', 'trace=clone', '-e', 'inject=clone:error=ENOMEM:when=1'], traceFile: join(dir, 'strace.out') };
  // The control runs without strace: its first fork is BGREWRITEAOF's, which must succeed.
  const server = new RedisServerSubject({ bin, dir, config: CONFIG, ...(failEnable ? { strace } : {}) });
  const restarted = new RedisServerSubject({ bin, dir, config: CONFIG });
  try {
    const st = await server.start();
    expect(st.outcome, st.log.join('\n')).toBe('ok');
    expect(await server.call(['RPUSH', 'k0', 'a'])).toEqual({ kind: 'integer', value: 1 });
    expect(await server.call(['CONFIG', 'SET', 'appendonly', 'no'])).toEqual({ kind: 'status', value: 'OK' });
    const enableReply = failEnable ? await server.call(['CONFIG', 'SET', 'appendonly', 'yes']) : null;
    const bg = await server.call(['BGREWRITEAOF']);
    expect(bg?.kind, JSON.stringify(bg)).toBe('status');
    const info = await rewriteFinished(server);
    expect(info).toMatch(/aof_last_bgrewrite_status:ok/);
    expect(info).toMatch(/aof_enabled:0/);
    const manifestAfterRewrite = manifest(dir);
    const listingAfterRewrite = listing(dir);
    expect(await server.call(['LPOP', 'k0'])).toEqual({ kind: 'bulk', value: 'a' });
    await server.kill();
    const log = server.log.join('\n');
    const st2 = await restarted.start();
    expect(st2.outcome, st2.log.join('\n')).toBe('ok');
    const recovered = bulks(await restarted.call(['LRANGE', 'k0', '0', '-1']));
    return { enableReply, log, manifestAfterRewrite, listingAfterRewrite, recovered };
  } finally {
    await server.stop();
    await restarted.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const MISCONF = { kind: 'error', value: 'MISCONF Errors writing to the AOF file: No space left on device' };

/** The INFO persistence fields that tell the AOF's write state (a field missing from the reply is absent). */
async function aofStatus(server: RedisServerSubject): Promise<Record<string, string>> {
  const r = await server.call(['INFO', 'persistence']);
  const info = bulkText(r);
  const fields: Record<string, string> = {};
  for (const line of info.split('\r\n')) {
    const m = /^(aof_enabled|aof_rewrite_in_progress|aof_rewrite_scheduled|aof_last_bgrewrite_status|aof_last_write_status):(.*)$/.exec(line);
    if (m !== null) fields[m[1] as string] = m[2] as string;
  }
  return fields;
}

/** Waits (bounded: 5 s) until the server logged a line containing `text`; returns the whole log. */
async function logged(server: RedisServerSubject, text: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    if (server.log.some((l) => l.includes(text))) return server.log.join('\n');
    await sleep(50);
  }
  throw new Error(`${server.bin} did not log "${text}" within 5 s:\n${server.log.join('\n')}`);
}

const TEMP_INCR = 'appendonlydir/temp-appendonly.aof.incr';

/** Every write to the temp INCR fails with ENOSPC; with failRewrite, so does the first rename of it. */
function tempIncrEnospc(dir: string, failRewrite: boolean): { args: string[]; traceFile: string } {
  return {
    args: [
      '-qq', '-P', join(realpathSync(dir), TEMP_INCR), '-P', TEMP_INCR, '-e', 'trace=write,rename', '-e', 'inject=write:error=ENOSPC:when=1+',
      ...(failRewrite ? ['-e', 'inject=rename:error=ENOSPC:when=1'] : []),
    ],
    traceFile: join(dir, 'strace.out'),
  };
}

/** 100 ms per key in the rewrite child: the enabling rewrite outlasts the next client round trip. */
const SLOW_REWRITE = { ...CONFIG, 'rdb-key-save-delay': '100000' };

/**
 * SET k0 a; CONFIG SET appendonly no; CONFIG SET appendonly yes (WAIT_REWRITE, temp INCR); SET k1 b,
 * acknowledged, but its write to the temp INCR fails; SET k2 c is refused.
 */
async function enableThenFailWrite(server: RedisServerSubject): Promise<void> {
  const st = await server.start();
  expect(st.outcome, st.log.join('\n')).toBe('ok');
  expect(await server.call(['SET', 'k0', 'a'])).toEqual({ kind: 'status', value: 'OK' });
  expect(await server.call(['CONFIG', 'SET', 'appendonly', 'no'])).toEqual({ kind: 'status', value: 'OK' });
  expect(await server.call(['CONFIG', 'SET', 'appendonly', 'yes'])).toEqual({ kind: 'status', value: 'OK' });
  expect(await server.call(['SET', 'k1', 'b'])).toEqual({ kind: 'status', value: 'OK' });
  expect(await server.call(['SET', 'k2', 'c'])).toEqual(MISCONF);
  expect(await aofStatus(server)).toMatchObject({ aof_rewrite_in_progress: '1', aof_last_write_status: 'err' });
  const log = await logged(server, 'Error writing to the AOF file: No space left on device');
  expect(log).toContain('Creating AOF incr file temp-appendonly.aof.incr on background rewrite');
}

/** appendfsync no, and 100 ms per key in the rewrite child (the enabling rewrite outlasts the next round trips). */
const NO_FSYNC = { ...CONFIG, appendfsync: 'no' };
const SLOW_REWRITE_NO_FSYNC = { ...NO_FSYNC, 'rdb-key-save-delay': '100000' };

/** One line per op of a recorded trace, with paths relative to `root`. */
function describeTraced(op: TracedOp, root: string): string {
  const rel = (p: string): string => (p.startsWith(root + '/') ? p.slice(root.length + 1) : p);
  switch (op.kind) {
    case 'open':
      return `open ${rel(op.path)} ${op.flags.join('|')}`;
    case 'write':
      return `write ${rel(op.path)} ${JSON.stringify(op.data.toString('latin1'))}`;
    case 'sync':
      return `${op.name} ${rel(op.path)}`;
    case 'rename':
      return `rename ${rel(op.from)} -> ${rel(op.to)}`;
    case 'reply':
      return 'reply';
    default:
      return `${op.kind} ${rel(op.path)}`;
  }
}

interface ReopenRun {
  log: string;
  /** LRANGE k0 on the live server after the rewrite, and the live appendonlydir. */
  live: (string | null)[] | null;
  liveFiles: Record<string, string>;
  /** Every traced op on the temp INCR's inode (by its name before and after the rename). */
  tempIncrOps: string[];
  /** From the second O_TRUNC open of the temp INCR to the done handler's directory fdatasync. */
  afterReopen: string[];
  skippedOps: number;
  /** The strict power-loss state right after that directory fdatasync (appendonlydir only). */
  strictFiles: Record<string, string>;
  /** k0 as aofsim's 7.0 loader and as redis-server load that state. */
  aofsimK0: unknown;
  recovered: (string | null)[] | null;
}

const INCR_2 = 'appendonlydir/appendonly.aof.2.incr.aof';

/**
 * Under strace (file syscalls with data): SET f x; [RPUSH k0 a]; CONFIG SET appendonly no/yes;
 * [RPUSH k0 a, into the temp INCR]; CONFIG SET appendonly no/yes; the rewrite finishes. Then the
 * trace is replayed into a SimFs, cut with the strict model after the done handler's directory
 * fdatasync, and that state is loaded by aofsim's loader and by redis-server.
 */
async function tempIncrReopenRun(bin: string, writeInTempIncr: boolean): Promise<ReopenRun> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'aofsim-found-reopen-')));
  const root = join(dir, 'data');
  const stateDir = join(dir, 'state');
  // The server never fsyncs the data dir after its mkdir of appendonlydir: create it beforehand
  // (durable in the replay's initial state) so the strict cut does not lose the whole directory.
  mkdirSync(join(root, 'appendonlydir'), { recursive: true });
  writeFileSync(join(root, 'appendonlydir', '.keep'), '');
  const server = new RedisServerSubject({ bin, dir: root, config: SLOW_REWRITE_NO_FSYNC, strace: { args: STRACE_ARGS, traceFile: join(dir, 'trace.txt') } });
  const restarted = new RedisServerSubject({ bin, dir: stateDir, config: NO_FSYNC });
  const ok = { kind: 'status', value: 'OK' };
  try {
    const st = await server.start();
    expect(st.outcome, st.log.join('\n')).toBe('ok');
    // The key the rewrite child sleeps on: without it the first enabling rewrite ends at once.
    expect(await server.call(['SET', 'f', 'x'])).toEqual(ok);
    if (!writeInTempIncr) expect(await server.call(['RPUSH', 'k0', 'a'])).toEqual({ kind: 'integer', value: 1 });
    expect(await server.call(['CONFIG', 'SET', 'appendonly', 'no'])).toEqual(ok);
    expect(await server.call(['CONFIG', 'SET', 'appendonly', 'yes'])).toEqual(ok);
    if (writeInTempIncr) expect(await server.call(['RPUSH', 'k0', 'a'])).toEqual({ kind: 'integer', value: 1 });
    expect(await server.call(['CONFIG', 'SET', 'appendonly', 'no'])).toEqual(ok);
    expect(await server.call(['CONFIG', 'SET', 'appendonly', 'yes'])).toEqual(ok);
    const info = await rewriteFinished(server);
    expect(info).toMatch(/aof_last_bgrewrite_status:ok/);
    expect(info).toMatch(/aof_enabled:1/);
    const live = bulks(await server.call(['LRANGE', 'k0', '0', '-1']));
    const liveFiles: Record<string, string> = {};
    for (const n of listing(root)) liveFiles[n] = readFileSync(join(root, 'appendonlydir', n), 'latin1');
    await server.kill(); // strace has written the whole trace once the group is gone

    const ops = parseStrace(readFileSync(join(dir, 'trace.txt'), 'latin1')).ops;
    const tempIncr = join(root, TEMP_INCR);
    const incr2 = join(root, INCR_2);
    const aofDir = join(root, 'appendonlydir');
    const onTempIncr = (op: TracedOp): boolean => (op.kind === 'rename' ? op.from === tempIncr : op.kind !== 'reply' && (op.path === tempIncr || op.path === incr2));
    const tempIncrOps = ops.filter(onTempIncr).map((op) => describeTraced(op, root));
    const reopen = ops.findLastIndex((op) => op.kind === 'open' && op.path === tempIncr);
    const renamed = ops.findIndex((op) => op.kind === 'rename' && op.from === tempIncr);
    const cut = ops.findIndex((op, i) => i > renamed && op.kind === 'sync' && op.path === aofDir);
    expect(reopen, 'trace: no open of the temp INCR').toBeGreaterThanOrEqual(0);
    expect(renamed, 'trace: the temp INCR was not renamed after its last open').toBeGreaterThan(reopen);
    expect(cut, 'trace: no fdatasync of appendonlydir after the temp INCR rename').toBeGreaterThan(renamed);
    const afterReopen = ops
      .slice(reopen, cut + 1)
      .filter((op) => onTempIncr(op) || (op.kind === 'sync' && op.path.startsWith(aofDir)) || (op.kind === 'rename' && op.from.startsWith(aofDir + '/')))
      .map((op) => describeTraced(op, root));

    const replay = new TraceReplay(root, { [join(aofDir, '.keep')]: new Uint8Array() });
    for (const op of ops.slice(0, cut + 1)) replay.apply(op);
    const image = crashImage(replay.fs, root, { model: 'strict', dirs: {} });
    const strictFiles: Record<string, string> = {};
    for (const [rel, data] of image.files) {
      mkdirSync(dirname(join(stateDir, rel)), { recursive: true });
      writeFileSync(join(stateDir, rel), data);
      if (rel.startsWith('appendonlydir/') && rel !== 'appendonlydir/.keep') strictFiles[rel.slice('appendonlydir/'.length)] = data.toString('latin1');
    }
    const dump = runDump(createNodeFs(), { path: stateDir, loadTruncated: true, verbose: false, atMs: 0 }, nodeClock);
    expect(dump.exitCode, dump.stderr).toBe(0);
    const dbs = (JSON.parse(dump.stdout) as { dbs: Record<string, { key: string; value: unknown }[]> }).dbs;
    const aofsimK0 = dbs['0']?.find((e) => e.key === 'k0')?.value;
    const st2 = await restarted.start();
    expect(st2.outcome, st2.log.join('\n')).toBe('ok');
    const recovered = bulks(await restarted.call(['LRANGE', 'k0', '0', '-1']));
    return { log: server.log.join('\n'), live, liveFiles, tempIncrOps, afterReopen, skippedOps: replay.skipped.length, strictFiles, aofsimK0, recovered };
  } finally {
    await server.stop();
    await restarted.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const SELECT_0 = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n';
const RPUSH_K0_A = '*3\r\n$5\r\nRPUSH\r\n$2\r\nk0\r\n$1\r\na\r\n';
const SET_F_X = '*3\r\n$3\r\nSET\r\n$1\r\nf\r\n$1\r\nx\r\n';
/** What the done handler's manifest says before the history files are removed. */
const MANIFEST_WITH_HISTORY =
  'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.1.base.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n';

describe.each(SUBJECTS.map((x) => ({ ...x, skip: skipLoudly(`found-bugs-vs-redis-server on ${x.name} (strace --inject)`, x.missing) })))('aofsim finds on $name (strace --inject)', ({ bin, missing, skip, version }) => {
  it.skipIf(skip)('is available, and a server started from this block\'s binary is that subject (INFO server)', async () => {
    if (REQUIRE_REAL) expect(missing).toBeNull();
    const server = new RedisServerSubject({ bin, config: CONFIG });
    try {
      const st = await server.start();
      expect(st.outcome, st.log.join('\n')).toBe('ok');
      expect(bulkText(await server.call(['INFO', 'server']))).toMatch(version);
    } finally {
      await server.stop();
    }
  });

  it.skipIf(skip)('fork-failure-keeps-temp-incr: a failed CONFIG SET appendonly yes leaves the stale INCR 1 next to the new BASE; the restart gives [a, a]', async () => {
    const r = await forkFailureRun(bin, true);
    expect(r.enableReply?.kind).toBe('error');
    expect(r.enableReply?.kind === 'error' ? r.enableReply.value : '').toContain('Unable to turn on AOF');
    expect(r.log).toContain('Creating AOF incr file temp-appendonly.aof.incr on background rewrite');
    expect(r.log).toContain("Can't rewrite append only file in background: fork: Cannot allocate memory");
    // The rewrite kept INCR 1 (aof_fd was still open on the temp INCR, so it was taken for "the
    // INCR being written") and the temp INCR is still there.
    expect(r.manifestAfterRewrite).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(r.listingAfterRewrite).toEqual(['appendonly.aof.1.incr.aof', 'appendonly.aof.2.base.aof', 'appendonly.aof.manifest', 'temp-appendonly.aof.incr']);
    expect(r.log).not.toContain('Removing the history file appendonly.aof.1.incr.aof');
    // No live state had two elements: RPUSH k0 a is applied from the BASE and again from INCR 1.
    expect(r.recovered).toEqual(['a', 'a']);
  });

  it.skipIf(skip)('control: the same steps without the failed CONFIG SET appendonly yes move INCR 1 to history; the restart gives [a]', async () => {
    const r = await forkFailureRun(bin, false);
    expect(r.manifestAfterRewrite).toBe('file appendonly.aof.2.base.aof seq 2 type b\n');
    expect(r.listingAfterRewrite).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.manifest']);
    expect(r.log).toContain('Removing the history file appendonly.aof.1.incr.aof in the background');
    expect(r.recovered).toEqual(['a']);
  });

  it.skipIf(skip)('incr-seq-reuses-history: a crash before the history deletion makes the next start reuse and unlink appendonly.aof.1.incr.aof; the start after fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aofsim-found-history-'));
    const strace = {
      args: ['-f', '-qq', '-P', 'appendonlydir/appendonly.aof.1.incr.aof', '-e', 'trace=unlink,unlinkat', '-e', 'inject=unlink,unlinkat:signal=SIGKILL'],
      traceFile: join(dir, 'strace.out'),
    };
    const first = new RedisServerSubject({ bin, dir, config: CONFIG, strace });
    const second = new RedisServerSubject({ bin, dir, config: CONFIG });
    const third = new RedisServerSubject({ bin, dir, config: CONFIG });
    try {
      const st = await first.start();
      expect(st.outcome, st.log.join('\n')).toBe('ok');
      expect(await first.call(['SET', 'k0', 'a'])).toEqual({ kind: 'status', value: 'OK' });
      expect(await first.call(['CONFIG', 'SET', 'appendonly', 'no'])).toEqual({ kind: 'status', value: 'OK' });
      expect((await first.call(['BGREWRITEAOF']))?.kind).toBe('status');
      // The done handler persists the manifest, then dies entering the first history unlink.
      expect(await first.waitExit(10_000), first.log.join('\n')).toBe(true);
      expect(first.log.at(-1)).toMatch(/Removing the history file appendonly\.aof\.1\.incr\.aof in the background$/);
      expect(manifest(dir)).toBe(
        'file appendonly.aof.2.base.aof seq 2 type b\n' + 'file appendonly.aof.1.incr.aof seq 1 type h\n' + 'file appendonly.aof.1.base.aof seq 1 type h\n',
      );
      expect(listing(dir)).toEqual(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.2.base.aof', 'appendonly.aof.manifest']);

      // No INCR line: the new INCR takes seq 1, the history file's name, which is then unlinked.
      const st2 = await second.start();
      expect(st2.outcome, st2.log.join('\n')).toBe('ok');
      const log2 = st2.log.join('\n');
      expect(log2).toContain('Creating AOF incr file appendonly.aof.1.incr.aof on server start');
      expect(log2).toContain('Removing the history file appendonly.aof.1.incr.aof in the background');
      expect(manifest(dir)).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
      expect(listing(dir)).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.manifest']);
      expect(await second.call(['SET', 'k1', 'b'])).toEqual({ kind: 'status', value: 'OK' });
      await second.kill();

      const st3 = await third.start();
      expect(st3.outcome, st3.log.join('\n')).toBe('exited');
      expect(st3.exitCode).toBe(1);
      expect(st3.log.join('\n')).toContain('Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory');
    } finally {
      await first.stop();
      await second.stop();
      await third.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(skip)('dropped-buffer-error-sticky (7.x case): a temp INCR write error outlives the failed enabling rewrite; MISCONF until appendonly no/yes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aofsim-found-sticky-'));
    const server = new RedisServerSubject({ bin, dir, config: SLOW_REWRITE, strace: tempIncrEnospc(dir, true) });
    const restarted = new RedisServerSubject({ bin, dir, config: CONFIG });
    try {
      await enableThenFailWrite(server);
      await rewriteFinished(server);
      const log = await logged(server, 'Background AOF rewrite finished successfully');
      expect(log).toContain('Error trying to rename the temporary AOF incr file appendonlydir/temp-appendonly.aof.incr into appendonlydir/appendonly.aof.2.incr.aof: No space left on device');
      // The cleanup of the failed rewrite: aof_buf (SET k1 b) dropped, temp INCR deleted, rewrite rescheduled.
      expect(log).toContain('Removing the temp incr aof file temp-appendonly.aof.incr in the background');
      expect(log).toContain('Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.2.incr.aof');
      expect(manifest(dir)).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');

      // The AOF is on, nothing is rewriting and nothing is left to write, yet writes stay refused
      // across three serverCron write-error retries (one a second).
      for (let i = 0; i < 6; i++) {
        expect(await server.call(['SET', 'kx', 'y'])).toEqual(MISCONF);
        expect(await aofStatus(server)).toEqual({
          aof_enabled: '1', aof_rewrite_in_progress: '0', aof_rewrite_scheduled: '0', aof_last_bgrewrite_status: 'ok', aof_last_write_status: 'err',
        });
        await sleep(500);
      }
      expect(listing(dir)).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.2.incr.aof'), 'latin1')).toBe('');
      // Another rewrite, now with the AOF on, does not clear it either.
      expect((await server.call(['BGREWRITEAOF']))?.kind).toBe('status');
      expect(await rewriteFinished(server)).toMatch(/aof_last_bgrewrite_status:ok/);
      expect(await server.call(['SET', 'kx', 'y'])).toEqual(MISCONF);
      expect(server.log.join('\n')).not.toContain('AOF write error looks solved');

      // appendonly no/yes is the way out: startAppendOnly forgets the error.
      expect(await server.call(['CONFIG', 'SET', 'appendonly', 'no'])).toEqual({ kind: 'status', value: 'OK' });
      expect(await server.call(['CONFIG', 'SET', 'appendonly', 'yes'])).toEqual({ kind: 'status', value: 'OK' });
      expect(await aofStatus(server)).toMatchObject({ aof_last_write_status: 'ok' });
      expect(await logged(server, 'AOF reopen, just ignore the last error.')).toBeTruthy();
      await rewriteFinished(server); // the temp INCR becomes an INCR: writes to it are not failed any more
      expect(await server.call(['SET', 'k3', 'd'])).toEqual({ kind: 'status', value: 'OK' });
      expect(await aofStatus(server)).toMatchObject({ aof_last_write_status: 'ok' });
      await server.kill();

      // Availability, not durability: the acknowledged SET k1 b dropped with aof_buf is in the BASE.
      const st2 = await restarted.start();
      expect(st2.outcome, st2.log.join('\n')).toBe('ok');
      expect(bulks(await restarted.call(['MGET', 'k0', 'k1', 'k2', 'k3', 'kx']))).toEqual(['a', 'b', null, 'd', null]);
    } finally {
      await server.stop();
      await restarted.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(skip)('control: the same temp INCR write error without the failed rewrite is cleared when the rewrite switches the AOF on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aofsim-found-sticky-control-'));
    const server = new RedisServerSubject({ bin, dir, config: SLOW_REWRITE, strace: tempIncrEnospc(dir, false) });
    try {
      await enableThenFailWrite(server);
      await rewriteFinished(server);
      // 7.0.15: "..., Redis can write again."; Valkey 8.0.1: "... The server can write again."
      const log = await logged(server, 'AOF write error looks solved');
      expect(log).toContain('Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.2.incr.aof');
      expect(log).not.toContain('Removing the temp incr aof file');
      expect(await aofStatus(server)).toMatchObject({ aof_rewrite_in_progress: '0', aof_last_write_status: 'ok' });
      expect(await server.call(['SET', 'kx', 'y'])).toEqual({ kind: 'status', value: 'OK' });
      // The kept aof_buf went to the renamed file once its fd's path no longer matched the fault.
      expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.2.incr.aof'), 'latin1')).toContain('$2\r\nk1\r\n$1\r\nb\r\n');
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(skip)('temp-incr-reopened-truncated: the O_TRUNC reopen of the temp INCR is never fsynced; after a strict power loss at the rewrite end, [a, a]', async () => {
    const r = await tempIncrReopenRun(bin, true);
    expect(r.log.split('Creating AOF incr file temp-appendonly.aof.incr on background rewrite').length - 1).toBe(2);
    expect(r.log).toContain('Killing running AOF rewrite child');
    expect(r.log).toContain('Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.2.incr.aof');
    // Live, nothing is wrong: one element, and INCR 2 is empty on disk (the page cache).
    expect(r.live).toEqual(['a']);
    expect(r.liveFiles['appendonly.aof.2.incr.aof']).toBe('');
    expect(r.liveFiles['appendonly.aof.2.base.aof']).toContain(RPUSH_K0_A);
    // The temp INCR's whole life: RPUSH k0 a written during WAIT_REWRITE, fdatasynced and closed by
    // stopAppendOnly, reopened with O_TRUNC, renamed. Its only fdatasync comes before the truncation.
    expect(r.tempIncrOps).toEqual([
      `open ${TEMP_INCR} O_WRONLY|O_CREAT|O_TRUNC`,
      `write ${TEMP_INCR} ${JSON.stringify(SELECT_0 + RPUSH_K0_A)}`,
      `fdatasync ${TEMP_INCR}`,
      `close ${TEMP_INCR}`,
      `open ${TEMP_INCR} O_WRONLY|O_CREAT|O_TRUNC`,
      `rename ${TEMP_INCR} -> ${INCR_2}`,
    ]);
    expect(r.afterReopen).toEqual([
      `open ${TEMP_INCR} O_WRONLY|O_CREAT|O_TRUNC`,
      `rename ${TEMP_INCR} -> ${INCR_2}`,
      'fdatasync appendonlydir/temp-appendonly.aof.manifest',
      'rename appendonlydir/temp-appendonly.aof.manifest -> appendonlydir/appendonly.aof.manifest',
      'fdatasync appendonlydir',
    ]);
    expect(r.skippedOps).toBe(0);
    // Strict power loss right after that directory fdatasync: the names are durable, the
    // truncation is not, so INCR 2 has the bytes stopAppendOnly fsynced; the new BASE has them too.
    expect(Object.keys(r.strictFiles).sort()).toEqual(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    expect(r.strictFiles['appendonly.aof.manifest']).toBe(MANIFEST_WITH_HISTORY);
    expect(r.strictFiles['appendonly.aof.2.incr.aof']).toBe(SELECT_0 + RPUSH_K0_A);
    expect(r.strictFiles['appendonly.aof.2.base.aof']).toContain(RPUSH_K0_A);
    expect(r.strictFiles['appendonly.aof.2.base.aof']).toHaveLength(SELECT_0.length + RPUSH_K0_A.length + SET_F_X.length);
    // No live state had two elements; both loaders apply RPUSH k0 a twice.
    expect(r.aofsimK0).toEqual(['a', 'a']);
    expect(r.recovered).toEqual(['a', 'a']);
  });

  it.skipIf(skip)('control: RPUSH k0 a before the appendonly no/yes cycles (the temp INCR fsynced empty); the same strict cut gives [a]', async () => {
    const r = await tempIncrReopenRun(bin, false);
    expect(r.live).toEqual(['a']);
    expect(r.tempIncrOps).toEqual([
      `open ${TEMP_INCR} O_WRONLY|O_CREAT|O_TRUNC`,
      `fdatasync ${TEMP_INCR}`,
      `close ${TEMP_INCR}`,
      `open ${TEMP_INCR} O_WRONLY|O_CREAT|O_TRUNC`,
      `rename ${TEMP_INCR} -> ${INCR_2}`,
    ]);
    expect(r.skippedOps).toBe(0);
    expect(r.strictFiles['appendonly.aof.manifest']).toBe(MANIFEST_WITH_HISTORY);
    expect(r.strictFiles['appendonly.aof.2.incr.aof']).toBe('');
    expect(r.strictFiles['appendonly.aof.2.base.aof']).toContain(RPUSH_K0_A);
    expect(r.aofsimK0).toEqual(['a']);
    expect(r.recovered).toEqual(['a']);
  });
});
