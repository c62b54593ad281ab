#!/usr/bin/env node
// Entry point for `npx aofsim`: the compiled CLI, dist/cli.cjs, and the bundle of the command that
// runs, dist/cli/NAME.cjs (built by `npm run build`, which `npm ci` and `npm pack` run through the
// `prepare` script). From the source, without building: node cli/dev.mjs.
//
// CommonJS and a loader of its own, for start-up time (goal: `aofsim --help` and `aofsim check` of
// a small file within 150 ms): an ES module entry alone costs Node 7-10 ms, and each bundle is
// compiled with V8's code cache when the build left one (BUNDLE.cache, written with
// AOFSIM_WRITE_CODE_CACHE=1 by scripts/build.mjs from a run of `aofsim check`). A cache is only a
// shortcut: one older than its bundle is not read, and V8 rejects one made by another Node version
// or with other V8 flags; the bundle is then compiled from its source as usual.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Script } = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
const writeCache = process.env.AOFSIM_WRITE_CODE_CACHE === '1';
/** Bundles by absolute path: each runs once (as require() would). */
const bundles = new Map();

/** Runs a CommonJS bundle of dist/ (the module wrapper Node gives a .cjs file) and returns its exports. */
function loadBundle(file) {
  const known = bundles.get(file);
  if (known !== undefined) return known.module.exports;
  const source = fs.readFileSync(file, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: writeCache ? undefined : freshCache(file),
  });
  const module = { exports: {} };
  bundles.set(file, { module, script });
  const dir = path.dirname(file);
  // `./NAME.cjs`: another bundle of dist/ (the command list's requires); anything else (node:
  // builtins, the runtime dependencies) through this file's require, which finds the same
  // node_modules (the bundles ask for no other relative path; node:module's createRequire would
  // cost start-up: it loads Node's ES module loader).
  const bundleRequire = (id) => (id.startsWith('./') && id.endsWith('.cjs') ? loadBundle(path.join(dir, id)) : require(id));
  script.runInThisContext()(module.exports, bundleRequire, module, file, dir);
  return module.exports;
}

/** The code cache of `file` when it is at least as new as the bundle, else undefined. */
function freshCache(file) {
  try {
    const cache = `${file}.cache`;
    if (fs.statSync(cache).mtimeMs < fs.statSync(file).mtimeMs) return undefined;
    return fs.readFileSync(cache);
  } catch {
    return undefined;
  }
}

if (writeCache) {
  process.on('exit', () => {
    for (const [file, { script }] of bundles) fs.writeFileSync(`${file}.cache`, script.createCachedData());
  });
}

let cli;
try {
  cli = loadBundle(path.join(DIST, 'cli.cjs'));
} catch (e) {
  if (e && e.code === 'ENOENT' && e.path === path.join(DIST, 'cli.cjs')) {
    process.stderr.write('aofsim: the CLI is not built (dist/cli.cjs is missing): run npm run build\n');
    process.exit(2);
  }
  throw e;
}
cli.start(process.argv.slice(2));
