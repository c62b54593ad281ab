// Recognising a ForkError by its symbol footprint (copies of the module under tsx/vitest agree),
// and the child-exit type re-exported for the rewrite modules.

import { FORK_ERROR, type ForkError } from '../../ports/tasks.ts';
export type { ChildExit } from '../../ports/tasks.ts';

export function isForkError(e: unknown): e is ForkError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[FORK_ERROR] === true;
}
