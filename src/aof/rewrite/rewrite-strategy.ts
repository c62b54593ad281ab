// One background-rewrite strategy per Redis generation, behind one interface. The server and the
// AOF toggles call the generation-neutral entry points of index.ts, which ask rewriteStrategy(profile)
// instead of testing the profile; each strategy keeps its own state in its own slot of AofState
// (AofState.redis40 / AofState.redis70, see generation-state.ts).
//   redis40 (redis40-background.ts): pipes to the child, a rewrite buffer, rename over the live file.
//   redis70 (redis70-background.ts): a new INCR at fork time, a BASE from the child, manifest swap,
//     no rewrite buffer, a back-off after repeated failures (aofRewriteLimited).

import type { Bytes } from '../../keyspace/types.ts';
import type { ChildExit } from './fork-error.ts';
import type { RewriteHost } from './rewrite-host.ts';

export interface RewriteStrategy {
  readonly name: 'redis40' | 'redis70';
  /** redis: rewriteAppendOnlyFileBackground. 'error' when a child exists or a step failed (logged). */
  rewriteAppendOnlyFileBackground(host: RewriteHost): 'started' | 'error';
  /** redis: backgroundRewriteDoneHandler(exitcode, bysignal). */
  backgroundRewriteDoneHandler(host: RewriteHost, exit: ChildExit): void;
  /** Bytes fed while a child runs (redis 4.0: aofRewriteBufferAppend; 7.0 has no rewrite buffer). */
  feedRewriteBuffer(host: RewriteHost, bytes: Bytes): void;
  /** The pipe events of one event-loop iteration (4.0 only); returns the bytes sent to the child. */
  processRewritePipes(host: RewriteHost): number;
  /** redis: aofRemoveTempFile (4.0: the -bg- file; 7.0: both temp files). */
  removeTempFile(host: RewriteHost, childPid: number): void;
  /** What killAppendOnlyChild resets besides the child state (4.0: the buffer and the pipes). */
  resetAfterKill(host: RewriteHost): void;
  /** redis: aofRewriteLimited (7.0's back-off); 4.0 never limits. */
  rewriteLimited(host: RewriteHost): boolean;
  /** BGREWRITEAOF's generation-specific answers (redis: bgrewriteaofCommand). */
  readonly bgrewriteaof: {
    /** 7.0 schedules a rewrite asked for inside MULTI/EXEC instead of forking there. */
    readonly schedulesInExec: boolean;
    /** 7.0: a manual request resets the back-off (stat_aofrw_consecutive_failures). */
    readonly manualResetsBackoff: boolean;
    /** The error reply when the rewrite could not start. */
    readonly failureReply: string;
  };
}
