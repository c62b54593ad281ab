// The child process of `aofsim serve` from the TypeScript source (development, tests): registers
// tsx, as cli/dev.mjs does, then loads child-main.ts. The compiled CLI uses dist/child.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./child-main.ts');
