// The `cmsgpack` library of Redis's Lua (lua-cmsgpack 0.4.0, global `cmsgpack`): pack(...) and
// unpack / unpack_one / unpack_limit.
// redis: deps/lua/src/lua_cmsgpack.c mp_encode_lua_type, table_is_an_array, mp_encode_double,
// mp_encode_int, mp_decode_to_lua_type, mp_unpack_full (4.0.14 and 7.0.15 agree).
// Semantics kept: a table whose keys are 1..n exactly (the empty table included) packs as an array
// of lua_objlen elements, any other as a map; a number that is an int64 packs as the smallest
// integer encoding, else as float 32 when the float holds it exactly, else float 64; strings use
// fixstr/str8/str16/str32; tables nested 16 deep and functions/userdata pack as nil; unpack knows
// no bin/ext types ("Bad data format in input.").
// DIVERGENCE(redis): a map of two or more entries is written in fengari's traversal order, not
// Lua 5.1's hash order, so the command is marked unreproduced (never silent).

import { argError, checkInteger, checkStack, checkString, countEntries, luaError, optInteger, pushLibTable, type LuaLibContext } from './lua-lib.ts';

/** redis: LUACMSGPACK_MAX_NESTING. */
const MAX_NESTING = 16;
const INT32_MAX = 2 ** 31 - 1;

/** Pushes the cmsgpack module table. */
export function pushCmsgpack(ctx: LuaLibContext): void {
  const { lua } = ctx.api;
  pushLibTable(
    ctx,
    {
      pack: () => {
        const n = lua.lua_gettop(ctx.L);
        if (n === 0) argError(ctx, 0, 'MessagePack pack needs input.');
        const out: number[] = [];
        for (let i = 1; i <= n; i++) encode(ctx, i, 0, out);
        lua.lua_pushstring(ctx.L, Uint8Array.from(out));
        return 1;
      },
      unpack: () => unpackFull(ctx, 0, 0),
      unpack_one: () => {
        const offset = optInteger(ctx, 2, 0);
        lua.lua_settop(ctx.L, 1);
        return unpackFull(ctx, 1, offset);
      },
      unpack_limit: () => {
        const limit = checkInteger(ctx, 2);
        const offset = optInteger(ctx, 3, 0);
        lua.lua_settop(ctx.L, 1);
        return unpackFull(ctx, limit, offset);
      },
    },
    { _NAME: 'cmsgpack', _VERSION: 'lua-cmsgpack 0.4.0', _COPYRIGHT: 'Copyright (C) 2012, Salvatore Sanfilippo', _DESCRIPTION: 'MessagePack C implementation for Lua' },
  );
}

function bigEndian(out: number[], v: bigint, bytes: number): void {
  for (let i = bytes - 1; i >= 0; i--) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
}

/** redis: mp_encode_int. */
function encodeInt(out: number[], n: bigint): void {
  if (n >= 0n) {
    if (n <= 127n) out.push(Number(n));
    else if (n <= 0xffn) out.push(0xcc, Number(n));
    else if (n <= 0xffffn) (out.push(0xcd), bigEndian(out, n, 2));
    else if (n <= 0xffffffffn) (out.push(0xce), bigEndian(out, n, 4));
    else (out.push(0xcf), bigEndian(out, n, 8));
  } else if (n >= -32n) out.push(Number(n) & 0xff);
  else if (n >= -128n) out.push(0xd0, Number(n) & 0xff);
  else if (n >= -32768n) (out.push(0xd1), bigEndian(out, BigInt.asUintN(16, n), 2));
  else if (n >= -2147483648n) (out.push(0xd2), bigEndian(out, BigInt.asUintN(32, n), 4));
  else (out.push(0xd3), bigEndian(out, BigInt.asUintN(64, n), 8));
}

/** redis: mp_encode_double: float 32 when (double)(float)d == d. */
function encodeDouble(out: number[], d: number): void {
  if (Math.fround(d) === d) {
    const b = new DataView(new ArrayBuffer(4));
    b.setFloat32(0, d);
    out.push(0xca, ...new Uint8Array(b.buffer));
  } else {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, d);
    out.push(0xcb, ...new Uint8Array(b.buffer));
  }
}

function encodeHeader(out: number[], n: number, fix: number, fixMax: number, op16: number, op32: number): void {
  if (n <= fixMax) out.push(fix | n);
  else if (n <= 0xffff) (out.push(op16), bigEndian(out, BigInt(n), 2));
  else (out.push(op32), bigEndian(out, BigInt(n), 4));
}

