#!/usr/bin/env node
// `aofsim` from the TypeScript source, through tsx (development and the tests that spawn the CLI):
// the same entry as the compiled bin/aofsim.cjs, without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./bin.ts');
