// One Lua VM per server (redis: server.lua / the function engine's lua_State): Redis's Lua 5.1
// environment on fengari (see fengari.ts and lua-prelude.ts), the `redis` API, the conversions
// between Lua values and RESP2 replies, compiled EVAL scripts by SHA1 and FUNCTION libraries'
// registered functions.
// redis: eval.c luaCreateFunction / evalGenericCommand, script_lua.c luaRedisGenericCommand,
// luaReplyToRedisReply, redisProtocolToLuaType, luaCallFunction, function_lua.c
// luaRegisterFunction (7.0.15); scripting.c (4.0.14) for the 4.0 profile's messages.
//
// Invariants: deterministic (math.random is rand48; no clock; a step cap instead of a timeout);
// anything aofsim cannot run as Redis would (an absent library, RESP3, a step cap, an error of the
// 5.3 VM that 5.1 never raises) marks the outcome `unreproduced`, never a silent difference.

import { createHash } from 'node:crypto';
import type { Bytes } from '../keyspace/types.ts';
import { array, bulk, error, integer, NIL, status, type Reply } from '../commands/reply.ts';
import type { Profile } from '../base/profile.ts';
import { fengari, type FengariApi, type LuaState, type LuaString } from './fengari.ts';
import { pushBit } from './lua-bit.ts';
import { pushCjson } from './lua-cjson.ts';
import { pushCmsgpack } from './lua-cmsgpack.ts';
import type { LuaLibContext } from './lua-lib.ts';
import { pushStruct } from './lua-struct.ts';
import { globalsProtection, LUA_PRELUDE } from './lua-prelude.ts';
import { lua51Escapes } from './lua51-escapes.ts';
import { loadChunk } from './chunk-cache.ts';
import { formatG } from '../base/number-format.ts';
import { Rand48 } from './rand48.ts';
import type { ScriptHost, ScriptOutcome } from './script-host.ts';

/** VM instructions one script may run before aofsim gives up (Redis would be BUSY, then killable). */
export const SCRIPT_STEP_CAP = 50_000_000;
const HOOK_EVERY = 10_000;
/** Nesting of reply tables converted to Lua or back (redis: LUA_CMD_OBJCACHE / stack checks). */
const MAX_DEPTH = 256;

/** The checks redis.call makes before running a command, as 4.0 words them (redis: 4.0 luaRedisGenericCommand). */
const PRECHECK_40: Record<string, string> = {
  'ERR Unknown Redis command called from script': 'Unknown Redis command called from Lua script',
  'ERR Wrong number of args calling Redis command from script': 'Wrong number of args calling Redis command From Lua script',
  'ERR This Redis command is not allowed from script': 'This Redis command is not allowed from scripts',
};

/** The flags redis.register_function accepts (redis: function_lua.c luaRegisterFunctionReadFlags). */
const FUNCTION_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);

/** Error texts that only the 5.3 VM raises, where Lua 5.1 computes a value. */
const LUA53_ONLY = [/number has no integer representation/, /attempt to perform bitwise operation/];

export function sha1hex(s: Bytes): string {
  return createHash('sha1').update(Buffer.from(s, 'latin1')).digest('hex');
}

export interface RegisteredFunction {
  name: string;
  /** function flags (FUNCTION_FLAGS). */
  flags: string[];
  description: string | null;
  ref: number;
}

export class LuaVm {
  private readonly api: FengariApi;
  private readonly L: LuaState;
  private readonly scripts = new Map<string, number>();
  private host: ScriptHost | null = null;
  /** Functions registered by the FUNCTION LOAD in progress (null outside one). */
  private registering: Map<string, RegisteredFunction> | null = null;
  private unreproduced: string | undefined;
  private steps = 0;
  readonly rand = new Rand48();
  readonly bytes: (s: LuaString) => Bytes = (s) => Buffer.from(s).toString('latin1');
  readonly lstr: (s: Bytes) => LuaString = (s) => new Uint8Array(Buffer.from(s, 'latin1'));
  /** What the libraries written in JS (bit, cjson, cmsgpack, struct) see of this VM. */
  private readonly libContext: LuaLibContext;

