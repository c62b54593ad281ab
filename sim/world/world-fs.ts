// The world's filesystem across crashes: a SimFs that is replaced by the survivor each time the
// world crashes (sim/crash applyCrash builds a new SimFs; the old one is retired so a dead
// process's late syscalls fail loudly). The injector and hooks carry over, so fault counts, op
// indices and the trace continue across restarts.

import type { Fs } from '../../src/ports/fs.ts';
import { SimFs } from '../fs/sim-fs.ts';
import type { SimFsHooks } from '../fs/syscall.ts';
import type { PathPartsCache } from '../fs/fs-core.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import { applyCrash } from '../crash/apply-crash.ts';
import type { CrashDecision, CrashModelName } from '../crash/crash-decision.ts';
import type { PrngStream } from '../prng/prng.ts';
import { decideCrash } from '../crash/decide-crash.ts';

export class WorldFs {
  private fs: SimFs;

  constructor(initial: SimFs) {
    this.fs = initial;
  }

  /**
   * A fresh SimFs with `files` durable (paths absolute), wired to the injector and hooks; `pathParts`:
   * the split paths a WorldReuse keeps across worlds (a fresh cache when absent).
   */
  static create(files: Record<string, string | Uint8Array>, injector: FaultInjector, hooks: SimFsHooks, pathParts?: PathPartsCache): WorldFs {
    return new WorldFs(SimFs.withFiles(files, { injector, hooks, pathParts }));
  }

  /** The filesystem processes use now. */
  get current(): SimFs {
    return this.fs;
  }

  get asFs(): Fs {
    return this.fs;
  }

  /** A crash point was reached: every later syscall of the dying process fails. */
  freeze(reason: string): void {
    this.fs.retire(reason);
  }

  /** Applies a crash (process-kill included); later processes see the survivor. */
  crash(decision: CrashDecision): void {
    const old = this.fs;
    this.fs = applyCrash(old, decision);
    old.retire(`crash (${decision.model})`);
  }

  randomDecision(model: CrashModelName, random: PrngStream, sectorBytes?: number): CrashDecision {
    if (sectorBytes === undefined) return decideCrash(random, model, this.fs.pendingSummary());
    // 1-byte sectors may cut on record boundaries: decideCrash reads the bytes of the torn write.
    const writeData = (ino: number, opIndex: number): Uint8Array | undefined => this.fs.pendingWriteData(ino, opIndex);
    return decideCrash(random, model, this.fs.pendingSummary(), { sectorBytes, writeData });
  }

  /** Inode number of a path in the current fs (crash decisions in scenarios name files by path). */
  inoOf(path: string): number | undefined {
    return this.fs.inodeAt(path);
  }
}
