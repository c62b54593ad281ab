// Scripting differential (issue 12.4): generated Lua scripts run by EVAL (and a library by FCALL)
// on a real redis-server 7.0 with `appendonly yes` and on aofsim's Executor (redis-7.0 profile):
// the replies, the records appended to the AOF (a script's effects, MULTI/EXEC-wrapped when more
// than one) and the final values of the keys the scripts touch must be equal. Scripts are built
// from fragments covering arithmetic (number -> string for redis.call: "%.17g" in 7.0), strings,
// tables, errors (error(), error_reply, failing redis.call), pcall, nested redis.call, writes after
// reads, and a key with a 1 ms TTL that expires before the script touches it (lazy-expiry DEL
// inside the script's MULTI/EXEC).
//
// Budget: AOFSIM_RUNS (default 40) / AOFSIM_SEED. Skips LOUDLY without redis-server 7.0; fails
// instead with AOFSIM_REQUIRE_REDIS=1.

import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/commands/reply.ts';
import { restoreFunctionsPayload } from '../../src/rdb/function-payload.ts';
import { startLazyExpiryRedis, type RealRedis, SimSide, cliLine, requireRedis70, skipWithoutRedis70, replyString } from './harness.ts';
import { KEYS, script } from './script-arbitraries.ts';
import { AofTail, simLines } from './aof-records.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '40');
const SEED = testSeed(process.env);
const skip = skipWithoutRedis70('the scripting differential suite');

/** Edge cases of the libraries Redis loads into Lua (each line one script; see src/scripting/lua-*.ts). */
const LIBRARY_CASES = [
  `return cjson.encode({1, 2.5, 'a/b', true, false, {}, {x=1}, 1e300, 0.1, -0, 1/3, 123456789012345, 2^53})`,
  `return cjson.encode({[1]=1, [3]=3})`,
  `return cjson.encode({[1]=1, [30]=3})`,
  `return cjson.encode('\\0\\1\\31\\127\\128"\\\\/')`,
  `return cjson.encode(0/0)`,
  `return cjson.encode(function() end)`,
  `return cjson.encode({[true]=1})`,
  `return cjson.encode()`,
  `return cjson.encode(cjson.null)`,
  `local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return cjson.encode(t)`,
  `return cjson.decode('[1,2,"x",null,true,{"a":[]}]')[5]`,
  `local t = cjson.decode('{"a":{"b":[1,2,3]}}') return t.a.b[3]`,
  `return {pcall(cjson.decode, '{')}`,
  `return cjson.decode('[1,2')`,
  `return cjson.decode('[1 2]')`,
  `return cjson.decode('"\\\\u00e9\\\\ud83d\\\\ude00"')`,
  `return cjson.decode('"\\\\x"')`,
  `return cjson.decode('0x10') + cjson.decode(' -inf') + 1`,
  `return cjson.decode('1.5e')`,
  `return cjson.decode('tru')`,
  `return cjson.decode('[1,2]x')`,
  `return type(cjson.decode('null'))`,
  `return cjson.decode(string.rep('[', 1001))`,
  `return #cjson.encode(cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000)))`,
  `return cjson.encode(cjson.decode('[1e2, 1.25, -0.0, 12345678901234567890, +5, 0012]'))`,
  `return cjson.decode(123)`,
  `return {pcall(cjson.decode, '{"a" 1}')}`,
  `return cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, -32, -33, -128, -129, -32768, -32769, 2^32, -2^31, -2^31-1, 2^53, 0.5, 0.1, 1/0, 'abc', string.rep('x', 40), string.rep('y', 300), true, false, nil, {}, {1,2,3}, {a=1}, 2^63, -2^63, 2^64)`,
  `return {cmsgpack.unpack(cmsgpack.pack(1, -1, 300, 70000, 2^40, -2^40, 0.5, 0.1, 'abc', {1,{2,{3}}}, true))}`,
  `return {cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255\\211\\128\\0\\0\\0\\0\\0\\0\\0\\202\\64\\32\\0\\0')}`,
  `return cmsgpack.pack()`,
  `return cmsgpack.unpack('\\205\\1')`,
  `return cmsgpack.unpack('\\193')`,
  `return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 1)}`,
  `return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2)}`,
  `return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 10)}`,
  `return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), -1)}`,
  `local t = {} t[1] = t return cmsgpack.pack(t)`,
  `return struct.pack('>i2<I4bBhHlLd f', 1, 2, -3, 250, -4, 65000, -5, 6, 1.5, 0.25)`,
  `return {struct.unpack('>i2<I4bBhHlLdf', struct.pack('>i2<I4bBhHlLdf', 1, 2, -3, 250, -4, 65000, -5, 6, 1.5, 0.25))}`,
  `return {struct.size('!4bid'), struct.pack('!4bid', 1, 2, 3)}`,
  `return struct.pack('c5', 'ab')`,
  `return struct.pack('z', 1)`,
  `return {struct.unpack('s', 'abc')}`,
  `return {struct.unpack('sB', 'ab\\0\\7')}`,
  `return {struct.unpack('Bc0', '\\3abcd')}`,
  `return {struct.unpack('c0', 'abc')}`,
  `return {struct.unpack('i', 'ab')}`,
  `return {struct.unpack('b', 'a', 0)}`,
  `return {struct.unpack('b', 'a', -1)}`,
  `return struct.size('s')`,
  `return struct.size('i40')`,
  `return {struct.pack('i12', -1), struct.unpack('i12', struct.pack('i12', -1))}`,
  `return {struct.unpack('i3', struct.pack('i3', -2))}`,
  `return {bit.tobit(2^32+1.5), bit.tobit(2.5), bit.tobit(3.5), bit.bor(1,2,4), bit.tohex(-1), bit.tohex(255,-4), bit.rol(1,0), bit.ror(1,1), bit.bswap(0x12345678), bit.arshift(-256, 4), bit.rshift(-256, 4), bit.lshift(1, 33), bit.tobit(-2^31), bit.tobit(2^40+7), bit.bnot(0), bit.tohex(1, 0), bit.tohex(65535, 12)}`,
  `return bit.band()`,
  `return bit.tobit('x')`,
  `return tostring(123456789012345) .. ' ' .. 12345678901234.5 .. ' ' .. 0.5`,
];