  constructor(readonly profile: Profile) {
    this.api = fengari();
    const { lua, lauxlib, lualib } = this.api;
    const L = lauxlib.luaL_newstate();
    this.L = L;
    this.libContext = {
      api: this.api,
      L,
      lstr: this.lstr,
      bytes: this.bytes,
      markUnreproduced: (reason) => {
        this.unreproduced ??= reason;
      },
      unsupported: (what) => {
        this.unreproduced = `${what}: not modelled by aofsim (docs/scripting.md)`;
        return this.raise(`ERR ${what} is unsupported by aofsim`);
      },
    };
    const libs: [string, keyof FengariApi['lualib']][] = [
      ['_G', 'luaopen_base'],
      ['coroutine', 'luaopen_coroutine'],
      ['table', 'luaopen_table'],
      ['string', 'luaopen_string'],
      ['math', 'luaopen_math'],
      ['debug', 'luaopen_debug'],
    ];
    for (const [name, open] of libs) {
      lauxlib.luaL_requiref(L, this.lstr(name), lualib[open], 1);
      lua.lua_pop(L, 1);
    }
    this.pushJsTable();
    lua.lua_setglobal(L, this.lstr('__aofsim'));
    this.runChunk(LUA_PRELUDE + '\nKEYS = {}\nARGV = {}\n', '=prelude');
    const strict = globalsProtection(profile);
    this.runChunk(strict.code, strict.name);
    lua.lua_sethook(L, () => this.hook(), lua.LUA_MASKCOUNT, HOOK_EVERY);
  }

  // ---- EVAL scripts ----

  hasScript(sha: string): boolean {
    return this.scripts.has(sha);
  }

  /** Compiles a script body under its SHA1 (redis: luaCreateFunction). Returns an error text or null. */
  createScript(sha: string, body: Bytes): string | null {
    if (this.scripts.has(sha)) return null;
    const { lua, lauxlib } = this.api;
    let src = lua51Escapes(body.startsWith('#!') ? '--' + body.slice(2) : body);
    // 4.0 compiles "function f_<sha>() <body>\nend" (scripting.c luaCreateFunction): its syntax
    // errors point at that `end`, and `...` is not allowed in the body
    if (this.profile === 'redis-4.0') src = `return function() ${src}\nend`;
    if (loadChunk(this.L, src, '@user_script') !== lua.LUA_OK) {
      const msg = this.popString();
      return this.profile === 'redis-4.0' ? `ERR Error compiling script (new function): ${msg} `.replace(/[\r\n]/g, ' ') : `ERR Error compiling script (new function): ${msg}`;
    }
    if (this.profile === 'redis-4.0' && lua.lua_pcall(this.L, 0, 1, 0) !== lua.LUA_OK) return `ERR Error running script (new function): ${this.popString()} `;
    this.scripts.set(sha, lauxlib.luaL_ref(this.L, lua.LUA_REGISTRYINDEX));
    return null;
  }

  /** SCRIPT FLUSH. */
  flushScripts(): void {
    for (const ref of this.scripts.values()) this.api.lauxlib.luaL_unref(this.L, this.api.lua.LUA_REGISTRYINDEX, ref);
    this.scripts.clear();
  }

  /** Runs a compiled script with KEYS/ARGV (redis: evalGenericCommand -> luaCallFunction). */
  runScript(sha: string, keys: Bytes[], args: Bytes[], host: ScriptHost): ScriptOutcome {
    const ref = this.scripts.get(sha);
    if (ref === undefined) return { reply: error('NOSCRIPT No matching script. Please use EVAL.') };
    if (this.profile === 'redis-4.0') this.rand.seed(0); // redis 4.0: redisSrand48(0) before every script
    this.setGlobalArray('KEYS', keys);
    this.setGlobalArray('ARGV', args);
    return this.call(ref, null, host, sha, 'f_' + sha);
  }

