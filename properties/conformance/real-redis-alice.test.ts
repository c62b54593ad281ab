// ALICE-style power-loss search against the real redis-server 7.0.15 (issue 7 item 3): from a
// recorded strace of a small seeded workload, rebuild crash states with the simulator's crash
// engine, start the binary on each, and judge with the oracle. From scratch it must find the
// zero-fill tail refusal (docs/redis-bugs.md#bug-8) and the MULTI tail truncation (docs/redis-bugs.md#bug-22), write them
// as scenario files that reproduce on the binary, and the committed scenarios/real/ files must
// reproduce. Skips LOUDLY without redis-server 7.0 / strace; fails when AOFSIM_REQUIRE_REDIS=1.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { scenarioFromFailure } from '../../sim/subjects/alice-scenario.ts';
import { runAlice, type AliceOptions, type AliceResult } from '../../sim/subjects/real-alice.ts';
import { REQUIRE_REAL, redisServerMissing, skipLoudly, straceMissing } from '../../sim/subjects/real-availability.ts';
import { isRealScenarioText, parseRealScenario, runRealScenario } from '../../sim/subjects/real-scenario.ts';
import { validateFiles } from '../../sim/subjects/validate-files.ts';

const missing = redisServerMissing() ?? straceMissing();
const skip = skipLoudly('real-redis-alice (power-loss states on redis-server)', missing);
const tmp = mkdtempSync(join(tmpdir(), 'aofsim-alice-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const OPTS: AliceOptions = { seed: 3, units: 12, appendfsync: 'always', maxStates: 200, budgetMs: 60_000, states: { models: ['process-kill', 'torn', 'zero-fill'] } };

describe.skipIf(skip)('ALICE search on redis-server 7.0', () => {
  let result: AliceResult;

  it('runs (tools available)', async () => {
    if (REQUIRE_REAL) expect(missing).toBeNull();
    result = await runAlice(OPTS);
    expect(result.skippedOps).toBe(0);
    expect(result.statesChecked).toBeGreaterThan(10);
    expect(result.crashPoints).toBeGreaterThan(10);
  });

  it('finds the zero-fill tail refusal (bug 8) from scratch', () => {
    const f = result.failures.find((x) => x.property === 'server-starts' && x.model === 'zero-fill');
    expect(f, JSON.stringify(result.failures.map((x) => x.property + '/' + x.model))).toBeDefined();
    expect(f!.log.join('\n')).toContain('Bad file format reading the append only file');
    // The offline validator agrees with the binary on that state.
    const dir = join(tmp, 'bug8-state');
    for (const [rel, data] of Object.entries(f!.files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), data);
    }
    expect(validateFiles(createNodeFs(), dir).redis70.verdict).toBe('refuse');
  });

  it('finds the MULTI tail truncation (bug 22) from scratch: an acknowledged write after recovery is lost', () => {
    const f = result.failures.find((x) => x.property === 'writes-after-recovery-survive');
    expect(f, JSON.stringify(result.failures.map((x) => x.property + '/' + x.model))).toBeDefined();
    expect(f!.model).toBe('torn');
    expect(f!.probe?.reply).toBe('OK');
    expect(f!.probe?.after['0']?.[f!.probe!.key]).toBeUndefined();
    expect(f!.log.join('\n')).toContain('Revert incomplete MULTI/EXEC transaction');
  });

  it('process-kill states never lose acknowledged writes', () => {
    expect(result.failures.filter((x) => x.model === 'process-kill')).toEqual([]);
    expect(result.tally['process-kill']?.['acked-writes-survive']?.passed ?? 0).toBeGreaterThan(5);
  });

  it('writes scenario files that reproduce both bugs on the binary', async () => {
    for (const prop of ['server-starts', 'writes-after-recovery-survive'] as const) {
      const f = result.failures.find((x) => x.property === prop)!;
      const file = join(tmp, `${prop}.scenario.json`);
      writeFileSync(file, JSON.stringify(scenarioFromFailure(f, OPTS), null, 2));
      const text = readFileSync(file, 'utf8');
      expect(isRealScenarioText(text)).toBe(true);
      const r = await runRealScenario(parseRealScenario(text, file));
      expect(r.failures, r.timeline.join('\n')).toEqual([]);
      expect(r.checks).toBeGreaterThan(2);
    }
  });

  it('the committed scenarios/real/*.scenario.json reproduce', async () => {
    const dir = new URL('../../scenarios/real/', import.meta.url).pathname;
    const files = readdirSync(dir).filter((n) => n.endsWith('.scenario.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const n of files) {
      const r = await runRealScenario(parseRealScenario(readFileSync(join(dir, n), 'utf8'), n));
      expect(r.failures, `${n}\n${r.timeline.join('\n')}`).toEqual([]);
    }
  });
});
