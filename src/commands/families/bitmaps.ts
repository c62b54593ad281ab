// Bitmap commands (redis 7.0.15 bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS (BYTE|BIT ranges),
// BITOP AND/OR/XOR/NOT, BITFIELD (GET/SET/INCRBY, OVERFLOW WRAP/SAT/FAIL, `#n` offsets), BITFIELD_RO.
//
// Propagation: verbatim when something changed: SETBIT / BITFIELD count a change only when the key
// was created or grown or a value actually changed (7.0 lookupStringForBitCommand's `dirty`);
// BITOP always when it stored or deleted the destination.
// Invariants: offsets are limited to 512 MB (proto-max-bulk-len) except for the AOF loader (Redis's
// mustObeyClient); a failing command changes nothing.

import { addWithOverflow, getField, popcount, setBits } from '../../keyspace/bitfield.ts';
import type { Overflow } from '../../keyspace/bitfield.ts';
import type { Bytes } from '../../keyspace/types.ts';
import { MAX_BYTES_LENGTH } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_NOT_INTEGER, ERR_SYNTAX, isOpt, parseInt64 } from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, WRONGTYPE, array, error, integer } from '../reply.ts';

const ERR_OFFSET = 'ERR bit offset is not an integer or out of range';
const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;
const wrongType = (): Reply => error(WRONGTYPE);

function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 'kind' in x;
}

/** redis: getBitOffsetFromArgument. */
function bitOffset(ctx: CommandContext, s: Bytes, hash: boolean, bits: number): number | Reply {
  const useHash = hash && bits > 0 && s[0] === '#';
  const v = parseInt64(useHash ? s.slice(1) : s);
  if (v === null) return error(ERR_OFFSET);
  const off = useHash ? v * BigInt(bits) : v;
  if (off < 0n || (!ctx.loading && off >> 3n >= BigInt(PROTO_MAX_BULK_LEN))) return error(ERR_OFFSET);
  return Number(off);
}

/** The string value at key for reading: bytes, undefined when missing, or WRONGTYPE. */
function readString(ctx: CommandContext, key: Bytes): Buffer | undefined | Reply {
  const v = ctx.lookupRead(key);
  if (v === undefined) return undefined;
  if (v.type !== 'string') return wrongType();
  return Buffer.from(v.value, 'latin1');
}

/**
 * redis: lookupStringForBitCommand: the string at key grown with zeros to hold bit `maxBit`
 * (created when missing). `dirty` is true when it was created or grown.
 */
function stringForBits(ctx: CommandContext, key: Bytes, maxBit: number): { buf: Buffer; dirty: boolean; created: boolean } | Reply {
  const v = ctx.lookupWrite(key);
  if (v !== undefined && v.type !== 'string') return wrongType();
  const need = Math.floor(maxBit / 8) + 1;
  // DIVERGENCE(redis): the last 24 bytes under 512 MB (and, when loading, beyond) cannot be held.
  if (need > MAX_BYTES_LENGTH) return error(ERR_OFFSET);
  if (v === undefined) return { buf: Buffer.alloc(need), dirty: true, created: true };
  const cur = Buffer.from(v.value, 'latin1');
  if (cur.length >= need) return { buf: cur, dirty: false, created: false };
  const grown = Buffer.alloc(need);
  cur.copy(grown);
  return { buf: grown, dirty: true, created: false };
}

function store(ctx: CommandContext, key: Bytes, buf: Buffer, created: boolean): void {
  const value = buf.toString('latin1');
  if (created) ctx.addKey(key, { type: 'string', value, enc: 'raw' });
  else ctx.overwrite(key, { type: 'string', value, enc: 'raw' });
}