  // ---- FUNCTION libraries ----

  /**
   * Runs a library's code so it registers its functions (redis: luaEngineCreate /
   * luaRegisterFunction). Returns the functions or an error text; nothing stays registered on error.
   */
  loadLibrary(body: Bytes): Map<string, RegisteredFunction> | string {
    const { lua } = this.api;
    if (loadChunk(this.L, lua51Escapes(body), '@user_function') !== lua.LUA_OK) {
      return `ERR Error compiling function: ${this.popString()}`;
    }
    this.registering = new Map();
    this.unreproduced = undefined;
    this.steps = 0;
    const st = lua.lua_pcall(this.L, 0, 0, 0);
    const registered = this.registering;
    this.registering = null;
    if (st !== lua.LUA_OK) {
      const msg = lua.lua_type(this.L, -1) === lua.LUA_TSTRING ? this.popString() : (lua.lua_pop(this.L, 1), 'error');
      this.dropFunctions(registered);
      return `ERR Error registering functions: ${msg}`;
    }
    if (registered.size === 0) return 'ERR No functions registered';
    return registered;
  }

  /** Releases a library's functions. */
  dropFunctions(fns: ReadonlyMap<string, RegisteredFunction>): void {
    for (const f of fns.values()) this.api.lauxlib.luaL_unref(this.L, this.api.lua.LUA_REGISTRYINDEX, f.ref);
  }

  /** Calls a registered function with (keys, args) (redis: fcallCommandGeneric -> luaCallFunction). */
  runFunction(f: RegisteredFunction, keys: Bytes[], args: Bytes[], host: ScriptHost): ScriptOutcome {
    return this.call(f.ref, [keys, args], host, f.name, f.name);
  }

  // ---- internals ----

  private call(ref: number, params: [Bytes[], Bytes[]] | null, host: ScriptHost, name: string, fname: string): ScriptOutcome {
    const { lua } = this.api;
    const L = this.L;
    const top = lua.lua_gettop(L);
    lua.lua_getglobal(L, this.lstr('__redis__err__handler'));
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    if (params) for (const p of params) this.pushArray(p);
    this.host = host;
    this.unreproduced = undefined;
    this.steps = 0;
    let reply: Reply;
    try {
      const st = lua.lua_pcall(L, params ? 2 : 0, 1, top + 1);
      reply = st === lua.LUA_OK ? this.toReply(-1, 0) : this.errorReply(name, fname);
    } finally {
      this.host = null;
      lua.lua_settop(L, top);
    }
    if (this.unreproduced === undefined && reply.kind === 'error' && LUA53_ONLY.some((re) => re.test(reply.value))) {
      this.unreproduced = `the Lua 5.3 VM raised an error Lua 5.1 does not: ${reply.value}`;
    }
    return this.unreproduced === undefined ? { reply } : { reply, unreproduced: this.unreproduced };
  }