/** redis: mp_encode_lua_type (the value at absolute index idx). */
function encode(ctx: LuaLibContext, idx: number, level: number, out: number[]): void {
  const { lua } = ctx.api;
  const L = ctx.L;
  const t = lua.lua_type(L, idx);
  if (t === lua.LUA_TSTRING) {
    const s = lua.lua_tolstring(L, idx) as Uint8Array;
    if (s.length < 32) out.push(0xa0 | s.length);
    else if (s.length <= 0xff) out.push(0xd9, s.length);
    else if (s.length <= 0xffff) (out.push(0xda), bigEndian(out, BigInt(s.length), 2));
    else (out.push(0xdb), bigEndian(out, BigInt(s.length), 4));
    for (const b of s) out.push(b);
  } else if (t === lua.LUA_TBOOLEAN) {
    out.push(lua.lua_toboolean(L, idx) ? 0xc3 : 0xc2);
  } else if (t === lua.LUA_TNUMBER) {
    const n = lua.lua_tonumber(L, idx);
    // IS_INT64_EQUIVALENT: (int64_t)n == n
    if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) encodeInt(out, BigInt(n));
    else encodeDouble(out, n);
  } else if (t === lua.LUA_TTABLE && level < MAX_NESTING) {
    checkStack(ctx, 3, 'in function mp_encode_lua_table');
    if (isArray(ctx, idx)) {
      const len = lua.lua_rawlen(L, idx);
      encodeHeader(out, len, 0x90, 15, 0xdc, 0xdd);
      for (let j = 1; j <= len; j++) {
        lua.lua_rawgeti(L, idx, j);
        encode(ctx, lua.lua_gettop(L), level + 1, out);
        lua.lua_pop(L, 1);
      }
    } else {
      const len = countEntries(ctx, idx);
      if (len > 1) ctx.markUnreproduced("cmsgpack.pack of a map with two or more entries: the entry order is Lua 5.1's hash order, which aofsim does not model");
      encodeHeader(out, len, 0x80, 15, 0xde, 0xdf);
      lua.lua_pushnil(L);
      while (lua.lua_next(L, idx) !== 0) {
        const top = lua.lua_gettop(L);
        encode(ctx, top - 1, level + 1, out);
        encode(ctx, top, level + 1, out);
        lua.lua_pop(L, 1);
      }
    }
  } else {
    out.push(0xc0);
  }
}

/** redis: table_is_an_array: every key an int (32-bit) >= 1 and the largest equals the count. */
function isArray(ctx: LuaLibContext, idx: number): boolean {
  const { lua } = ctx.api;
  const L = ctx.L;
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx) !== 0) {
    lua.lua_pop(L, 1);
    const n = lua.lua_type(L, -1) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : 0;
    if (n <= 0 || !Number.isInteger(n) || n > INT32_MAX) {
      lua.lua_pop(L, 1);
      return false;
    }
    if (n > max) max = n;
    count++;
  }
  return max === count;
}

class Eof extends Error {}
class BadFormat extends Error {}

/** redis: mp_unpack_full. Pushes the values (and, unless unpacking all, the next offset first). */
function unpackFull(ctx: LuaLibContext, limit: number, offset: number): number {
  const { lua } = ctx.api;
  const s = Buffer.from(checkString(ctx, 1), 'latin1');
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) luaError(ctx, `Invalid request to unpack with offset of ${offset | 0} and limit of ${s.length | 0}.`);
  if (offset > s.length) luaError(ctx, `Start offset ${offset | 0} greater than input length ${s.length | 0}.`);
  const max = decodeAll ? INT32_MAX : limit;
  const cur = { p: offset };
  let cnt = 0;
  for (; cur.p < s.length && cnt < max; cnt++) {
    try {
      decode(ctx, s, cur);
    } catch (e) {
      if (e instanceof Eof) luaError(ctx, 'Missing bytes in input.');
      if (e instanceof BadFormat) luaError(ctx, 'Bad data format in input.');
      throw e;
    }
  }
  if (decodeAll) return cnt;
  lua.lua_pushnumber(ctx.L, cur.p >= s.length ? -1 : cur.p);
  lua.lua_insert(ctx.L, 2);
  return cnt + 1;
}

