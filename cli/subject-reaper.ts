// Ctrl-C or SIGTERM during `aofsim validate server|redis-server`: kill the servers it started and
// remove every temp dir it made. The servers run in process groups of their own
// (sim/subjects/real-redis-server.ts spawns them detached, so that one kill reaches strace and the
// server under it), which a terminal's Ctrl-C does not reach: without this they outlive aofsim,
// holding their port and their temp dir. Found through /proc (Linux, as strace is): every child
// of this process that leads its own group.
// Temp dirs: the subjects make theirs with mkdtemp in os.tmpdir() (a recording's aofsim-alice-rec-*
// lives on while the crash states are replayed in others, with no server in it). While the reaper
// is in place, TMPDIR names one aofsim-validate-* dir of its own (in the temp dir there was), so
// every one of them lands in it; a signal removes it whole, dispose() removes it (then empty) and
// puts TMPDIR back. Servers inherit that TMPDIR; Redis does not use it.
// There is no summary: the campaign's results so far are not kept. A second signal exits at once.
// Faces the real world on purpose (signals, /proc, processes, the disk, the environment).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Signal = 'SIGINT' | 'SIGTERM';

/** The exit status of a process a signal stopped: 128 + its number (SIGINT 2, SIGTERM 15). */
export const signalExitCode = (sig: Signal): number => (sig === 'SIGINT' ? 130 : 143);

export class SubjectReaper {
  private stopping = false;
  /** The temp dir every temp dir of the campaign is made in. */
  readonly tempRoot: string;
  private readonly tmpdirBefore: string | undefined;
  private readonly onInt = (): void => this.stop('SIGINT');
  private readonly onTerm = (): void => this.stop('SIGTERM');

  constructor(
    /** `validate` in `aofsim validate: SIGINT: ...`. */
    private readonly command: string,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {
    this.tempRoot = mkdtempSync(join(tmpdir(), `aofsim-${command}-`));
    this.tmpdirBefore = process.env.TMPDIR;
    process.env.TMPDIR = this.tempRoot;
    process.on('SIGINT', this.onInt);
    process.on('SIGTERM', this.onTerm);
  }

  dispose(): void {
    process.off('SIGINT', this.onInt);
    process.off('SIGTERM', this.onTerm);
    this.restoreTmpdir();
    removeDir(this.tempRoot);
  }

  private restoreTmpdir(): void {
    if (this.tmpdirBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.tmpdirBefore;
  }

  private stop(sig: Signal): void {
    const code = signalExitCode(sig);
    if (this.stopping) return this.exit(code);
    this.stopping = true;
    const procs = processTable();
    const groups = procs.filter((p) => p.ppid === process.pid && p.pgrp === p.pid).map((p) => p.pid);
    for (const g of groups) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    let dirs = 0;
    try {
      dirs = readdirSync(this.tempRoot).length;
    } catch {
      // already gone
    }
    this.restoreTmpdir();
    removeDir(this.tempRoot);
    process.stderr.write(
      `aofsim ${this.command}: ${sig}: stopped before the campaign ended, no summary; killed the ${groups.length} server process group(s) it had started and removed the ${dirs} temp dir(s) it had made\n`,
    );
    this.exit(code);
  }
}

/** Removes a dir tree; a killed server may still be writing into it for a moment, hence the retries. */
function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

/** pid, parent and process group of every process /proc shows (none off Linux). */
function processTable(): { pid: number; ppid: number; pgrp: number }[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: { pid: number; ppid: number; pgrp: number }[] = [];
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${n}/stat`, 'latin1');
    } catch {
      continue; // it ended meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({ pid: Number(n), ppid: Number(f[1]), pgrp: Number(f[2]) });
  }
  return out;
}