  /** The error reply of a failed call (redis 7.0 luaCallFunction; 4.0 "Error running script"). */
  private errorReply(name: string, fname: string): Reply {
    const { lua } = this.api;
    const L = this.L;
    // 4.0 formats "...: %s\n" through addReplyErrorFormat, which turns line breaks into spaces
    const tail = this.profile === 'redis-4.0' ? ' ' : '';
    if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
      return error(`ERR Error running script (call to ${fname}): ${this.str(-1) ?? 'unknown error'}${tail}`.replace(/[\r\n]/g, ' '));
    }
    const field = (k: string): string | null => {
      lua.lua_getfield(L, -1, this.lstr(k));
      const v = this.str(-1);
      lua.lua_pop(L, 1);
      return v;
    };
    const msg = lua51Wording(field('err') ?? 'ERR unknown error');
    const source = field('source') ?? '?';
    const line = field('line') ?? '?';
    if (this.profile === 'redis-4.0') {
      // 4.0's handler concatenates source, line and the error: an error that is not a string or a
      // number makes the handler itself fail (redis: 4.0 __redis__err__handler in @err_handler_def)
      const type = field('type') ?? 'string';
      if (type !== 'string' && type !== 'number') {
        return error(`ERR Error running script (call to ${fname}): @err_handler_def:8: err_handler_def:8: attempt to concatenate local 'err' (a ${type} value) `);
      }
      const text = msg.startsWith('ERR ') ? msg.slice(4) : msg;
      return error(`ERR Error running script (call to ${fname}): ${source}:${line}: ${text}${tail}`.replace(/[\r\n]/g, ' '));
    }
    return error(`${msg} script: ${name}, on ${source}:${line}.`);
  }

  private hook(): void {
    this.steps += HOOK_EVERY;
    if (this.steps > SCRIPT_STEP_CAP) {
      this.unreproduced = `the script ran more than ${SCRIPT_STEP_CAP} Lua instructions (aofsim's step cap)`;
      this.raise('ERR script killed by aofsim\'s step cap');
    }
  }

  private runChunk(code: string, name: string): void {
    const { lua } = this.api;
    if (loadChunk(this.L, code, name) !== lua.LUA_OK || lua.lua_pcall(this.L, 0, 0, 0) !== lua.LUA_OK) {
      throw new Error(`Lua prelude failed: ${this.popString()}`);
    }
  }

  private str(idx: number): string | null {
    const s = this.api.lua.lua_tolstring(this.L, idx);
    return s === null ? null : this.bytes(s);
  }

  private popString(): string {
    const s = this.str(-1) ?? '';
    this.api.lua.lua_pop(this.L, 1);
    return s;
  }

  private setGlobalArray(name: string, items: Bytes[]): void {
    this.pushArray(items);
    this.api.lua.lua_setglobal(this.L, this.lstr(name));
  }

  private pushArray(items: Bytes[]): void {
    const { lua } = this.api;
    lua.lua_createtable(this.L, items.length, 0);
    items.forEach((it, i) => {
      lua.lua_pushstring(this.L, this.lstr(it));
      lua.lua_rawseti(this.L, -2, i + 1);
    });
  }

  /**
   * A failed redis.call: 7.0 raises the error table; 4.0 raises its err string (redis: 4.0
   * luaRaiseError), which its error handler then prefixes with the script's position.
   */
  private raiseCallError(msg: string): never {
    if (this.profile !== 'redis-4.0') return this.raise(msg);
    this.api.lua.lua_pushstring(this.L, this.lstr(msg));
    return this.api.lua.lua_error(this.L);
  }

  /** 4.0's luaPushError text: "<source>: <line>: <msg>" of the Lua function calling redis.call. */
  private pushError40(msg: string): string {
    const { lua } = this.api;
    const ar = new lua.lua_Debug();
    if (!lua.lua_getstack(this.L, 1, ar) || !lua.lua_getinfo(this.L, this.lstr('nSl'), ar)) return msg;
    return `${this.bytes(ar.source as LuaString)}: ${ar.currentline}: ${msg}`;
  }

  /** Raises a Lua error with an error table {err = msg} (redis: luaPushError + luaError). */
  private raise(msg: string): never {
    const { lua } = this.api;
    lua.lua_createtable(this.L, 0, 1);
    lua.lua_pushstring(this.L, this.lstr(msg));
    lua.lua_setfield(this.L, -2, this.lstr('err'));
    return lua.lua_error(this.L);
  }

  /**
   * Converts the Lua value at idx to a RESP2 reply (redis: luaReplyToRedisReply). The fields of a
   * table are read raw (lua_rawget), so a table whose metatable raises (the protected _G) converts
   * like any other. 7.0 also knows the RESP3 shapes, which RESP2 sends as a bulk (double,
   * big_number, verbatim_string) or a flat array (map, set); CR and LF of a status or an error
   * become spaces, as they cannot travel in a RESP line.
   */
  private toReply(idx: number, depth: number): Reply {
    const { lua } = this.api;
    const L = this.L;
    const t = lua.lua_type(L, idx);
    if (t === lua.LUA_TSTRING) return bulk(this.str(idx));
    if (t === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, idx) ? integer(1) : NIL;
    if (t === lua.LUA_TNUMBER) return integer(truncToLongLong(lua.lua_tonumber(L, idx)));
    if (t !== lua.LUA_TTABLE || depth > MAX_DEPTH) return NIL;
    const abs = idx < 0 ? lua.lua_gettop(L) + idx + 1 : idx;
    const v70 = this.profile === 'redis-7.0';
    /** Pushes t[name] (raw) and returns its type; the caller pops it. */
    const field = (name: string): number => {
      lua.lua_pushstring(L, this.lstr(name));
      lua.lua_rawget(L, abs);
      return lua.lua_type(L, -1);
    };
    const line = (s: string): string => s.replace(/[\r\n]/g, ' ');
    if (field('err') === lua.LUA_TSTRING) return error(line(this.popString()));
    lua.lua_pop(L, 1);
    if (field('ok') === lua.LUA_TSTRING) return status(line(this.popString()));
    lua.lua_pop(L, 1);
    if (v70) {
      const special = this.resp3Shape(abs, depth, field);
      if (special !== null) return special;
    }
    const out: Reply[] = [];
    for (let i = 1; ; i++) {
      lua.lua_rawgeti(L, abs, i);
      if (lua.lua_type(L, -1) === lua.LUA_TNIL) {
        lua.lua_pop(L, 1);
        break;
      }
      out.push(this.toReply(-1, depth + 1));
      lua.lua_pop(L, 1);
    }
    return array(out);
  }

  /**
   * The RESP3 reply tables of redis 7.0 as a RESP2 client receives them, or null for a plain table.
   * DIVERGENCE(redis): map and set follow fengari's table traversal order, which need not be Lua
   * 5.1's hash order when they hold more than one entry.
   */
  private resp3Shape(abs: number, depth: number, field: (name: string) => number): Reply | null {
    const { lua } = this.api;
    const L = this.L;
    if (field('double') === lua.LUA_TNUMBER) {
      const d = lua.lua_tonumber(L, -1);
      lua.lua_pop(L, 1);
      return bulk(formatG(d, 17));
    }
    lua.lua_pop(L, 1);
    if (field('big_number') === lua.LUA_TSTRING) return bulk(this.popString().replace(/[\r\n]/g, ' '));
    lua.lua_pop(L, 1);
    if (field('verbatim_string') === lua.LUA_TTABLE) {
      lua.lua_getfield(L, -1, this.lstr('format'));
      lua.lua_getfield(L, -2, this.lstr('string'));
      const ok = lua.lua_type(L, -2) === lua.LUA_TSTRING && lua.lua_type(L, -1) === lua.LUA_TSTRING;
      const text = ok ? this.str(-1) : null;
      lua.lua_pop(L, 3);
      if (text !== null) return bulk(text);
    } else lua.lua_pop(L, 1);
    for (const shape of ['map', 'set'] as const) {
      if (field(shape) === lua.LUA_TTABLE) {
        const out: Reply[] = [];
        const tbl = lua.lua_gettop(L);
        lua.lua_pushnil(L);
        while (lua.lua_next(L, tbl) !== 0) {
          out.push(this.toReply(-2, depth + 1));
          if (shape === 'map') out.push(this.toReply(-1, depth + 1));
          lua.lua_pop(L, 1);
        }
        lua.lua_pop(L, 1);
        return array(out);
      }
      lua.lua_pop(L, 1);
    }
    return null;
  }

  /** Pushes a RESP2 reply as a Lua value (redis: redisProtocolToLuaType, RESP2). */
  private pushReply(r: Reply, depth = 0): void {
    const { lua } = this.api;
    const L = this.L;
    switch (r.kind) {
      case 'integer':
        lua.lua_pushnumber(L, Number(r.value));
        return;
      case 'bulk':
        if (r.value === null) lua.lua_pushboolean(L, false);
        else lua.lua_pushstring(L, this.lstr(r.value));
        return;
      case 'status':
      case 'error':
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushstring(L, this.lstr(r.value));
        lua.lua_setfield(L, -2, this.lstr(r.kind === 'status' ? 'ok' : 'err'));
        return;
      case 'array':
        if (r.value === null || depth > MAX_DEPTH) {
          lua.lua_pushboolean(L, false);
          return;
        }
        lua.lua_createtable(L, r.value.length, 0);
        r.value.forEach((e, i) => {
          this.pushReply(e, depth + 1);
          lua.lua_rawseti(L, -2, i + 1);
        });
        return;
    }
  }

  /** The hidden table of JS functions the prelude wires into `redis`, `math` and `bit`. */
  private pushJsTable(): void {
    const { lua, lauxlib } = this.api;
    const L = this.L;
    const fns: Record<string, (L: LuaState) => number> = {
      call: () => this.redisCall(true),
      pcall: () => this.redisCall(false),
      sha1hex: () => {
        if (lua.lua_gettop(L) !== 1) lauxlib.luaL_error(L, this.lstr('wrong number of arguments'));
        const s = this.str(1);
        lua.lua_pushstring(L, this.lstr(sha1hex(s ?? '')));
        return 1;
      },
      log: () => {
        const n = lua.lua_gettop(L);
        if (n < 2) lauxlib.luaL_error(L, this.lstr('redis.log() requires two arguments or more.'));
        if (lua.lua_type(L, 1) !== lua.LUA_TNUMBER) lauxlib.luaL_error(L, this.lstr('First argument must be a number (log level).'));
        // redis 7.0.15 luaLogCommand: (int) level outside LL_DEBUG..LL_WARNING is an error
        const level = Math.trunc(lua.lua_tonumber(L, 1));
        if (this.profile === 'redis-7.0' && (level < 0 || level > 3)) this.raise('ERR Invalid debug level.');
        const parts: string[] = [];
        for (let i = 2; i <= n; i++) parts.push(this.str(i) ?? '');
        this.host?.log(lua.lua_tonumber(L, 1), parts.join(' '));
        return 0;
      },
      setresp: () => {
        const v = Math.trunc(lua.lua_tonumber(L, 1));
        if (v !== 2 && v !== 3) {
          // 7.0.15 luaSetResp: luaPushError + luaError, so the message carries no position
          if (this.profile === 'redis-7.0') this.raise('ERR RESP version must be 2 or 3.');
          lauxlib.luaL_error(L, this.lstr('RESP version must be 2 or 3.'));
        }
        if (v === 3) {
          this.unreproduced = 'redis.setresp(3): RESP3 replies inside scripts are not modelled';
          this.raise('ERR redis.setresp(3) is unsupported by aofsim');
        }
        return 0;
      },
      replicate_commands: () => {
        lua.lua_pushboolean(L, this.host ? this.host.replicateCommands() : true);
        return 1;
      },
      set_repl: () => {
        const v = Math.trunc(lua.lua_tonumber(L, 1));
        // 7.0.15 luaRedisSetReplCommand: flags beyond PROPAGATE_AOF|PROPAGATE_REPL are refused
        if (this.profile === 'redis-7.0' && (v & ~3) !== 0) this.raise('ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
        if (v !== 3) {
          this.unreproduced = 'redis.set_repl with anything but REPL_ALL is not modelled';
          this.raise('ERR redis.set_repl is unsupported by aofsim');
        }
        return 0;
      },
      random: () => {
        const args: number[] = [];
        for (let i = 1; i <= lua.lua_gettop(L); i++) args.push(Math.trunc(lua.lua_tonumber(L, i)));
        const r = this.rand.random(args);
        if (typeof r === 'string') lauxlib.luaL_error(L, this.lstr(r));
        lua.lua_pushnumber(L, r as number);
        return 1;
      },
      randomseed: () => {
        this.rand.seed(Math.trunc(lua.lua_tonumber(L, 1)));
        return 0;
      },
      register_function: () => this.registerFunction(),
      error_reply: () => this.singleFieldTable('err'),
      status_reply: () => this.singleFieldTable('ok'),
    };
    lua.lua_createtable(L, 0, Object.keys(fns).length + 1);
    for (const [k, f] of Object.entries(fns)) {
      lua.lua_pushjsfunction(L, f);
      lua.lua_setfield(L, -2, this.lstr(k));
    }
    const libs: Record<string, (ctx: LuaLibContext) => void> = { bit: pushBit, cjson: pushCjson, cmsgpack: pushCmsgpack, struct: pushStruct };
    for (const [name, push] of Object.entries(libs)) {
      push(this.libContext);
      lua.lua_setfield(L, -2, this.lstr(name));
    }
    // the prelude words some replies per generation
    lua.lua_pushboolean(L, this.profile === 'redis-4.0');
    lua.lua_setfield(L, -2, this.lstr('v40'));
  }

  /**
   * redis.error_reply / redis.status_reply (redis: luaRedisErrorReplyCommand,
   * luaRedisStatusReplyCommand, luaRedisReturnSingleFieldTable). A bad argument is returned, not
   * raised, as an error table worded by luaPushError (4.0 prefixes the caller's position). 7.0 puts
   * an error text through luaPushErrorBuff: '-' prepended unless present, the word after it is the
   * code (ERR when the text has no space), CR/LF trimmed from the message.
   */
  private singleFieldTable(name: 'err' | 'ok'): number {
    const { lua } = this.api;
    const L = this.L;
    let text: string;
    if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, 1) !== lua.LUA_TSTRING) {
      name = 'err';
      text = this.profile === 'redis-4.0' ? this.pushError40('wrong number or type of arguments') : 'ERR wrong number or type of arguments';
    } else {
      text = this.str(1) ?? '';
      if (name === 'err' && this.profile === 'redis-7.0') text = pushErrorBuff(text.startsWith('-') ? text : '-' + text);
    }
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushstring(L, this.lstr(text));
    lua.lua_setfield(L, -2, this.lstr(name));
    return 1;
  }

  /** redis.call / redis.pcall (redis: luaRedisGenericCommand). */
  private redisCall(raise: boolean): number {
    const { lua } = this.api;
    const L = this.L;
    const n = lua.lua_gettop(L);
    const v40 = this.profile === 'redis-4.0';
    const fail = (msg: string): number => {
      if (raise) this.raiseCallError(msg);
      this.pushReply(error(msg));
      return 1;
    };
    if (this.host === null) return fail('ERR redis.call is not allowed here (function registration)');
    if (n === 0) return fail(v40 ? this.pushError40('Please specify at least one argument for redis.call()') : 'ERR Please specify at least one argument for this redis lib call');
    const argv: Bytes[] = [];
    for (let i = 1; i <= n; i++) {
      const t = lua.lua_type(L, i);
      if (t === lua.LUA_TSTRING) argv.push(this.str(i) ?? '');
      else if (t === lua.LUA_TNUMBER) argv.push(formatG(lua.lua_tonumber(L, i), 17));
      else return fail(v40 ? this.pushError40('Lua redis() command arguments must be strings or integers') : 'ERR Lua redis lib command arguments must be strings or integers');
    }
    let reply = this.host.call(argv);
    if (reply.kind === 'error' && reply.unreproduced === true) this.unreproduced = `redis.call('${argv[0]}'): ${reply.value}`;
    const precheck40 = v40 && reply.kind === 'error' ? PRECHECK_40[reply.value] : undefined;
    if (precheck40 !== undefined) reply = error(this.pushError40(precheck40));
    if (reply.kind === 'error' && raise) this.raiseCallError(reply.value);
    this.pushReply(reply);
    return 1;
  }

  /** redis.register_function(name, fn) or ({function_name, callback, flags, description}). */
  private registerFunction(): number {
    const { lua, lauxlib } = this.api;
    const L = this.L;
    if (this.registering === null) lauxlib.luaL_error(L, this.lstr('redis.register_function can only be called on FUNCTION LOAD command'));
    const reg = this.registering as Map<string, RegisteredFunction>;
    let name: string | null;
    const flags: string[] = [];
    let description: string | null = null;
    if (lua.lua_type(L, 1) === lua.LUA_TTABLE) {
      lua.lua_getfield(L, 1, this.lstr('function_name'));
      name = this.str(-1);
      lua.lua_getfield(L, 1, this.lstr('description'));
      description = this.str(-1);
      lua.lua_getfield(L, 1, this.lstr('flags'));
      if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
        for (let i = 1; ; i++) {
          lua.lua_rawgeti(L, -1, i);
          const f = this.str(-1);
          lua.lua_pop(L, 1);
          if (f === null) break;
          flags.push(f);
        }
      }
      lua.lua_getfield(L, 1, this.lstr('callback'));
    } else {
      name = this.str(1);
      lua.lua_pushvalue(L, 2);
    }
    if (lua.lua_type(L, -1) !== 6 /* LUA_TFUNCTION */) lauxlib.luaL_error(L, this.lstr('callback is missing or is not a function'));
    if (name === null || !/^[A-Za-z0-9_]+$/.test(name)) {
      lauxlib.luaL_error(L, this.lstr('Function names can only contain letters, numbers, or underscores(_) and must be at least one character long'));
    }
    const fname = name as string;
    if (reg.has(fname)) lauxlib.luaL_error(L, this.lstr(`Function already exists in the library`));
    if (flags.some((f) => !FUNCTION_FLAGS.has(f))) lauxlib.luaL_error(L, this.lstr('unknown flag given'));
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    reg.set(fname, { name: fname, flags, description, ref });
    return 0;
  }
}