function setbit(ctx: CommandContext, argv: Bytes[]): Reply {
  const off = bitOffset(ctx, argv[2], false, 0);
  if (isReply(off)) return off;
  const on = parseInt64(argv[3]);
  if (on === null || (on !== 0n && on !== 1n)) return error('ERR bit is not an integer or out of range');
  const r = stringForBits(ctx, argv[1], off);
  if (isReply(r)) return r;
  const byte = off >>> 3;
  const mask = 1 << (7 - (off & 7));
  const old = (r.buf[byte] & mask) !== 0 ? 1 : 0;
  if (r.dirty || old !== Number(on)) {
    if (on === 1n) r.buf[byte] |= mask;
    else r.buf[byte] &= ~mask;
    store(ctx, argv[1], r.buf, r.created);
    ctx.dirty();
  } else {
    // redis: lookupStringForBitCommand unshares the value (raw encoding) even when no bit changes.
    const v = ctx.db.dict.get(argv[1]);
    if (v !== undefined && v.type === 'string' && v.enc !== 'raw') ctx.db.dict.set(argv[1], { type: 'string', value: v.value, enc: 'raw' });
  }
  return integer(old);
}

function getbit(ctx: CommandContext, argv: Bytes[]): Reply {
  const off = bitOffset(ctx, argv[2], false, 0);
  if (isReply(off)) return off;
  const b = readString(ctx, argv[1]);
  if (isReply(b)) return b;
  if (b === undefined) return integer(0);
  const byte = off >>> 3;
  if (byte >= b.length) return integer(0);
  return integer((b[byte] >> (7 - (off & 7))) & 1);
}

/** Parses a [start end [BYTE|BIT]] range into a bit range over a string of `len` bytes. */
function bitRange(len: number, startArg: bigint, endArg: bigint, isBit: boolean): [number, number] {
  const total = isBit ? len * 8 : len;
  let start = Number(startArg);
  let end = Number(endArg);
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  return isBit ? [start, end] : [start * 8, end * 8 + 7];
}

/**
 * redis: bitops.c bitcountCommand (7.0.15, and 4.0): the key is looked up first, so a missing key
 * answers 0 and a wrong type WRONGTYPE whatever the range arguments are; they are judged after.
 */
function bitcount(ctx: CommandContext, argv: Bytes[]): Reply {
  const b = readString(ctx, argv[1]);
  if (isReply(b)) return b;
  if (b === undefined) return integer(0);
  let isBit = false;
  let range: [bigint, bigint] | null = null;
  if (argv.length === 4 || argv.length === 5) {
    const s = parseInt64(argv[2]);
    if (s === null) return error(ERR_NOT_INTEGER);
    const e = parseInt64(argv[3]);
    if (e === null) return error(ERR_NOT_INTEGER);
    // Two negative indexes in the wrong order answer 0 before the unit is read.
    if (s < 0n && e < 0n && s > e) return integer(0);
    if (argv.length === 5) {
      if (isOpt(argv[4], 'BIT')) isBit = true;
      else if (!isOpt(argv[4], 'BYTE')) return error(ERR_SYNTAX);
    }
    range = [s, e];
  } else if (argv.length !== 2) return error(ERR_SYNTAX);
  let startBit = 0;
  let endBit = b.length * 8 - 1;
  if (range !== null) [startBit, endBit] = bitRange(b.length, range[0], range[1], isBit);
  if (startBit > endBit) return integer(0);
  const sb = startBit >>> 3;
  const eb = endBit >>> 3;
  let n = popcount(b, sb, eb);
  for (let i = sb * 8; i < startBit; i++) n -= (b[i >>> 3] >> (7 - (i & 7))) & 1;
  for (let i = endBit + 1; i < eb * 8 + 8; i++) n -= (b[i >>> 3] >> (7 - (i & 7))) & 1;
  return integer(n);
}

