// What a library of Redis's Lua written in JS (bit, cjson, cmsgpack, struct) needs from the VM:
// the lua_State, byte conversions, a way to raise errors as the C libraries do (luaL_error,
// luaL_argerror), and the never-silent flag for what aofsim cannot compute as Redis does.
// redis: deps/lua/src/lauxlib.c luaL_error / luaL_argerror / luaL_checknumber (Lua 5.1).
// Invariant: library functions push floats only (every Lua 5.1 number is a double).

import type { Bytes } from '../keyspace/types.ts';
import type { FengariApi, LuaJsFunction, LuaState, LuaString } from './fengari.ts';

export interface LuaLibContext {
  readonly api: FengariApi;
  readonly L: LuaState;
  lstr(s: Bytes): LuaString;
  bytes(s: LuaString): Bytes;
  /** Marks the running command unreproduced; the script goes on. */
  markUnreproduced(reason: string): void;
  /** Marks it unreproduced and raises the unsupported-by-aofsim error. */
  unsupported(what: string): never;
}

/** luaL_error(L, "%s", msg): the message gets no position (the raiser is a C function in Redis). */
export function luaError(ctx: LuaLibContext, msg: string): never {
  return ctx.api.lauxlib.luaL_error(ctx.L, ctx.lstr('%s'), ctx.lstr(msg));
}

/** luaL_argerror: "bad argument #<arg> to '<fn>' (<msg>)". */
export function argError(ctx: LuaLibContext, arg: number, msg: string): never {
  return ctx.api.lauxlib.luaL_argerror(ctx.L, arg, ctx.lstr(msg));
}

/** luaL_checkstack: room for n more values on the stack (JS functions start with 20). */
export function checkStack(ctx: LuaLibContext, n: number, msg: string): void {
  if (!ctx.api.lua.lua_checkstack(ctx.L, n)) luaError(ctx, `stack overflow (${msg})`);
}

/** luaL_checknumber of Lua 5.1 (strings that read as numbers are numbers). */
export function checkNumber(ctx: LuaLibContext, arg: number): number {
  const { lua } = ctx.api;
  if (!lua.lua_isnumber(ctx.L, arg)) typeError(ctx, arg, 'number');
  return lua.lua_tonumber(ctx.L, arg);
}

/** luaL_checkinteger of Lua 5.1: the number truncated toward zero (5.3 would reject 2.5). */
export function checkInteger(ctx: LuaLibContext, arg: number): number {
  return Math.trunc(checkNumber(ctx, arg));
}

/** luaL_optinteger of Lua 5.1. */
export function optInteger(ctx: LuaLibContext, arg: number, def: number): number {
  return ctx.api.lua.lua_type(ctx.L, arg) <= ctx.api.lua.LUA_TNIL ? def : checkInteger(ctx, arg);
}

/** luaL_checklstring: a string, or a number turned into one. */
export function checkString(ctx: LuaLibContext, arg: number): Bytes {
  const { lua } = ctx.api;
  const t = lua.lua_type(ctx.L, arg);
  if (t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) typeError(ctx, arg, 'string');
  return ctx.bytes(lua.lua_tolstring(ctx.L, arg) as LuaString);
}

/** luaL_typerror of Lua 5.1 ("number expected, got no value"). */
export function typeError(ctx: LuaLibContext, arg: number, expected: string): never {
  const { lua } = ctx.api;
  const t = lua.lua_type(ctx.L, arg);
  const got = t === -1 ? 'no value' : t === 2 ? 'userdata' : ctx.bytes(lua.lua_typename(ctx.L, t));
  return argError(ctx, arg, `${expected} expected, got ${got}`);
}

/** Pushes a table of JS functions plus constant string fields (a library's module table). */
export function pushLibTable(ctx: LuaLibContext, fns: Record<string, LuaJsFunction>, fields: Record<string, string> = {}): void {
  const { lua } = ctx.api;
  lua.lua_createtable(ctx.L, 0, Object.keys(fns).length + Object.keys(fields).length);
  for (const [k, f] of Object.entries(fns)) {
    lua.lua_pushjsfunction(ctx.L, f);
    lua.lua_setfield(ctx.L, -2, ctx.lstr(k));
  }
  for (const [k, v] of Object.entries(fields)) {
    lua.lua_pushstring(ctx.L, ctx.lstr(v));
    lua.lua_setfield(ctx.L, -2, ctx.lstr(k));
  }
}

/** The keys of the table at idx in lua_next order (count only: callers never rely on the order). */
export function countEntries(ctx: LuaLibContext, idx: number): number {
  const { lua } = ctx.api;
  let n = 0;
  lua.lua_pushnil(ctx.L);
  while (lua.lua_next(ctx.L, idx) !== 0) {
    lua.lua_pop(ctx.L, 1);
    n++;
  }
  return n;
}
