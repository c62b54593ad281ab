// The run budget that stands for the default 60 s of `aofsim run` on the project's 2-core machine,
// for the benchmarks that count runs instead of seconds (main-job-table.ts, mutants/campaign-kills.ts).
// A module of its own: main-job-table.ts is a script, and importing it ran the whole table.

/**
 * Runs of the default 60 s campaign on two idle cores of the project's machine.
 * `npx tsx bench/detect/main-job-table.ts --calibrate` measured 52 runs per CPU second of its
 * own process (serially; seed 1, no switch, 60 CPU s; Dec 7, with the boundary-sized values,
 * bursts and toggles of issue 18, the volatile clock excursions and the rewrite-file faults: 67
 * without the last, mostly for the different mix of runs their draw brings; 59 before both, 145
 * before issue 18). Two idle cores give `aofsim run
 * --workers 2` 120 CPU s in 60 s; the second worker thread's start-up and the batches' messages
 * cost about 4 of them (`aofsim run --seed 1 --runs 3`, the same 324 runs: 8.9 CPU s with one
 * thread, 12.5 with two), so about 116 x 52 = 6,000; the batches in flight when a time budget
 * ends are dropped, so the real 60 s may fall a little short of it.
 */
export const RUNS_PER_60S = 6_000;