function bitpos(ctx: CommandContext, argv: Bytes[]): Reply {
  const bitArg = parseInt64(argv[2]);
  if (bitArg === null) return error(ERR_NOT_INTEGER);
  if (bitArg !== 0n && bitArg !== 1n) return error('ERR The bit argument must be 1 or 0.');
  const bit = Number(bitArg);
  const b = readString(ctx, argv[1]);
  if (isReply(b)) return b;
  if (b === undefined) return integer(bit ? -1 : 0);
  let startBit = 0;
  let endBit = b.length * 8 - 1;
  let endGiven = false;
  if (argv.length >= 4 && argv.length <= 6) {
    const s = parseInt64(argv[3]);
    if (s === null) return error(ERR_NOT_INTEGER);
    let isBit = false;
    if (argv.length === 6) {
      if (isOpt(argv[5], 'BIT')) isBit = true;
      else if (!isOpt(argv[5], 'BYTE')) return error(ERR_SYNTAX);
    }
    let e: bigint;
    if (argv.length >= 5) {
      const ee = parseInt64(argv[4]);
      if (ee === null) return error(ERR_NOT_INTEGER);
      e = ee;
      endGiven = true;
    } else e = BigInt(isBit ? b.length * 8 + 7 : b.length - 1);
    [startBit, endBit] = bitRange(b.length, s, e, isBit);
  } else if (argv.length !== 3) return error(ERR_SYNTAX);
  if (startBit > endBit) return integer(-1);
  for (let i = startBit; i <= endBit; i++) {
    if (((b[i >>> 3] >> (7 - (i & 7))) & 1) === bit) return integer(i);
  }
  if (bit === 1 || endGiven) return integer(-1);
  return integer(((endBit >>> 3) + 1) * 8);
}

function bitop(ctx: CommandContext, argv: Bytes[]): Reply {
  const op = argv[1].toUpperCase();
  if (op !== 'AND' && op !== 'OR' && op !== 'XOR' && op !== 'NOT') return error(ERR_SYNTAX);
  if (op === 'NOT' && argv.length !== 4) return error('ERR BITOP NOT must be called with a single source key.');
  const srcs: Buffer[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const b = readString(ctx, argv[j]);
    if (isReply(b)) return b;
    const buf = b ?? Buffer.alloc(0);
    srcs.push(buf);
    if (buf.length > maxlen) maxlen = buf.length;
  }
  const dest = argv[2];
  if (maxlen === 0) {
    if (ctx.deleteKey(dest)) ctx.dirty();
    return integer(0);
  }
  const res = Buffer.alloc(maxlen);
  for (let i = 0; i < maxlen; i++) {
    let out = i < srcs[0].length ? srcs[0][i] : 0;
    if (op === 'NOT') out = ~out & 0xff;
    for (let k = 1; k < srcs.length; k++) {
      const x = i < srcs[k].length ? srcs[k][i] : 0;
      if (op === 'AND') out &= x;
      else if (op === 'OR') out |= x;
      else out ^= x;
    }
    res[i] = out;
  }
  ctx.setKey(dest, { type: 'string', value: res.toString('latin1'), enc: 'raw' });
  ctx.dirty();
  return integer(maxlen);
}

interface FieldOp {
  op: 'get' | 'set' | 'incrby';
  signed: boolean;
  bits: number;
  offset: number;
  arg: bigint;
  ow: Overflow;
}

function bitfieldType(s: Bytes): { signed: boolean; bits: number } | null {
  const c = s[0];
  if (c !== 'i' && c !== 'u' && c !== 'I' && c !== 'U') return null;
  const signed = c === 'i' || c === 'I';
  const n = parseInt64(s.slice(1));
  if (n === null) return null;
  const bits = Number(n);
  if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) return null;
  return { signed, bits };
}

