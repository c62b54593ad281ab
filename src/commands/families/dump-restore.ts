// DUMP and RESTORE (redis 7.0.15 cluster.c dumpCommand, restoreCommand) on the RDB codec's payload
// functions (src/rdb/dump-payload.ts): RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s]
// [FREQ f].
//
// Propagation (7.0): a relative TTL is propagated absolute: `RESTORE key <now+ttl> payload ...
// ABSTTL`; a TTL already in the past stores nothing and, when REPLACE deleted the old key,
// propagates `DEL key` (UNLINK with lazyfree-lazy-server-del); otherwise verbatim. The 4.0 profile
// propagates RESTORE verbatim (relative TTL), as 4.0 did; its DUMP writes RDB 8 payloads with 4.0's
// encodings and its RESTORE refuses newer ones (4.0.14: "DUMP payload version or checksum are wrong").
// DIVERGENCE(redis): IDLETIME / FREQ are validated and ignored (no LRU/LFU model). DUMP's payload
// is the RDB codec's encoding of the value, which may choose other encodings than Redis (e.g. for
// small collections), so its bytes can differ from Redis's DUMP while restoring to the same value.

import { isAofError } from '../../base/errors.ts';
import type { Bytes } from '../../keyspace/types.ts';
import { dumpPayload, restorePayload } from '../../rdb/dump-payload.ts';
import { RDB_VERSION, RDB_VERSION_4 } from '../../rdb/rdb-constants.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_NOT_INTEGER, ERR_SYNTAX, isOpt, parseInt64 } from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, OK, bulk, error } from '../reply.ts';

function restore(ctx: CommandContext, argv: Bytes[]): Reply {
  let replace = false;
  let absttl = false;
  let idle = false;
  let freq = false;
  for (let j = 4; j < argv.length; j++) {
    const more = argv.length - j - 1;
    const a = argv[j];
    if (isOpt(a, 'REPLACE')) replace = true;
    else if (isOpt(a, 'ABSTTL')) absttl = true;
    else if (isOpt(a, 'IDLETIME') && more >= 1 && !freq) {
      const v = parseInt64(argv[++j]);
      if (v === null) return error(ERR_NOT_INTEGER);
      if (v < 0n) return error('ERR Invalid IDLETIME value, must be >= 0');
      idle = true;
    } else if (isOpt(a, 'FREQ') && more >= 1 && !idle) {
      const v = parseInt64(argv[++j]);
      if (v === null) return error(ERR_NOT_INTEGER);
      if (v < 0n || v > 255n) return error('ERR Invalid FREQ value, must be >= 0 and <= 255');
      freq = true;
    } else return error(ERR_SYNTAX);
  }
  const key = argv[1];
  if (!replace && ctx.lookupWrite(key) !== undefined) return error('BUSYKEY Target key name already exists.');
  const ttlArg = parseInt64(argv[2]);
  if (ttlArg === null) return error(ERR_NOT_INTEGER);
  if (ttlArg < 0n) return error('ERR Invalid TTL value, must be >= 0');
  let value;
  try {
    value = restorePayload(argv[3], ctx.profile === 'redis-4.0' ? RDB_VERSION_4 : RDB_VERSION);
  } catch (e) {
    if (isAofError(e)) return error('ERR ' + e.reason);
    throw e;
  }
  const deleted = replace ? ctx.deleteKey(key) : false;
  let ttl = Number(ttlArg);
  if (ttl !== 0 && !absttl) ttl += ctx.nowMs;
  if (ttl !== 0 && ttl <= ctx.nowMs && !ctx.loading) {
    if (deleted) {
      ctx.rewriteArgv([ctx.lazyfreeLazyServerDel ? 'UNLINK' : 'DEL', key]);
      ctx.dirty();
    }
    return OK;
  }
  ctx.addKey(key, value);
  if (ttl !== 0) {
    ctx.setExpire(key, ttl);
    if (!absttl && ctx.profile === 'redis-7.0') {
      const out = argv.slice();
      out[2] = String(ttl);
      out.push('ABSTTL');
      ctx.rewriteArgv(out);
    }
  }
  ctx.dirty();
  return OK;
}

function dump(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  return v === undefined ? NIL : bulk(dumpPayload(v, ctx.profile === 'redis-4.0' ? RDB_VERSION_4 : RDB_VERSION));
}

export const dumpRestoreCommands: CommandDef[] = [
  def('restore', -4, ['write', 'denyoom'], [1, 1, 1], restore),
  def('dump', 2, ['readonly'], [1, 1, 1], dump),
];
