// Checker 'durable names' (reported as 'recovery'): under `always`, an acknowledged write sits in
// a file whose name is durable. Redis 7.0 makes every name it creates durable before writing to
// the file (the manifest persist fsyncs appendonlydir; redis: persistAofManifest,
// fsyncFileDir), so a power loss cannot take the file away with the acknowledged bytes. Whether a
// name is durable is asked of the filesystem (FsCore.isNameDurable / undurableNames).
//
// Excused: redis-4.0, which never fsyncs the directory after its rename (docs/redis-bugs.md#bug-4);
// names already undurable when the incarnation started (a crash between a manifest rename and its
// directory fsync): Redis does not fsync at startup what it loads.

import type { Ack } from '../promise-ledger.ts';
import type { Checker, CheckerContext } from './checker.ts';

export class DurableNamesChecker implements Checker {
  constructor(private readonly ctx: CheckerContext) {}

  onAcked(a: Ack): void {
    if (!a.always) return;
    const s = this.ctx.trackedServer();
    const path = s?.state?.aofFdPath;
    if (s?.config?.profile !== 'redis-7.0' || s.state?.aofState !== 'on' || !path) return;
    if (this.ctx.ledger.nameDirty(path, true)) {
      this.ctx.violate('recovery', `appendfsync always acknowledged command #${a.req.seq} (k=${a.k}) while the name ${path} was not durable (no directory fsync since it was created or renamed)`);
    }
  }
}
