// The forked children every Tasks implementation shares (redis: the rewrite child of
// rewriteAppendOnlyFileBackground, killed by killAppendOnlyChild, collected by waitpid WNOHANG in
// serverCron). A child is a generator (ports/tasks.ts ChildProgram); this table keeps the live
// ones and the exit statuses not reaped yet. WHEN a child steps is the caller's: the simulator
// schedules it in virtual time, the node adapter in event-loop slices, the manual adapter when a
// test says.
//
// Invariants: a child is live from add() until exit() or kill(), and then never again; each exit
// is reaped once, in exit order; kill() ends the generator (its finally blocks run, see
// DIVERGENCE below) and reports exit code 1 with the signal.
// DIVERGENCE(posix): a killed generator still runs its finally blocks, where SIGKILL runs nothing;
// a failing finally block is ignored, as nothing of a killed process can fail.

import type { ChildExit, ChildYield, Signal } from '../ports/tasks.ts';

export interface ChildEntry {
  readonly pid: number;
  readonly gen: Generator<ChildYield, number, void>;
}

export class ChildTable<C extends ChildEntry> {
  private readonly live = new Map<number, C>();
  private readonly exits: ChildExit[] = [];

  /** `onExit` runs once per child, right after its exit is queued (timers, trace lines). */
  constructor(private readonly onExit?: (exit: ChildExit, child: C) => void) {}

  add(child: C): void {
    this.live.set(child.pid, child);
  }

  get(pid: number): C | undefined {
    return this.live.get(pid);
  }

  /** Whether `child` is still alive (not exited, not killed). */
  has(child: C): boolean {
    return this.live.get(child.pid) === child;
  }

  /** Live children, in fork order. */
  liveChildren(): IterableIterator<C> {
    return this.live.values();
  }

  /** Live children's pids, in fork order. */
  get pids(): number[] {
    return [...this.live.keys()];
  }

  /** The child is gone (returned, exit(), or killed where it stood): its status waits for reap(). */
  exit(child: C, exitCode: number, signal: Signal | null): void {
    this.live.delete(child.pid);
    const exit: ChildExit = { pid: child.pid, exitCode, signal };
    this.exits.push(exit);
    this.onExit?.(exit, child);
  }

  /** kill(2) of a live child: it never steps again and exits with code 1 and `signal`. Unknown pids are ignored. */
  kill(pid: number, signal: Signal): void {
    const child = this.live.get(pid);
    if (child === undefined) return;
    this.live.delete(pid);
    endGenerator(child);
    this.exit(child, 1, signal);
  }

  /** waitpid(-1, WNOHANG): the oldest unreaped exit, or null. */
  reap(): ChildExit | null {
    return this.exits.shift() ?? null;
  }

  /** The parent is gone: every child ends with it and nothing is reaped (no exits are queued). */
  abandonAll(): void {
    for (const child of this.live.values()) endGenerator(child);
    this.live.clear();
  }
}

function endGenerator(child: ChildEntry): void {
  try {
    child.gen.return(1);
  } catch {
    // A killed process's cleanup failing does not matter: the child is gone.
  }
}
