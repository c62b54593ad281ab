// The child programs that can run in a separate OS process, by kind (ports/tasks.ts ChildJob): the
// parent describes the program as data when it forks, and the child process (serve's child entry)
// rebuilds the SAME program here from that data, the decoded snapshot and its own ports.
// redis: the child branches of rewriteAppendOnlyFileBackground (aof.c) and rdbSaveBackground (rdb.c).
//
// To add a kind: export its params type, add a builder to CHILD_JOBS, and pass
// `{ kind, params, snapshot: () => encodeSnapshot(ks) }` as the second argument of Tasks.fork.
// Invariant: a builder uses only `params`, the snapshot and `env`: nothing of the parent's memory.

import type { Clock } from '../ports/clock.ts';
import type { Fs } from '../ports/fs.ts';
import type { Log } from '../ports/log.ts';
import type { ChildProgram } from '../ports/tasks.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Profile } from '../base/profile.ts';
import type { ScoreFormat } from '../keyspace/score-format.ts';
import { redis70RewriteChild } from '../aof/rewrite/redis70-child.ts';
import { defaultRdbEncoder } from '../aof/rewrite/rdb-body.ts';
import { rdbSaveChild, type RdbSaveJobParams } from '../persistence/rdb-save.ts';

/** What the child process has of its own. */
export interface ChildEnv {
  fs: Fs;
  log: Log;
  clock: Clock;
  /**
   * Called after each key the child writes: the process's progress report (redis: sendChildInfo
   * every 1024 keys) and rdb-key-save-delay (redis: debugDelay in rdbSaveKeyValuePair and
   * rewriteAppendOnlyFileRio). Only a child in its own process may block here.
   */
  onKey?: () => void;
}

/** What every kind's params hold. */
export interface ChildJobParams {
  [name: string]: unknown;
  /** `databases`: the snapshot is decoded into a keyspace this size. */
  numDbs: number;
  /** rdb-key-save-delay at fork time (µs; negative: sleep 1 µs with probability 1/-n). */
  rdbKeySaveDelayUs: number;
}

/** Kind 'aof-rewrite-redis70': RewriteFileParams without the ports and the snapshot. */
export interface Redis70RewriteJobParams extends ChildJobParams {
  dir: string;
  profile: Profile;
  nowMs: number;
  useRdb: boolean;
  incrementalFsync: boolean;
  timestampS: number | null;
  scoreFormat?: ScoreFormat;
  skipExpired?: boolean;
}

type Builder = (params: Record<string, unknown>, snapshot: Keyspace, env: ChildEnv) => ChildProgram;

const CHILD_JOBS: Record<string, Builder> = {
  'aof-rewrite-redis70': (params, snapshot, env) => {
    const p = params as Redis70RewriteJobParams;
    return redis70RewriteChild({ ...p, fs: env.fs, log: env.log, clock: env.clock, onKey: env.onKey, snapshot, encodeRdb: defaultRdbEncoder(p.profile) });
  },
  'rdb-bgsave': (params, snapshot, env) => {
    const p = params as RdbSaveJobParams;
    return (pid) => rdbSaveChild({ ...p, fs: env.fs, log: env.log, onKey: env.onKey, snapshot }, pid);
  },
};

/** The program of a job received by a child process. Throws on an unknown kind (a build mismatch). */
export function childProgramOf(kind: string, params: Record<string, unknown>, snapshot: Keyspace, env: ChildEnv): ChildProgram {
  const build = CHILD_JOBS[kind];
  if (build === undefined) throw new Error(`unknown child job kind '${kind}'`);
  return build(params, snapshot, env);
}