describe.skipIf(skip)('scripts on aofsim vs redis-server 7.0: replies, AOF records, state', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide();
  let incr = '';
  const tail = new AofTail(() => incr);

  beforeAll(async () => {
    requireRedis70();
    real = await startLazyExpiryRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--aof-timestamp-enabled', 'no', '--enable-debug-command', 'yes']);
    incr = join(real.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  });
  afterAll(async () => {
    await real?.stop();
  });

  const appended = (): string[] => tail.next();

  async function both(c: string[], log: string[]): Promise<void> {
    const server = real as RealRedis;
    log.push(cliLine(c));
    const a = await server.client.call(c);
    const b = sim.ex.call(sim.client, c);
    const want = appended();
    // FUNCTION LIST: Redis lists functions in hash order (changes with each process): compare sorted.
    // FUNCTION DUMP: LZF may pick other matches than Redis's; compare the decoded libraries.
    const norm = (r: string): string => (c[1]?.toUpperCase() === 'LIST' ? [...r].sort().join('') : r);
    const decode = (r: Reply): string =>
      c[1]?.toUpperCase() === 'DUMP' && r.kind === 'bulk' && r.value !== null ? JSON.stringify(restoreFunctionsPayload(r.value)) : replyString(r);
    const ra = norm(decode(a));
    const rb = norm(decode(b.reply));
    if (ra !== rb) throw new Error(`${log.join('\n')}\n^ replies differ:\n  redis  ${ra}\n  aofsim ${rb}`);
    const mine = simLines(b.propagate);
    if (JSON.stringify(mine) !== JSON.stringify(want)) {
      throw new Error(`${log.join('\n')}\n^ AOF records differ:\n  redis  ${JSON.stringify(want)}\n  aofsim ${JSON.stringify(mine)}`);
    }
  }

  async function run(scripts: string[]): Promise<void> {
    const server = real as RealRedis;
    await server.client.pipeline([['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['FUNCTION', 'FLUSH'], ['SELECT', '0']]);
    appended();
    sim.reset();
    const log: string[] = ['FLUSHALL'];
    await both(['SET', 'k1', '5'], log);
    await both(['SET', 'e1', 'soon-gone', 'PX', '1'], log);
    await new Promise((r) => setTimeout(r, 5));
    for (const s of scripts) await both(['EVAL', s, '2', 'k1', 'k2'], log);
    for (const k of KEYS) {
      for (const c of [['TYPE', k], ['DUMP', k]]) {
        const a = replyString(await server.client.call(c));
        const b = replyString(sim.call(c));
        if (c[0] === 'TYPE' && a !== b) throw new Error(`${log.join('\n')}\n^ final state differs at ${k}: redis ${a}, aofsim ${b}`);
      }
      const t = replyString(sim.call(['TYPE', k]));
      const read = t === '+string' ? ['GET', k] : t === '+list' ? ['LRANGE', k, '0', '-1'] : t === '+hash' ? ['HGETALL', k] : null;
      if (read) {
        const a = replyString(await server.client.call(read));
        const b = replyString(sim.call(read));
        if (a !== b) throw new Error(`${log.join('\n')}\n^ final state differs at ${k}: redis ${a}, aofsim ${b}`);
      }
    }
  }

  it('generated EVAL scripts: same replies, AOF records and final state', async () => {
    await fc.assert(fc.asyncProperty(fc.array(script, { minLength: 1, maxLength: 3 }), run), { numRuns: RUNS, seed: SEED });
    expect(RUNS).toBeGreaterThan(0);
  });

  it('table.sort orders like Lua 5.1 (ties, comparators, an invalid order function) and never by chance', async () => {
    // fengari's own 5.3 sort draws pivots from Math.random; the binding runs 5.1's quicksort instead.
    await run([
      'local t = {} for i = 1, 400 do t[i] = {k = (i * 37) % 7, v = i} end table.sort(t, function(a, b) return a.k < b.k end) local o = {} for i = 1, #t do o[i] = t[i].v end return table.concat(o, ",")',
      'local u = {} for i = 1, 300 do u[i] = (i * 7919) % 101 end table.sort(u) local w = {5, 3, 9, 1} table.sort(w, function(a, b) return a > b end) return table.concat(u, ",") .. "|" .. table.concat(w, ",")',
      'local t = {} for i = 1, 50 do t[i] = i % 3 end return {pcall(table.sort, t, function(a, b) return true end)}',
      // the median of three is 2 and every other key is 0: the first partition is as unbalanced as
      // it gets, where 5.3 would pick random pivots and order the ties by chance
      'local t = {} for i = 1, 400 do t[i] = {k = 0, v = i} end t[1].k = 1 t[200].k = 2 t[400].k = 3 table.sort(t, function(a, b) return a.k < b.k end) local o = {} for i = 1, #t do o[i] = t[i].v end return table.concat(o, ",")',
    ]);
  });

  it('cjson, cmsgpack, struct and bit: the same bytes, numbers and errors as Redis', async () => {
    await run(LIBRARY_CASES);
  });

  it('FUNCTION LOAD + FCALL + FUNCTION DELETE: replies and verbatim/effects records', async () => {
    const server = real as RealRedis;
    await server.client.pipeline([['FLUSHALL'], ['FUNCTION', 'FLUSH'], ['SELECT', '0']]);
    appended();
    sim.reset();
    const lib = "#!lua name=mylib\nredis.register_function('myset', function(keys, args) redis.call('set', keys[1], args[1]) return redis.call('incr', keys[2]) end)\nredis.register_function{function_name='myget', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}";
    const log: string[] = [];
    await both(['FUNCTION', 'LOAD', lib], log);
    await both(['FUNCTION', 'LOAD', lib], log);
    await both(['FCALL', 'myset', '2', 'fk', 'cnt', 'fv'], log);
    await both(['FCALL_RO', 'myget', '1', 'fk'], log);
    await both(['FCALL_RO', 'myset', '2', 'fk', 'cnt', 'fv'], log);
    await both(['FCALL', 'nosuch', '0'], log);
    await both(['FUNCTION', 'LIST', 'WITHCODE'], log);
    await both(['FUNCTION', 'DUMP'], log);
    const payload = await server.client.call(['FUNCTION', 'DUMP']);
    const p = payload.kind === 'bulk' && payload.value !== null ? payload.value : '';
    await both(['FUNCTION', 'RESTORE', p], log);
    await both(['FUNCTION', 'RESTORE', p, 'REPLACE'], log);
    await both(['FUNCTION', 'FLUSH'], log);
    await both(['FUNCTION', 'RESTORE', p + 'x'], log);
    await both(['FUNCTION', 'RESTORE', p], log);
    await both(['FCALL', 'myset', '2', 'fk', 'cnt', 'again'], log);
    await both(['FUNCTION', 'STATS'], log);
    await both(['FUNCTION', 'DELETE', 'mylib'], log);
    await both(['FUNCTION', 'DELETE', 'mylib'], log);
    await both(['SCRIPT', 'LOAD', "return redis.call('set', KEYS[1], 'x')"], log);
    await both(['EVALSHA', 'c6c4b7d53b3f1a04c2a2ffd9b4d0b5de2c4f6b7a', '0'], log);
    await both(['EVAL_RO', "return redis.call('set', 'a', 'b')", '0'], log);
  });
});
