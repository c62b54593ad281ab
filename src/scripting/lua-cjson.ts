// The `cjson` library of Redis's Lua (lua-cjson 2.1.0 as Redis vendors it, global `cjson`), with
// its default configuration: cjson.encode / cjson.decode / cjson.null.
// redis: deps/lua/src/lua_cjson.c json_append_data, lua_array_length, json_append_number
// (fpconv_g_fmt "%.14g"), json_next_token, json_parse_object_context (4.0.14 and 7.0.15 agree).
// Semantics kept: a table whose keys are exactly positive integers is an array (holes become
// null) unless excessively sparse (max > 2 * items and max > 10: an error); any other table, the
// empty one included, is an object; numbers print with %.14g, NaN/Inf are errors; '/' and 0x7f
// are escaped; decoding accepts what strtod accepts after '-', digits, '+', inf, nan (the
// default decode_invalid_numbers), JSON null is cjson.null (a NULL light userdata).
// DIVERGENCE(redis): an object with two or more keys is printed in fengari's traversal order,
// not Lua 5.1's hash order, so the command is marked unreproduced (never silent). The
// configuration functions (encode_max_depth, ...) change state across scripts in Redis: calling
// them is unsupported.

import type { Bytes } from '../keyspace/types.ts';
import { argError, checkString, countEntries, luaError, pushLibTable, type LuaLibContext } from './lua-lib.ts';
import { formatG } from '../base/number-format.ts';
import { strtod } from '../base/strtod.ts';

/** redis: DEFAULT_ENCODE_MAX_DEPTH / DEFAULT_DECODE_MAX_DEPTH. */
const MAX_DEPTH = 1000;
/** redis: DEFAULT_SPARSE_RATIO / DEFAULT_SPARSE_SAFE. */
const SPARSE_RATIO = 2;
const SPARSE_SAFE = 10;
/** redis: DEFAULT_ENCODE_NUMBER_PRECISION. */
const PRECISION = 14;

/** How encode writes each byte (redis: char2escape). */
const ESCAPES: readonly string[] = Array.from({ length: 256 }, (_, c) => {
  const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 47: '\\/', 92: '\\\\' };
  if (named[c] !== undefined) return named[c];
  if (c < 0x20 || c === 0x7f) return '\\u' + c.toString(16).padStart(4, '0');
  return String.fromCharCode(c);
});
const UNESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };

const CONFIG_FUNCTIONS = [
  'encode_sparse_array',
  'encode_max_depth',
  'decode_max_depth',
  'encode_number_precision',
  'encode_keep_buffer',
  'encode_invalid_numbers',
  'decode_invalid_numbers',
  'new',
];

/** Pushes the cjson module table. */
export function pushCjson(ctx: LuaLibContext): void {
  const { lua } = ctx.api;
  const fns: Record<string, () => number> = {
    encode: () => {
      if (lua.lua_gettop(ctx.L) !== 1) argError(ctx, 1, 'expected 1 argument');
      const out: string[] = [];
      new JsonEncoder(ctx, out).append(1, 0);
      lua.lua_pushstring(ctx.L, ctx.lstr(out.join('')));
      return 1;
    },
    decode: () => {
      if (lua.lua_gettop(ctx.L) !== 1) argError(ctx, 1, 'expected 1 argument');
      const text = checkString(ctx, 1);
      if (text.length >= 2 && (text.charCodeAt(0) === 0 || text.charCodeAt(1) === 0)) luaError(ctx, 'JSON parser does not support UTF-16 or UTF-32');
      new JsonDecoder(ctx, text).decode();
      return 1;
    },
  };
  for (const name of CONFIG_FUNCTIONS) fns[name] = () => ctx.unsupported(`cjson.${name}`);
  pushLibTable(ctx, fns, { _NAME: 'cjson', _VERSION: '2.1.0' });
  lua.lua_pushlightuserdata(ctx.L, null);
  lua.lua_setfield(ctx.L, -2, ctx.lstr('null'));
}

