#!/usr/bin/env node
// Entry point for `npx aofsim`: runs the TypeScript CLI through tsx, so no build step is needed after
// `npm ci`.
import { register } from 'tsx/esm/api';

register();
// `aofsim ... | head`: a closed pipe ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
