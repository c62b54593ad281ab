// The ServerFactory the scenario runner, `aofsim replay` and the benchmark use by default: this
// project's Server (src/server.ts, `new Server(deps, config)`), generic over the ports the World
// hands it. Resolved lazily so the simulator's own modules load (and their tests run) even while
// the server module is missing or broken; callers get a clear error instead.

import type { AofConfig } from '../../src/aof/config.ts';
import type { ServerDeps, ServerLike } from '../../src/server-types.ts';
import type { ServerFactory } from './world.ts';

type ServerCtor = new (deps: ServerDeps, config: AofConfig, options: { configResolved: boolean }) => ServerLike;

/** Loads src/server.ts and returns a factory for its Server. */
export async function loadServerFactory(): Promise<ServerFactory<AofConfig>> {
  let mod: { Server?: ServerCtor };
  try {
    // A literal specifier, so that a bundler can follow it (dist/ holds no src/ tree).
    mod = (await import('../../src/server.ts')) as { Server?: ServerCtor };
  } catch (e) {
    throw new Error(`cannot load the Server (src/server.ts): ${(e as Error).message}`);
  }
  const Server = mod.Server;
  if (typeof Server !== 'function') throw new Error('src/server.ts does not export a Server class');
  // The world's config is a resolved AofConfig (the type says so): each Server copies it instead
  // of resolving it again at every start.
  const options = { configResolved: true };
  return (deps, config) => new Server(deps, config, options);
}
