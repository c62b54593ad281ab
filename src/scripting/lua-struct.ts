// The `struct` library of Redis's Lua (Roberto Ierusalimschy's struct for Lua 5.1, global
// `struct`): struct.pack(fmt, ...), struct.unpack(fmt, s [, pos]), struct.size(fmt), as built for
// x86-64 (native little endian; short 2, int 4, long and size_t 8 bytes; max alignment 8).
// redis: deps/lua/src/lua_struct.c optsize, gettoalign, controloptions, putinteger, getinteger,
// b_pack, b_unpack, b_size (4.0.14 and 7.0.15 agree).
// Semantics kept: integers are converted as C converts a double to (unsigned) long, so bytes past
// the eighth of a wide integer are zero; the argument number in "string too short" is one past
// the string's (b_pack increments it first); unpack's `c0` takes its length from the value before
// it; an offset below 1 wraps as size_t does and reads as "data string too short".
// DIVERGENCE(redis): packing NaN or an infinity as an integer relies on undefined C conversions:
// the command is marked unreproduced.

import type { Bytes } from '../keyspace/types.ts';
import { argError, checkNumber, checkStack, checkString, luaError, optInteger, pushLibTable, type LuaLibContext } from './lua-lib.ts';

/** redis: MAXINTSIZE. */
const MAX_INT_SIZE = 32;
/** redis: MAXALIGN on x86-64 (the padding before a double in a struct). */
const MAX_ALIGN = 8;
const MASK64 = (1n << 64n) - 1n;
const INT_MAX = 2 ** 31 - 1;

interface Header {
  little: boolean;
  align: number;
}

/** A format string read one option at a time (C stops at the first NUL). */
class Format {
  private i = 0;
  private readonly fmt: string;

  constructor(
    private readonly ctx: LuaLibContext,
    fmt: Bytes,
  ) {
    const nul = fmt.indexOf('\0');
    this.fmt = nul < 0 ? fmt : fmt.slice(0, nul);
  }

  more(): boolean {
    return this.i < this.fmt.length;
  }

  next(): string {
    return this.fmt[this.i++];
  }

  /** redis: getnum. */
  num(def: number): number {
    if (!this.isDigit()) return def;
    let a = 0;
    do {
      const d = this.fmt.charCodeAt(this.i) - 48;
      if (a > Math.floor(INT_MAX / 10) || a * 10 > INT_MAX - d) luaError(this.ctx, 'integral size overflow');
      a = a * 10 + d;
      this.i++;
    } while (this.isDigit());
    return a;
  }

  private isDigit(): boolean {
    const c = this.fmt[this.i];
    return c !== undefined && c >= '0' && c <= '9';
  }

  /** redis: optsize. */
  size(opt: string): number {
    switch (opt) {
      case 'B':
      case 'b':
      case 'x':
        return 1;
      case 'H':
      case 'h':
        return 2;
      case 'L':
      case 'l':
      case 'T':
      case 'd':
        return 8;
      case 'f':
        return 4;
      case 'c':
        return this.num(1);
      case 'i':
      case 'I': {
        const sz = this.num(4);
        if (sz > MAX_INT_SIZE) luaError(this.ctx, `integral size ${sz} is larger than limit of ${MAX_INT_SIZE}`);
        return sz;
      }
      default:
        return 0;
    }
  }

  /** redis: controloptions. */
  control(opt: string, h: Header): void {
    if (opt === ' ') return;
    if (opt === '>') h.little = false;
    else if (opt === '<') h.little = true;
    else if (opt === '!') {
      const a = this.num(MAX_ALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) luaError(this.ctx, `alignment ${a} is not a power of 2`);
      h.align = a;
    } else argError(this.ctx, 1, `invalid format option '${opt}'`);
  }
}

/** redis: gettoalign. */
function toAlign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  const s = size > h.align ? h.align : size;
  return (s - (len & (s - 1))) & (s - 1);
}

const isInt = (opt: string): boolean => 'bBhHlLTiI'.includes(opt);

/** (unsigned long) of a double as x86-64 code compiled by gcc computes it (redis: putinteger). */
function toUlong(ctx: LuaLibContext, n: number): bigint {
  if (!Number.isFinite(n)) {
    ctx.markUnreproduced('struct.pack of NaN or an infinity as an integer (an undefined C conversion)');
    return 1n << 63n;
  }
  const t = Math.trunc(n);
  if (n < 0) return t < -(2 ** 63) ? 1n << 63n : BigInt.asUintN(64, BigInt(t));
  if (t < 2 ** 63) return BigInt(t);
  return t < 2 ** 64 ? BigInt(t) : 0n;
}

function floatBytes(n: number, size: 4 | 8, little: boolean): number[] {
  const v = new DataView(new ArrayBuffer(size));
  if (size === 4) v.setFloat32(0, n, little);
  else v.setFloat64(0, n, little);
  return [...new Uint8Array(v.buffer)];
}

