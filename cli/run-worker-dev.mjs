// The worker thread of `aofsim run --workers N` from the TypeScript source (development, tests):
// registers tsx in this thread, as cli/dev.mjs does for the main one, then loads run-worker.ts.
// The compiled CLI uses dist/run-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./run-worker.ts');
