// The dataset as a sequence of commands (redis: aof.c rewriteAppendOnlyFileRio, 4.0 and 7.0).
//
// 7.0 first writes `FUNCTION LOAD <code>` per function library (rewriteFunctions). Then for each
// non-empty db: `SELECT <n>`, then per key (dict iteration order; here Map insertion order):
//   string SET key value | list RPUSH | set SADD | zset ZADD score member | hash HMSET, each batched by
//   AOF_REWRITE_ITEMS_PER_CMD = 64 items (70 elements -> `*66` + `*8`) | stream: see emit-stream.ts,
// then `PEXPIREAT key <ms>` when the key has an expire. Profile redis-4.0 skips keys whose expire is
// already past at rewrite start (`expire < now`); 5.0+ (profile redis-7.0) emits them all (commit
// ba92b517b, docs/redis-bugs.md#bug-15). 7.0 with aof-timestamp-enabled starts with a forced `#TS:<s>`.
//
// The output is a generator of byte-string chunks: it yields after a key once at least `chunkBytes`
// are buffered, so a child can write them, drain its diff pipe and yield to the scheduler, and a
// 1M-key rewrite never builds one giant string. Invariant: the concatenation of the chunks, loaded
// into an empty server, reproduces `ks` (keys expired at `nowMs` excepted under redis-4.0).

import type { Keyspace } from '../../keyspace/keyspace.ts';
import type { Bytes, Value } from '../../keyspace/types.ts';
import type { Profile } from '../../base/profile.ts';
import { bulk } from './resp-text.ts';
import { emitStream } from './emit-stream.ts';
import { formatScore, type ScoreFormat } from '../../keyspace/score-format.ts';

/** redis: AOF_REWRITE_ITEMS_PER_CMD. */
export const AOF_REWRITE_ITEMS_PER_CMD = 64;

export interface RewriteEmitOptions {
  profile: Profile;
  /** mstime() when the rewrite starts (redis-4.0 skips keys expired before it). */
  nowMs: number;
  /** 7.0, aof-timestamp-enabled: unix seconds for the leading `#TS:` line; null/undefined: none. */
  timestampS?: number | null;
  /**
   * Skip keys whose expire is before nowMs. Default: true for redis-4.0, false for redis-7.0 (bug
   * switch 'rewrite-skips-expired' turns it on for 7.0; offline compaction turns it off).
   */
  skipExpired?: boolean;
  /** Score text; default 'g17' (what 4.0 through 7.0.15 write, see score-format.ts). */
  scoreFormat?: ScoreFormat;
  /** Yield once this many bytes are buffered (checked after each key). Default 64 KiB. */
  chunkBytes?: number;
  /** Called after each key written (redis: the child's progress report and rdb-key-save-delay). */
  onKey?: () => void;
}

export interface RewriteEmitStats {
  keys: number;
  skippedExpired: number;
  bytes: number;
}

/** redis: rewriteAppendOnlyFileRio. Yields byte-string chunks; returns counts. */
export function* rewriteAppendOnlyFileRio(
  ks: Keyspace,
  opts: RewriteEmitOptions,
): Generator<Bytes, RewriteEmitStats, void> {
  const v7 = opts.profile === 'redis-7.0';
  const skipExpired = opts.skipExpired ?? opts.profile === 'redis-4.0';
  const scoreFormat = opts.scoreFormat ?? 'g17';
  const chunkBytes = opts.chunkBytes ?? 65536;
  const stats: RewriteEmitStats = { keys: 0, skippedExpired: 0, bytes: 0 };
  let out = '';
  if (v7 && opts.timestampS !== undefined && opts.timestampS !== null) out += `#TS:${opts.timestampS}\r\n`;
  // redis 7.0 rewriteFunctions: every function library first, as FUNCTION LOAD <code>.
  if (v7) for (const code of ks.functions.values()) out += '*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n' + bulk(code);
  for (let j = 0; j < ks.dbs.length; j++) {
    const db = ks.dbs[j];
    if (db.dict.size === 0) continue;
    out += '*2\r\n$6\r\nSELECT\r\n' + bulk(String(j));
    for (const [key, value] of db.dict) {
      const expireAtMs = db.expires.get(key);
      if (skipExpired && expireAtMs !== undefined && expireAtMs < opts.nowMs) {
        stats.skippedExpired++;
        continue;
      }
      out = emitValue(out, key, value, scoreFormat);
      if (expireAtMs !== undefined) out += '*3\r\n$9\r\nPEXPIREAT\r\n' + bulk(key) + bulk(String(expireAtMs));
      stats.keys++;
      opts.onKey?.();
      if (out.length >= chunkBytes) {
        stats.bytes += out.length;
        yield out;
        out = '';
      }
    }
  }
  if (out.length > 0) {
    stats.bytes += out.length;
    yield out;
  }
  return stats;
}

