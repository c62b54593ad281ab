// The `bit` library of Redis's Lua (LuaBitOp 1.0: 32-bit operations on numbers; results are signed
// 32-bit, as doubles). redis: deps/lua/src/lua_bit.c (names and semantics only).
// DIVERGENCE(redis): tobit truncates a fractional argument toward zero; LuaBitOp rounds it (both
// agree on the integral values scripts pass).

export const BIT_FUNCTIONS: Record<string, (args: number[]) => number | string> = {
  tobit: (a) => a[0] | 0,
  bnot: (a) => ~a[0],
  band: (a) => a.reduce((x, y) => x & y, -1),
  bor: (a) => a.reduce((x, y) => x | y, 0),
  bxor: (a) => a.reduce((x, y) => x ^ y, 0),
  lshift: (a) => a[0] << (a[1] & 31),
  rshift: (a) => (a[0] >>> (a[1] & 31)) | 0,
  arshift: (a) => a[0] >> (a[1] & 31),
  rol: (a) => ((a[0] << (a[1] & 31)) | (a[0] >>> (32 - (a[1] & 31)))) | 0,
  ror: (a) => ((a[0] >>> (a[1] & 31)) | (a[0] << (32 - (a[1] & 31)))) | 0,
  bswap: (a) => {
    const x = a[0] | 0;
    return ((x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) | 0;
  },
  tohex: (a) => {
    let n = a.length > 1 ? a[1] | 0 : 8;
    const upper = n < 0;
    if (upper) n = -n;
    if (n > 8) n = 8;
    const hex = ((a[0] | 0) >>> 0).toString(16).padStart(8, '0').slice(8 - n);
    return upper ? hex.toUpperCase() : hex;
  },
};
