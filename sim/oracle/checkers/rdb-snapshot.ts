// Checker 'rdb-snapshot': with appendonly no, every restart after a crash recovers exactly the
// dataset of one snapshot, never a mix and never a newer or older one than the disk can hold
// (redis 7.0.15 rdb.c rdbSave: temp-<pid>.rdb written, fsynced, closed, renamed to dbfilename,
// then the directory fsynced; 4.0.14 never fsyncs the directory).
//
// What each snapshot holds: a BGSAVE's is the dataset at the fork (the 'bgsave-forked' event); a
// SAVE's (also DEBUG RELOAD's and SHUTDOWN's) is the dataset when the parent wrote its temp file.
// The rename is seen as the syscall itself (a crash point may follow it before any event).
// Which one a restart may load:
//   process kill: the last one renamed over dbfilename (the page cache keeps the rename);
//   power loss:   the last one whose directory fsync completed ('rdb-saved' in 7.0), or any one
//                 renamed after it (a rename may reach the disk without the fsync: nothing says it
//                 did not), or the dataset the file held at the first start (empty: no file).
// Datasets are compared logically at the restart's wall time (a key whose expire time has passed is
// absent on both sides: the loader drops it, as Redis's does).
//
// Excused: a start refused while a fault was injected since the last start (the loader's read).
// Not checked here: worlds whose configured appendonly is yes (their AOF decides what loads).
// Invariant: observation only (clones of the live keyspace, no syscall).

import type { AofEvent } from '../../../src/ports/events.ts';
import { Keyspace } from '../../../src/keyspace/keyspace.ts';
import { formatCanonicalDump } from '../../../src/keyspace/canonical-dump.ts';
import type { RefusedStart, Restart } from '../promise-ledger.ts';
import type { SyscallEvent } from '../../fs/syscall.ts';
import type { Checker, CheckerContext } from './checker.ts';

/** rdbSave's temp file (redis: "temp-%d.rdb"). */
const TEMP_RDB = /(^|\/)temp-\d+\.rdb$/;

interface Snapshot {
  /** 1-based, in the order saves began. */
  n: number;
  keyspace: Keyspace;
}

export class RdbSnapshotChecker implements Checker {
  private saves = 0;
  /** What dbfilename holds durably (null: the file the world started with, or none). */
  private durable: Snapshot | null = null;
  /** Snapshots renamed over dbfilename after `durable`, oldest first. */
  private renamed: Snapshot[] = [];
  /** The save in progress (its dataset), between its start and its rename. */
  private saving: Snapshot | null = null;
  /** The dataset loaded by the first start (what dbfilename held before any save; empty: none). */
  private initial: Keyspace | null = null;

  constructor(private readonly ctx: CheckerContext) {}

  private live(): Keyspace | null {
    const s = this.ctx.world.server;
    return s === null ? null : s.keyspace.clone();
  }

  onAofEvent(e: AofEvent): void {
    switch (e.kind) {
      case 'bgsave-forked': {
        const ks = this.live();
        this.saving = ks === null ? null : { n: ++this.saves, keyspace: ks };
        break;
      }
      case 'rdb-temp-written':
        // A save in the parent (SAVE, DEBUG RELOAD, SHUTDOWN) writes the live dataset.
        if (this.saving === null) {
          const ks = this.live();
          if (ks !== null) this.saving = { n: ++this.saves, keyspace: ks };
        }
        break;
      case 'rdb-renamed':
        break;
      case 'rdb-saved':
        // 7.0 fsynced the directory: the last rename is durable (4.0 emits this without one).
        if (this.ctx.world.config.profile === 'redis-7.0' && this.renamed.length > 0) {
          this.durable = this.renamed[this.renamed.length - 1];
          this.renamed = [];
        }
        break;
      case 'bgsave-done':
        this.saving = null;
        break;
      default:
        break;
    }
  }

  /** The rename of temp-<pid>.rdb over dbfilename (seen as a syscall: a crash may follow it at once). */
  onSyscall(e: SyscallEvent): void {
    if (e.name !== 'rename' || !TEMP_RDB.test(e.path) || this.saving === null) return;
    // A failed rename ends the save too: dbfilename keeps its old content, and the next save (a
    // SAVE in the parent emits no 'bgsave-done') must take its own dataset, not this one.
    if (e.error === undefined) this.renamed.push(this.saving);
    this.saving = null;
  }

  onStarted(): void {
    if (this.initial === null) this.initial = this.live();
  }

  private dumpOf(s: Snapshot | null, atMs: number): string {
    return formatCanonicalDump(s === null ? (this.initial ?? new Keyspace()) : s.keyspace, atMs);
  }

  onRestart(r: Restart): void {
    this.saving = null;
    if (this.ctx.world.config.appendonly) return;
    const atMs = this.ctx.world.wallNowMs();
    const got = formatCanonicalDump(r.recovered, atMs);
    const visible = this.renamed.length > 0 ? this.renamed[this.renamed.length - 1] : this.durable;
    const candidates: (Snapshot | null)[] = r.kind === 'process' ? [visible] : [this.durable, ...this.renamed];
    const match = candidates.find((c) => this.dumpOf(c, atMs) === got);
    if (match === undefined) {
      const names = candidates.map((c) => (c === null ? 'the initial file' : `snapshot #${c.n}`)).join(' or ');
      this.ctx.violate('rdb-snapshot', `after ${r.label} the dataset loaded from dbfilename is not ${names} (${this.saves} saves began)`);
      return;
    }
    if (r.kind === 'power') {
      // What survived is on disk for good now.
      this.durable = match;
      this.renamed = [];
    }
  }

  onStartRefused(r: RefusedStart): void {
    this.saving = null;
    if (this.ctx.world.config.appendonly || r.faultSinceStart) return;
    // dbfilename only ever changes by the rename of a complete, fsynced file.
    this.ctx.violate('rdb-snapshot', `restart refused after a ${r.kind === 'power' ? 'power loss' : 'process kill'}: ${r.reason}`);
  }
}

