// What the background rewrite needs from its server: the AofContext (config, state, keyspace, ports)
// plus the writer's flush and, for RDB bodies, an RDB encoder. src/server.ts builds one.
//
// Contract with the server (redis call sites):
// - feed: while state.aofChildPid !== -1, profile redis-4.0 hands every fed byte string to
//   feedRewriteBuffer(host, bytes) (redis: feedAppendOnlyFile -> aofRewriteBufferAppend).
// - event loop: call processRewritePipes(host) once per iteration (redis: the writable event on the
//   data pipe and the readable event on the ack pipe); the seed child times out after 5 s without it.
// - serverCron: reapRewriteChild(host) (waitpid WNOHANG -> backgroundRewriteDoneHandler); the
//   auto-rewrite and scheduled-rewrite paths consult aofRewriteLimited(host) (7.0).
// - BGREWRITEAOF: bgrewriteaofCommand(host); CONFIG SET appendonly no: killAppendOnlyChild(host).

import type { AofContext } from '../state.ts';
import type { RdbBodyEncoder } from './rdb-body.ts';

export interface RewriteHost extends AofContext {
  /** redis: flushAppendOnlyFile(force) (7.0 calls it with force=1 before opening the new INCR). */
  flushAppendOnlyFile(force: boolean): void;
  /** Needed when aof-use-rdb-preamble is yes. */
  encodeRdb?: RdbBodyEncoder;
  /** getpid() of the server, for the synchronous rewrite's temp file name. Default 1. */
  pid?: number;
}
