// vitest global setup (every project): decides the run's seed once, before any worker starts.
// AOFSIM_SEED=random draws a fresh one here, prints it, and writes it back into AOFSIM_SEED so every
// worker and every suite sees the same integer (sim/campaign/suite-options.ts testSeed); the seed is
// printed again when the run ends, next to the results. Unset: the fixed default, nothing printed.

import { randomInt } from 'node:crypto';
import { resolveSeedEnv } from '../../sim/campaign/suite-options.ts';

export default function setup(): (() => void) | undefined {
  const { seed, drawn } = resolveSeedEnv(process.env, () => randomInt(1, 2 ** 31 - 1));
  process.env.AOFSIM_SEED = String(seed);
  if (!drawn) return undefined;
  const line = `AOFSIM_SEED=random drew ${seed}: rerun with AOFSIM_SEED=${seed}`;
  process.stderr.write(line + '\n');
  return () => {
    process.stderr.write(line + '\n');
  };
}
