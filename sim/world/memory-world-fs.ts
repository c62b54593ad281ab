// A WorldFs over the memfs-backed memory Fs (src/adapters/memory): every syscall succeeds at no
// virtual cost and the page cache is all there is. Enough for process-kill crashes and for worlds
// that do not need durability (unit tests of the scheduler and tasks); power loss needs SimFs and
// is refused with a clear message.

import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import type { CrashDecision } from '../crash/crash-decision.ts';
import type { WorldFs } from './world.ts';

export function memoryWorldFs(files: Record<string, string | Uint8Array> = {}): WorldFs {
  const fs = createMemoryFs(files);
  return {
    fs,
    powerLoss(decision: CrashDecision): void {
      throw new Error(`memoryWorldFs cannot model power loss (${decision.model}); build the world on SimFs`);
    },
    randomDecision(model: CrashDecision['model']): CrashDecision {
      if (model === 'process-kill') return { model };
      throw new Error(`memoryWorldFs cannot model power loss (${model}); build the world on SimFs`);
    },
    takeCostMs: () => 0,
  };
}
