// Checker 'recovery': every restart after a crash or exit recovers some live state S_k with
// kMin <= k <= kExecuted, kMin being what the promise ledger says was promised (acknowledged
// commands after a process kill; commands covered by completed fsyncs under durable names after a
// power loss; sim/oracle/promise-ledger.ts); the start succeeds; and `always` never acknowledges a
// command before an fsync covered it (redis: flushAppendOnlyFile, beforeSleep's reply hold).
//
// Excused (Redis gives no answer there, see RecoveryExcuse): a short write whose ftruncate failed
// (the partial record stays, docs/redis-bugs.md#bug-5); a power loss while the state the history
// restarted from (an excused recovery) was not fsynced yet; a 7.0 hole across INCR files while an
// older INCR still had unsynced bytes (loaded and never fsynced, or its bio-close fsync still
// queued). A refused start is excused when a fault was injected since the last start (after a process
// kill: since the last write acknowledged with its bytes out of aof_buf), and when 7.0
// refuses a truncated non-last INCR (AOF_NOT_LAST_FILE, docs/redis-bugs.md#bug-10) that a power
// loss could have left: some file held unsynced commands, or the loader's truncation of a short
// tail (never fsynced, as in Redis) was undone.

import type { Ack, RefusedStart, Restart } from '../promise-ledger.ts';
import { describeVerdict } from '../oracle.ts';
import type { Checker, CheckerContext } from './checker.ts';

export class RecoveryChecker implements Checker {
  constructor(private readonly ctx: CheckerContext) {}

  onAcked(a: Ack): void {
    // always: the reply goes out only after the write and fsync of its command (or Redis exits).
    if (a.always && a.rawCoveredK < a.k) {
      this.ctx.violate('recovery', `appendfsync always acknowledged command #${a.req.seq} (k=${a.k}) before an fsync covered it (fsyncs cover up to k=${a.rawCoveredK})`);
    }
  }

  onRestart(r: Restart): void {
    if (r.excuse === 'ftruncate-failed' || r.excuse === 'base-unsynced') return;
    const s = r.snapshot;
    if (s.kAck > s.kSyncedRaw) {
      this.ctx.violate('recovery', `appendfsync always acknowledged command k=${s.kAck} but fsyncs of the AOF cover only up to k=${s.kSyncedRaw}`);
    }
    if (r.excuse !== null) return;
    if (!r.verdict.ok) this.ctx.violate('recovery', `after ${r.label}: ${describeVerdict(r.verdict)}`);
  }

  onStartRefused(r: RefusedStart): void {
    // A fault since the last start may have left files Redis cannot load, unless (process kill) the
    // server acknowledged writes after the last one: the page cache holds exactly what it wrote, and
    // Redis's write-error handling (ftruncate after a short write, retry until "AOF write error looks
    // solved") keeps the file loadable, so losing those writes to a refusal is a failure
    // (docs/findings/incr-short-write-leaves-nul-hole.md was hidden by the broader excuse).
    if (r.faultSinceStart && (r.kind === 'power' || r.faultSincePromise)) return;
    const pre = r.snapshot;
    if (pre && r.kind === 'power' && r.notLastFile && (pre.anyUnsynced || pre.syncBase < pre.procBase || pre.loaderTruncated)) return;
    this.ctx.violate('recovery', `restart failed${pre ? ` after a ${r.kind === 'power' ? 'power loss' : 'process kill'}` : ''}: ${r.reason}`);
  }
}
