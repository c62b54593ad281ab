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
-- table.sort is Lua 5.1's quicksort (redis: the Lua 5.1 ltablib.c auxsort, median of three, no
-- random pivot): fengari's 5.3 sort draws pivots from the ambient JS random on unbalanced partitions, which
-- would make the order of equal elements differ between runs and from Redis.
do
  local tsort, rawget, rawset, pcall, error, type = table.sort, rawget, rawset, pcall, error, type
  local function lt(a, b) return a < b end
  local bad = 'invalid order function for sorting'
  local function auxsort(t, l, u, comp)
    while l < u do
      local a, b = rawget(t, l), rawget(t, u)
      if comp(b, a) then rawset(t, l, b) rawset(t, u, a) end
      if u - l == 1 then break end
      local i = (l + u) // 2
      a, b = rawget(t, i), rawget(t, l)
      if comp(a, b) then rawset(t, i, b) rawset(t, l, a)
      else
        b = rawget(t, u)
        if comp(b, a) then rawset(t, i, b) rawset(t, u, a) end
      end
      if u - l == 2 then break end
      local p = rawget(t, i)
      rawset(t, i, rawget(t, u - 1)) rawset(t, u - 1, p)
      local j = u - 1
      i = l
      while true do
        i = i + 1
        while comp(rawget(t, i), p) do
          if i > u then error(bad, 0) end
          i = i + 1
        end
        j = j - 1
        while comp(p, rawget(t, j)) do
          if j < l then error(bad, 0) end
          j = j - 1
        end
        if j < i then break end
        a, b = rawget(t, i), rawget(t, j)
        rawset(t, i, b) rawset(t, j, a)
      end
      a, b = rawget(t, u - 1), rawget(t, i)
      rawset(t, u - 1, b) rawset(t, i, a)
      if i - l < u - i then
        j = l; i = i - 1; l = i + 2
      else
        j = i + 1; i = u; u = j - 2
      end
      auxsort(t, j, i, comp)
    end
  end
  table.sort = function(t, comp)
    -- argument errors are the library's own
    if type(t) ~= 'table' or (comp ~= nil and type(comp) ~= 'function') then return tsort(t, comp) end
    local ok, e = pcall(auxsort, t, 1, #t, comp or lt)
    if not ok then
      if type(e) == 'string' then e = e:gsub('^prelude:%d+: ', '') end
      error(e, 0)
    end
  end
end
table.getn = function(t) return f(#t) end
table.maxn = function(t) local m = 0 for k in pairs(t) do if type(k) == 'number' and k > m then m = k end end return m end
string.gfind = string.gmatch
local load_ = load
loadstring = function(s, name) return load_(s, name, 't') end
gcinfo = function() return collectgarbage('count') end
load, dofile, loadfile, print, require, utf8, package = nil, nil, nil, nil, nil, nil, nil
bit, cjson, cmsgpack, struct = js.bit, js.cjson, js.cmsgpack, js.struct
redis = {
  call = js.call, pcall = js.pcall, sha1hex = js.sha1hex, log = js.log, setresp = js.setresp,
  replicate_commands = js.replicate_commands, set_repl = js.set_repl, register_function = js.register_function, breakpoint = function() return false end,
  debug = function() end,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_SLAVE = 1, REPL_REPLICA = 1, REPL_AOF = 2, REPL_ALL = 3,
}
local dbg = debug
__aofsim_debug = debug
debug = nil
redis.error_reply, redis.status_reply = js.error_reply, js.status_reply
__redis__err__handler = function(err)
  -- the first frame that is the script's (Redis's C frames are fengari's JS ones and this prelude)
  local level = 2
  local i = dbg.getinfo(level, 'nSl')
  while i and (i.what == 'C' or i.source == '=[JS]' or i.source == '=prelude') and level < 6 do
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  local t = type(err)
  if t ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  err['type'] = t
  if i then err['source'] = i.source err['line'] = i.currentline end
  return err
end
`;

/**
 * Globals protection, per generation, as the chunk to run after the prelude and its chunk name.
 * 7.0: reading an unknown global and writing any are errors (readonly _G). 4.0 (scripting.c
 * scriptingEnableGlobalsProtection, 4.0.14): creating a global is an error unless done by a main
 * chunk or a C function, reading an unknown one unless from C; its errors come from the chunk
 * "@enable_strict_lua", whose lines 8 and 15 raise them: the chunk below keeps those two lines
 * where they are, so 4.0's error replies name the same position.
 */
export function globalsProtection(profile: 'redis-4.0' | 'redis-7.0'): { code: string; name: string } {
  if (profile === 'redis-7.0') {
    return {
      name: '=prelude',
      code: `__aofsim_debug = nil setmetatable(_G, { __index = function(t, n) error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2) end, __newindex = function(t, n, v) error('Attempt to modify a readonly table', 2) end })`,
    };
  }
  const lines = [
    'local info = __aofsim_debug.getinfo __aofsim_debug = nil',
    'local guard = {}',
    'setmetatable(_G, guard)',
    'guard.__newindex = function(t, name, v)',
    '  if info(2) then',
    "    local what = info(2, 'S').what",
    "    if what ~= 'main' and what ~= 'C' then",
    `      error("Script attempted to create global variable '" .. tostring(name) .. "'", 2)`,
    '    end',
    '  end',
    '  rawset(t, name, v)',
    'end',
    'guard.__index = function(t, name)',
    "  if info(2) and info(2, 'S').what ~= 'C' then",
    `      error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)`,
    '  end',
    '  return rawget(t, name)',
    'end',
  ];
  return { name: '@enable_strict_lua', code: lines.join('\n') };
}