class JsonEncoder {
  constructor(
    private readonly ctx: LuaLibContext,
    private readonly out: string[],
  ) {}

  /** Lua value at absolute index idx -> JSON (redis: json_append_data). */
  append(idx: number, depth: number): void {
    const { lua } = this.ctx.api;
    const L = this.ctx.L;
    const t = lua.lua_type(L, idx);
    if (t === lua.LUA_TSTRING) this.string(this.ctx.bytes(lua.lua_tolstring(L, idx) as Uint8Array));
    else if (t === lua.LUA_TNUMBER) this.number(lua.lua_tonumber(L, idx));
    else if (t === lua.LUA_TBOOLEAN) this.out.push(lua.lua_toboolean(L, idx) ? 'true' : 'false');
    else if (t === lua.LUA_TNIL) this.out.push('null');
    else if (t === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(L, idx) === null) this.out.push('null');
    else if (t === lua.LUA_TTABLE) {
      if (depth + 1 > MAX_DEPTH || !lua.lua_checkstack(L, 3)) luaError(this.ctx, `Cannot serialise, excessive nesting (${depth + 1})`);
      const len = this.arrayLength(idx);
      if (len > 0) this.array(idx, len, depth + 1);
      else this.object(idx, depth + 1);
    } else this.fail(t, 'type not supported');
  }

  private fail(type: number, reason: string): never {
    return luaError(this.ctx, `Cannot serialise ${this.ctx.bytes(this.ctx.api.lua.lua_typename(this.ctx.L, type))}: ${reason}`);
  }

  private string(s: Bytes): void {
    let r = '"';
    for (let i = 0; i < s.length; i++) r += ESCAPES[s.charCodeAt(i)];
    this.out.push(r + '"');
  }

  private number(n: number): void {
    if (!Number.isFinite(n)) this.fail(this.ctx.api.lua.LUA_TNUMBER, 'must not be NaN or Inf');
    this.out.push(formatG(n, PRECISION));
  }

  /** redis: lua_array_length: max key when every key is an integer >= 1, else -1. */
  private arrayLength(idx: number): number {
    const { lua } = this.ctx.api;
    const L = this.ctx.L;
    let max = 0;
    let items = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, idx) !== 0) {
      lua.lua_pop(L, 1);
      const k = lua.lua_type(L, -1) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : 0;
      if (k === 0 || Math.floor(k) !== k || k < 1) {
        lua.lua_pop(L, 1);
        return -1;
      }
      if (k > max) max = k;
      items++;
    }
    if (max > items * SPARSE_RATIO && max > SPARSE_SAFE) this.fail(lua.LUA_TTABLE, 'excessively sparse array');
    return max;
  }

  private array(idx: number, len: number, depth: number): void {
    const { lua } = this.ctx.api;
    const L = this.ctx.L;
    this.out.push('[');
    for (let i = 1; i <= len; i++) {
      if (i > 1) this.out.push(',');
      lua.lua_rawgeti(L, idx, i);
      this.append(lua.lua_gettop(L), depth);
      lua.lua_pop(L, 1);
    }
    this.out.push(']');
  }

  private object(idx: number, depth: number): void {
    const { lua } = this.ctx.api;
    const L = this.ctx.L;
    if (countEntries(this.ctx, idx) > 1) {
      this.ctx.markUnreproduced("cjson.encode of a table with two or more keys that are not array indexes: the key order is Lua 5.1's hash order, which aofsim does not model");
    }
    this.out.push('{');
    let first = true;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, idx) !== 0) {
      if (!first) this.out.push(',');
      first = false;
      const top = lua.lua_gettop(L);
      const kt = lua.lua_type(L, top - 1);
      if (kt === lua.LUA_TNUMBER) {
        this.out.push('"');
        this.number(lua.lua_tonumber(L, top - 1));
        this.out.push('":');
      } else if (kt === lua.LUA_TSTRING) {
        this.string(this.ctx.bytes(lua.lua_tolstring(L, top - 1) as Uint8Array));
        this.out.push(':');
      } else {
        this.fail(kt, 'table key must be a number or string');
      }
      this.append(top, depth);
      lua.lua_pop(L, 1);
    }
    this.out.push('}');
  }
}

