// Stream commands (redis 7.0.15 t_stream.c): XADD, XDEL, XTRIM, XSETID, XGROUP
// CREATE/SETID/DESTROY/CREATECONSUMER/DELCONSUMER, XACK, XCLAIM, XAUTOCLAIM, XREADGROUP, XREAD, XLEN,
// XRANGE, XREVRANGE, XPENDING, XINFO STREAM [FULL [COUNT n]]/GROUPS/CONSUMERS.
//
// Propagation (redis 7.0; the 4.0 profile uses the same since 4.0 has no streams):
// - XADD: the generated id replaces `*` / `ms-*`; an approximate trim (`~`) is rewritten exact:
//   `~` -> `=` and the threshold -> the resulting length (MAXLEN) or first id (MINID).
// - XTRIM: approximate trims rewritten as XADD's; nothing when nothing was removed.
// - XREADGROUP (`>`): one `XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID l`
//   per delivered entry; with NOACK `XGROUP CREATECONSUMER` for a new consumer and
//   `XGROUP SETID key group last ENTRIESREAD n`; never the command itself (preventCommandPropagation).
// - XCLAIM / XAUTOCLAIM: one XCLAIM per claimed (or dropped, deleted) entry, XCLAIM then `XGROUP SETID`
//   when LASTID moved the group; never themselves.
// - Everything else verbatim when it changed something.
// XREAD/XREADGROUP BLOCK with nothing to serve ask the server to block (CommandContext.requestBlock,
// redis: blockForKeys with BLOCKED_STREAM) with the ID each stream must pass ('$' resolved to the
// stream's last ID now, 0-0 for a missing key; '>' for a group); the server serves the client by
// running its command again for the one ready stream with that ID (src/server-blocked.ts). Where
// blocking is not allowed (MULTI, scripts) the reply is the timeout's nil, as in Redis.
// DIVERGENCE(redis): XINFO STREAM's radix-tree-keys / radix-tree-nodes are estimates (no rax here).

import type { Bytes, StreamConsumer, StreamGroup, StreamId, StreamPendingEntry, StreamValue } from '../../keyspace/types.ts';
import {
  INVALID_ENTRIES_READ,
  MAX_ID,
  NODE_MAX_ENTRIES,
  UINT64_MAX,
  ZERO_ID,
  appendEntry,
  compareIds,
  decrId,
  deleteEntry,
  estimateDistance,
  findEntry,
  idText,
  incrId,
  lowerBound,
  newGroup,
  newStream,
  parseId,
  pelFind,
  pelLowerBound,
  rangeHasTombstones,
  trimStream,
} from '../../keyspace/stream.ts';
import type { TrimStrategy } from '../../keyspace/stream.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_NOT_INTEGER, ERR_SYNTAX, isOpt, parseInt64 } from '../args.ts';
import { blockingTimeout, isTimeoutError } from '../blocking-timeout.ts';
import type { Reply } from '../reply.ts';
import { NIL, NIL_ARRAY, OK, WRONGTYPE, array, bulk, error, integer, status } from '../reply.ts';

const ERR_INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const wrongType = (): Reply => error(WRONGTYPE);
const arityError = (name: string): Reply => error(`ERR wrong number of arguments for '${name}' command`);

function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 'kind' in x;
}

/** The stream at key, undefined when missing, or a WRONGTYPE reply. */
function getStream(ctx: CommandContext, key: Bytes): StreamValue | undefined | Reply {
  const v = ctx.lookupWrite(key);
  if (v === undefined) return undefined;
  return v.type === 'stream' ? v.value : wrongType();
}

/** redis: streamParseStrictIDOrReply. */
function strictId(s: Bytes, missingSeq = 0n): StreamId | Reply {
  const p = parseId(s, missingSeq, true);
  return p === null ? error(ERR_INVALID_ID) : p.id;
}

/** redis: streamParseIntervalIDOrReply with the "(" exclusive prefix applied. */
function intervalId(s: Bytes, missingSeq: bigint, isStart: boolean): StreamId | Reply {
  if (s.length > 1 && s[0] === '(') {
    const p = parseId(s.slice(1), missingSeq, true);
    if (p === null) return error(ERR_INVALID_ID);
    const moved = isStart ? incrId(p.id) : decrId(p.id);
    if (moved === null) return error(isStart ? 'ERR invalid start ID for the interval' : 'ERR invalid end ID for the interval');
    return moved;
  }
  const p = parseId(s, missingSeq, false);
  return p === null ? error(ERR_INVALID_ID) : p.id;
}

function int64Arg(s: Bytes, msg = ERR_NOT_INTEGER): number | Reply {
  const v = parseInt64(s);
  return v === null ? error(msg) : Number(v);
}

function entryReply(id: StreamId, fields: Bytes[]): Reply {
  return array([bulk(idText(id)), array(fields.map((f) => bulk(f)))]);
}

function idReply(id: StreamId): Reply {
  return bulk(idText(id));
}

// ---- XADD / XTRIM argument parsing (redis: streamParseAddOrTrimArgsOrReply) ----

interface TrimArgs {
  strategy: TrimStrategy | null;
  approx: boolean;
  maxlen: number;
  minid: StreamId;
  limit: number;
  /** argv index of the threshold. */
  thresholdIdx: number;
  noMkStream: boolean;
  id: StreamId | null;
  seqGiven: boolean;
  /** argv index of the id (XADD). */
  idIdx: number;
}