/** The whole rewrite as one byte string (tests, small datasets). */
export function rewriteToString(ks: Keyspace, opts: RewriteEmitOptions): Bytes {
  let s = '';
  for (const chunk of rewriteAppendOnlyFileRio(ks, opts)) s += chunk;
  return s;
}

/** Appends the commands that rebuild `value` at `key` (without the expire). */
export function emitValue(out: string, key: Bytes, value: Value, scoreFormat: ScoreFormat): string {
  switch (value.type) {
    case 'string':
      return out + '*3\r\n$3\r\nSET\r\n' + bulk(key) + bulk(value.value);
    case 'list':
      return emitBatched(out, 'RPUSH', key, value.value, value.value.length);
    case 'set':
      return emitBatched(out, 'SADD', key, value.value, value.value.size);
    case 'hash': {
      const k = bulk(key);
      let count = 0;
      let remaining = value.value.size;
      for (const [f, v] of value.value) {
        if (count === 0) {
          const n = remaining > AOF_REWRITE_ITEMS_PER_CMD ? AOF_REWRITE_ITEMS_PER_CMD : remaining;
          out += '*' + (2 + 2 * n) + '\r\n$5\r\nHMSET\r\n' + k;
          remaining -= n;
        }
        out += bulk(f) + bulk(v);
        if (++count === AOF_REWRITE_ITEMS_PER_CMD) count = 0;
      }
      return out;
    }
    case 'zset': {
      const k = bulk(key);
      let count = 0;
      let remaining = value.value.size;
      for (const e of value.value.entries()) {
        if (count === 0) {
          const n = remaining > AOF_REWRITE_ITEMS_PER_CMD ? AOF_REWRITE_ITEMS_PER_CMD : remaining;
          out += '*' + (2 + 2 * n) + '\r\n$4\r\nZADD\r\n' + k;
          remaining -= n;
        }
        out += bulk(formatScore(e.score, scoreFormat)) + bulk(e.member);
        if (++count === AOF_REWRITE_ITEMS_PER_CMD) count = 0;
      }
      return out;
    }
    case 'stream':
      return emitStream(out, key, value.value);
  }
}

/** RPUSH/SADD: `*<2+min(64,remaining)>` per batch (redis: rewriteListObject / rewriteSetObject). */
function emitBatched(out: string, cmd: 'RPUSH' | 'SADD', key: Bytes, items: Iterable<Bytes>, size: number): string {
  const head = bulk(cmd) + bulk(key);
  let count = 0;
  let remaining = size;
  for (const item of items) {
    if (count === 0) {
      const n = remaining > AOF_REWRITE_ITEMS_PER_CMD ? AOF_REWRITE_ITEMS_PER_CMD : remaining;
      out += '*' + (2 + n) + '\r\n' + head;
      remaining -= n;
    }
    out += bulk(item);
    if (++count === AOF_REWRITE_ITEMS_PER_CMD) count = 0;
  }
  return out;
}
