// Process-level faults on a real binary (issue 7 item 2): SIGKILL at a seeded random moment of a
// workload (optionally during BGREWRITEAOF), and syscall fault injection with `strace --inject`
// restricted to the AOF file with -P (ENOSPC on write under everysec, EIO on fdatasync under
// always, a slow fdatasync). Each run restarts the server on what was left and judges the recovered
// data set with the oracle (sim/oracle checkRecovery): the recovered state is a prefix state of the
// live run that keeps what a process kill must keep (the page cache survives): under always every
// acknowledged write; under everysec those acknowledged more than the 2 s postpone window before
// the kill (promisedUnits); under `no` nothing.
//
// Invariants: every run owns a fresh temp dir and server(s), SIGKILLed and removed in finally
// blocks; every wait is bounded; the same seed gives the same workload and the same kill delay (the
// moment the kill lands in the server's execution still depends on the machine's timing, so a run
// reports the acknowledged count it saw).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom, randomBelow } from '../../src/ports/random.ts';
import { checkRecovery, describeVerdict } from '../oracle/oracle.ts';
import { POSTPONE_LIMIT_MS } from '../oracle/checks.ts';
import { RedisServerSubject } from './real-redis-server.ts';
import { generateWorkload, WorkloadModel } from './workload.ts';
import { readTree, type FsyncPolicy } from './real-alice.ts';
import type { ServerCommand } from './server-command.ts';

export type RealFault = 'sigkill' | 'sigkill-rewrite' | 'enospc-everysec' | 'fsync-eio-always' | 'slow-fsync';

export const REAL_FAULTS: readonly RealFault[] = ['sigkill', 'sigkill-rewrite', 'enospc-everysec', 'fsync-eio-always', 'slow-fsync'];

export interface FaultCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface FaultRunResult {
  fault: RealFault;
  seed: number;
  appendfsync: FsyncPolicy;
  ok: boolean;
  checks: FaultCheck[];
  timeline: string[];
  acked: number;
  elapsedMs: number;
}

export interface FaultRunOptions {
  bin?: string;
  /** A command template instead of the redis-server preset of `bin`. */
  command?: ServerCommand;
  /** The file the injected faults target, relative to the data dir (default the first INCR of appendonlydir). */
  aofFile?: string;
  /**
   * A checker run on the files the fault left, before the restart ({dir}: the data dir, {file}: the
   * manifest or single AOF, relative to it in checkFile). Property check-ok-means-loadable: when it
   * exits 0, the restart must load every acknowledged write.
   */
  check?: { argv: string[]; checkFile: string };
  seed: number;
  appendfsync?: FsyncPolicy;
  units?: number;
  /**
   * sigkill / sigkill-rewrite only: every fdatasync of the AOF file waits this long (strace
   * --inject delay_enter), so under everysec the writes after the first are postponed behind the
   * running background fsync when the kill lands.
   */
  fsyncDelayMs?: number;
}

/**
 * How many of the acknowledged units a process kill must keep (the oracle's kMin); `ackAtMs[i]`
 * is when unit i + 1 was acknowledged. `always`: every one (Redis writes and fsyncs before the
 * reply, or exits). `everysec`: those acknowledged at least POSTPONE_LIMIT_MS before the kill.
 * While a background fsync is pending, flushAppendOnlyFile postpones the write for up to 2 s
 * (counted in whole seconds of unixtime) and the replies go out with the bytes still in aof_buf
 * (redis: aof.c flushAppendOnlyFile, aof_flush_postponed_start; 4.0.14 and 7.0.15 alike), so a
 * kill in that window loses them. That is Redis's everysec promise, not a bug: the simulator's
 * promise ledger excuses the same commands (acknowledged before their bytes left aof_buf).
 * `no`: nothing.
 */