function parseAddOrTrim(ctx: CommandContext, argv: Bytes[], xadd: boolean): TrimArgs | Reply {
  const a: TrimArgs = {
    strategy: null,
    approx: false,
    maxlen: 0,
    minid: ZERO_ID,
    limit: -1,
    thresholdIdx: -1,
    noMkStream: false,
    id: null,
    seqGiven: true,
    idIdx: -1,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i];
    if (xadd && opt === '*') break;
    if (isOpt(opt, 'MAXLEN') && more > 0) {
      if (a.strategy !== null) return error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      a.approx = false;
      const next = argv[i + 1];
      if (more >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (more >= 2 && next === '=') i++;
      const n = int64Arg(argv[i + 1]);
      if (isReply(n)) return n;
      if (n < 0) return error('ERR The MAXLEN argument must be >= 0.');
      a.maxlen = n;
      i++;
      a.strategy = 'maxlen';
      a.thresholdIdx = i;
    } else if (isOpt(opt, 'MINID') && more > 0) {
      if (a.strategy !== null) return error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      a.approx = false;
      const next = argv[i + 1];
      if (more >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (more >= 2 && next === '=') i++;
      const id = strictId(argv[i + 1]);
      if (isReply(id)) return id;
      a.minid = id;
      i++;
      a.strategy = 'minid';
      a.thresholdIdx = i;
    } else if (isOpt(opt, 'LIMIT') && more > 0) {
      const n = int64Arg(argv[i + 1]);
      if (isReply(n)) return n;
      if (n < 0) return error('ERR The LIMIT argument must be >= 0.');
      a.limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && isOpt(opt, 'NOMKSTREAM')) {
      a.noMkStream = true;
    } else if (xadd) {
      const p = parseId(opt, 0n, true, true);
      if (p === null) return error(ERR_INVALID_ID);
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      break;
    } else {
      return error(ERR_SYNTAX);
    }
  }
  a.idIdx = i;
  if (a.limit > 0 && a.strategy === null) {
    return error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  }
  if (!xadd && a.strategy === null) return error('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (ctx.loading) {
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) return error('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else {
    a.limit = a.approx ? 100 * NODE_MAX_ENTRIES : 0;
  }
  return a;
}

/** redis: streamRewriteApproxSpecifier + streamRewriteTrimArgument. */
function rewriteApprox(argv: Bytes[], s: StreamValue, a: TrimArgs): Bytes[] {
  const out = argv.slice();
  out[a.thresholdIdx - 1] = '=';
  if (a.strategy === 'maxlen') out[a.thresholdIdx] = String(s.entries.length);
  else out[a.thresholdIdx] = idText(s.entries.length > 0 ? s.entries[0].id : MAX_ID);
  return out;
}

function xadd(ctx: CommandContext, argv: Bytes[]): Reply {
  const a = parseAddOrTrim(ctx, argv, true);
  if (isReply(a)) return a;
  const fieldPos = a.idIdx + 1;
  const nf = argv.length - fieldPos;
  if (nf < 2 || nf % 2 === 1) return arityError('xadd');
  if (a.id !== null && a.seqGiven && a.id.ms === 0n && a.id.seq === 0n) {
    return error('ERR The ID specified in XADD must be greater than 0-0');
  }
  const key = argv[1];
  let s = getStream(ctx, key);
  if (isReply(s)) return s;
  if (s === undefined) {
    if (a.noMkStream) return NIL;
    s = newStream();
    ctx.addKey(key, { type: 'stream', value: s });
  }
  if (s.lastId.ms === UINT64_MAX && s.lastId.seq === UINT64_MAX) {
    return error('ERR The stream has exhausted the last possible ID, unable to add more items');
  }
  let id: StreamId;
  if (a.id !== null) {
    if (a.seqGiven) id = a.id;
    else if (s.lastId.ms === a.id.ms) {
      if (s.lastId.seq === UINT64_MAX) return error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
      id = { ms: a.id.ms, seq: s.lastId.seq + 1n };
    } else id = a.id;
  } else {
    const ms = BigInt(ctx.nowMs);
    id = ms > s.lastId.ms ? { ms, seq: 0n } : (incrId(s.lastId) as StreamId);
  }
  if (compareIds(id, s.lastId) <= 0) {
    return error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  }
  appendEntry(s, id, argv.slice(fieldPos));
  ctx.signalModifiedKey(key);
  ctx.dirty();
  let out = argv;
  if (a.id === null || !a.seqGiven) {
    out = argv.slice();
    out[a.idIdx] = idText(id);
  }
  if (a.strategy !== null) {
    trimStream(s, a.strategy, a.maxlen, a.minid, a.approx, a.limit);
    if (a.approx) out = rewriteApprox(out, s, a);
  }
  if (out !== argv) ctx.rewriteArgv(out);
  return idReply(id);
}

function xtrim(ctx: CommandContext, argv: Bytes[]): Reply {
  const a = parseAddOrTrim(ctx, argv, false);
  if (isReply(a)) return a;
  const s = getStream(ctx, argv[1]);
  if (isReply(s)) return s;
  if (s === undefined) return integer(0);
  const strategy = a.strategy as TrimStrategy;
  const deleted = trimStream(s, strategy, a.maxlen, a.minid, a.approx, a.limit);
  if (deleted > 0) {
    if (a.approx) ctx.rewriteArgv(rewriteApprox(argv, s, a));
    ctx.signalModifiedKey(argv[1]);
    ctx.dirty(deleted);
  }
  return integer(deleted);
}

function xdel(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getStream(ctx, argv[1]);
  if (isReply(s)) return s;
  if (s === undefined) return integer(0);
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = strictId(argv[j]);
    if (isReply(id)) return id;
    ids.push(id);
  }
  let deleted = 0;
  for (const id of ids) if (deleteEntry(s, id)) deleted++;
  if (deleted > 0) {
    ctx.signalModifiedKey(argv[1]);
    ctx.dirty(deleted);
  }
  return integer(deleted);
}

