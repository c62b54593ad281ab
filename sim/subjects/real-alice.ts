// ALICE-style power-loss search against a real binary (issue 7 item 3; ARCHITECTURE.md#subjects):
//  1. record: run a seeded workload (sim/subjects/workload.ts) on the binary under
//     `strace -f -y -tt -s 65536 -xx` (file syscalls with data, and the replies to the client);
//  2. rebuild: replay the trace into a SimFs (trace-replay.ts) from the directory's initial
//     contents; after each syscall that changes the file system, enumerate crash states with the
//     simulator's crash engine (crash-states.ts: process-kill, strict, prefix, torn, zero-fill,
//     reorder), deduplicated by content across the whole run;
//  3. check: materialise each state into a temp dir, start the binary on it (appendonly yes,
//     aof-load-truncated yes) and judge: the server must start; the recovered data set must be a
//     state S_k of the live run with kMin <= k <= kMax (sim/oracle checkRecovery), where kMin is
//     what the fsync policy promised at the crash point (always: every acknowledged write;
//     everysec: the writes acknowledged before the last completed fsync of the AOF; no: nothing;
//     process-kill states: every acknowledged write under any policy); and when the start repaired
//     the files (a truncation), a write acknowledged after recovery must survive a SIGKILL and
//     restart (docs/redis-bugs.md#bug-22).
// Invariants: bounded (caps on states per crash point and in total, a wall-clock budget); every
// spawned server is SIGKILLed (process group) and every temp dir removed, also on errors.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import { checkRecovery, describeVerdict } from '../oracle/oracle.ts';
import { crashStates, type CrashStateOptions } from './crash-states.ts';
import { RedisServerSubject } from './real-redis-server.ts';
import { keyspaceDump } from './real-dump.ts';
import { parseStrace, type TracedOp } from './strace-parse.ts';
import { TraceReplay } from './trace-replay.ts';
import { generateWorkload, WorkloadModel, type WorkloadUnit } from './workload.ts';
import type { ServerCommand } from './server-command.ts';

export const STRACE_ARGS = [
  '-f', '-y', '-tt', '-s', '65536', '-xx',
  '-e', 'trace=%file,write,writev,pwrite64,fsync,fdatasync,ftruncate,rename,renameat,renameat2,unlink,openat,close',
];

export type FsyncPolicy = 'always' | 'everysec' | 'no';

export interface AliceOptions {
  bin?: string;
  /** A command template instead of the redis-server preset of `bin`. */
  command?: ServerCommand;
  seed: number;
  units: number;
  appendfsync: FsyncPolicy;
  /** Value size of the workload (bigger: writes span sectors, so torn states exist). */
  valueBytes?: number;
  multiPercent?: number;
  /** Run BGREWRITEAOF after this many units (and wait for it). */
  rewriteAfter?: number;
  /** Extra config for the recorded run and every recovery start. */
  config?: Record<string, string>;
  states?: CrashStateOptions;
  /** Stop after checking this many distinct states (default 400). */
  maxStates?: number;
  /** Wall-clock budget for the check phase in ms (default 60 s). */
  budgetMs?: number;
  /** Follow-up probe (write, SIGKILL, restart) on every state, not only on repaired ones. */
  probeAll?: boolean;
  /** Stop at the first failure of each property (default false). */
  stopAtFirstPerProperty?: boolean;
  onProgress?: (p: AliceProgress) => void;
}

export interface AliceProgress {
  crashPoints: number;
  statesChecked: number;
  statesTotal: number;
  failures: number;
  elapsedMs: number;
}

export type AliceProperty = 'server-starts' | 'acked-writes-survive' | 'prefix-state' | 'writes-after-recovery-survive';

export interface AliceFailure {
  property: AliceProperty;
  /** The crash decision's model. */
  model: string;
  decision: string;
  /** Index of the trace op the crash follows, its strace line and a one-line summary. */
  opIndex: number;
  traceLine: number;
  syscall: string;
  kMin: number;
  kMax: number;
  message: string;
  /** Server log lines of the failing start(s). */
  log: string[];
  /** The on-disk state (relative path -> bytes). */
  files: Record<string, Buffer>;
  /** The follow-up that failed (bug 22 shape), when property is writes-after-recovery-survive. */
  probe?: { key: string; reply: string | null; after: Record<string, Record<string, string>> };
  /** Time from the start of the search until this failure was found (ms). */
  foundAfterMs: number;
}