/**
 * Lua 5.3 names the variable after the type ("attempt to index a nil value (local 'x')"), 5.1
 * before it ("attempt to index local 'x' (a nil value)"): Redis's replies carry 5.1's wording.
 */
export function lua51Wording(msg: string): string {
  return msg.replace(/attempt to ([a-z ]+?) an? (\w+) value \((\w+) '([^']*)'\)/g, "attempt to $1 $3 '$4' (a $2 value)");
}

/**
 * (long long) of a double, as Redis converts a Lua number reply: on x86-64 (cvttsd2si) NaN, the
 * infinities and anything outside [-2^63, 2^63) become LLONG_MIN (checked on redis-server 7.0.15
 * and 4.0.14: 1e20, 2^63 and 1/0 all reply -9223372036854775808).
 */
function truncToLongLong(n: number): number | bigint {
  if (Number.isNaN(n) || n >= 2 ** 63 || n < -(2 ** 63)) return -(2n ** 63n);
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** redis 7.0: script_lua.c luaPushErrorBuff's wording of "-CODE message" (or "message"). */
function pushErrorBuff(e: string): string {
  let code = 'ERR';
  let msg = e;
  if (e.startsWith('-')) {
    const sp = e.indexOf(' ');
    if (sp < 0) msg = e.slice(1);
    else {
      code = e.slice(1, sp);
      msg = e.slice(sp + 1);
    }
  }
  return `${code} ${msg.replace(/^[\r\n]+|[\r\n]+$/g, '')}`;
}
