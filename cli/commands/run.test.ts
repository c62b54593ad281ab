// `aofsim run` in-process: a tiny clean campaign exits 0 with its summary table; with a bug switch
// on, it exits 1 with its findings, writes scenario files, and they replay as failures (the replay
// reproduces it); offline loader properties are cells of the main job; a budget too short to run
// every cell is exit 3 (never "held"), unless --partial; --junit, --list-bugs and --json; usage errors;
// Ctrl-C / SIGTERM on worker threads and in the main thread (--workers 1): a summary of the batches
// that ended and a line to run it again.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cellsText, runCommand } from './run.ts';
import { parseScenario } from '../../sim/scenario/parse-scenario.ts';
import { runScenario } from '../../sim/scenario/run-scenario.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';
import { UsageError } from '../command.ts';

let dir: string;
let out: string;
let err: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aofsim-run-'));
  vi.stubEnv('AOFSIM_FAILURES_DIR', dir);
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('aofsim run', () => {
  it('a clean campaign exits 0 with a summary table per property x profile x policy', async () => {
    const code = await runCommand.run(['--seed', '7', '--runs', '1', '--profile', 'redis-7.0', '--property', 'acked-writes-survive']);
    expect(code).toBe(0);
    expect(out).toMatch(/acked-writes-survive\s+redis-7\.0 everysec preamble=no\s+1\s+held/);
    expect(out).toContain('all 6 properties x combinations held');
    expect(err).toMatch(/elapsed \d+\.\ds\/no limit/);
    expect(err).toContain('seed 7');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--bug makes it exit 1 with a scenario file that aofsim replay reproduces', async () => {
    const code = await runCommand.run(['--seed', '1', '--runs', '5', '--profile', 'redis-7.0', '--bug', 'fsync-error-ignored']);
    expect(code).toBe(1);
    expect(out).toMatch(/^\d+ distinct findings? /);
    expect(out).toContain('(matches bug switch fsync-error-ignored)');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThanOrEqual(1);
    const file = join(dir, files[0]);
    expect(out).toContain(`npx aofsim replay ${file}`);
    const scenario = parseScenario(readFileSync(file, 'utf8'), file);
    expect(scenario.bugs).toEqual(['fsync-error-ignored']);
    const r = runScenario(scenario, { createServer: await loadServerFactory(), file });
    expect(r.ok).toBe(false);
    expect(r.failures.some((f) => f.path === '$.oracle')).toBe(true);
    // Without the switch the same steps hold.
    const fixed = runScenario({ ...scenario, bugs: [] }, { createServer: await loadServerFactory(), file });
    expect(fixed.failures).toEqual([]);
  });

  it('--json prints a machine-readable summary; --list-bugs lists the switches', async () => {
    expect(await runCommand.run(['--seed', '3', '--runs', '1', '--profile', 'redis-4.0', '--property', 'same-seed-same-trace', '--json'])).toBe(0);
    const j = JSON.parse(out) as { seed: number; ok: boolean; runs: number; cells: unknown[] };
    expect(j).toMatchObject({ seed: 3, ok: true, runs: 6, exitCode: 0, findings: [] });
    expect(j.cells).toHaveLength(6);
    out = '';
    expect(await runCommand.run(['--list-bugs'])).toBe(0);
    expect(out).toContain('no-tail-fsync');
  });

  it('runs the offline loader properties as cells of the main job', async () => {
    const code = await runCommand.run(['--seed', '1', '--runs', '2', '--property', 'loader-truncated-prefix', '--bug', 'incomplete-multi-applied']);
    expect(code).toBe(1);
    expect(out).toMatch(/loader-truncated-prefix\s+offline\s+\d+\s+FAILED/);
    expect(out).toContain('--fc-seed');
  });

  it('a budget too short to run every cell once is exit 3 and never says held for what did not run', async () => {
    const code = await runCommand.run(['--seed', '5', '--time', '1ms', '--profile', 'redis-7.0', '--property', 'acked-writes-survive']);
    expect(code).toBe(3);
    expect(out).toMatch(/not run \(5 of 6\): acked-writes-survive 5\/6/);
    expect(out).toContain('this is not a full verdict');
    expect(out).not.toMatch(/all .* held/);
    expect(err).toContain('--partial');
    out = '';
    expect(await runCommand.run(['--seed', '5', '--time', '1ms', '--profile', 'redis-7.0', '--property', 'acked-writes-survive', '--partial'])).toBe(0);
    expect(out).toMatch(/acked-writes-survive\s+redis-7\.0 always preamble=yes\s+0\s+not run/);
  });

  it('--junit writes one test case per property x combination, failures with the replay command', async () => {
    const junit = join(dir, 'junit.xml');
    await runCommand.run(['--seed', '1', '--runs', '3', '--profile', 'redis-7.0', '--property', 'acked-writes-survive', '--bug', 'no-dir-fsync', '--junit', junit]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml).toMatch(/<testcase classname="acked-writes-survive" name="redis-7.0 always preamble=no"/);
    expect(xml).toMatch(/<failure message="[^"]*replay: npx aofsim replay [^"]*\.scenario\.json --timeline\)"/);
  });

  it('Ctrl-C stops a campaign on worker threads with a summary of what ended and the command to run it again', async () => {
    const sigintsBefore = process.listenerCount('SIGINT');
    // A campaign far longer than the test: the first finished run is the moment to press Ctrl-C.
    const running = runCommand.run(['--seed', '4', '--time', '10m', '--workers', '2', '--property', 'acked-writes-survive', '--property', 'loader-truncated-prefix']);
    await vi.waitFor(() => expect(err).toMatch(/runs [1-9]/), { timeout: 60_000, interval: 50 });
    process.emit('SIGINT');
    const code = await running;
    expect(code, `${err}\n${out}`).toBe(130);
    expect(err).toContain('aofsim run: SIGINT: stopping');
    const runs = Number(/^seed 4: (\d+) runs in /m.exec(out)?.[1]);
    // Nothing in flight is counted: each cell's runs are whole batches that ended (12 runs in round
    // 0 here, or none), and the total is their sum.
    const rows = [...out.matchAll(/^(acked-writes-survive|loader-truncated-prefix)\s+(.+?)\s+(\d+)\s+(held|FAILED|not run)$/gm)];
    expect(rows).toHaveLength(13);
    for (const r of rows) expect(Number(r[3]) === 0).toBe(r[4] === 'not run');
    expect(rows.reduce((n, r) => n + Number(r[3]), 0)).toBe(runs);
    expect(out).toMatch(/did not run: this is not a full verdict/);
    expect(out).toMatch(/stopped by SIGINT after \d+\.\ds: the summary covers the \d+ runs of the batches that ended; run it again with: npx aofsim run --seed 4 --time 10m --workers 2 --property acked-writes-survive --property loader-truncated-prefix\n$/);
    expect(process.listenerCount('SIGINT')).toBe(sigintsBefore);
  }, 120_000);

  it('Ctrl-C with --workers 1 (the campaign in the main thread) also stops it between batches, with the summary and the command to run it again', async () => {
    const sigintsBefore = process.listenerCount('SIGINT');
    // Bounded (--runs) so that a campaign that never yields ends, and the test fails on its exit 0.
    const argv = ['--seed', '4', '--runs', '3', '--workers', '1', '--property', 'acked-writes-survive', '--property', 'loader-truncated-prefix'];
    const running = runCommand.run(argv);
    await vi.waitFor(() => expect(err).toMatch(/runs [1-9]/), { timeout: 60_000, interval: 20 });
    process.emit('SIGINT');
    const code = await running;
    expect(code, `${err}\n${out}`).toBe(130);
    expect(err).toContain('aofsim run: SIGINT: stopping');
    expect(err).toContain('one thread');
    const runs = Number(/^seed 4: (\d+) runs in /m.exec(out)?.[1]);
    // The batch in progress when the signal came ended and counts: each cell ran all its runs or none.
    const rows = [...out.matchAll(/^(acked-writes-survive|loader-truncated-prefix)\s+(.+?)\s+(\d+)\s+(held|FAILED|not run)$/gm)];
    expect(rows).toHaveLength(13);
    for (const r of rows) expect(Number(r[3]) === 0).toBe(r[4] === 'not run');
    expect(rows.reduce((n, r) => n + Number(r[3]), 0)).toBe(runs);
    expect(rows.some((r) => r[4] === 'not run') && rows.some((r) => r[4] !== 'not run')).toBe(true);
    expect(out).toMatch(/stopped by SIGINT after \d+\.\ds: the summary covers the \d+ runs of the batches that ended; run it again with: npx aofsim run --seed 4 --runs 3 --workers 1 --property acked-writes-survive --property loader-truncated-prefix\n$/);
    expect(process.listenerCount('SIGINT')).toBe(sigintsBefore);
  }, 120_000);

  it('SIGTERM with --json: the JSON summary stays parseable and says what stopped it, as the JUnit file does', async () => {
    const junit = join(dir, 'run.xml');
    const running = runCommand.run(['--seed', '4', '--time', '10m', '--workers', '2', '--property', 'loader-truncated-prefix', '--property', 'same-seed-same-trace', '--json', '--junit', junit]);
    await vi.waitFor(() => expect(err).toMatch(/runs [1-9]/), { timeout: 60_000, interval: 50 });
    process.emit('SIGTERM');
    expect(await running).toBe(143);
    const j = JSON.parse(out) as { ok: boolean; exitCode: number; interrupted: string; again: string; complete: boolean };
    expect(j).toMatchObject({ ok: false, exitCode: 143, interrupted: 'SIGTERM', complete: false });
    expect(j.again).toBe(`npx aofsim run --seed 4 --time 10m --workers 2 --property loader-truncated-prefix --property same-seed-same-trace --json --junit ${junit}`);
    expect(err).toMatch(/aofsim run: stopped by SIGTERM after /);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('not run: stopped by SIGTERM first');
    expect(xml).not.toContain('the budget ended first');
  }, 120_000);

  it('rejects bad options', async () => {
    await expect(runCommand.run(['--bug', 'nope'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand.run(['--time', 'soon'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand.run(['--profile', 'redis-9'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand.run(['--fc-seed', '1'])).rejects.toBeInstanceOf(UsageError);
  });
});

describe('the header', () => {
  it('counts the cells in the singular or plural each number needs, and leaves out a part that is empty', () => {
    expect(cellsText(7, 12, 6)).toBe('7 world properties x 12 combinations + 6 offline properties = 90 cells');
    expect(cellsText(1, 6, 0)).toBe('1 world property x 6 combinations = 6 cells');
    expect(cellsText(0, 12, 1)).toBe('1 offline property = 1 cell');
  });
});