type Read = (s: Buffer, at: number) => number;
/** Numbers with a fixed width (opcode -> bytes with the opcode, reader of the payload). */
const FIXED: Record<number, [number, Read]> = {
  0xcc: [2, (s, a) => s.readUInt8(a)],
  0xd0: [2, (s, a) => s.readInt8(a)],
  0xcd: [3, (s, a) => s.readUInt16BE(a)],
  0xd1: [3, (s, a) => s.readInt16BE(a)],
  0xce: [5, (s, a) => s.readUInt32BE(a)],
  0xd2: [5, (s, a) => s.readInt32BE(a)],
  // lua_pushinteger of a uint64: it becomes a signed 64-bit integer first
  0xcf: [9, (s, a) => Number(s.readBigInt64BE(a))],
  0xd3: [9, (s, a) => Number(s.readBigInt64BE(a))],
  0xca: [5, (s, a) => s.readFloatBE(a)],
  0xcb: [9, (s, a) => s.readDoubleBE(a)],
};
/** Strings, arrays and maps with a length field (opcode -> kind, header bytes, length reader). */
const SIZED: Record<number, ['str' | 'array' | 'map', number, Read]> = {
  0xd9: ['str', 2, (s, a) => s.readUInt8(a)],
  0xda: ['str', 3, (s, a) => s.readUInt16BE(a)],
  0xdb: ['str', 5, (s, a) => s.readUInt32BE(a)],
  0xdc: ['array', 3, (s, a) => s.readUInt16BE(a)],
  0xdd: ['array', 5, (s, a) => s.readUInt32BE(a)],
  0xde: ['map', 3, (s, a) => s.readUInt16BE(a)],
  0xdf: ['map', 5, (s, a) => s.readUInt32BE(a)],
};

/** redis: mp_decode_to_lua_type: pushes one value read at cur.p. */
function decode(ctx: LuaLibContext, s: Buffer, cur: { p: number }): void {
  const { lua } = ctx.api;
  const L = ctx.L;
  const need = (n: number): void => {
    if (s.length - cur.p < n) throw new Eof();
  };
  need(1);
  checkStack(ctx, 1, 'too many return values at once; use unpack_one or unpack_limit instead.');
  const op = s[cur.p];
  const num = (n: number, width: number): void => {
    lua.lua_pushnumber(L, n);
    cur.p += width;
  };
  const str = (hdr: number, len: number): void => {
    need(hdr + len);
    lua.lua_pushstring(L, new Uint8Array(s.subarray(cur.p + hdr, cur.p + hdr + len)));
    cur.p += hdr + len;
  };
  const array = (hdr: number, len: number): void => {
    cur.p += hdr;
    lua.lua_createtable(L, 0, 0);
    for (let i = 1; i <= len; i++) {
      lua.lua_pushnumber(L, i);
      decode(ctx, s, cur);
      lua.lua_settable(L, -3);
    }
  };
  const map = (hdr: number, len: number): void => {
    cur.p += hdr;
    lua.lua_createtable(L, 0, 0);
    for (let i = 0; i < len; i++) {
      decode(ctx, s, cur);
      decode(ctx, s, cur);
      lua.lua_settable(L, -3);
    }
  };
  const fixed = FIXED[op];
  if (fixed !== undefined) {
    const [width, read] = fixed;
    need(width);
    return num(read(s, cur.p + 1), width);
  }
  const sized = SIZED[op];
  if (sized !== undefined) {
    const [kind, hdr, readLen] = sized;
    need(hdr);
    const len = readLen(s, cur.p + 1);
    return kind === 'str' ? str(hdr, len) : kind === 'array' ? array(hdr, len) : map(hdr, len);
  }
  if (op === 0xc0) {
    lua.lua_pushnil(L);
    cur.p += 1;
    return;
  }
  if (op === 0xc2 || op === 0xc3) {
    lua.lua_pushboolean(L, op === 0xc3);
    cur.p += 1;
    return;
  }
  if ((op & 0x80) === 0) return num(op, 1);
  if ((op & 0xe0) === 0xe0) return num(op - 256, 1);
  if ((op & 0xe0) === 0xa0) return str(1, op & 0x1f);
  if ((op & 0xf0) === 0x90) return array(1, op & 0xf);
  if ((op & 0xf0) === 0x80) return map(1, op & 0xf);
  throw new BadFormat();
}

