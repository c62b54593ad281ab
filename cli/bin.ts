// The `aofsim` process: runs main() on argv and sets the exit code. Compiled into dist/cli.js,
// which bin/aofsim.mjs loads; `node cli/dev.mjs` runs this source directly (development, tests).

import { main } from './main.ts';

// `aofsim ... | head`: a closed pipe ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
process.exitCode = await main(process.argv.slice(2));
