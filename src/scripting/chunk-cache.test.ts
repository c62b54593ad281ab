// The compiled-chunk cache must be invisible: a server whose scripts come from the cache answers
// exactly as one that parsed them (replies, error texts with line numbers, the addresses tostring()
// prints, closures and their upvalues, FUNCTION libraries), and no state leaks from one VM to the next.

import { describe, expect, it } from 'vitest';
import { Executor } from '../commands/executor.ts';
import { newClient } from '../commands/types.ts';
import type { Reply } from '../commands/reply.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { SeededRandom } from '../ports/random.ts';
import { chunkCacheStats } from './chunk-cache.ts';

type Profile = 'redis-7.0' | 'redis-4.0';

/** Runs the commands on a fresh server (a fresh Lua VM) and returns the replies. */
function session(profile: Profile, cmds: string[][]): Reply[] {
  const ex = new Executor(new Keyspace(), { profile, clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  const c = newClient(1);
  return cmds.map((argv) => ex.call(c, argv).reply);
}

// A tag no other test uses, so the first session below really parses these bodies.
const TAG = '-- chunk-cache.test';
const SCRIPTS = [
  `${TAG}\nlocal t = {} local f = function() return 1 end return {tostring(t), tostring(f), tostring(redis.call), tostring({})}`,
  `${TAG}\nlocal n = 0 local function inc() n = n + 1 return n end inc() return inc()`,
  `${TAG}\nlocal fs = {} for i = 1, 3 do fs[i] = function() return i end end return {fs[1](), fs[3](), tostring(fs[1] == fs[2])}`,
  `${TAG}\nlocal x = nil\nreturn x.y`,
  `${TAG}\nreturn redis.call('INCR', KEYS[1]) + #ARGV`,
  `${TAG}\nreturn (`,
];

function commands(profile: Profile): string[][] {
  const cmds: string[][] = [];
  for (const s of SCRIPTS) cmds.push(['EVAL', s, '1', 'k', 'a', 'b'], ['EVAL', s, '1', 'k', 'a']);
  if (profile === 'redis-7.0') {
    const lib = `#!lua name=cc\n${TAG}\nlocal calls = 0\nredis.register_function('cc', function(keys, args) calls = calls + 1 return {calls, tostring({})} end)`;
    cmds.push(['FUNCTION', 'LOAD', lib], ['FCALL', 'cc', '0'], ['FCALL', 'cc', '0']);
  }
  return cmds;
}

describe('compiled Lua chunks reused across servers', () => {
  it.each(['redis-7.0', 'redis-4.0'] as const)('%s: a server served from the cache replies exactly as the one that parsed', (profile) => {
    const cold = session(profile, commands(profile));
    const before = chunkCacheStats();
    const warm = session(profile, commands(profile));
    const after = chunkCacheStats();
    // Every body (and the prelude) came from the cache; only the script that does not compile is
    // parsed again, at each of its two EVALs.
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(SCRIPTS.length - 1);
    expect(after.misses - before.misses).toBe(2);
    expect(warm).toEqual(cold);
    // The replies are what they should be, not merely equal.
    const text = JSON.stringify(cold);
    expect(text).toMatch(/table: 0x[0-9a-f]+/);
    expect(cold[2]).toEqual({ kind: 'integer', value: 2 });
    expect(JSON.stringify(cold[6])).toMatch(/user_script:3: attempt to index/);
    expect(cold[10].kind).toBe('error');
    if (profile === 'redis-7.0') expect(cold.at(-1)).toMatchObject({ kind: 'array' });
    expect(JSON.stringify(cold.at(-1))).toContain(profile === 'redis-7.0' ? '"value":2' : 'compiling');
  });
});