export interface AliceResult {
  options: Omit<AliceOptions, 'onProgress'>;
  bin: string;
  units: number;
  ops: number;
  crashPoints: number;
  statesTotal: number;
  statesChecked: number;
  statesByModel: Record<string, number>;
  failures: AliceFailure[];
  passedByProperty: Record<AliceProperty, number>;
  /** model -> property -> counts of checked states. */
  tally: Record<string, Partial<Record<AliceProperty, { passed: number; failed: number }>>>;
  recordMs: number;
  checkMs: number;
  skippedOps: number;
  budgetExhausted: boolean;
}

interface Call {
  unit: number;
  last: boolean;
}

/** Runs the workload under strace; returns the trace and the oracle's live side. */
export async function recordRun(opts: AliceOptions): Promise<{
  root: string;
  trace: string;
  calls: Call[];
  model: WorkloadModel;
  units: WorkloadUnit[];
  initial: Record<string, Uint8Array>;
  cleanup: () => void;
}> {
  const work = mkdtempSync(join(tmpdir(), 'aofsim-alice-rec-'));
  const root = join(work, 'data');
  mkdirSync(root);
  const traceFile = join(work, 'trace.txt');
  const config = { appendonly: 'yes', appendfsync: opts.appendfsync, ...(opts.config ?? {}) };
  const subject = new RedisServerSubject({ bin: opts.bin, ...(opts.command ? { command: opts.command } : {}), dir: root, config, strace: { args: STRACE_ARGS, traceFile } });
  const units = generateWorkload({ seed: opts.seed, units: opts.units, valueBytes: opts.valueBytes ?? 96, multiPercent: opts.multiPercent ?? 35 });
  const model = new WorkloadModel();
  const calls: Call[] = [];
  const cleanup = (): void => rmSync(work, { recursive: true, force: true });
  try {
    const st = await subject.start();
    if (st.outcome !== 'ok') throw new Error(`recording run: ${subject.bin} exited at start: ${st.log.slice(-3).join(' | ')}`);
    // The start's replies (PING, and CONFIG SET appendfsync for a template without {fsync}).
    for (let i = 0; i < subject.startRequests; i++) calls.push({ unit: -1, last: false });
    const send = async (argv: string[], unit: number, last: boolean): Promise<string | null> => {
      calls.push({ unit, last });
      return subject.exec(argv);
    };
    for (let u = 0; u < units.length; u++) {
      if (opts.rewriteAfter === u) {
        await send(['BGREWRITEAOF'], -1, false);
        for (let i = 0; i < 200; i++) {
          const info = await send(['INFO', 'persistence'], -1, false);
          if (info !== null && /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      const unit = units[u];
      let ok = true;
      for (let i = 0; i < unit.length; i++) {
        const r = await send(unit[i], u, i === unit.length - 1);
        if (r === null || r.startsWith('(error)')) ok = false;
      }
      if (!ok) throw new Error(`recording run: unit ${u} (${JSON.stringify(unit)}) failed`);
      model.apply(unit);
      model.acked = u + 1;
    }
    if (opts.appendfsync === 'everysec') await new Promise((r) => setTimeout(r, 1100)); // let the bio fsync land
    await subject.kill();
    // strace writes its output file until the tracee is gone; the group kill ended both.
    const trace = readFileSync(traceFile, 'latin1');
    return { root, trace, calls, model, units, initial: {}, cleanup };
  } catch (e) {
    await subject.stop();
    cleanup();
    throw e;
  } finally {
    await subject.stop();
  }
}

function ackedUnits(calls: Call[], replies: number): number {
  let n = 0;
  for (let i = 0; i < replies && i < calls.length; i++) if (calls[i].last) n++;
  return n;
}

function describeOp(op: TracedOp, root: string): string {
  const rel = (p: string): string => (p.startsWith(root + '/') ? p.slice(root.length + 1) : p);
  switch (op.kind) {
    case 'write':
      return `write(${rel(op.path)}, ${op.data.length} bytes)`;
    case 'rename':
      return `rename(${rel(op.from)} -> ${rel(op.to)})`;
    case 'sync':
      return `${op.name}(${rel(op.path)})`;
    case 'open':
      return `open(${rel(op.path)}, ${op.flags.join('|')})`;
    case 'ftruncate':
    case 'truncate':
      return `${op.kind}(${rel(op.path)}, ${op.length})`;
    case 'reply':
      return 'reply';
    default:
      return `${op.kind}(${rel(op.path)})`;
  }
}

function materialize(files: Map<string, Buffer> | Record<string, Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aofsim-alice-state-'));
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  for (const [rel, data] of entries) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  }
  return dir;
}

/** Files of a directory tree (relative path -> bytes). */
export function readTree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(join(dir, r)).isDirectory()) walk(r);
      else out[r] = readFileSync(join(dir, r));
    }
  };
  walk('');
  return out;
}

