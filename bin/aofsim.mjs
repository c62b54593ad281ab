#!/usr/bin/env node
// Entry point for `npx aofsim`: the compiled CLI in dist/ (built by `npm run build`, which `npm ci`
// and `npm pack` run through the `prepare` script). From the source, without building: node cli/dev.mjs.
try {
  await import('../dist/cli.js');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli.js')) {
    process.stderr.write('aofsim: the CLI is not built (dist/cli.js is missing): run npm run build\n');
    process.exit(2);
  }
  throw e;
}
