// Checker 'rewrite-switch': at each rewrite switch (4.0: the rename of the rewritten file over
// appendonly.aof; 7.0: the manifest naming the new BASE persisted), the files now current load
// (offline, sim/oracle/load-offline.ts) to a live state at least as new as what aof_buf had
// drained: the rewrite lost nothing and applied nothing twice (redis: backgroundRewriteDoneHandler).
//
// Excused: a switch with appendonly no (4.0 allows BGREWRITEAOF then; the files are not meant to
// follow the live state). Bounds: commands still in aof_buf at the switch may be missing.

import type { AofEvent } from '../../../src/ports/events.ts';
import { checkRecovery, describeVerdict } from '../oracle.ts';
import { loadOffline } from '../load-offline.ts';
import type { Checker, CheckerContext } from './checker.ts';

export class RewriteSwitchChecker implements Checker {
  constructor(private readonly ctx: CheckerContext) {}

  onAofEvent(e: AofEvent): void {
    if (e.kind !== 'rewrite-switched') return;
    const server = this.ctx.trackedServer();
    const h = this.ctx.ledger.currentHistory();
    if (!server?.config || !server.state || h === null) return;
    const st = server.state;
    if (st.aofState === 'off') return;
    const at = `the ${e.generation} rewrite switch`;
    const world = this.ctx.world;
    const wallMs = world.wallNowMs();
    const loaded = loadOffline(world.fs.snapshot('visible'), server.config, wallMs);
    if (loaded.error !== null) {
      this.ctx.violate('rewrite-switch', `at ${at} the current files do not load: ${loaded.error}`);
      return;
    }
    const kMin = st.aofBuf === '' ? h.executed : this.ctx.ledger.drainedK();
    const v = checkRecovery(h, loaded.keyspace!, { kMin, kMax: h.executed, atMs: wallMs });
    if (!v.ok) this.ctx.violate('rewrite-switch', `at ${at} the current files do not load to the live state: ${describeVerdict(v)}`);
  }
}
