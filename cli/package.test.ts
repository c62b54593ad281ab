// The package as users get it: `npm pack` (which builds dist/ through `prepare`), then the tarball
// installed without this repository, twice: globally (`npm install -g --prefix TMP`) and as a
// devDependency of an empty temp project, next to vitest and typescript at this repository's
// versions. There its `aofsim` runs `--help` and `check` on a fixture; the library entry imports
// and works; its type declarations type-check a user's file with `tsc --noEmit` (skipLibCheck off,
// no @types/node) and reject a misuse; and the examples/ suites run under vitest against the
// installed package. Installs are offline first (`--offline`), then `--prefer-offline`; only when
// neither works do the installed-package tests skip, saying so; with AOFSIM_REQUIRE_PACKAGE=1 (CI,
// which has the registry) a failed install fails the suite instead.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FIXTURE = join(ROOT, 'fixtures/redis-7.0.15/golden/golden-rdb');
const work = mkdtempSync(join(tmpdir(), 'aofsim-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }), 300_000);

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

let tarball = '';
let project = '';
let globalPrefix = '';
let installProblem: string | null = null;

const devDeps = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;

/** This process's environment without what marks it as a vitest worker (the examples run in a vitest of their own). */
function outsideVitest(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST') env[k] = v;
  return env;
}

/** npm install, offline first; the failure text of both tries, or null. */
function install(args: string[], cwd: string): string | null {
  const tries: string[] = [];
  for (const mode of ['--offline', '--prefer-offline']) {
    const r = npm(['install', mode, '--no-audit', '--no-fund', ...args], cwd);
    if (r.status === 0) return null;
    tries.push(`npm install ${mode} ${args.join(' ')}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return tries.join('; ');
}

beforeAll(() => {
  const packed = npm(['pack', '--json', '--pack-destination', work], ROOT);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
  tarball = join(work, info[0]!.filename);
  project = join(work, 'project');
  globalPrefix = join(work, 'global');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-aofsim', private: true, type: 'module' }));
  const problems = [
    install(['--save-dev', tarball, `vitest@${devDeps.vitest}`, `typescript@${devDeps.typescript}`], project),
    install(['-g', '--prefix', globalPrefix, tarball], work),
  ].filter((p) => p !== null);
  if (problems.length === 0) return;
  installProblem = problems.join('; ');
  if (process.env.AOFSIM_REQUIRE_PACKAGE === '1') throw new Error(`AOFSIM_REQUIRE_PACKAGE=1: the packed tarball could not be installed (${installProblem})`);
  console.warn(`SKIPPING the installed-package checks: the tarball or its dependencies could not be installed (${installProblem})`);
}, 900_000);

describe('npm pack', () => {
  it('the tarball holds the compiled CLI, the library and its types, not the TypeScript source', () => {
    const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(list).toContain('package/bin/aofsim.cjs');
    expect(list).toContain('package/dist/cli.cjs');
    expect(list).toContain('package/dist/cli/check.cjs');
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

  it("a user's mistake caught inside a command's bundle: one line and exit 2, no stack trace", (ctx) => {
    if (skip()) return ctx.skip();
    // Each command's bundle has its own copy of UsageError; main() must still know it.
    const r = spawnSync(join(project, 'node_modules/.bin/aofsim'), ['serve', '--port', '99999', '--dir', project], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe("aofsim serve: bad port '99999' (0-65535) (aofsim serve --help)\n");
    expect(r.status).toBe(2);
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

  it('npm install -g --prefix: the global aofsim runs --help and check', (ctx) => {
    if (skip()) return ctx.skip();
    const bin = join(globalPrefix, 'bin/aofsim');
    expect(existsSync(bin)).toBe(true);
    const help = spawnSync(bin, ['--help'], { cwd: work, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^aofsim: /);
    const r = spawnSync(bin, ['check', join(FIXTURE, 'appendonly.aof.manifest')], { cwd: work, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n').at(-1)).toBe('All AOF files and manifest are valid');
    expect(r.status).toBe(0);
  });

  it("the type declarations type-check a user's file (tsc --noEmit, skipLibCheck off) and reject misuse", (ctx) => {
    if (skip()) return ctx.skip();
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: [] }, include: ['uses-aofsim.ts'] }),
    );
    writeFileSync(
      join(project, 'uses-aofsim.ts'),
      `import fc from 'fast-check';
import { checkAof, checkProperty, createWorld, crashDecisionArbitrary, faultPlanArbitrary, loadAof, workloadArbitrary, type CanonicalDump, type CrashDecision, type Fault, type SimWorld } from 'aofsim';
const world: SimWorld = createWorld({ profile: 'redis-7.0', config: { appendfsync: 'always' }, bugs: ['no-dir-fsync'], oracle: ['recovery'] });
const reply: string | null = world.call(['SET', 'k', 'v']);
const dump: CanonicalDump = world.dump(world.nowMs());
const ok: boolean = checkAof(world.files()).ok && loadAof(world.files()).status === 'ok';
const crashes: fc.Arbitrary<CrashDecision> = crashDecisionArbitrary(world, { models: ['torn'] });
const plans: fc.Arbitrary<Fault[]> = faultPlanArbitrary({ horizonOps: 10 });
const workloads: fc.Arbitrary<string[][]> = workloadArbitrary({ profile: 'redis-4.0' });
const passed: boolean = checkProperty('acked-writes-survive', { profile: 'redis-4.0', appendfsync: 'no', numRuns: 1 }).ok;
// @ts-expect-error: no such profile
createWorld({ profile: 'redis-9.0' });
// @ts-expect-error: call takes argv strings
world.call('SET k v');
export { reply, dump, ok, crashes, plans, workloads, passed };
`,
    );
    const tsc = spawnSync(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    // The same file with a wrong type: the declarations are real types, not any.
    writeFileSync(join(project, 'uses-aofsim.ts'), `import { loadAof } from 'aofsim';\nexport const n: number = loadAof('').status;\n`);
    const wrong = spawnSync(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(wrong.stdout).toContain("error TS2322: Type 'string' is not assignable to type 'number'");
    expect(wrong.status).not.toBe(0);
  }, 300_000);

  it('the examples run under vitest against the installed package', (ctx) => {
    if (skip()) return ctx.skip();
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.test.ts'));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const f of examples) copyFileSync(join(ROOT, 'examples', f), join(project, f));
    const r = spawnSync(join(project, 'node_modules/.bin/vitest'), ['run', '--root', project, '--reporter', 'verbose', ...examples], { cwd: project, encoding: 'utf8', env: outsideVitest() });
    const out = r.stdout + r.stderr;
    expect(out, out).toMatch(new RegExp(`Test Files\\s+${examples.length} passed \\(${examples.length}\\)`));
    expect(out).not.toMatch(/skipped|failed/);
    expect(r.status).toBe(0);
  }, 600_000);
});
