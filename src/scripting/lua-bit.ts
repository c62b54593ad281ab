// The `bit` library of Redis's Lua (LuaBitOp 1.0.2, global `bit`): 32-bit operations on numbers,
// results signed 32-bit as doubles.
// redis: deps/lua/src/lua_bit.c barg, BRET, bit_tohex (4.0.14 and 7.0.15 agree).
// barg converts a number the way LuaBitOp does on a double-number Lua: it adds 2^52+2^51 and
// keeps the low 32 bits of the double's representation, which rounds to nearest (ties to even)
// and wraps modulo 2^32; an argument that is neither a number nor a numeric string is a type error
// (Lua 5.1's lua_tonumber gives 0 for it, and barg checks exactly that case).

import { pushLibTable, typeError, type LuaLibContext } from './lua-lib.ts';

/** redis: barg: argument idx as a 32-bit pattern (unsigned). */
function barg(ctx: LuaLibContext, idx: number): number {
  const { lua } = ctx.api;
  const n = lua.lua_tonumber(ctx.L, idx);
  const cell = new Float64Array([n + 6755399441055744.0]);
  const b = new Uint32Array(cell.buffer)[0];
  if (b === 0 && !lua.lua_isnumber(ctx.L, idx)) typeError(ctx, idx, 'number');
  return b;
}

/** Pushes the bit module table. */
export function pushBit(ctx: LuaLibContext): void {
  const { lua } = ctx.api;
  const L = ctx.L;
  const ret = (b: number): number => {
    lua.lua_pushnumber(L, b | 0);
    return 1;
  };
  const fold = (op: (a: number, b: number) => number) => (): number => {
    let b = barg(ctx, 1);
    for (let i = lua.lua_gettop(L); i > 1; i--) b = op(b, barg(ctx, i));
    return ret(b);
  };
  const shift = (op: (b: number, n: number) => number) => (): number => {
    const b = barg(ctx, 1);
    const n = barg(ctx, 2) & 31;
    return ret(op(b, n));
  };
  pushLibTable(ctx, {
    tobit: () => ret(barg(ctx, 1)),
    bnot: () => ret(~barg(ctx, 1)),
    band: fold((a, b) => a & b),
    bor: fold((a, b) => a | b),
    bxor: fold((a, b) => a ^ b),
    lshift: shift((b, n) => b << n),
    rshift: shift((b, n) => b >>> n),
    arshift: shift((b, n) => (b | 0) >> n),
    // 32-n is 32 when n is 0: a shift by 32 in C on uint32 is undefined; x86 masks it to 0
    rol: shift((b, n) => (b << n) | (b >>> ((32 - n) & 31))),
    ror: shift((b, n) => (b << ((32 - n) & 31)) | (b >>> n)),
    bswap: () => {
      const b = barg(ctx, 1);
      return ret((b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
    },
    tohex: () => {
      let b = barg(ctx, 1);
      let n = lua.lua_type(L, 2) === -1 ? 8 : barg(ctx, 2) | 0;
      let digits = '0123456789abcdef';
      if (n < 0) {
        n = -n | 0;
        digits = digits.toUpperCase();
      }
      if (n > 8) n = 8;
      const buf: string[] = [];
      for (let i = n; --i >= 0; ) {
        buf[i] = digits[b & 15];
        b >>>= 4;
      }
      lua.lua_pushstring(L, ctx.lstr(buf.join('')));
      return 1;
    },
  });
}
