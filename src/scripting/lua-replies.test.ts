// Script results and the redis.* reply helpers as redis-server 7.0.15 and 4.0.14 answered them
// (luaReplyToRedisReply, luaRedisErrorReplyCommand / luaPushErrorBuff, redis_math_random over
// rand.c's process-wide state), each case observed on the real binaries.

import { describe, expect, it } from 'vitest';
import { Executor } from '../commands/executor.ts';
import { replyText } from '../commands/exec-all.ts';
import { newClient } from '../commands/types.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { SeededRandom } from '../ports/random.ts';

function server(profile: 'redis-7.0' | 'redis-4.0') {
  const ex = new Executor(new Keyspace(), { profile, clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  const c = newClient(1);
  return (script: string) => replyText(ex.call(c, ['EVAL', script, '0']).reply);
}

/** The integers of an array reply, exactly (replyText would round them to doubles). */
function integers(profile: 'redis-7.0' | 'redis-4.0', script: string): string[] {
  const ex = new Executor(new Keyspace(), { profile, clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  const r = ex.call(newClient(1), ['EVAL', script, '0']).reply;
  return r.kind === 'array' && r.value !== null ? r.value.map((x) => (x.kind === 'integer' ? String(x.value) : '?')) : ['not an array'];
}

const LLONG_MIN = '-9223372036854775808';

describe('script replies, redis 7.0.15', () => {
  it.each([
    ['return redis.error_reply(5)', '(error) ERR wrong number or type of arguments'],
    ['return redis.status_reply()', '(error) ERR wrong number or type of arguments'],
    ["return redis.error_reply('plain')", '(error) ERR plain'],
    ["return redis.error_reply('two words')", '(error) two words'],
    ["return redis.error_reply('x\\r\\n')", '(error) ERR x'],
    ["return redis.error_reply('-')", '(error) ERR '],
    ["return redis.error_reply('-ERR x')", '(error) ERR x'],
    ["return redis.status_reply('a\\r\\nb')", 'a  b'],
    ["return {err='-ERR x'}", '(error) -ERR x'],
    ["return {err={}, ok='fine'}", 'fine'],
    ['return {double=3.5}', '3.5'],
    ['return {double=1/3}', '0.33333333333333331'],
    ["return {big_number='123'}", '123'],
    ['return {ok={}}', []],
    ['return _G', []],
    ["local t = setmetatable({}, {__index=function() error('boom') end}) return t", []],
    ["return loadstring('return 1')()", 1],
    ["return loadstring('syntax error')", null],
  ])('%s', (script, want) => {
    expect(server('redis-7.0')(script)).toEqual(want);
  });

  it('a number outside [-2^63, 2^63), an infinity or NaN replies LLONG_MIN ((long long) on x86-64)', () => {
    expect(integers('redis-7.0', 'return {1e20, 2^63, -2^63, 1/0, -1/0, 0/0, 2^63-1024, -3.99}')).toEqual([LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN, '9223372036854774784', '-3']);
  });

  it('math.random runs on from rand.c initial state across scripts (no reseeding in 7.0)', () => {
    const run = server('redis-7.0');
    expect(run('return tostring(math.random())')).toBe('0.39646477363839');
    expect(run('return tostring(math.random())')).toBe('0.84048536971234');
    expect(run('return math.random(10)')).toBe(4);
    expect(run('return math.random(1000)')).toBe(447);
    expect(run('math.randomseed(7) return math.random(1000)')).toBe(267);
    expect(run('return math.random(1000)')).toBe(683);
  });
});

describe('script replies, redis 4.0.14', () => {
  it('bad helper arguments carry the caller position; CR/LF of a status or error become spaces', () => {
    const run = server('redis-4.0');
    expect(run('return redis.error_reply(5)')).toBe('(error) @user_script: 1: wrong number or type of arguments');
    expect(run('return redis.status_reply()')).toBe('(error) @user_script: 1: wrong number or type of arguments');
    expect(run("return redis.error_reply('x\\r\\n')")).toBe('(error) x  ');
    expect(run("return redis.status_reply('a\\r\\nb')")).toBe('a  b');
    expect(run("return loadstring('return 1')()")).toBe(1);
    expect(integers('redis-4.0', 'return {1e20, 1/0}')).toEqual([LLONG_MIN, LLONG_MIN]);
  });
});

describe('redis.* argument errors, redis 7.0.15 (luaPushError + luaError: no position in the message)', () => {
  it.each([
    ["return redis.call('blpop','l',0)", '(error) ERR This Redis command is not allowed from script script: 121bfe1768bf66b7a31f0b044f99b2ef97079112, on @user_script:1.'],
    ['return redis.setresp(4)', '(error) ERR RESP version must be 2 or 3. script: 921c0a48021d97dfd5884aeea41875972c7804d9, on @user_script:1.'],
    ['return redis.set_repl(99)', '(error) ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script: fae934173b6296d6836d5d5f52e192640f8897d9, on @user_script:1.'],
    ["return redis.log(99,'x')", '(error) ERR Invalid debug level. script: d3e310038e3f6f369aa185b963c2b8b0c440cb17, on @user_script:1.'],
    ["return redis.log(3.5,'x')", null],
  ])('%s', (script, want) => {
    expect(server('redis-7.0')(script)).toEqual(want);
  });
});
