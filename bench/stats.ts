// Shared figures for the benchmarks: each measures K rounds of both sides interleaved (so a noisy
// neighbour hits both alike) and reports the best and the median round. Times are in seconds.

/** The fastest round. */
export function best(seconds: readonly number[]): number {
  return Math.min(...seconds);
}

/** The median round (upper median for an even count). */
export function median(seconds: readonly number[]): number {
  const s = [...seconds].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seconds since t0 (a process.hrtime.bigint() reading). */
export function since(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
