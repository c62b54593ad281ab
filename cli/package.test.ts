// The package as users get it: `npm pack` (which builds dist/ through `prepare`), then the tarball
// installed into an empty temp project from the npm cache, without this repository: its `aofsim`
// runs `--help` and `check` on a fixture, and the library entry imports and works. The install is
// offline first (`--offline`), then `--prefer-offline`; only when neither can install the runtime
// dependencies does the test skip, saying so.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FIXTURE = join(ROOT, 'fixtures/redis-7.0.15/golden/golden-rdb');
const work = mkdtempSync(join(tmpdir(), 'aofsim-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

let tarball = '';
let project = '';
let installProblem: string | null = null;

beforeAll(() => {
  const packed = npm(['pack', '--json', '--pack-destination', work], ROOT);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
  tarball = join(work, info[0]!.filename);
  project = join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-aofsim', private: true, type: 'module' }));
  const tries: string[] = [];
  for (const mode of ['--offline', '--prefer-offline']) {
    const r = npm(['install', mode, '--no-audit', '--no-fund', '--save-dev', tarball], project);
    if (r.status === 0) return;
    tries.push(`npm install ${mode}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  installProblem = tries.join('; ');
  console.warn(`SKIPPING the installed-package checks: the tarball's runtime dependencies could not be installed (${installProblem})`);
}, 600_000);

describe('npm pack', () => {
  it('the tarball holds the compiled CLI, the library and its types, not the TypeScript source', () => {
    const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(list).toContain('package/bin/aofsim.mjs');
    expect(list).toContain('package/dist/cli.js');
    expect(list).toContain('package/dist/index.js');
    expect(list).toContain('package/dist/types/lib/index.d.ts');
    expect(list.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(pkg.private).toBeUndefined();
    expect(pkg.exports).toMatchObject({ '.': { types: './dist/types/lib/index.d.ts', import: './dist/index.js' } });
    expect(Object.keys(pkg.dependencies as object).sort()).toEqual(['@sinonjs/fake-timers', 'fast-check', 'fengari', 'memfs']);
  });
});

describe('installed into another project', () => {
  const skip = (): boolean => {
    if (installProblem !== null) console.warn(`SKIPPED: ${installProblem}`);
    return installProblem !== null;
  };

  it('aofsim --help', (ctx) => {
    if (skip()) return ctx.skip();
    const bin = join(project, 'node_modules/.bin/aofsim');
    expect(existsSync(bin)).toBe(true);
    const r = spawnSync(bin, ['--help'], { cwd: project, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^aofsim: .*\n[\s\S]*Commands:\n[\s\S]*  check /);
  });

  it('aofsim check on a fixture written by redis 7.0.15', (ctx) => {
    if (skip()) return ctx.skip();
    const r = spawnSync(join(project, 'node_modules/.bin/aofsim'), ['check', join(FIXTURE, 'appendonly.aof.manifest')], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Start to check BASE AOF (RDB format).');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('All AOF files and manifest are valid');
    expect(r.status).toBe(0);
  });

  it("import { loadAof, checkAof } from 'aofsim'", (ctx) => {
    if (skip()) return ctx.skip();
    const names = ['appendonly.aof.manifest', 'appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof'];
    const script = `
      import { readFileSync } from 'node:fs';
      import { loadAof, checkAof, VERSION } from 'aofsim';
      const files = {};
      for (const n of ${JSON.stringify(names)}) files['appendonlydir/' + n] = readFileSync(${JSON.stringify(FIXTURE)} + '/' + n);
      const expected = JSON.parse(readFileSync(${JSON.stringify(join(FIXTURE, 'expected.json'))}, 'utf8'));
      const loaded = loadAof(files, { atMs: expected.atMs });
      const checked = checkAof(files);
      const cut = loadAof(readFileSync(${JSON.stringify(join(FIXTURE, 'appendonly.aof.2.incr.aof'))}).subarray(0, 30));
      console.log(JSON.stringify({ VERSION, loaded, checked: checked.exitCode, last: checked.lines.at(-1), cut: cut.status }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { VERSION: string; loaded: { ok: boolean; status: string; dump: string }; checked: number; last: string; cut: string };
    expect(out.VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(out.loaded.ok).toBe(true);
    expect(out.loaded.status).toBe('ok');
    // The state the fixture's redis-server 7.0.15 run recorded.
    expect(JSON.parse(out.loaded.dump)).toEqual(JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')));
    expect(out.checked).toBe(0);
    expect(out.last).toBe('All AOF files and manifest are valid');
    expect(out.cut).toBe('truncated');
  });
});
