#!/usr/bin/env node
// Builds dist/, in three steps. Run by `npm run build` and by the `prepare` script (npm ci, npm pack).
//
// 1. The CLI as CommonJS bundles (esbuild): dist/cli.cjs (main(): the command list, --help) and one
//    self-contained bundle per command, dist/cli/NAME.cjs, which main() loads when that command
//    runs (the command list's `import('./NAME.ts')` becomes a require of the built bundle). CommonJS
//    because it starts faster than ES modules (no ESM loader, no per-chunk resolution: 15-25 ms of
//    `aofsim check`'s start-up) and because V8's code cache, step 3, can only be used through
//    vm.Script. The runtime dependencies stay requires (each has a CommonJS build).
// 2. The library entry (dist/index.js), the worker thread of `aofsim run --workers`
//    (dist/run-worker.js, found by cli/run-pool.ts) and the child process of `aofsim serve`
//    (dist/child.js, found by cli/child-entry.ts) as ES modules sharing chunks; then the library's
//    type declarations (dist/types/, tsc -p tsconfig.build.json).
// 3. V8's code cache of the bundles `aofsim check` loads: bin/aofsim.cjs runs check on a fixture
//    with AOFSIM_WRITE_CODE_CACHE=1 and writes dist/cli.cjs.cache and dist/cli/check.cjs.cache
//    (bytecode of every function that ran). Made by this Node; another Node version rejects it and
//    compiles as usual. Without the fixture (a copy of the package without fixtures/) the cache
//    comes from `aofsim --help` alone.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
const TRAINING_INPUT = join(root, 'fixtures/redis-7.0.15/golden/golden-rdb/appendonly.aof.manifest');

// The commands: cli/commands/index.ts imports each as `import('./NAME.ts')`.
const COMMAND_LIST = 'cli/commands/index.ts';
const commands = [...readFileSync(join(root, COMMAND_LIST), 'utf8').matchAll(/import\('\.\/([a-z-]+)\.ts'\)/g)].map((m) => m[1]);
if (commands.length === 0) throw new Error(`build: found no command imports in ${COMMAND_LIST}`);

/** In the command list, `import('./NAME.ts')` names the built bundle instead of bundling the command in. */
const commandBundles = {
  name: 'command-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\.ts$/ }, (a) =>
      a.importer.endsWith(join('cli', 'commands', 'index.ts')) ? { path: `./cli/${a.path.slice(2, -3)}.cjs`, external: true } : undefined,
    );
  },
};

rmSync(join(root, 'dist'), { recursive: true, force: true });
const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', external, sourcemap: 'linked', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: { cli: 'cli/start.ts', ...Object.fromEntries(commands.map((c) => [`cli/${c}`, `cli/commands/${c}.ts`])) },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // import() becomes a require inside a promise: the bundles run through vm.Script (bin/aofsim.cjs),
  // which has no ES module loader behind it.
  supported: { 'dynamic-import': false },
  // import.meta.url, as the code that finds dist/run-worker.js and dist/child.js reads it.
  define: { 'import.meta.url': '__aofsim_module_url' },
  banner: { js: 'var __aofsim_module_url = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [commandBundles],
});
await build({
  ...common,
  entryPoints: { index: 'lib/index.ts', 'run-worker': 'cli/run-worker.ts', child: 'cli/child-main.ts' },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
});
for (const f of ['cli.cjs', ...readdirSync(join(root, 'dist/cli')).map((f) => `cli/${f}`)].filter((f) => f.endsWith('.cjs'))) {
  if (/\bimport\(/.test(readFileSync(join(root, 'dist', f), 'utf8').replace(/\/\/.*$/gm, ''))) {
    throw new Error(`build: dist/${f} still calls import(), which bin/aofsim.cjs cannot serve`);
  }
}
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const trainingArgs = existsSync(TRAINING_INPUT) ? ['check', TRAINING_INPUT] : ['--help'];
execFileSync(process.execPath, [join(root, 'bin/aofsim.cjs'), ...trainingArgs], { stdio: 'ignore', env: { ...process.env, AOFSIM_WRITE_CODE_CACHE: '1' } });
