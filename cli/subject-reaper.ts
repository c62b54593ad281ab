// Ctrl-C or SIGTERM during `aofsim validate server|redis-server`: kill the servers it started.
// They run in process groups of their own (sim/subjects/real-redis-server.ts spawns them detached,
// so that one kill reaches strace and the server under it), which a terminal's Ctrl-C does not
// reach: without this they outlive aofsim, holding their port and their temp dir. Found through
// /proc (Linux, as strace is): every child of this process that leads its own group. The temp dir
// one of them runs in (the aofsim-* directory of the temp directory holding its cwd) is removed
// once it is killed; temp dirs no server runs in at that moment are left.
// There is no summary: the campaign's results so far are not kept. A second signal exits at once.
// Faces the real world on purpose (signals, /proc, processes, the disk).

import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';

export type Signal = 'SIGINT' | 'SIGTERM';

/** The exit status of a process a signal stopped: 128 + its number (SIGINT 2, SIGTERM 15). */
export const signalExitCode = (sig: Signal): number => (sig === 'SIGINT' ? 130 : 143);

export class SubjectReaper {
  private stopping = false;
  private readonly onInt = (): void => this.stop('SIGINT');
  private readonly onTerm = (): void => this.stop('SIGTERM');

  constructor(
    /** `validate` in `aofsim validate: SIGINT: ...`. */
    private readonly command: string,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {
    process.on('SIGINT', this.onInt);
    process.on('SIGTERM', this.onTerm);
  }

  dispose(): void {
    process.off('SIGINT', this.onInt);
    process.off('SIGTERM', this.onTerm);
  }

  private stop(sig: Signal): void {
    const code = signalExitCode(sig);
    if (this.stopping) return this.exit(code);
    this.stopping = true;
    const procs = processTable();
    const groups = procs.filter((p) => p.ppid === process.pid && p.pgrp === p.pid).map((p) => p.pid);
    const dirs = new Set<string>();
    for (const p of procs) {
      if (!groups.includes(p.pgrp)) continue;
      const cwd = readLink(`/proc/${p.pid}/cwd`);
      const rel = cwd === null ? '..' : relative(tmpdir(), cwd);
      const top = rel.split(sep)[0] ?? '';
      if (top.startsWith('aofsim-') && !isAbsolute(rel)) dirs.add(join(tmpdir(), top));
    }
    for (const g of groups) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    process.stderr.write(
      `aofsim ${this.command}: ${sig}: stopped before the campaign ended, no summary; killed the ${groups.length} server process group(s) it had started${dirs.size > 0 ? ` and removed their ${dirs.size} temp dir(s)` : ''}\n`,
    );
    this.exit(code);
  }
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

function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