export function promisedUnits(policy: FsyncPolicy, ackAtMs: readonly number[], killAtMs: number): number {
  if (policy === 'always') return ackAtMs.length;
  if (policy === 'no') return 0;
  let k = 0;
  while (k < ackAtMs.length && (ackAtMs[k] as number) <= killAtMs - POSTPONE_LIMIT_MS) k++;
  return k;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const AOF_INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

function injectArgs(dir: string, fault: RealFault, aofFile: string, fsyncDelayMs?: number): string[] {
  const aof = join(dir, aofFile);
  if ((fault === 'sigkill' || fault === 'sigkill-rewrite') && fsyncDelayMs !== undefined) {
    return ['-f', '-qq', '-P', aof, '-e', 'trace=fdatasync,fsync', '-e', `inject=fdatasync:delay_enter=${fsyncDelayMs * 1000}`];
  }
  switch (fault) {
    case 'enospc-everysec':
      // The first 2 writes of the INCR file pass, the next 25 attempts fail: MISCONF, then recovery.
      return ['-f', '-qq', '-P', aof, '-e', 'trace=write', '-e', 'inject=write:error=ENOSPC:when=3..27'];
    case 'fsync-eio-always':
      return ['-f', '-qq', '-P', aof, '-e', 'trace=fdatasync,fsync', '-e', 'inject=fdatasync:error=EIO:when=4'];
    case 'slow-fsync':
      return ['-f', '-qq', '-P', aof, '-e', 'trace=fdatasync,fsync', '-e', 'inject=fdatasync:delay_enter=30000'];
    default:
      return [];
  }
}

/** One run of `fault` with `seed`. */
export async function runFault(fault: RealFault, opts: FaultRunOptions): Promise<FaultRunResult> {
  const t0 = Date.now();
  const policy: FsyncPolicy =
    fault === 'enospc-everysec' ? 'everysec' : fault === 'fsync-eio-always' || fault === 'slow-fsync' ? 'always' : (opts.appendfsync ?? 'always');
  const r = new SeededRandom(opts.seed * 7919 + 17);
  const units = generateWorkload({ seed: opts.seed, units: opts.units ?? 40, valueBytes: 24, multiPercent: 25 });
  const model = new WorkloadModel();
  const timeline: string[] = [];
  const checks: FaultCheck[] = [];
  const check = (name: string, ok: boolean, detail: string): void => {
    checks.push({ name, ok, detail });
  };
  const dir = mkdtempSync(join(tmpdir(), `aofsim-fault-${fault}-`));
  const config = { appendonly: 'yes', appendfsync: policy };
  const strace = injectArgs(dir, fault, opts.aofFile ?? AOF_INCR, opts.fsyncDelayMs);
  const launch = { bin: opts.bin, ...(opts.command ? { command: opts.command } : {}) };
  const server = new RedisServerSubject({ ...launch, dir, config, ...(strace.length > 0 ? { strace: { args: strace } } : {}) });
  let inFlight = false;
  /** When each acknowledged unit's reply arrived, and when the server was killed (promisedUnits). */
  const ackAtMs: number[] = [];
  let killAtMs: number | null = null;
  try {
    const st = await server.start();
    timeline.push(`start ${server.bin} (appendfsync ${policy}${strace.length > 0 ? `, strace ${strace.slice(-1)[0]}` : ''}): ${st.outcome}`);
    if (st.outcome !== 'ok') {
      check('server-starts', false, `the server did not start: ${st.log.slice(-2).join(' | ')}`);
      return done();
    }
    // With a slow fsync, the workload waits for everysec's first fsync to be due (aof_last_fsync is
    // the start's second), so the first write starts the background fsync the later ones wait for.
    if (opts.fsyncDelayMs !== undefined) await sleep(1100);
    const killAtUnit = fault === 'sigkill' || fault === 'sigkill-rewrite' || fault === 'slow-fsync' ? 5 + randomBelow(r, units.length - 5) : -1;
    const rewriteAt = fault === 'sigkill-rewrite' ? Math.max(1, killAtUnit - 1 - randomBelow(r, 3)) : -1;
    const killDelayMs = randomBelow(r, 4);
    let misconf = 0;
    let acceptedAfterMisconf = 0;
    let exitedWithoutReply = false;
    for (let u = 0; u < units.length; u++) {
      if (u === rewriteAt) {
        const rr = await server.exec(['BGREWRITEAOF']);
        timeline.push(`> BGREWRITEAOF -> ${rr}`);
      }
      if (u === killAtUnit) {
        // SIGKILL lands while the next unit is in flight (or right after the previous reply).
        const unit = units[u];
        inFlight = true;
        const pending = (async () => {
          for (const argv of unit) await server.exec(argv);
        })();
        await sleep(killDelayMs);
        killAtMs = Date.now();
        await server.crash('process-kill');
        await pending;
        timeline.push(`SIGKILL ${killDelayMs} ms into unit ${u + 1} (${unit.map((a) => a.join(' ')).join('; ')}); acknowledged units: ${model.acked}`);
        model.apply(unit); // possibly executed: kMax = acked + 1
        break;
      }
      const unit = units[u];
      let reply: string | null = null;
      for (const argv of unit) reply = await server.exec(argv);
      if (reply === null) {
        exitedWithoutReply = true;
        timeline.push(`> ${unit.map((a) => a.join(' ')).join('; ')} -> (no reply: connection closed)`);
        model.apply(unit); // it may have executed before the exit
        inFlight = true;
        break;
      }
      if (reply.startsWith('(error) MISCONF') || reply.includes('EXECABORT')) {
        misconf++;
        if (misconf === 1) timeline.push(`> ${unit.map((a) => a.join(' ')).join('; ')} -> ${reply.split('\n')[0]}`);
        // A rejected unit did not execute; retry it until the AOF accepts writes again (bounded).
        for (let tries = 0; tries < 60; tries++) {
          await sleep(100);
          reply = null;
          for (const argv of unit) reply = await server.exec(argv);
          if (reply === null || !reply.startsWith('(error)')) break;
        }
        if (reply === null || reply.startsWith('(error)')) {
          timeline.push(`> still ${reply} after 6 s of retries`);
          break;
        }
        acceptedAfterMisconf++;
        timeline.push(`> ${unit.map((a) => a.join(' ')).join('; ')} -> ${reply} (accepted again)`);
      } else if (reply.startsWith('(error)')) {
        timeline.push(`> ${unit.map((a) => a.join(' ')).join('; ')} -> ${reply}`);
        check('workload-replies', false, `unexpected error reply ${reply}`);
        break;
      }
      model.apply(unit);
      model.acked = model.executed;
      ackAtMs.push(Date.now());
    }
    if (fault === 'enospc-everysec') {
      check('misconf-while-writes-fail', misconf > 0, misconf > 0 ? `${misconf} unit(s) got MISCONF while the AOF write failed` : 'no write was refused with MISCONF while the injected ENOSPC lasted');
      check('writes-accepted-after', acceptedAfterMisconf > 0 || misconf === 0, `${acceptedAfterMisconf} unit(s) accepted once the disk had space again`);
      const log = server.log.join('\n');
      check('log-reports-enospc', /No space left on device/.test(log), 'the log says "Error writing to the AOF file: No space left on device"');
    }
    if (fault === 'fsync-eio-always') {
      const exited = await server.waitExit(3000);
      const line = server.log.find((l) => /Can't persist AOF for fsync error/.test(l));
      check('always-exits-on-fsync-error', exited && exitedWithoutReply, exited ? `exited (code ${server.lastExit?.code}) before replying; log: ${line ?? '(no "Can\'t persist AOF" line)'}` : 'the server kept running after the fsync error');
    }
    // Restart on what was left (the page cache survived: process-level faults only).
    killAtMs ??= Date.now();
    await server.kill();
    const checked = opts.check ? runCheck(opts.check, dir) : null;
    if (checked) timeline.push(`check: ${checked.line}`);
    const plain = new RedisServerSubject({ ...launch, dir, config: { ...config, 'aof-load-truncated': 'yes' } });
    try {
      const st2 = await plain.start();
      timeline.push(`restart: ${st2.outcome}`);
      check('server-restarts', st2.outcome === 'ok', st2.outcome === 'ok' ? 'restart loaded the AOF' : `refused to start: ${st2.log.slice(-2).join(' | ')}`);
      if (checked && st2.outcome !== 'ok') check('check-ok-means-loadable', checked.exit !== 0, `the checker exited ${checked.exit}${checked.exit === 0 ? ' (accepted the files) but the server refused to start on them' : ''}: ${checked.line}`);
      if (st2.outcome === 'ok') {
        const ks = await plain.keyspace();
        const kMin = promisedUnits(policy, ackAtMs, killAtMs);
        if (policy === 'everysec' && kMin < model.acked) {
          timeline.push(`everysec: units ${kMin + 1}..${model.acked} were acknowledged less than ${POSTPONE_LIMIT_MS} ms before the kill, so their write may still have been postponed behind a running fsync: promised k >= ${kMin}`);
        }
        const v = checkRecovery(model.history, ks, { kMin, kMax: model.executed, atMs: 0 });
        timeline.push(`oracle: ${describeVerdict(v)}`);
        check('acked-writes-survive', v.ok, describeVerdict(v));
        if (checked) check('check-ok-means-loadable', checked.exit !== 0 || v.ok, `the checker exited ${checked.exit}${checked.exit === 0 && !v.ok ? ' (accepted the files) but the restart lost acknowledged writes' : ''}: ${checked.line}`);
        if (!v.ok) {
          // Evidence for the report: the AOF as the restart found it (commands, one per line).
          await plain.kill();
          for (const [rel, data] of Object.entries(readTree(dir))) {
            if (!rel.endsWith('.aof') && !rel.endsWith('.manifest')) continue;
            const text = data.toString('latin1');
            const cmds = text.startsWith('REDIS') ? ['(RDB)'] : text.split(/\*\d+\r\n/).filter((c) => c !== '').map((c) => c.split('\r\n').filter((x, i) => i % 2 === 1).join(' '));
            timeline.push(`file ${rel} (${data.length} bytes): ${cmds.slice(0, 60).join(' | ')}${cmds.length > 60 ? ' | ...' : ''}`);
          }
        }
      }
    } finally {
      await plain.stop();
    }
    return done();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  function runCheck(c: { argv: string[]; checkFile: string }, d: string): { exit: number; line: string } {
    const argv = c.argv.map((a) => a.replace(/\{dir\}/g, d).replace(/\{file\}/g, join(d, c.checkFile)));
    const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'latin1', timeout: 30_000, input: '' });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').filter((l) => l.trim() !== '');
    const exit = r.error ? 127 : (r.status ?? 128);
    return { exit, line: `${argv.join(' ')} -> exit ${exit}${out.length > 0 ? `: ${out.slice(-1)[0]}` : ''}` };
  }

  function done(): FaultRunResult {
    void inFlight;
    return { fault, seed: opts.seed, appendfsync: policy, ok: checks.every((c) => c.ok), checks, timeline, acked: model.acked, elapsedMs: Date.now() - t0 };
  }
}
