// `aofsim` from the TypeScript source (`node cli/dev.mjs`: development, and the tests that spawn the
// CLI): the same start() as the compiled dist/cli.cjs that bin/aofsim.cjs loads.

import { start } from './start.ts';

await start(process.argv.slice(2));