function xsetid(ctx: CommandContext, argv: Bytes[]): Reply {
  const id = strictId(argv[2]);
  if (isReply(id)) return id;
  let entriesAdded = -1;
  let maxXdel: StreamId = ZERO_ID;
  for (let i = 3; i < argv.length; ) {
    const more = argv.length - 1 - i;
    if (isOpt(argv[i], 'ENTRIESADDED') && more > 0) {
      const n = int64Arg(argv[i + 1]);
      if (isReply(n)) return n;
      if (n < 0) return error('ERR entries_added must be positive');
      entriesAdded = n;
      i += 2;
    } else if (isOpt(argv[i], 'MAXDELETEDID') && more > 0) {
      const m = strictId(argv[i + 1]);
      if (isReply(m)) return m;
      if (compareIds(id, m) < 0) return error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxXdel = m;
      i += 2;
    } else return error(ERR_SYNTAX);
  }
  const s = getStream(ctx, argv[1]);
  if (isReply(s)) return s;
  if (s === undefined) return error('ERR no such key');
  if (compareIds(id, s.maxDeletedId) < 0) return error('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id');
  if (s.entries.length > 0) {
    if (compareIds(id, s.entries[s.entries.length - 1].id) < 0) {
      return error('ERR The ID specified in XSETID is smaller than the target stream top item');
    }
    if (entriesAdded !== -1 && s.entries.length > entriesAdded) {
      return error('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (compareIds(maxXdel, ZERO_ID) !== 0) s.maxDeletedId = maxXdel;
  ctx.signalModifiedKey(argv[1]);
  ctx.dirty();
  return OK;
}

// ---- groups ----

function createConsumer(g: StreamGroup, name: Bytes, nowMs: number): StreamConsumer {
  const c: StreamConsumer = { name, seenTimeMs: nowMs };
  g.consumers.set(name, c);
  return c;
}

/** redis 7.0.15 xgroupCommand HELP text (addReplyHelp: the header, the lines, then HELP). */
const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

function xgroup(ctx: CommandContext, argv: Bytes[]): Reply {
  const sub = argv[1].toUpperCase();
  const subArity: Record<string, number> = { CREATE: -5, SETID: -5, DESTROY: 4, CREATECONSUMER: 5, DELCONSUMER: 5, HELP: 2 };
  const ar = subArity[sub];
  if (ar === undefined) {
    return error(`ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try XGROUP HELP.`);
  }
  if (ar > 0 ? argv.length !== ar : argv.length < -ar) return arityError(`xgroup|${sub.toLowerCase()}`);
  if (sub === 'HELP') return array(XGROUP_HELP.map((l) => status(l)));
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  if (sub === 'CREATE' || sub === 'SETID') {
    for (let i = 5; i < argv.length; ) {
      if (sub === 'CREATE' && isOpt(argv[i], 'MKSTREAM')) {
        mkstream = true;
        i++;
      } else if (isOpt(argv[i], 'ENTRIESREAD') && i + 1 < argv.length) {
        const n = int64Arg(argv[i + 1]);
        if (isReply(n)) return n;
        if (n < 0 && n !== INVALID_ENTRIES_READ) return error('ERR value for ENTRIESREAD must be positive or -1');
        entriesRead = n;
        i += 2;
      } else {
        return error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try XGROUP HELP.`);
      }
    }
  }
  const key = argv[2];
  let s = getStream(ctx, key);
  if (isReply(s)) return s;
  const groupName = argv[3];
  let g: StreamGroup | undefined;
  if (!mkstream) {
    if (s === undefined) {
      return error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    }
    g = s.groups.get(groupName);
    if (g === undefined && (sub === 'SETID' || sub === 'CREATECONSUMER' || sub === 'DELCONSUMER')) {
      return error(`NOGROUP No such consumer group '${groupName}' for key name '${key}'`);
    }
  }
  switch (sub) {
    case 'CREATE': {
      let id: StreamId;
      if (argv[4] === '$') id = s ? s.lastId : ZERO_ID;
      else {
        const p = strictId(argv[4]);
        if (isReply(p)) return p;
        id = p;
      }
      if (s === undefined) {
        s = newStream();
        ctx.addKey(key, { type: 'stream', value: s });
      }
      if (s.groups.has(groupName)) return error('BUSYGROUP Consumer Group name already exists');
      s.groups.set(groupName, newGroup(groupName, id, entriesRead));
      ctx.dirty();
      return OK;
    }
    case 'SETID': {
      const grp = g as StreamGroup;
      let id: StreamId;
      if (argv[4] === '$') id = (s as StreamValue).lastId;
      else {
        const p = parseId(argv[4], 0n, false);
        if (p === null) return error(ERR_INVALID_ID);
        id = p.id;
      }
      grp.lastId = id;
      grp.entriesRead = entriesRead;
      ctx.dirty();
      return OK;
    }
    case 'DESTROY':
      if (g === undefined) return integer(0);
      (s as StreamValue).groups.delete(groupName);
      ctx.dirty();
      return integer(1);
    case 'CREATECONSUMER': {
      const grp = g as StreamGroup;
      if (grp.consumers.has(argv[4])) return integer(0);
      createConsumer(grp, argv[4], ctx.nowMs);
      ctx.dirty();
      return integer(1);
    }
    default: {
      const grp = g as StreamGroup;
      const c = grp.consumers.get(argv[4]);
      if (c === undefined) return integer(0);
      const before = grp.pel.length;
      grp.pel = grp.pel.filter((p) => p.consumer !== c.name);
      grp.consumers.delete(c.name);
      ctx.dirty();
      return integer(before - grp.pel.length);
    }
  }
}

function xack(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getStream(ctx, argv[1]);
  if (isReply(s)) return s;
  const g = s?.groups.get(argv[2]);
  if (s === undefined || g === undefined) return integer(0);
  const ids: StreamId[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = strictId(argv[j]);
    if (isReply(id)) return id;
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    const i = pelFind(g, id);
    if (i < 0) continue;
    g.pel.splice(i, 1);
    acked++;
    ctx.dirty();
  }
  return integer(acked);
}

/** redis: streamPropagateXCLAIM. */
function propagateXclaim(ctx: CommandContext, key: Bytes, g: StreamGroup, groupName: Bytes, id: StreamId, p: StreamPendingEntry): void {
  ctx.alsoPropagate([
    'XCLAIM',
    key,
    groupName,
    p.consumer,
    '0',
    idText(id),
    'TIME',
    String(p.deliveryTimeMs),
    'RETRYCOUNT',
    String(p.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    idText(g.lastId),
  ]);
}

/** redis: streamPropagateGroupID. */
function propagateGroupId(ctx: CommandContext, key: Bytes, g: StreamGroup, groupName: Bytes): void {
  ctx.alsoPropagate(['XGROUP', 'SETID', key, groupName, idText(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
}

function noGroup(key: Bytes, group: Bytes, suffix = ''): Reply {
  return error(`NOGROUP No such key '${key}' or consumer group '${group}'${suffix}`);
}

function ensureConsumer(ctx: CommandContext, g: StreamGroup, name: Bytes): StreamConsumer {
  const c = g.consumers.get(name);
  if (c !== undefined) {
    c.seenTimeMs = ctx.nowMs;
    return c;
  }
  ctx.dirty();
  return createConsumer(g, name, ctx.nowMs);
}

function xclaim(ctx: CommandContext, argv: Bytes[]): Reply {
  const s = getStream(ctx, argv[1]);
  if (isReply(s)) return s;
  const g = s?.groups.get(argv[2]);
  if (s === undefined || g === undefined) return noGroup(argv[1], argv[2]);
  let minIdle = int64Arg(argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
  if (isReply(minIdle)) return minIdle;
  if (minIdle < 0) minIdle = 0;
  let j = 5;
  for (; j < argv.length; j++) if (parseId(argv[j], 0n, true) === null) break;
  const lastIdArg = j - 1;
  const now = ctx.nowMs;
  let retryCount = -1;
  let deliveryTime = -1;
  let force = false;
  let justId = false;
  let lastId: StreamId = ZERO_ID;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j];
    if (isOpt(opt, 'FORCE')) force = true;
    else if (isOpt(opt, 'JUSTID')) justId = true;
    else if (isOpt(opt, 'IDLE') && more > 0) {
      const n = int64Arg(argv[++j], 'ERR Invalid IDLE option argument for XCLAIM');
      if (isReply(n)) return n;
      deliveryTime = now - n;
    } else if (isOpt(opt, 'TIME') && more > 0) {
      const n = int64Arg(argv[++j], 'ERR Invalid TIME option argument for XCLAIM');
      if (isReply(n)) return n;
      deliveryTime = n;
    } else if (isOpt(opt, 'RETRYCOUNT') && more > 0) {
      const n = int64Arg(argv[++j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (isReply(n)) return n;
      retryCount = n;
    } else if (isOpt(opt, 'LASTID') && more > 0) {
      const id = strictId(argv[++j]);
      if (isReply(id)) return id;
      lastId = id;
    } else return error(`ERR Unrecognized XCLAIM option '${opt}'`);
  }
  let propagateLastId = false;
  if (compareIds(lastId, g.lastId) > 0) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else deliveryTime = now;
  const out: Reply[] = [];
  let consumer: StreamConsumer | undefined;
  for (let k = 5; k <= lastIdArg; k++) {
    const id = (parseId(argv[k], 0n, true) as { id: StreamId }).id;
    let pi = pelFind(g, id);
    if (findEntry(s, id) === undefined) {
      if (pi >= 0) {
        propagateXclaim(ctx, argv[1], g, argv[2], id, g.pel[pi]);
        propagateLastId = false;
        ctx.dirty();
        g.pel.splice(pi, 1);
      }
      continue;
    }
    let created = false;
    if (force && pi < 0) {
      pi = pelLowerBound(g, id);
      g.pel.splice(pi, 0, { id, consumer: '', deliveryTimeMs: now, deliveryCount: 1 });
      created = true;
    }
    if (pi < 0) continue;
    const p = g.pel[pi];
    if (!created && minIdle > 0 && now - p.deliveryTimeMs < minIdle) continue;
    consumer ??= ensureConsumer(ctx, g, argv[3]);
    p.consumer = consumer.name;
    p.deliveryTimeMs = deliveryTime;
    if (retryCount >= 0) p.deliveryCount = retryCount;
    else if (!justId) p.deliveryCount++;
    consumer.seenTimeMs = now;
    if (justId) out.push(idReply(id));
    else out.push(entryReply(id, (findEntry(s, id) as { fields: Bytes[] }).fields));
    propagateXclaim(ctx, argv[1], g, argv[2], id, p);
    propagateLastId = false;
    ctx.dirty();
  }
  if (propagateLastId) {
    propagateGroupId(ctx, argv[1], g, argv[2]);
    ctx.dirty();
  }
  ctx.preventPropagation();
  return array(out);
}

function xautoclaim(ctx: CommandContext, argv: Bytes[]): Reply {
  let minIdle = int64Arg(argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (isReply(minIdle)) return minIdle;
  if (minIdle < 0) minIdle = 0;
  const start = intervalId(argv[5], 0n, true);
  if (isReply(start)) return start;
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (isOpt(argv[j], 'COUNT') && more > 0) {
      const n = parseInt64(argv[j + 1]);
      if (n === null) return error(ERR_NOT_INTEGER);
      if (n < 1n || n > 922337203685477580n) return error('ERR COUNT must be > 0');
      count = Number(n);
      j++;
    } else if (isOpt(argv[j], 'JUSTID')) justId = true;
    else return error(ERR_SYNTAX);
  }
  const s = getStream(ctx, argv[1]);
  if (isReply(s)) return s;
  const g = s?.groups.get(argv[2]);
  if (s === undefined || g === undefined) return noGroup(argv[1], argv[2]);
  let attempts = count * 10;
  const now = ctx.nowMs;
  const claimed: Reply[] = [];
  const deleted: Reply[] = [];
  let consumer: StreamConsumer | undefined;
  let i = pelLowerBound(g, start);
  while (attempts-- > 0 && count > 0 && i < g.pel.length) {
    const p = g.pel[i];
    const e = findEntry(s, p.id);
    if (e === undefined) {
      propagateXclaim(ctx, argv[1], g, argv[2], p.id, p);
      ctx.dirty();
      g.pel.splice(i, 1);
      deleted.push(idReply(p.id));
      count--;
      continue;
    }
    i++;
    if (minIdle > 0 && now - p.deliveryTimeMs < minIdle) continue;
    consumer ??= ensureConsumer(ctx, g, argv[3]);
    p.consumer = consumer.name;
    p.deliveryTimeMs = now;
    if (!justId) p.deliveryCount++;
    claimed.push(justId ? idReply(p.id) : entryReply(p.id, e.fields));
    count--;
    propagateXclaim(ctx, argv[1], g, argv[2], p.id, p);
    ctx.dirty();
  }
  const next = i < g.pel.length ? g.pel[i].id : ZERO_ID;
  ctx.preventPropagation();
  return array([idReply(next), array(claimed), array(deleted)]);
}

// ---- reading ----

function rangeReply(s: StreamValue, start: StreamId, end: StreamId, count: number, rev: boolean): Reply {
  const out: Reply[] = [];
  if (compareIds(start, end) > 0) return array(out);
  if (!rev) {
    for (let i = lowerBound(s, start); i < s.entries.length; i++) {
      const e = s.entries[i];
      if (compareIds(e.id, end) > 0) break;
      out.push(entryReply(e.id, e.fields));
      if (count > 0 && out.length === count) break;
    }
  } else {
    const endNext = incrId(end);
    let i = (endNext === null ? s.entries.length : lowerBound(s, endNext)) - 1;
    for (; i >= 0; i--) {
      const e = s.entries[i];
      if (compareIds(e.id, start) < 0) break;
      out.push(entryReply(e.id, e.fields));
      if (count > 0 && out.length === count) break;
    }
  }
  return array(out);
}

function xrangeGeneric(rev: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const startArg = rev ? argv[3] : argv[2];
    const endArg = rev ? argv[2] : argv[3];
    const start = intervalId(startArg, 0n, true);
    if (isReply(start)) return start;
    const end = intervalId(endArg, UINT64_MAX, false);
    if (isReply(end)) return end;
    let count = -1;
    for (let j = 4; j < argv.length; j++) {
      if (isOpt(argv[j], 'COUNT') && argv.length - j - 1 >= 1) {
        const n = int64Arg(argv[j + 1]);
        if (isReply(n)) return n;
        count = n < 0 ? 0 : n;
        j++;
      } else return error(ERR_SYNTAX);
    }
    const s = ctx.lookupRead(argv[1]);
    if (s === undefined) return array([]);
    if (s.type !== 'stream') return wrongType();
    if (count === 0) return NIL_ARRAY;
    return rangeReply(s.value, start, end, count === -1 ? 0 : count, rev);
  };
}

function xlen(ctx: CommandContext, argv: Bytes[]): Reply {
  const v = ctx.lookupRead(argv[1]);
  if (v === undefined) return integer(0);
  if (v.type !== 'stream') return wrongType();
  return integer(v.value.entries.length);
}

function xreadGeneric(group: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    let count = 0;
    let streamsArg = 0;
    let streamsCount = 0;
    let groupName: Bytes | null = null;
    let consumerName: Bytes = '';
    let noack = false;
    let blockMs: number | null = null;
    for (let i = 1; i < argv.length; i++) {
      const more = argv.length - i - 1;
      const o = argv[i];
      if (isOpt(o, 'BLOCK') && more > 0) {
        i++;
        const t = blockingTimeout(ctx.profile, argv[i], 'ms', ctx.nowMs);
        if (isTimeoutError(t)) return t;
        blockMs = t.offsetMs;
      } else if (isOpt(o, 'COUNT') && more > 0) {
        i++;
        const n = int64Arg(argv[i]);
        if (isReply(n)) return n;
        count = n < 0 ? 0 : n;
      } else if (isOpt(o, 'STREAMS') && more > 0) {
        streamsArg = i + 1;
        streamsCount = argv.length - streamsArg;
        // redis 7.0.15 words it so for XREADGROUP too (7.2 names the command and '>').
        if (streamsCount % 2 !== 0) return error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        streamsCount /= 2;
        break;
      } else if (isOpt(o, 'GROUP') && more >= 2) {
        if (!group) return error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        groupName = argv[i + 1];
        consumerName = argv[i + 2];
        i += 2;
      } else if (isOpt(o, 'NOACK')) {
        if (!group) return error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        noack = true;
      } else return error(ERR_SYNTAX);
    }
    if (streamsArg === 0) return error(ERR_SYNTAX);
    if (group && groupName === null) return error('ERR Missing GROUP option for XREADGROUP');
    const ids: (StreamId | '>')[] = [];
    const groups: (StreamGroup | null)[] = [];
    for (let i = streamsArg + streamsCount; i < argv.length; i++) {
      const key = argv[i - streamsCount];
      const v = ctx.lookupRead(key);
      if (v !== undefined && v.type !== 'stream') return wrongType();
      const s = v?.value as StreamValue | undefined;
      let g: StreamGroup | null = null;
      if (groupName !== null) {
        g = s?.groups.get(groupName) ?? null;
        if (g === null) return noGroup(key, groupName, ' in XREADGROUP with GROUP option');
      }
      groups.push(g);
      if (argv[i] === '$') {
        if (group) {
          return error(
            'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
          );
        }
        ids.push(s ? s.lastId : ZERO_ID);
        continue;
      }
      if (argv[i] === '>') {
        if (!group) {
          return error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        }
        ids.push('>');
        continue;
      }
      const id = strictId(argv[i]);
      if (isReply(id)) return id;
      ids.push(id);
    }
    const out: Reply[] = [];
    for (let i = 0; i < streamsCount; i++) {
      const key = argv[streamsArg + i];
      const v = ctx.lookupRead(key);
      if (v === undefined || v.type !== 'stream') continue;
      const s = v.value;
      const g = groups[i];
      let gt = ids[i];
      let serve = false;
      let history = false;
      if (g !== null) {
        if (gt !== '>') {
          serve = true;
          history = true;
        } else if (s.entries.length > 0 && compareIds(s.entries[s.entries.length - 1].id, g.lastId) > 0) {
          serve = true;
          gt = g.lastId;
        }
      } else if (s.entries.length > 0 && compareIds(s.entries[s.entries.length - 1].id, gt as StreamId) > 0) {
        serve = true;
      }
      if (!serve) continue;
      const start = incrId(gt as StreamId) ?? MAX_ID;
      if (g === null) {
        out.push(array([bulk(key), rangeReply(s, start, MAX_ID, count, false)]));
        continue;
      }
      let c = g.consumers.get(consumerName);
      if (c === undefined) {
        c = createConsumer(g, consumerName, ctx.nowMs);
        ctx.dirty();
        if (noack) ctx.alsoPropagate(['XGROUP', 'CREATECONSUMER', key, groupName as Bytes, consumerName]);
      } else c.seenTimeMs = ctx.nowMs;
      const entries = history
        ? readHistory(ctx, s, g, c, start, count)
        : readNew(ctx, key, s, g, groupName as Bytes, c, start, count, noack);
      out.push(array([bulk(key), entries]));
      ctx.dirty();
    }
    ctx.preventPropagation();
    if (out.length === 0 && blockMs !== null) {
      const keys = argv.slice(streamsArg, streamsArg + streamsCount);
      ctx.requestBlock(keys, blockMs, ids.map((id) => (id === '>' ? '>' : `${id.ms}-${id.seq}`)));
    }
    return out.length === 0 ? NIL_ARRAY : array(out);
  };
}

function readHistory(ctx: CommandContext, s: StreamValue, g: StreamGroup, c: StreamConsumer, start: StreamId, count: number): Reply {
  const out: Reply[] = [];
  for (let i = pelLowerBound(g, start); i < g.pel.length; i++) {
    if (count > 0 && out.length >= count) break;
    const p = g.pel[i];
    if (p.consumer !== c.name) continue;
    const e = findEntry(s, p.id);
    if (e === undefined) out.push(array([idReply(p.id), NIL_ARRAY]));
    else {
      out.push(entryReply(e.id, e.fields));
      p.deliveryTimeMs = ctx.nowMs;
      p.deliveryCount++;
    }
  }
  return array(out);
}

function readNew(
  ctx: CommandContext,
  key: Bytes,
  s: StreamValue,
  g: StreamGroup,
  groupName: Bytes,
  c: StreamConsumer,
  start: StreamId,
  count: number,
  noack: boolean,
): Reply {
  const out: Reply[] = [];
  let propagateLastId = false;
  for (let i = lowerBound(s, start); i < s.entries.length; i++) {
    const e = s.entries[i];
    if (compareIds(e.id, g.lastId) > 0) {
      if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, e.id, null)) g.entriesRead++;
      else if (s.entriesAdded > 0) g.entriesRead = estimateDistance(s, e.id);
      g.lastId = e.id;
      if (noack) propagateLastId = true;
    }
    out.push(entryReply(e.id, e.fields));
    if (!noack) {
      let pi = pelFind(g, e.id);
      if (pi < 0) {
        pi = pelLowerBound(g, e.id);
        g.pel.splice(pi, 0, { id: e.id, consumer: c.name, deliveryTimeMs: ctx.nowMs, deliveryCount: 1 });
      } else {
        const p = g.pel[pi];
        p.consumer = c.name;
        p.deliveryTimeMs = ctx.nowMs;
        p.deliveryCount = 1;
      }
      propagateXclaim(ctx, key, g, groupName, e.id, g.pel[pi]);
    }
    if (count > 0 && out.length === count) break;
  }
  if (propagateLastId) propagateGroupId(ctx, key, g, groupName);
  return array(out);
}

function xpending(ctx: CommandContext, argv: Bytes[]): Reply {
  const justInfo = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) return error(ERR_SYNTAX);
  let start: StreamId = ZERO_ID;
  let end: StreamId = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: Bytes | null = null;
  if (argv.length >= 6) {
    let si = 3;
    if (isOpt(argv[3], 'IDLE')) {
      const n = int64Arg(argv[4]);
      if (isReply(n)) return n;
      minIdle = n;
      if (argv.length < 8) return error(ERR_SYNTAX);
      si += 2;
    }
    const c = int64Arg(argv[si + 2]);
    if (isReply(c)) return c;
    count = c < 0 ? 0 : c;
    const st = intervalId(argv[si], 0n, true);
    if (isReply(st)) return st;
    start = st;
    const en = intervalId(argv[si + 1], UINT64_MAX, false);
    if (isReply(en)) return en;
    end = en;
    if (si + 3 < argv.length) consumerName = argv[si + 3];
  }
  const v = ctx.lookupRead(argv[1]);
  if (v !== undefined && v.type !== 'stream') return wrongType();
  const g = v?.type === 'stream' ? v.value.groups.get(argv[2]) : undefined;
  if (g === undefined) return noGroup(argv[1], argv[2]);
  if (justInfo) {
    if (g.pel.length === 0) return array([integer(0), NIL, NIL, NIL_ARRAY]);
    const per = new Map<Bytes, number>();
    for (const p of g.pel) per.set(p.consumer, (per.get(p.consumer) ?? 0) + 1);
    const names = [...per.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return array([
      integer(g.pel.length),
      idReply(g.pel[0].id),
      idReply(g.pel[g.pel.length - 1].id),
      array(names.map((n) => array([bulk(n), bulk(String(per.get(n)))]))),
    ]);
  }
  if (consumerName !== null && !g.consumers.has(consumerName)) return array([]);
  const out: Reply[] = [];
  const now = ctx.nowMs;
  for (let i = pelLowerBound(g, start); count > 0 && i < g.pel.length; i++) {
    const p = g.pel[i];
    if (compareIds(p.id, end) > 0) break;
    if (consumerName !== null && p.consumer !== consumerName) continue;
    if (minIdle !== 0 && now - p.deliveryTimeMs < minIdle) continue;
    count--;
    out.push(array([idReply(p.id), bulk(p.consumer), integer(Math.max(0, now - p.deliveryTimeMs)), integer(p.deliveryCount)]));
  }
  return array(out);
}

function groupLag(s: StreamValue, g: StreamGroup): Reply {
  if (s.entriesAdded === 0) return integer(0);
  if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, g.lastId, null)) return integer(s.entriesAdded - g.entriesRead);
  const read = estimateDistance(s, g.lastId);
  return read === INVALID_ENTRIES_READ ? NIL : integer(s.entriesAdded - read);
}

function byName<T extends { name: Bytes }>(xs: Iterable<T>): T[] {
  return [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** redis 7.0.15 xinfoCommand HELP text (addReplyHelp: the header, the lines, then HELP). */
const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

function xinfo(ctx: CommandContext, argv: Bytes[]): Reply {
  const sub = argv[1].toUpperCase();
  const subArity: Record<string, number> = { STREAM: -3, GROUPS: 3, CONSUMERS: 4, HELP: 2 };
  const ar = subArity[sub];
  if (ar === undefined) return error(`ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try XINFO HELP.`);
  if (ar > 0 ? argv.length !== ar : argv.length < -ar) return arityError(`xinfo|${sub.toLowerCase()}`);
  if (sub === 'HELP') return array(XINFO_HELP.map((l) => status(l)));
  const v = ctx.lookupRead(argv[2]);
  if (v === undefined) return error('ERR no such key');
  if (v.type !== 'stream') return wrongType();
  const s = v.value;
  const now = ctx.nowMs;
  if (sub === 'GROUPS') {
    return array(
      byName(s.groups.values()).map((g) =>
        array([
          bulk('name'),
          bulk(g.name),
          bulk('consumers'),
          integer(g.consumers.size),
          bulk('pending'),
          integer(g.pel.length),
          bulk('last-delivered-id'),
          idReply(g.lastId),
          bulk('entries-read'),
          g.entriesRead === INVALID_ENTRIES_READ ? NIL : integer(g.entriesRead),
          bulk('lag'),
          groupLag(s, g),
        ]),
      ),
    );
  }
  if (sub === 'CONSUMERS') {
    const g = s.groups.get(argv[3]);
    if (g === undefined) return error(`NOGROUP No such consumer group '${argv[3]}' for key name '${argv[2]}'`);
    return array(
      byName(g.consumers.values()).map((c) =>
        array([
          bulk('name'),
          bulk(c.name),
          bulk('pending'),
          integer(g.pel.filter((p) => p.consumer === c.name).length),
          bulk('idle'),
          integer(Math.max(0, now - c.seenTimeMs)),
        ]),
      ),
    );
  }
  let full = false;
  let fullCount = 10;
  if (argv.length > 3) {
    const subSyntax = error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try XINFO HELP.`);
    if (!isOpt(argv[3], 'FULL')) return subSyntax;
    full = true;
    if (argv.length > 4) {
      if (argv.length !== 6 || !isOpt(argv[4], 'COUNT')) return subSyntax;
      const c = int64Arg(argv[5]);
      if (isReply(c)) return c;
      fullCount = c < 0 ? 10 : c;
    }
  }
  const n = s.entries.length;
  const first = n > 0 ? entryReply(s.entries[0].id, s.entries[0].fields) : NIL;
  const last = n > 0 ? entryReply(s.entries[n - 1].id, s.entries[n - 1].fields) : NIL;
  const nodes = Math.ceil(n / NODE_MAX_ENTRIES);
  if (full) return xinfoStreamFull(s, nodes, fullCount);
  return array([
    bulk('length'),
    integer(n),
    bulk('radix-tree-keys'),
    integer(nodes),
    bulk('radix-tree-nodes'),
    integer(nodes + 1),
    bulk('last-generated-id'),
    idReply(s.lastId),
    bulk('max-deleted-entry-id'),
    idReply(s.maxDeletedId),
    bulk('entries-added'),
    integer(s.entriesAdded),
    bulk('recorded-first-entry-id'),
    idReply(s.firstId),
    bulk('groups'),
    integer(s.groups.size),
    bulk('first-entry'),
    first,
    bulk('last-entry'),
    last,
  ]);
}

/** redis: xinfoReplyWithStreamInfo with FULL (count 0 = everything). */
function xinfoStreamFull(s: StreamValue, nodes: number, count: number): Reply {
  const upTo = <T>(xs: T[]): T[] => (count > 0 ? xs.slice(0, count) : xs);
  const groups = byName(s.groups.values()).map((g) => {
    const consumers = byName(g.consumers.values()).map((c) => {
      const own = g.pel.filter((p) => p.consumer === c.name);
      return array([
        bulk('name'),
        bulk(c.name),
        bulk('seen-time'),
        integer(c.seenTimeMs),
        bulk('pel-count'),
        integer(own.length),
        bulk('pending'),
        array(upTo(own).map((p) => array([idReply(p.id), integer(p.deliveryTimeMs), integer(p.deliveryCount)]))),
      ]);
    });
    return array([
      bulk('name'),
      bulk(g.name),
      bulk('last-delivered-id'),
      idReply(g.lastId),
      bulk('entries-read'),
      g.entriesRead === INVALID_ENTRIES_READ ? NIL : integer(g.entriesRead),
      bulk('lag'),
      groupLag(s, g),
      bulk('pel-count'),
      integer(g.pel.length),
      bulk('pending'),
      array(upTo(g.pel).map((p) => array([idReply(p.id), bulk(p.consumer), integer(p.deliveryTimeMs), integer(p.deliveryCount)]))),
      bulk('consumers'),
      array(consumers),
    ]);
  });
  return array([
    bulk('length'),
    integer(s.entries.length),
    bulk('radix-tree-keys'),
    integer(nodes),
    bulk('radix-tree-nodes'),
    integer(nodes + 1),
    bulk('last-generated-id'),
    idReply(s.lastId),
    bulk('max-deleted-entry-id'),
    idReply(s.maxDeletedId),
    bulk('entries-added'),
    integer(s.entriesAdded),
    bulk('recorded-first-entry-id'),
    idReply(s.firstId),
    bulk('entries'),
    array(upTo(s.entries).map((e) => entryReply(e.id, e.fields))),
    bulk('groups'),
    array(groups),
  ]);
}

const groupKey = (argv: readonly Bytes[]): Bytes[] => (argv.length > 2 ? [argv[2]] : []);

/** The keys after STREAMS (first half of the remaining arguments). */
function streamsKeys(argv: readonly Bytes[]): Bytes[] {
  for (let i = 1; i < argv.length; i++) {
    if (isOpt(argv[i], 'STREAMS')) {
      const n = Math.floor((argv.length - i - 1) / 2);
      return argv.slice(i + 1, i + 1 + n);
    }
  }
  return [];
}

export const streamCommands: CommandDef[] = [
  def('xadd', -5, ['write', 'denyoom', 'fast'], [1, 1, 1], xadd),
  def('xtrim', -4, ['write'], [1, 1, 1], xtrim),
  def('xdel', -3, ['write', 'fast'], [1, 1, 1], xdel),
  def('xsetid', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], xsetid),
  def('xgroup', -2, ['write'], [2, 2, 1], xgroup, { keys: groupKey }),
  def('xack', -4, ['write', 'fast'], [1, 1, 1], xack),
  def('xclaim', -6, ['write', 'fast'], [1, 1, 1], xclaim),
  def('xautoclaim', -6, ['write', 'fast'], [1, 1, 1], xautoclaim),
  def('xreadgroup', -7, ['write', 'blocking'], [0, 0, 0], xreadGeneric(true), { keys: streamsKeys }),
  def('xread', -4, ['readonly', 'blocking'], [0, 0, 0], xreadGeneric(false), { keys: streamsKeys }),
  def('xlen', 2, ['readonly', 'fast'], [1, 1, 1], xlen),
  def('xrange', -4, ['readonly'], [1, 1, 1], xrangeGeneric(false)),
  def('xrevrange', -4, ['readonly'], [1, 1, 1], xrangeGeneric(true)),
  def('xpending', -3, ['readonly'], [1, 1, 1], xpending),
  def('xinfo', -2, ['readonly'], [2, 2, 1], xinfo, { keys: groupKey }),
];
