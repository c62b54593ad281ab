// vitest setup file (every project, every test file): fast-check's global seed is the suite seed,
// so every fc.assert / fc.check / fc.sample without its own seed (unit tests beside the code
// included) is deterministic by default and moves with AOFSIM_SEED. A failure prints
// `{ seed, path }`; `AOFSIM_SEED=<seed>` reruns it.

import fc from 'fast-check';
import { testSeed } from '../../sim/campaign/suite-options.ts';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: testSeed(process.env) });
