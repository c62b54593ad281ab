// The Clock port on the real wall clock. Only for code that faces the real world (serve, the CLI).

import type { Clock } from '../../ports/clock.ts';

export const nodeClock: Clock = { nowMs: () => Date.now() };