function warnings(log: string[]): string[] {
  return log.filter((l) => / # |Bad file|Truncat|short read|Unrecoverable|error|Error/.test(l)).slice(-8);
}

function sameDump(a: Record<string, Record<string, string>>, b: Record<string, Record<string, string>>): boolean {
  const norm = (d: Record<string, Record<string, string>>): string =>
    JSON.stringify(Object.keys(d).sort().map((db) => [db, Object.keys(d[db]).sort().map((k) => [k, d[db][k]])]));
  return norm(a) === norm(b);
}

export const PROBE_KEY = 'aofsim:probe';

export async function runAlice(opts: AliceOptions): Promise<AliceResult> {
  const t0 = Date.now();
  const rec = await recordRun(opts);
  const recordMs = Date.now() - t0;
  const t1 = Date.now();
  const failures: AliceFailure[] = [];
  const passed: Record<AliceProperty, number> = { 'server-starts': 0, 'acked-writes-survive': 0, 'prefix-state': 0, 'writes-after-recovery-survive': 0 };
  const statesByModel: Record<string, number> = {};
  const tally: AliceResult['tally'] = {};
  const count = (model: string, property: AliceProperty, ok: boolean): void => {
    const t = (tally[model] ??= {});
    const c = (t[property] ??= { passed: 0, failed: 0 });
    if (ok) c.passed++;
    else c.failed++;
    if (ok) passed[property]++;
  };
  const config = { appendonly: 'yes', appendfsync: opts.appendfsync, 'aof-load-truncated': 'yes', ...(opts.config ?? {}) };
  const maxStates = opts.maxStates ?? 400;
  const budget = opts.budgetMs ?? 60_000;
  let checked = 0;
  let total = 0;
  let crashPoints = 0;
  let budgetExhausted = false;
  const failedProps = new Set<string>();
  try {
    const parsed = parseStrace(rec.trace);
    const replay = new TraceReplay(rec.root, rec.initial);
    const seen = new Set<string>();
    const ops = parsed.ops;
    let lastSyncReplies = 0;
    const totalUnits = rec.units.length;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if (!replay.apply(op)) continue;
      crashPoints++;
      if (op.kind === 'sync' && /(\.incr\.aof|appendonly\.aof)$/.test(op.path)) lastSyncReplies = op.repliesBefore;
      const lo = op.repliesBefore;
      const hi = i + 1 < ops.length ? ops[i + 1].repliesBefore : rec.calls.length;
      const ackedLo = ackedUnits(rec.calls, lo);
      const kMax = Math.min(totalUnits, ackedUnits(rec.calls, hi) + 1);
      const promised = opts.appendfsync === 'always' ? ackedLo : opts.appendfsync === 'everysec' ? ackedUnits(rec.calls, lastSyncReplies) : 0;
      for (const state of crashStates(replay.fs, rec.root, opts.states)) {
        if (seen.has(state.hash)) continue;
        seen.add(state.hash);
        total++;
        if (checked >= maxStates) continue;
        if (Date.now() - t1 > budget) {
          budgetExhausted = true;
          continue;
        }
        const model = state.decision.model;
        const kMin = model === 'process-kill' && opts.appendfsync !== 'no' ? ackedLo : promised;
        if (opts.stopAtFirstPerProperty && ['server-starts', 'writes-after-recovery-survive', 'acked-writes-survive'].every((p) => failedProps.has(`${p}/${model}`))) continue;
        checked++;
        statesByModel[model] = (statesByModel[model] ?? 0) + 1;
        const fail = (property: AliceProperty, message: string, log: string[], extra: Partial<AliceFailure> = {}): void => {
          failedProps.add(`${property}/${model}`);
          count(model, property, false);
          failures.push({
            property, model, decision: state.description, opIndex: i, traceLine: op.line, syscall: describeOp(op, rec.root),
            kMin, kMax, message, log, files: Object.fromEntries(state.files), foundAfterMs: Date.now() - t0, ...extra,
          });
        };
        const dir = materialize(state.files);
        const server = new RedisServerSubject({ bin: opts.bin, ...(opts.command ? { command: opts.command } : {}), dir, config });
        try {
          const st = await server.start();
          if (st.outcome === 'exited') {
            fail('server-starts', `the server refused to start (exit ${st.exitCode}) on this crash state`, warnings(st.log));
            continue;
          }
          count(model, 'server-starts', true);
          const ks: Keyspace = await server.keyspace();
          const v = checkRecovery(rec.model.history, ks, { kMin, kMax, atMs: 0 });
          if (!v.ok) {
            const loose = checkRecovery(rec.model.history, ks, { kMin: 0, kMax, atMs: 0 });
            if (loose.ok) fail('acked-writes-survive', `acknowledged writes lost: ${describeVerdict(v)} (recovered S_${loose.k}, promised ${kMin})`, warnings(st.log));
            else fail('prefix-state', describeVerdict(v), warnings(st.log));
            continue;
          }
          count(model, 'acked-writes-survive', true);
          count(model, 'prefix-state', true);
          const repaired = st.log.some((l) => /Truncating|short read/.test(l));
          if (!repaired && !opts.probeAll) continue;
          const before = keyspaceDump(ks);
          const reply = await server.exec(['SET', PROBE_KEY, String(checked)]);
          await server.crash('process-kill');
          const st2 = await server.restart();
          const after = st2.outcome === 'ok' ? keyspaceDump(await server.keyspace()) : {};
          const want = { ...before, '0': { ...(before['0'] ?? {}), [PROBE_KEY]: `s ${checked}` } };
          if (reply !== 'OK' || st2.outcome !== 'ok' || sameDump(after, want) === false) {
            const got = after['0']?.[PROBE_KEY];
            fail(
              'writes-after-recovery-survive',
              st2.outcome !== 'ok'
                ? `after recovery, SET ${PROBE_KEY} replied ${reply}; the next restart refused to start`
                : `after recovery, SET ${PROBE_KEY} ${checked} replied ${reply}, then SIGKILL and restart: ${PROBE_KEY} is ${got === undefined ? '(absent)' : JSON.stringify(got)}` +
                    (got !== undefined ? ' but the data set differs' : ''),
              warnings([...st.log, ...st2.log]),
              { probe: { key: PROBE_KEY, reply, after } },
            );
          } else count(model, 'writes-after-recovery-survive', true);
        } finally {
          await server.stop();
          rmSync(dir, { recursive: true, force: true });
          opts.onProgress?.({ crashPoints, statesChecked: checked, statesTotal: total, failures: failures.length, elapsedMs: Date.now() - t0 });
        }
      }
    }
    const { onProgress: _p, ...rest } = opts;
    return {
      options: rest, bin: opts.command?.argv[0] ?? opts.bin ?? 'redis-server', units: rec.units.length, ops: ops.length, crashPoints, statesTotal: total, statesChecked: checked,
      statesByModel, failures, passedByProperty: passed, tally, recordMs, checkMs: Date.now() - t1, skippedOps: replay.skipped.length, budgetExhausted,
    };
  } finally {
    rec.cleanup();
  }
}
