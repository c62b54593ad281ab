// The libraries Redis loads into Lua (cjson, cmsgpack, struct, bit) and the Lua 5.1 escapes, on
// aofsim's VM alone: results observed on redis-server 7.0.15 (the differential suite
// properties/conformance/scripting-vs-redis.test.ts compares them live), and the cases aofsim
// cannot compute as Redis does, which must come back unreproduced instead of silently different.

import { describe, expect, it } from 'vitest';
import { Executor } from '../commands/executor.ts';
import { newClient } from '../commands/types.ts';
import type { Reply } from '../commands/reply.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { SeededRandom } from '../ports/random.ts';
import { lua51Escapes } from './lua51-escapes.ts';

function evalOn(profile: 'redis-7.0' | 'redis-4.0', script: string): Reply {
  const ex = new Executor(new Keyspace(), { profile, clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  return ex.call(newClient(1), ['EVAL', script, '0']).reply;
}
const value = (r: Reply): unknown => (r.kind === 'array' ? (r.value ?? []).map(value) : r.value);

describe('Lua libraries as Redis 7.0.15 returns them', () => {
  it.each([
    [`return cjson.encode({1, 2.5, 'a/b', {}, {x=1}, 123456789012345, 1/3})`, '[1,2.5,"a\\/b",{},{"x":1},1.2345678901234e+14,0.33333333333333]'],
    [`return cjson.encode({[1]=1, [3]=3})`, '[1,null,3]'],
    [`return cjson.decode('[1,2,"x",null,true]')[5]`, 1n],
    [`return cjson.decode('"\\\\u00e9"')`, '\xc3\xa9'],
    // strtod reads a number of any length (observed on 4.0.14, whose cjson is 7.0.15's)
    [`return tostring(cjson.decode('[1' .. string.rep('0', 450) .. ', 2]')[2]) .. tostring(cjson.decode('[1' .. string.rep('0', 450) .. ', 2]')[1])`, '2inf'],
    [`return cmsgpack.pack(1, -33, 65536, 0.5, 0.1, 'abc', {}, {1,2}, {a=1})`, '\x01\xd0\xdf\xce\x00\x01\x00\x00\xca\x3f\x00\x00\x00\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a\xa3abc\x90\x92\x01\x02\x81\xa1a\x01'],
    [`return struct.pack('>i2<I4', 1, 2)`, '\x00\x01\x02\x00\x00\x00'],
    [`return struct.pack('i12', -1)`, '\xff'.repeat(8) + '\x00'.repeat(4)],
    [`return bit.tohex(bit.tobit(2^32 + 1.5))`, '00000002'],
    [`return "x\\u00e9\\q"`, 'xu00e9q'],
  ])('%s', (script, want) => {
    const r = evalOn('redis-7.0', script);
    const got = r.kind === 'integer' ? BigInt(r.value) : value(r);
    expect(got).toEqual(want);
  });

  it.each([
    [`return {struct.unpack('>i2<I4bBhHlLd', struct.pack('>i2<I4bBhHlLd', 1, 2, -3, 250, -4, 65000, -5, 6, 1.5))}`, [1, 2, -3, 250, -4, 65000, -5, 6, 1, 37]],
    [`return {cmsgpack.unpack(cmsgpack.pack(-1, 300, 2^40, {1, {2}}))}`, [-1, 300, 2 ** 40, [1, [2]]]],
  ])('%s', (script, want) => {
    const ints = (r: Reply): unknown => (r.kind === 'array' ? (r.value ?? []).map(ints) : Number(r.value));
    expect(ints(evalOn('redis-7.0', script))).toEqual(want);
  });

  it.each([
    ['return cjson.decode(\'[1,2\')', 'Expected comma or array end but found T_END at character 5'],
    ["return struct.pack('c5', 'ab')", "bad argument #3 to 'pack' (string too short)"],
    ["return cmsgpack.unpack('\\193')", 'Bad data format in input.'],
    ['return bit.band()', "bad argument #1 to 'band' (number expected, got no value)"],
  ])('%s fails as Redis does', (script, msg) => {
    const r = evalOn('redis-7.0', script);
    expect(r.kind).toBe('error');
    expect(String(r.value)).toContain(msg);
  });

  it.each([
    `return cjson.encode({a = 1, b = 2})`,
    `return cmsgpack.pack({a = 1, b = 2})`,
    `return cjson.encode_max_depth(5)`,
    `return struct.pack('i', 0/0)`,
  ])('%s is reported unreproduced (Lua 5.1 hash order, configuration, undefined C)', (script) => {
    const r = evalOn('redis-7.0', script);
    expect(r.kind).toBe('error');
    expect((r as { unreproduced?: boolean }).unreproduced).toBe(true);
  });

  it('4.0 compiles the body inside a function, as scripting.c does', () => {
    const r = evalOn('redis-4.0', 'return (');
    expect(r).toMatchObject({ kind: 'error', value: "ERR Error compiling script (new function): user_script:2: unexpected symbol near 'end' " });
  });
});

describe('lua51Escapes', () => {
  it('drops the backslash of escapes 5.1 does not know, in quoted strings only', () => {
    expect(lua51Escapes(`a = "\\x41\\u{1}\\z \\n\\65\\\\" -- "\\x"\nb = [[\\x]] c = '\\''`)).toBe(`a = "x41u{1}z \\n\\65\\\\" -- "\\x"\nb = [[\\x]] c = '\\''`);
  });
});