/** Pushes the struct module table. */
export function pushStruct(ctx: LuaLibContext): void {
  const { lua } = ctx.api;
  const L = ctx.L;

  const pack = (): number => {
    const fmt = new Format(ctx, checkString(ctx, 1));
    const h: Header = { little: true, align: 1 };
    let arg = 2;
    let total = 0;
    const out: number[] = [];
    while (fmt.more()) {
      const opt = fmt.next();
      let size = fmt.size(opt);
      const pad = toAlign(total, h, opt, size);
      total += pad;
      for (let i = 0; i < pad; i++) out.push(0);
      if (isInt(opt)) {
        let v = toUlong(ctx, checkNumber(ctx, arg++));
        const bytes: number[] = [];
        for (let i = 0; i < size; i++) {
          bytes.push(Number(v & 0xffn));
          v >>= 8n;
        }
        out.push(...(h.little ? bytes : bytes.reverse()));
      } else if (opt === 'x') {
        out.push(0);
      } else if (opt === 'f' || opt === 'd') {
        out.push(...floatBytes(checkNumber(ctx, arg++), size as 4 | 8, h.little));
      } else if (opt === 'c' || opt === 's') {
        const s = checkString(ctx, arg++);
        if (size === 0) size = s.length;
        if (s.length < size) argError(ctx, arg, 'string too short');
        for (let i = 0; i < size; i++) out.push(s.charCodeAt(i));
        if (opt === 's') {
          out.push(0);
          size++;
        }
      } else {
        fmt.control(opt, h);
      }
      total += size;
    }
    lua.lua_pushstring(L, Uint8Array.from(out));
    return 1;
  };

  const unpack = (): number => {
    const fmt = new Format(ctx, checkString(ctx, 1));
    const data = Buffer.from(checkString(ctx, 2), 'latin1');
    const ld = data.length;
    const first = optInteger(ctx, 3, 1);
    if (first === 0) argError(ctx, 3, 'offset must be 1 or greater');
    // size_t arithmetic: a negative offset is a huge position that no option fits
    let pos = first - 1;
    const h: Header = { little: true, align: 1 };
    let n = 0;
    const fits = (size: number): boolean => pos >= 0 && size <= ld && pos <= ld - size;
    while (fmt.more()) {
      const opt = fmt.next();
      let size = fmt.size(opt);
      if (pos >= 0) pos += toAlign(pos, h, opt, size);
      if (!fits(size)) argError(ctx, 2, 'data string too short');
      checkStack(ctx, 2, 'too many results');
      if (isInt(opt)) {
        lua.lua_pushnumber(L, readInteger(data, pos, h.little, opt === opt.toLowerCase(), size));
        n++;
      } else if (opt === 'f') {
        lua.lua_pushnumber(L, h.little ? data.readFloatLE(pos) : data.readFloatBE(pos));
        n++;
      } else if (opt === 'd') {
        lua.lua_pushnumber(L, h.little ? data.readDoubleLE(pos) : data.readDoubleBE(pos));
        n++;
      } else if (opt === 'c') {
        if (size === 0) {
          if (n === 0 || !lua.lua_isnumber(L, -1)) luaError(ctx, "format 'c0' needs a previous size");
          size = Math.trunc(lua.lua_tonumber(L, -1));
          lua.lua_pop(L, 1);
          n--;
          if (!fits(size)) argError(ctx, 2, 'data string too short');
        }
        lua.lua_pushstring(L, new Uint8Array(data.subarray(pos, pos + size)));
        n++;
      } else if (opt === 's') {
        const e = data.indexOf(0, pos);
        if (e < 0) luaError(ctx, 'unfinished string in data');
        size = e - pos + 1;
        lua.lua_pushstring(L, new Uint8Array(data.subarray(pos, e)));
        n++;
      } else if (opt !== 'x') {
        fmt.control(opt, h);
      }
      pos += size;
    }
    lua.lua_pushnumber(L, pos + 1);
    return n + 1;
  };

  const size = (): number => {
    const fmt = new Format(ctx, checkString(ctx, 1));
    const h: Header = { little: true, align: 1 };
    let pos = 0;
    while (fmt.more()) {
      const opt = fmt.next();
      const sz = fmt.size(opt);
      pos += toAlign(pos, h, opt, sz);
      if (opt === 's') argError(ctx, 1, "option 's' has no fixed size");
      else if (opt === 'c' && sz === 0) argError(ctx, 1, "option 'c0' has no fixed size");
      if (!/^[A-Za-z0-9]$/.test(opt)) fmt.control(opt, h);
      pos += sz;
    }
    lua.lua_pushnumber(L, pos);
    return 1;
  };

  pushLibTable(ctx, { pack, unpack, size });
}

/** redis: getinteger: size bytes as an unsigned long, sign-extended from bit size*8-1 when signed. */
function readInteger(data: Buffer, pos: number, little: boolean, signed: boolean, size: number): number {
  let l = 0n;
  for (let i = 0; i < size; i++) {
    const b = data[little ? pos + size - 1 - i : pos + i];
    l = ((l << 8n) | BigInt(b)) & MASK64;
  }
  if (!signed) return Number(l);
  // the shift count of x86's shl is taken modulo 64
  const mask = (MASK64 << BigInt((size * 8 - 1) & 63)) & MASK64;
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}
