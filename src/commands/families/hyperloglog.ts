// HyperLogLog commands (redis 7.0.15 hyperloglog.c): PFADD, PFCOUNT, PFMERGE over the exact byte
// representation of src/keyspace/hll.ts, so GET returns Redis's bytes.
//
// Propagation: verbatim. PFCOUNT of one key whose cached cardinality is invalid writes the cache into
// the value and counts as a change (server.dirty++), so it is propagated as `PFCOUNT key` like
// Redis 7.0 does (the command is read-only but may replicate).
// Invariants: a value that is not a valid HLL string fails with Redis's WRONGTYPE text; a malformed
// sparse body fails with INVALIDOBJ; nothing changes on error.

import type { Bytes } from '../../keyspace/types.ts';
import {
  HLL_REGISTERS,
  cacheValid,
  cachedCard,
  createHll,
  hllAdd,
  hllCountRegisters,
  hllRegisters,
  hllSet,
  hllToDense,
  invalidateCache,
  isHll,
  withCachedCard,
} from '../../keyspace/hll.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import type { Reply } from '../reply.ts';
import { OK, WRONGTYPE, error, integer } from '../reply.ts';

const ERR_NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const ERR_INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';

/** The HLL bytes at key, undefined when missing, or an error reply. */
function getHll(ctx: CommandContext, key: Bytes): Bytes | undefined | Reply {
  const v = ctx.lookupWrite(key);
  if (v === undefined) return undefined;
  if (v.type !== 'string') return error(WRONGTYPE);
  if (!isHll(v.value)) return error(ERR_NOT_HLL);
  return v.value;
}

const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null;

function pfadd(ctx: CommandContext, argv: Bytes[]): Reply {
  const key = argv[1];
  const cur = getHll(ctx, key);
  if (isReply(cur)) return cur;
  let updated = 0;
  let s = cur ?? createHll();
  if (cur === undefined) updated++;
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(s, argv[j]);
    if (r.changed === -1) return error(ERR_INVALID_HLL);
    if (r.changed === 1) updated++;
    s = r.value;
  }
  if (updated > 0) {
    s = invalidateCache(s);
    if (cur === undefined) ctx.addKey(key, { type: 'string', value: s, enc: 'raw' });
    else ctx.overwrite(key, { type: 'string', value: s, enc: 'raw' });
    ctx.dirty(updated);
  }
  return integer(updated > 0 ? 1 : 0);
}

/** Registers of all given keys, max-merged; `dense` when any input was dense. */
function mergeKeys(ctx: CommandContext, keys: Bytes[]): { regs: Uint8Array; dense: boolean } | Reply {
  const max = new Uint8Array(HLL_REGISTERS);
  let dense = false;
  for (const k of keys) {
    const v = ctx.lookupRead(k);
    if (v === undefined) continue;
    if (v.type !== 'string') return error(WRONGTYPE);
    if (!isHll(v.value)) return error(ERR_NOT_HLL);
    if (v.value.charCodeAt(4) === 0) dense = true;
    const regs = hllRegisters(v.value);
    if (regs === null) return error(ERR_INVALID_HLL);
    for (let i = 0; i < HLL_REGISTERS; i++) if (regs[i] > max[i]) max[i] = regs[i];
  }
  return { regs: max, dense };
}

function pfcount(ctx: CommandContext, argv: Bytes[]): Reply {
  if (argv.length > 2) {
    const m = mergeKeys(ctx, argv.slice(1));
    if ('kind' in m) return m;
    return integer(hllCountRegisters(m.regs));
  }
  const key = argv[1];
  const v = ctx.lookupRead(key);
  if (v === undefined) return integer(0);
  if (v.type !== 'string') return error(WRONGTYPE);
  if (!isHll(v.value)) return error(ERR_NOT_HLL);
  if (cacheValid(v.value)) return integer(cachedCard(v.value));
  const regs = hllRegisters(v.value);
  if (regs === null) return error(ERR_INVALID_HLL);
  const card = hllCountRegisters(regs);
  ctx.overwrite(key, { type: 'string', value: withCachedCard(v.value, card), enc: 'raw' });
  ctx.dirty();
  return integer(card);
}

function pfmerge(ctx: CommandContext, argv: Bytes[]): Reply {
  const m = mergeKeys(ctx, argv.slice(1));
  if ('kind' in m) return m;
  const key = argv[1];
  const cur = ctx.lookupWrite(key);
  let s = cur === undefined ? createHll() : (cur.value as Bytes);
  if (m.dense) {
    const d = hllToDense(s);
    if (d === null) return error(ERR_INVALID_HLL);
    s = d;
  }
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (m.regs[j] === 0) continue;
    const r = hllSet(s, j, m.regs[j]);
    if (r.changed !== -1) s = r.value;
  }
  s = invalidateCache(s);
  if (cur === undefined) ctx.addKey(key, { type: 'string', value: s, enc: 'raw' });
  else ctx.overwrite(key, { type: 'string', value: s, enc: 'raw' });
  ctx.dirty();
  return OK;
}

export const hyperloglogCommands: CommandDef[] = [
  def('pfadd', -2, ['write', 'denyoom', 'fast'], [1, 1, 1], pfadd),
  def('pfcount', -2, ['readonly', 'may-replicate'], [1, -1, 1], pfcount),
  def('pfmerge', -2, ['write', 'denyoom'], [1, -1, 1], pfmerge),
];
