// What the background rewrite needs from its server: the AofContext (config, state, keyspace, ports)
// plus the writer's flush and, for RDB bodies, an RDB encoder. src/server.ts builds one.
//
// Contract with the server (redis call sites):
// - feed: while state.aofChildPid !== -1, profile redis-4.0 hands every fed byte string to
//   feedRewriteBuffer(host, bytes) (redis: feedAppendOnlyFile -> aofRewriteBufferAppend).
// - event loop: call processRewritePipes(host) once per iteration (redis: the writable event on the
//   data pipe and the readable event on the ack pipe); 4.0's child times out after 5 s without it.
// - serverCron: reapRewriteChild(host) (waitpid WNOHANG -> backgroundRewriteDoneHandler); the
//   auto-rewrite and scheduled-rewrite paths consult aofRewriteLimited(host) (7.0's back-off).
// - BGREWRITEAOF: bgrewriteaofCommand(host); CONFIG SET appendonly no: killAppendOnlyChild(host).
//
// Coverage marks (Log.mark) a simulator can use as crash points, in the order they happen:
//   redis-4.0: rewrite.redis40.diff-appended (residual written to the temp file, before the rename),
//              rewrite.redis40.renamed (temp renamed over appendonly.aof, fd not yet swapped),
//              rewrite.redis40.switched (done handler succeeded);
//   redis-7.0: rewrite.redis70.incr-opened (new INCR created, manifest not yet persisted),
//              rewrite.redis70.incr-manifest-persisted, rewrite.redis70.base-renamed (new BASE in the aof dir,
//              manifest not yet persisted), rewrite.redis70.history-unlink (manifest switched, history
//              about to be unlinked), rewrite.redis70.switched.
// Failure-path marks: rewrite.{redis40,redis70}.fork-failed, .child-error, .killed, .killed-sigusr1,
// rewrite.redis40.residual-write-error, rewrite.redis70.persist-failed-rollback, rewrite.redis40.child.werr,
// rewrite.redis40.child.ack-timeout, rewrite.child.write-error, and one per bug switch (....bug-*).

import type { AofContext } from '../state.ts';
import type { RdbBodyEncoder } from './rdb-body.ts';

export interface RewriteHost extends AofContext {
  /** redis: flushAppendOnlyFile(force) (7.0 calls it with force=1 before opening the new INCR). */
  flushAppendOnlyFile(force: boolean): void;
  /** Needed when aof-use-rdb-preamble is yes. */
  encodeRdb?: RdbBodyEncoder;
  /** getpid() of the server, for the synchronous rewrite's temp file name. Default 1. */
  pid?: number;
  /**
   * redis: server.rdb_key_save_delay (hidden config `rdb-key-save-delay`, µs), read at fork time and
   * honoured by a child that runs as its own process. Default 0.
   */
  rdbKeySaveDelayUs?(): number;
}
