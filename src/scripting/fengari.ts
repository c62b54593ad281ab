// The embedded Lua VM: fengari (Lua 5.3 in JavaScript, MIT), loaded once per process with the
// patches that give it Lua 5.1's numbers, the VM Redis embeds (docs/scripting.md has the evidence):
//   - every number a script reads (literals, strings coerced by arithmetic, tonumber) is a float,
//     as in 5.1 where all numbers are doubles (fengari's integers are 32-bit and wrap: 65536*65536
//     is 0 there);
//   - `%` on numbers is a - floor(a/b)*b, 5.1's definition (5.3 uses fmod);
//   - tostring / `..` print numbers with "%.14g" and no ".0" (LUA_NUMBER_FMT of 5.1; 5.3 prints
//     10/2 as "5.0").
// luaconf is patched before the VM modules load (they copy its values then); luaO_str2num after
// (its callers look it up on the module object at each call). Hence require, in this order.
// Invariant: nothing in the loaded VM reaches ambient randomness, the clock or timers: the math library's
// random/randomseed are replaced by the binding (rand48) and os/io are never opened.

import { createRequire } from 'node:module';
import { formatG } from '../base/number-format.ts';

/** A Lua string as fengari holds it: bytes. */
export type LuaString = Uint8Array;
/** An opaque lua_State. */
export type LuaState = { readonly __luaState: unique symbol };
export type LuaJsFunction = (L: LuaState) => number;

/** The slice of fengari's C-like API the binding uses (names as in lua.h / lauxlib.h). */
export interface FengariApi {
  lua: {
    LUA_OK: number;
    LUA_TNIL: number;
    LUA_TBOOLEAN: number;
    LUA_TNUMBER: number;
    LUA_TSTRING: number;
    LUA_TTABLE: number;
    LUA_TLIGHTUSERDATA: number;
    LUA_MASKCOUNT: number;
    LUA_REGISTRYINDEX: number;
    lua_pushjsfunction(L: LuaState, f: LuaJsFunction): void;
    lua_pushstring(L: LuaState, s: LuaString): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushnil(L: LuaState): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_rawseti(L: LuaState, idx: number, n: number): void;
    lua_rawgeti(L: LuaState, idx: number, n: number): number;
    lua_rawget(L: LuaState, idx: number): number;
    lua_setfield(L: LuaState, idx: number, k: LuaString): void;
    lua_getfield(L: LuaState, idx: number, k: LuaString): number;
    lua_setglobal(L: LuaState, name: LuaString): void;
    lua_getglobal(L: LuaState, name: LuaString): number;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, n: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_type(L: LuaState, idx: number): number;
    lua_toboolean(L: LuaState, idx: number): boolean;
    lua_tonumber(L: LuaState, idx: number): number;
    lua_tolstring(L: LuaState, idx: number): LuaString | null;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_sethook(L: LuaState, f: ((L: LuaState) => void) | null, mask: number, count: number): void;
    lua_rawlen(L: LuaState, idx: number): number;
    lua_isinteger(L: LuaState, idx: number): boolean;
    lua_pushvalue(L: LuaState, idx: number): void;
    lua_pushlightuserdata(L: LuaState, p: unknown): void;
    lua_touserdata(L: LuaState, idx: number): unknown;
    lua_next(L: LuaState, idx: number): number;
    lua_rawset(L: LuaState, idx: number): void;
    lua_settable(L: LuaState, idx: number): void;
    lua_insert(L: LuaState, idx: number): void;
    lua_isnumber(L: LuaState, idx: number): boolean;
    lua_typename(L: LuaState, t: number): LuaString;
    lua_checkstack(L: LuaState, n: number): boolean;
    lua_Debug: new () => { source: LuaString | null; currentline: number };
    lua_getstack(L: LuaState, level: number, ar: object): boolean | number;
    lua_getinfo(L: LuaState, what: LuaString, ar: object): boolean | number;
  };
  lauxlib: {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: LuaString, f: LuaJsFunction, glb: number): void;
    luaL_loadbuffer(L: LuaState, s: LuaString, sz: number | null, name: LuaString): number;
    luaL_error(L: LuaState, fmt: LuaString, ...args: unknown[]): never;
    luaL_argerror(L: LuaState, arg: number, extramsg: LuaString): never;
    luaL_ref(L: LuaState, t: number): number;
    luaL_unref(L: LuaState, t: number, ref: number): void;
  };
  lualib: Record<'luaopen_base' | 'luaopen_table' | 'luaopen_string' | 'luaopen_math' | 'luaopen_debug' | 'luaopen_coroutine', LuaJsFunction>;
  to_luastring(s: string): LuaString;
  to_jsstring(s: LuaString): string;
}

interface NumberCell {
  ttisinteger(): boolean;
  setfltvalue(n: number): void;
  value: number;
}

let api: FengariApi | undefined;

/** fengari with the Lua 5.1 number patches (loaded on first use). */
export function fengari(): FengariApi {
  if (api !== undefined) return api;
  const req = createRequire(import.meta.url);
  req('fengari/src/defs.js'); // first: defs and luaconf require each other, defs must start
  const luaconf = req('fengari/src/luaconf.js') as Record<string, unknown>;
  luaconf.LUA_COMPAT_FLOATSTRING = true;
  luaconf.lua_number2str = (n: number): string => formatG(n, 14);
  // 5.1's float modulo is a - floor(a/b)*b (5.3 uses fmod: 10 % 0.1 is 0 in 5.1, 0.0999... in 5.3).
  const llimits = req('fengari/src/llimits.js') as Record<string, unknown>;
  llimits.luai_nummod = (_L: unknown, a: number, b: number): number => a - Math.floor(a / b) * b;
  const loaded = req('fengari') as FengariApi;
  // The lexer, the VM's string coercion and lua_stringtonumber call it through the module object.
  const lobject = req('fengari/src/lobject.js') as { luaO_str2num: (s: LuaString, o: NumberCell) => number };
  const str2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: LuaString, o: NumberCell): number => {
    const r = str2num(s, o);
    if (r !== 0 && o.ttisinteger()) o.setfltvalue(o.value);
    return r;
  };
  api = loaded;
  return api;
}
