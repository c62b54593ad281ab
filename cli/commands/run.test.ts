// `aofsim run` in-process: a tiny clean campaign exits 0 with its summary table; with a bug switch
// on, it exits 1, writes a scenario file, and that file replays as a failure (the replay reproduces
// it); --list-bugs and --json; usage errors.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from './run.ts';
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
    expect(out).toMatch(/acked-writes-survive\s+redis-7\.0\s+everysec\s+2\s+0/);
    expect(out).toContain('all properties held');
    expect(err).toContain('seed 7');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--bug makes it exit 1 with a scenario file that aofsim replay reproduces', async () => {
    const code = await runCommand.run(['--seed', '1', '--runs', '5', '--profile', 'redis-7.0', '--bug', 'fsync-error-ignored']);
    expect(code).toBe(1);
    const files = readdirSync(dir);
    expect(files.length).toBe(1);
    const file = join(dir, files[0]);
    expect(err).toContain(`npx aofsim replay ${file}`);
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
    expect(j).toMatchObject({ seed: 3, ok: true, runs: 6 });
    expect(j.cells).toHaveLength(3);
    out = '';
    expect(await runCommand.run(['--list-bugs'])).toBe(0);
    expect(out).toContain('no-tail-fsync');
  });

  it('rejects bad options', async () => {
    await expect(runCommand.run(['--bug', 'nope'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand.run(['--time', 'soon'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand.run(['--profile', 'redis-9'])).rejects.toBeInstanceOf(UsageError);
  });
});