function bitfieldGeneric(readonlyCmd: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const ops: FieldOp[] = [];
    let ow: Overflow = 'wrap';
    let readonly = true;
    let highest = 0;
    for (let j = 2; j < argv.length; j++) {
      const rem = argv.length - j - 1;
      const sub = argv[j];
      let op: FieldOp['op'];
      if (isOpt(sub, 'GET') && rem >= 2) op = 'get';
      else if (isOpt(sub, 'SET') && rem >= 3) op = 'set';
      else if (isOpt(sub, 'INCRBY') && rem >= 3) op = 'incrby';
      else if (isOpt(sub, 'OVERFLOW') && rem >= 1) {
        const t = argv[++j];
        if (isOpt(t, 'WRAP')) ow = 'wrap';
        else if (isOpt(t, 'SAT')) ow = 'sat';
        else if (isOpt(t, 'FAIL')) ow = 'fail';
        else return error('ERR Invalid OVERFLOW type specified');
        continue;
      } else return error(ERR_SYNTAX);
      const t = bitfieldType(argv[j + 1]);
      if (t === null) return error('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.');
      const off = bitOffset(ctx, argv[j + 2], true, t.bits);
      if (isReply(off)) return off;
      let arg = 0n;
      if (op !== 'get') {
        readonly = false;
        if (highest < off + t.bits - 1) highest = off + t.bits - 1;
        const v = parseInt64(argv[j + 3]);
        if (v === null) return error(ERR_NOT_INTEGER);
        arg = v;
      }
      ops.push({ op, signed: t.signed, bits: t.bits, offset: off, arg, ow });
      j += op === 'get' ? 2 : 3;
    }
    let buf: Buffer | undefined;
    let dirty = false;
    let created = false;
    if (readonly) {
      const b = readString(ctx, argv[1]);
      if (isReply(b)) return b;
      buf = b;
    } else {
      if (readonlyCmd) return error('ERR BITFIELD_RO only supports the GET subcommand');
      const r = stringForBits(ctx, argv[1], highest);
      if (isReply(r)) return r;
      buf = r.buf;
      dirty = r.dirty;
      created = r.created;
    }
    const replies: Reply[] = [];
    let changes = 0;
    for (const o of ops) {
      if (o.op === 'get') {
        replies.push(integer(toReplyInt(getField(buf ?? Buffer.alloc(0), o.offset, o.bits, o.signed))));
        continue;
      }
      const b = buf as Buffer;
      const old = getField(b, o.offset, o.bits, o.signed);
      let res: { value: bigint; overflow: boolean };
      let ret: bigint;
      if (o.op === 'incrby') {
        res = addWithOverflow(old, o.arg, o.bits, o.signed, o.ow);
        ret = res.value;
      } else {
        const v = o.signed ? o.arg : BigInt.asUintN(64, o.arg);
        res = addWithOverflow(v, 0n, o.bits, o.signed, o.ow);
        ret = old;
      }
      if (res.overflow && o.ow === 'fail') {
        replies.push(NIL);
        continue;
      }
      replies.push(integer(toReplyInt(ret)));
      setBits(b, o.offset, o.bits, BigInt.asUintN(o.bits, res.value));
      if (dirty || old !== res.value) changes++;
    }
    // Redis grows (or creates) the string before running the operations, even when every write
    // then fails under OVERFLOW FAIL; only actual changes count as dirty (and propagate).
    if (changes > 0 || dirty) store(ctx, argv[1], buf as Buffer, created);
    if (changes > 0) ctx.dirty(changes);
    return array(replies);
  };
}

function toReplyInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export const bitmapCommands: CommandDef[] = [
  def('setbit', 4, ['write', 'denyoom'], [1, 1, 1], setbit),
  def('getbit', 3, ['readonly', 'fast'], [1, 1, 1], getbit),
  def('bitcount', -2, ['readonly'], [1, 1, 1], bitcount),
  def('bitpos', -3, ['readonly'], [1, 1, 1], bitpos),
  def('bitop', -4, ['write', 'denyoom'], [2, -1, 1], bitop),
  def('bitfield', -2, ['write', 'denyoom'], [1, 1, 1], bitfieldGeneric(false)),
  def('bitfield_ro', -2, ['readonly', 'fast'], [1, 1, 1], bitfieldGeneric(true)),
];
