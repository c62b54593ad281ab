// The CI workflow (.github/workflows/aofsim.yml) only uses what exists: every `npx aofsim CMD`
// names a command whose usage lists each flag it is given, every `npx vitest` flag is one vitest
// accepts, every `--project` is a project of vitest.config.ts, every `npm run` script is in
// package.json; and the shard seed arithmetic the README describes (combination i of property p
// uses base + 1000 * p + i; shard bases 10000 apart) is what sim/campaign/suite-options.ts does and
// what the workflow passes, so no two shards ever run the same fast-check seed.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCombos } from '../sim/campaign/model-run.ts';
import { PROPERTIES } from '../sim/campaign/properties.ts';
import { comboSeed } from '../sim/campaign/suite-options.ts';
import { allCommands } from './commands/index.ts';

const workflow = readFileSync('.github/workflows/aofsim.yml', 'utf8');
const readme = readFileSync('README.md', 'utf8');

/** The shell commands of every `run:` step (one-line steps). */
const runs = [...workflow.matchAll(/^\s*(?:- )?run: (.+)$/gm)].map((m) => m[1]);

/** The words after `npx TOOL` in every run line that calls it. */
function invocations(tool: string): string[][] {
  const out: string[][] = [];
  for (const r of runs) {
    const m = new RegExp(`npx ${tool} (.*)$`).exec(r);
    if (m) out.push(m[1].split(/\s+/));
  }
  return out;
}

describe('the CI workflow', () => {
  it('runs aofsim commands and flags that exist', async () => {
    const calls = invocations('aofsim');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const [name, ...rest] of calls) {
      const entry = allCommands.find((c) => c.name === name);
      expect(entry, `aofsim ${name}`).toBeDefined();
      const cmd = await entry!.load();
      for (const flag of rest.filter((w) => w.startsWith('--'))) expect(cmd.usage, `aofsim ${name} ${flag}`).toContain(flag);
    }
    expect(calls.some((c) => c[0] === 'run' && c.includes('--junit'))).toBe(true);
    expect(calls.some((c) => c[0] === 'validate' && c.includes('--junit') && c.includes('--report'))).toBe(true);
  });

  it('runs vitest with flags vitest accepts and projects the config defines', () => {
    const help = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', '--help'], { encoding: 'utf8' }).stdout;
    const config = readFileSync('vitest.config.ts', 'utf8');
    const calls = invocations('vitest');
    expect(calls.some((c) => c.some((w) => w.startsWith('--shard=')))).toBe(true);
    expect(calls.some((c) => c.includes('--merge-reports'))).toBe(true);
    for (const words of calls) {
      for (const w of words.filter((x) => x.startsWith('--'))) {
        const flag = w.split('=')[0].split('.')[0];
        const camel = '--' + flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        expect(help.includes(`${flag} `) || help.includes(`${camel} `), `vitest ${flag}`).toBe(true);
      }
      const i = words.indexOf('--project');
      if (i >= 0) expect(config).toContain(`name: '${words[i + 1]}'`);
    }
    for (const r of runs) {
      const m = /npm run (?:-s )?([\w:-]+)/.exec(r);
      if (m) expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts[m[1]], `npm run ${m[1]}`).toBeDefined();
    }
  });

  it('archives what the commands write: failure scenarios, the HTML report, JUnit files', () => {
    expect(workflow).toContain('AOFSIM_FAILURES_DIR: aofsim-failures');
    expect(workflow).toMatch(/path: \|?\s*[\s\S]*aofsim-failures\//);
    expect(workflow).toContain('aofsim-report.html.scenarios/');
    expect(workflow).toContain('.vitest-reports/');
  });

  it('shards get the seeds the README describes, and no two shards share a fast-check seed', () => {
    expect(readme).toContain('Combination i of property p uses seed base + 1000*p + i');
    const m = /AOFSIM_SEED=\$\(\((\d+) \+ (\d+) \* \$\{\{ matrix\.shard \}\}\)\)/.exec(workflow);
    expect(m, 'the workflow derives AOFSIM_SEED from the shard').not.toBeNull();
    const [start, step] = [Number(m![1]), Number(m![2])];
    expect(readme).toContain(`AOFSIM_SEED=$((${start} + ${step}*i))`);
    const shards = [...workflow.matchAll(/shard: \[([\d, ]+)\]/g)][0][1].split(',').map(Number);
    const combos = allCombos().length;
    const seen = new Map<number, number>();
    for (const s of shards) {
      const base = start + step * s;
      for (let p = 0; p < PROPERTIES.length; p++) {
        for (let i = 0; i < combos; i++) {
          const seed = comboSeed(base, p, i);
          expect(seed).toBe(base + 1000 * p + i);
          expect(seen.get(seed), `seed ${seed} in shards ${seen.get(seed)} and ${s}`).toBeUndefined();
          seen.set(seed, s);
        }
      }
    }
  });
});
