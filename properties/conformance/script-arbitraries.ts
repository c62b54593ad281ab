// Generated Lua scripts for the scripting differential suite (scripting-vs-redis.test.ts): a few
// statements from fragments (arithmetic whose results redis.call turns into strings, strings,
// tables, pcall, errors, nested redis.call, writes after reads, a key that has just expired, the
// cjson/cmsgpack/struct/bit libraries writing into keys) and a last statement that returns a value
// or fails. KEYS are the keys the suite compares afterwards.

import fc from 'fast-check';

export const KEYS = ['k1', 'k2', 'l1', 'h1', 'e1'];
const num = fc.constantFrom('10', '3', '0.5', '-7', '1e3', '2^31', '65536', '1/3', '10/2', '0.1');
const op = fc.constantFrom('+', '-', '*', '/', '%');
const arith = fc.tuple(num, op, num).map(([a, o, b]) => `(${a} ${o} ${b})`);
const key = fc.constantFrom("KEYS[1]", "KEYS[2]", "'l1'", "'h1'", "'e1'");

/** One statement of a script (no return). */
const statement: fc.Arbitrary<string> = fc.oneof(
  arith.map((e) => `redis.call('set', KEYS[1], ${e})`),
  arith.map((e) => `redis.call('incrbyfloat', KEYS[2], ${e})`),
  fc.tuple(key, fc.stringMatching(/^[a-z0-9 ]{0,6}$/)).map(([k, s]) => `redis.call('append', ${k}, '${s}')`),
  // the libraries Redis loads into its Lua: their results go into keys, so the AOF carries them
  fc.tuple(arith, arith).map(([a, b]) => `redis.call('set', KEYS[2], cjson.encode({${a}, 'a/b"c', {x = ${b}}, {}, true}))`),
  fc.tuple(arith, arith).map(([a, b]) => `redis.call('set', KEYS[2], cmsgpack.pack(${a}, 'x', {${b}, {}}, -40000))`),
  fc.tuple(arith, arith).map(([a, b]) => `redis.call('set', KEYS[2], struct.pack('>i4<hBdc3s', ${a}, -2, 200, ${b}, 'abc', 'z'))`),
  fc.tuple(arith, arith).map(([a, b]) => `redis.call('rpush', 'l1', bit.tohex(${a}), bit.bxor(${a}, ${b}), bit.tobit(${b}))`),
  key.map((k) => `redis.call('rpush', 'l1', redis.call('type', ${k})['ok'])`),
  fc.constantFrom(
    `local v = redis.call('get', KEYS[1]) redis.call('set', KEYS[2], (v or 'nil') .. '!')`,
    `redis.call('hset', 'h1', 'f', string.rep('ab', 3), 'n', tostring(10/4))`,
    `local ok = redis.pcall('incr', 'h1') if ok['err'] then redis.call('rpush', 'l1', 'caught') end`,
    `pcall(function() redis.call('lpush', 'h1', 'x') end)`,
    `redis.call('rpush', 'l1', unpack({'a', 'b'}))`,
    `redis.call('del', 'e1')`,
    `redis.call('get', 'e1')`,
    `redis.call('incr', redis.call('exists', 'k1') == 1 and 'k3' or 'k4')`,
    `redis.call('rpush', 'l1', math.floor(7 / 2), #'abc', bit.band(12, 10))`,
    `redis.call('setex', KEYS[2], 100, 'ttl')`,
  ),
);
/** The script's last statement: what it returns (or how it fails). */
const ending: fc.Arbitrary<string> = fc.oneof(
  arith.map((e) => `return ${e}`),
  fc.constantFrom(
    `return redis.call('get', KEYS[1])`,
    `return {1, 2.9, 'x', {true, false}, nil, 'hidden'}`,
    `return redis.call('lrange', 'l1', 0, -1)`,
    `return redis.status_reply('FINE')`,
    `return redis.error_reply('MYERR custom')`,
    `return {err = 'plain error'}`,
    `error('boom')`,
    `return redis.call('incr', 'h1')`,
    `return redis.pcall('incr', 'h1')`,
    `return tostring(0.1 + 0.2) .. ' ' .. tostring(1e15) .. ' ' .. (2^53)`,
    `return redis.sha1hex('abc')`,
    `return redis.call('hgetall', 'h1')`,
    `return nosuchglobal`,
    `return`,
    `return cjson.decode(redis.call('get', KEYS[2]) or '[1, "x\\u00e9", {"k": [null, false]}]')`,
    `return {cmsgpack.unpack(redis.call('get', KEYS[2]) or cmsgpack.pack(1, 'a', {2.5}))}`,
    `return {pcall(struct.unpack, '>i4<hBdc3s', redis.call('get', KEYS[2]) or '')}`,
  ),
  arith.map((e) => `return {cjson.encode(${e}), cmsgpack.pack(${e}), struct.pack('<dl', ${e}, ${e}), bit.tobit(${e})}`),
);
export const script = fc.tuple(fc.array(statement, { minLength: 0, maxLength: 5 }), ending).map(([s, e]) => [...s, e].join('\n'));


/** The write commands (as COMMAND LIST names them) the scripting suite runs on both sides. */
export const SCRIPTING_SUITE_WRITE_COMMANDS: readonly string[] = ['function|load', 'function|delete', 'function|flush', 'function|restore'];