type Token =
  | { type: 'T_OBJ_BEGIN' | 'T_OBJ_END' | 'T_ARR_BEGIN' | 'T_ARR_END' | 'T_COLON' | 'T_COMMA' | 'T_END' | 'T_NULL'; index: number }
  | { type: 'T_STRING'; index: number; value: Bytes }
  | { type: 'T_NUMBER'; index: number; value: number }
  | { type: 'T_BOOLEAN'; index: number; value: boolean }
  | { type: 'T_ERROR'; index: number; value: string };

const SINGLE: Record<string, Token['type']> = { '{': 'T_OBJ_BEGIN', '}': 'T_OBJ_END', '[': 'T_ARR_BEGIN', ']': 'T_ARR_END', ',': 'T_COMMA', ':': 'T_COLON' };

/** redis: json_decode and its tokenizer; the text ends at its first NUL, as a C string does. */
class JsonDecoder {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly ctx: LuaLibContext,
    private readonly text: Bytes,
  ) {}

  decode(): void {
    this.value(this.next());
    const t = this.next();
    if (t.type !== 'T_END') this.parseError('the end', t);
  }

  private at(i: number): string {
    return i < this.text.length ? this.text[i] : '\0';
  }

  private parseError(expected: string, t: Token): never {
    const found = t.type === 'T_ERROR' ? t.value : t.type;
    return luaError(this.ctx, `Expected ${expected} but found ${found} at character ${t.index + 1}`);
  }

  /** redis: json_next_token. */
  private next(): Token {
    while (' \t\n\r'.includes(this.at(this.pos)) && this.at(this.pos) !== '\0') this.pos++;
    const index = this.pos;
    const ch = this.at(index);
    if (ch === '\0') return { type: 'T_END', index };
    const single = SINGLE[ch];
    if (single !== undefined) {
      this.pos++;
      return { type: single, index } as Token;
    }
    if (ch === '"') return this.stringToken();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.numberToken();
    if (this.text.startsWith('true', index)) {
      this.pos += 4;
      return { type: 'T_BOOLEAN', index, value: true };
    }
    if (this.text.startsWith('false', index)) {
      this.pos += 5;
      return { type: 'T_BOOLEAN', index, value: false };
    }
    if (this.text.startsWith('null', index)) {
      this.pos += 4;
      return { type: 'T_NULL', index };
    }
    if ('iInN+'.includes(ch) && this.invalidNumber()) return this.numberToken();
    return { type: 'T_ERROR', index, value: 'invalid token' };
  }

  /** redis: json_is_invalid_number (numbers strict JSON rejects but strtod reads). */
  private invalidNumber(): boolean {
    let p = this.pos;
    if (this.at(p) === '+') return true;
    if (this.at(p) === '-') p++;
    const c = this.at(p);
    if (c === '0') {
      const c2 = this.at(p + 1);
      return c2 === 'x' || c2 === 'X' || (c2 >= '0' && c2 <= '9');
    }
    if (c <= '9') return false;
    const three = this.text.slice(p, p + 3).toLowerCase();
    return three === 'inf' || three === 'nan';
  }

  private numberToken(): Token {
    const index = this.pos;
    // strtod stops at the C string's NUL by itself: no pattern of strtod.ts matches '\0'
    const r = strtod(this.text, index);
    if (r.end === index) return { type: 'T_ERROR', index, value: 'invalid number' };
    this.pos = r.end;
    return { type: 'T_NUMBER', index, value: r.value };
  }

  /** redis: json_next_string_token (escapes, \uXXXX and surrogate pairs to UTF-8). */
  private stringToken(): Token {
    const index = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.at(this.pos);
      if (ch === '"') break;
      if (ch === '\0') return { type: 'T_ERROR', index: this.pos, value: 'unexpected end of string' };
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      const e = this.at(this.pos + 1);
      if (e === 'u') {
        const u = this.unicodeEscape();
        if (u === null) return { type: 'T_ERROR', index: this.pos, value: 'invalid unicode escape code' };
        out += u;
        continue;
      }
      const c = UNESCAPES[e];
      if (c === undefined) return { type: 'T_ERROR', index: this.pos, value: 'invalid escape code' };
      out += c;
      this.pos += 2;
    }
    this.pos++;
    return { type: 'T_STRING', index, value: out };
  }

  private hex4(at: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const d = parseInt(this.at(at + i), 16);
      if (Number.isNaN(d)) return -1;
      v = v * 16 + d;
    }
    return v;
  }

  /** redis: json_append_unicode_escape: the UTF-8 bytes (as latin1 chars), or null. */
  private unicodeEscape(): string | null {
    let cp = this.hex4(this.pos + 2);
    if (cp < 0) return null;
    let len = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return null;
      if (this.at(this.pos + 6) !== '\\' || this.at(this.pos + 7) !== 'u') return null;
      const low = this.hex4(this.pos + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return null;
      cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      len = 12;
    }
    this.pos += len;
    return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
  }

  /** redis: json_process_value: pushes the value of token t. */
  private value(t: Token): void {
    const { lua } = this.ctx.api;
    const L = this.ctx.L;
    switch (t.type) {
      case 'T_STRING':
        lua.lua_pushstring(L, this.ctx.lstr(t.value));
        return;
      case 'T_NUMBER':
        lua.lua_pushnumber(L, t.value);
        return;
      case 'T_BOOLEAN':
        lua.lua_pushboolean(L, t.value);
        return;
      case 'T_NULL':
        lua.lua_pushlightuserdata(L, null);
        return;
      case 'T_OBJ_BEGIN':
        this.object();
        return;
      case 'T_ARR_BEGIN':
        this.array();
        return;
      default:
        this.parseError('value', t);
    }
  }

  private descend(): void {
    this.depth++;
    if (this.depth > MAX_DEPTH || !this.ctx.api.lua.lua_checkstack(this.ctx.L, 3)) luaError(this.ctx, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  private object(): void {
    const { lua } = this.ctx.api;
    this.descend();
    lua.lua_createtable(this.ctx.L, 0, 0);
    let t = this.next();
    if (t.type === 'T_OBJ_END') {
      this.depth--;
      return;
    }
    for (;;) {
      if (t.type !== 'T_STRING') this.parseError('object key string', t);
      lua.lua_pushstring(this.ctx.L, this.ctx.lstr((t as { value: Bytes }).value));
      t = this.next();
      if (t.type !== 'T_COLON') this.parseError('colon', t);
      this.value(this.next());
      lua.lua_rawset(this.ctx.L, -3);
      t = this.next();
      if (t.type === 'T_OBJ_END') {
        this.depth--;
        return;
      }
      if (t.type !== 'T_COMMA') this.parseError('comma or object end', t);
      t = this.next();
    }
  }

  private array(): void {
    const { lua } = this.ctx.api;
    this.descend();
    lua.lua_createtable(this.ctx.L, 0, 0);
    let t = this.next();
    if (t.type === 'T_ARR_END') {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(t);
      lua.lua_rawseti(this.ctx.L, -2, i);
      t = this.next();
      if (t.type === 'T_ARR_END') {
        this.depth--;
        return;
      }
      if (t.type !== 'T_COMMA') this.parseError('comma or array end', t);
      t = this.next();
    }
  }
}
