// What consecutive worlds may share without changing a single trace line: the objects that cost
// more to build than a short run costs to simulate, and whose state a new world resets fully, and
// caches of pure functions. Today that is the virtual clock (a fake-timers clock: createClock()
// costs more than a whole crash-restart cycle of a small run) and the filesystem's split paths
// (PathPartsCache: path -> components, the same for every world); a campaign, the benchmark and
// the scenario runner hand one WorldReuse to the worlds they build one after another.
//
// Invariants: one world at a time owns the reused parts. A world built with a WorldReuse claims it;
// the world that owned it before is then stale, and any driver call on it throws instead of
// reading a clock that another run has moved (see World.assertOwner). Reuse never changes a trace:
// a claimed clock is reset to the new world's start, exactly like a fresh one.

import { VirtualClock } from '../clock/virtual-clock.ts';
import type { PathPartsCache } from '../fs/fs-core.ts';

export class WorldReuse {
  private readonly clock = new VirtualClock();
  /** Split paths for every world's SimFs (a cache of a pure function: nothing to reset). */
  readonly pathParts: PathPartsCache = new Map();
  private owner: object | null = null;

  /** Called by a new world: it owns the shared parts from now on; the clock restarts at `startMs`. */
  claim(world: object, startMs?: number): VirtualClock {
    this.clock.reset(startMs);
    this.owner = world;
    return this.clock;
  }

  /** Whether `world` still owns the shared parts (no newer world claimed them). */
  ownedBy(world: object): boolean {
    return this.owner === world;
  }
}
