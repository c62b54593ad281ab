// The rewrite state each Redis generation keeps for itself (AofState.redis40 / AofState.redis70).
// Only that generation's strategy (redis40-background.ts / redis70-background.ts) writes its slot;
// on a server of the other generation the slot keeps its initial value. Field names are Redis's
// `server.aof_*` names (redis: server.h struct redisServer, 4.0.14 and 7.0.15).

import type { Bytes } from '../../keyspace/types.ts';
import type { Pipe } from '../../ports/tasks.ts';

/** 4.0: the rewrite buffer and the three pipes between the parent and its rewrite child. */
export interface Redis40RewriteState {
  /** aof_rewrite_buf_blocks: fed bytes while a child runs, in blocks of at most 10 MB. */
  aofRewriteBufBlocks: Bytes[];
  /** aof_pipe_write_data_to_child (parent side; non-blocking). */
  aofPipeWriteDataToChild: Pipe | null;
  /** aof_pipe_read_data_from_parent (child side). */
  aofPipeReadDataFromParent: Pipe | null;
  /** aof_pipe_write_ack_to_parent / aof_pipe_read_ack_from_child (child -> parent `!`). */
  aofPipeAckToParent: Pipe | null;
  /** aof_pipe_write_ack_to_child / aof_pipe_read_ack_from_parent (parent -> child `!`). */
  aofPipeAckToChild: Pipe | null;
  /** aof_stop_sending_diff. */
  aofStopSendingDiff: boolean;
  /** The ack pipe's readable handler (aofChildPipeReadable) is installed until the first '!'. */
  ackHandlerInstalled: boolean;
}

/** 7.0: which INCR the WAIT_REWRITE state writes to. */
export interface Redis70RewriteState {
  /**
   * The open INCR is the temp INCR (temp-<appendfilename>.incr), to be renamed into the manifest
   * when the rewrite succeeds. False once openNewIncrAofForAppend opened a real INCR or the switch
   * renamed the temp one.
   */
  tempIncr: boolean;
}

export function newRedis40RewriteState(): Redis40RewriteState {
  return {
    aofRewriteBufBlocks: [],
    aofPipeWriteDataToChild: null,
    aofPipeReadDataFromParent: null,
    aofPipeAckToParent: null,
    aofPipeAckToChild: null,
    aofStopSendingDiff: false,
    ackHandlerInstalled: false,
  };
}

export function newRedis70RewriteState(): Redis70RewriteState {
  return { tempIncr: true };
}
