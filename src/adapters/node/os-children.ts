// Children that are real OS processes, for `aofsim serve` (redis: the fork() of redisFork, the
// waitpid(-1, WNOHANG) of checkChildrenDone, the kill()+waitpid of killAppendOnlyChild/killRDBChild).
// A ChildJob (ports/tasks.ts) is shipped to a node process started from the child entry (dist/child.js,
// or cli/child-dev.mjs from the source): one IPC message with the kind, the params, the snapshot
// bytes and the entry's own setup (where to log). The child rebuilds the same program
// (src/child/child-jobs.ts) and exits with its exit code; it reports progress as IPC messages.
//
// Invariants: pid() is the OS pid, so a harness finds the child with ps or /proc (parent = the
// server's pid), slows it (rdb-key-save-delay) and kills it. An exit (code, or the signal that
// killed it) is queued once, in the order the exits were seen, for reap(). kill() from the parent
// is synchronous like Redis's kill+waitpid: the process is SIGKILLed, waited for (bounded), and its
// exit is queued at once with the signal the parent asked for; its late 'exit' event is ignored.
// Exit code 255 is the child's SIGUSR1 handler (redis: SERVER_CHILD_NOERROR_RETVAL) and is
// reported as {exitCode 1, signal SIGUSR1}, as checkChildrenDone does.
// DIVERGENCE(redis): the child gets the dataset as RDB bytes over a pipe instead of copy-on-write
// memory, so the parent spends an RDB encode of the dataset in fork() (measured in the README).

import { fork as forkProcess, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ForkError, type ChildExit, type ChildJob, type ChildProgress, type Signal } from '../../ports/tasks.ts';

/** parent -> child: the one message a child process receives. */
export interface ChildStartMessage {
  kind: string;
  params: Record<string, unknown>;
  snapshot: Uint8Array;
  /** The entry's own settings (log file, level), opaque to this module. */
  setup: Record<string, unknown>;
}

/** child -> parent: `ready` once it listens (the start message is sent then), then progress. */
export type ChildReport = { type: 'ready' } | { type: 'progress'; keysProcessed: number };

/** redis: SERVER_CHILD_NOERROR_RETVAL, the exit code of a child killed by SIGUSR1. */
export const CHILD_NOERROR_RETVAL = 255;

/** How long kill() waits for the process to be gone (redis: a blocking waitpid). */
const KILL_WAIT_MS = 2000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

interface OsChild {
  pid: number;
  proc: ChildProcess;
  progress: ChildProgress | null;
  /** Exit already queued (by kill()); the 'exit' event is then ignored. */
  reported: boolean;
}

export interface OsChildrenOptions {
  /** The child entry module (its file is run with node's own argv, no loader flags). */
  entry: URL;
  /** Handed to the entry with every job (e.g. where the child logs). */
  setup: Record<string, unknown>;
}

export class OsChildren {
  private readonly live = new Map<number, OsChild>();
  private readonly exits: ChildExit[] = [];

  constructor(private readonly opts: OsChildrenOptions) {}

  /** Starts the job's process; returns its pid. Throws ForkError when the process cannot start. */
  start(job: ChildJob): number {
    let proc: ChildProcess;
    try {
      proc = forkProcess(fileURLToPath(this.opts.entry), [], {
        execArgv: [],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
    } catch (e) {
      throw new ForkError((e as Error).message);
    }
    const pid = proc.pid;
    if (pid === undefined) {
      proc.on('error', () => {});
      throw new ForkError('the child process did not start');
    }
    const child: OsChild = { pid, proc, progress: null, reported: false };
    this.live.set(pid, child);
    // The snapshot is taken now, at fork time; it is sent once the child listens.
    let msg: ChildStartMessage | null = { kind: job.kind, params: job.params, snapshot: job.snapshot(), setup: this.opts.setup };
    proc.on('message', (m: ChildReport) => {
      if (m.type === 'ready' && msg !== null) {
        proc.send(msg);
        msg = null;
      }
      else if (m.type === 'progress') child.progress = { keysProcessed: m.keysProcessed };
    });
    // A send to a process that died already fails; its exit event still reports it.
    proc.on('error', () => {});
    proc.on('exit', (code, signal) => this.exited(child, code, signal));
    return pid;
  }

  private exited(child: OsChild, code: number | null, signal: NodeJS.Signals | null): void {
    this.live.delete(child.pid);
    child.proc.disconnect?.();
    if (child.reported) return;
    child.reported = true;
    if (signal !== null) this.exits.push({ pid: child.pid, exitCode: 1, signal: signalOf(signal) });
    else if (code === CHILD_NOERROR_RETVAL) this.exits.push({ pid: child.pid, exitCode: 1, signal: 'SIGUSR1' });
    else this.exits.push({ pid: child.pid, exitCode: code ?? 1, signal: null });
  }

  has(pid: number): boolean {
    return this.live.has(pid);
  }

  get pids(): number[] {
    return [...this.live.keys()];
  }

  progress(pid: number): ChildProgress | null {
    return this.live.get(pid)?.progress ?? null;
  }

  /** waitpid(-1, WNOHANG). */
  reap(): ChildExit | null {
    return this.exits.shift() ?? null;
  }

  /** The parent's kill + waitpid: the child is gone when this returns (or after KILL_WAIT_MS). */
  kill(pid: number, signal: Signal): void {
    const child = this.live.get(pid);
    if (child === undefined || child.reported) return;
    try {
      child.proc.kill('SIGKILL');
    } catch {
      // Already gone: its exit is reported below all the same.
    }
    waitGone(pid, KILL_WAIT_MS);
    child.reported = true;
    this.live.delete(pid);
    this.exits.push({ pid, exitCode: 1, signal });
  }

  /** Server shutdown: every live child is killed; nothing more is reported. */
  close(): void {
    for (const c of this.live.values()) {
      c.reported = true;
      try {
        c.proc.kill('SIGKILL');
      } catch {
        // Gone already.
      }
    }
    this.live.clear();
  }
}

function signalOf(s: NodeJS.Signals): Signal {
  switch (s) {
    case 'SIGINT':
    case 'SIGUSR1':
    case 'SIGKILL':
    case 'SIGSEGV':
    case 'SIGTERM':
      return s;
    default:
      // Any other signal is reported as a kill: the child did not finish.
      return 'SIGKILL';
  }
}

/**
 * Waits until `pid` no longer runs: a zombie (state Z in /proc/<pid>/stat) or no process at all.
 * Without /proc (not Linux) it waits until kill(pid, 0) fails, which a zombie never does: bounded.
 */
function waitGone(pid: number, maxMs: number): void {
  for (let waited = 0; waited < maxMs; waited++) {
    if (!running(pid)) return;
    Atomics.wait(sleeper, 0, 0, 1);
  }
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
