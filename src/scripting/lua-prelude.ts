// Lua code run once in every new VM, after the libraries are open: it shapes fengari's Lua 5.3
// globals into the Lua 5.1 environment Redis scripts see (redis: eval.c luaLoadLibraries,
// scriptingEnableGlobalsProtection, the error handler of luaCreateFunction) and wires the `redis`
// table to the binding's JS functions, passed in the hidden global __aofsim (removed here).
// Integer-valued results of library functions become floats, as every number is in 5.1.

export const LUA_PRELUDE = String.raw`
local js = __aofsim
__aofsim = nil
local mtype = math.type
local function f(x) if mtype(x) == 'integer' then return x + 0.0 end return x end
local function fs(...) local t = table.pack(...) for i = 1, t.n do t[i] = f(t[i]) end return table.unpack(t, 1, t.n) end
local strlen, strbyte, strfind, tonum, floor, ceil, fmod, sel = string.len, string.byte, string.find, tonumber, math.floor, math.ceil, math.fmod, select
string.len = function(s) return f(strlen(s)) end
string.byte = function(...) return fs(strbyte(...)) end
string.find = function(...) return fs(strfind(...)) end
tonumber = function(...) return f(tonum(...)) end
math.floor = function(x) return f(floor(x)) end
math.ceil = function(x) return f(ceil(x)) end
math.fmod = function(a, b) return f(fmod(a, b)) end
select = function(n, ...) if n == '#' then return f(sel('#', ...)) end return sel(n, ...) end
math.mod = math.fmod
math.pow = function(x, y) return x ^ y end
math.log10 = function(x) return math.log(x, 10) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.random = js.random
math.randomseed = js.randomseed
math.type, math.tointeger, math.ult, math.maxinteger, math.mininteger = nil, nil, nil, nil, nil
unpack = table.unpack
table.getn = function(t) return f(#t) end
table.maxn = function(t) local m = 0 for k in pairs(t) do if type(k) == 'number' and k > m then m = k end end return m end
string.gfind = string.gmatch
loadstring = function(s, name) return load(s, name, 't') end
gcinfo = function() return collectgarbage('count') end
load, dofile, loadfile, print, require, utf8, package = nil, nil, nil, nil, nil, nil, nil
bit = js.bit
local function unsupported(lib)
  return setmetatable({}, { __index = function(_, k) js.unsupported(lib .. '.' .. tostring(k)) end })
end
cjson = unsupported('cjson')
cmsgpack = unsupported('cmsgpack')
struct = unsupported('struct')
redis = {
  call = js.call, pcall = js.pcall, sha1hex = js.sha1hex, log = js.log, setresp = js.setresp,
  replicate_commands = js.replicate_commands, set_repl = js.set_repl, register_function = js.register_function, breakpoint = function() return false end,
  debug = function() end,
  error_reply = function(e) if type(e) ~= 'string' then error('wrong number or type of arguments') end return { err = e } end,
  status_reply = function(s) if type(s) ~= 'string' then error('wrong number or type of arguments') end return { ok = s } end,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_SLAVE = 1, REPL_REPLICA = 1, REPL_AOF = 2, REPL_ALL = 3,
}
local dbg = debug
debug = nil
__redis__err__handler = function(err)
  -- the first frame that is the script's (Redis's C frames are fengari's JS ones and this prelude)
  local level = 2
  local i = dbg.getinfo(level, 'nSl')
  while i and (i.what == 'C' or i.source == '=[JS]' or i.source == '=prelude') and level < 6 do
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  if i then err['source'] = i.source err['line'] = i.currentline end
  return err
end
`;

/** Globals protection, per generation (redis: scriptingEnableGlobalsProtection 4.0 / readonly _G 7.0). */
export function globalsProtection(profile: 'redis-4.0' | 'redis-7.0'): string {
  const write =
    profile === 'redis-7.0'
      ? `error('Attempt to modify a readonly table', 2)`
      : `error("Script attempted to create global variable '" .. tostring(n) .. "'", 2)`;
  const read =
    profile === 'redis-7.0'
      ? `error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)`
      : `error("Script attempted to access unexisting global variable '" .. tostring(n) .. "'", 2)`;
  return `setmetatable(_G, { __index = function(t, n) ${read} end, __newindex = function(t, n, v) ${write} end })`;
}
