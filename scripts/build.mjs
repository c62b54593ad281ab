#!/usr/bin/env node
// Builds dist/: the CLI (dist/cli.js) and the library entry (dist/index.js) as ES modules bundled by
// esbuild, with one chunk per lazily loaded command (code splitting) so `aofsim --help` and
// `aofsim check` load only what they run, and the worker thread of `aofsim run --workers`
// (dist/run-worker.js, found by cli/run-pool.ts) and the child process of `aofsim serve` (dist/child.js,
// found by cli/child-entry.ts); the runtime dependencies stay imports. Then the library's
// type declarations (dist/types/, tsc -p tsconfig.build.json). Run by `npm run build` and by the
// `prepare` script (npm ci, npm pack).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'cli/bin.ts', index: 'lib/index.ts', 'run-worker': 'cli/run-worker.ts', child: 'cli/child-main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: Object.keys(pkg.dependencies ?? {}),
  sourcemap: 'linked',
  logLevel: 'warning',
});
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
