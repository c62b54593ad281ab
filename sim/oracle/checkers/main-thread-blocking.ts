// When the server's main thread was blocked in syscalls (their latency: slow manifest fsyncs,
// writes blocked behind an fsync): it runs no beforeSleep then, so no flush and no fsync submit.
// The everysec checkers move their deadlines by it. The syscalls of one step are reported at the
// step's start time but cost one after the other, so they are laid end to end.
//
// Invariant: intervals are disjoint and in order; times are in whatever clock the caller uses.

export class MainThreadBlocking {
  private busyUntilMs = -Infinity;
  private intervals: [number, number][] = [];

  /** A main-thread syscall reported at `nowMs` costs `costMs` after whatever the thread still had to do. */
  note(nowMs: number, costMs: number): void {
    if (costMs <= 0) return;
    const from = Math.max(nowMs, this.busyUntilMs);
    this.busyUntilMs = from + costMs;
    this.intervals.push([from, this.busyUntilMs]);
  }

  /** Blocked time inside [fromMs, toMs). */
  overlapMs(fromMs: number, toMs: number): number {
    let total = 0;
    for (const [a, b] of this.intervals) total += Math.max(0, Math.min(b, toMs) - Math.max(a, fromMs));
    return total;
  }

  reset(): void {
    this.busyUntilMs = -Infinity;
    this.intervals = [];
  }
}
