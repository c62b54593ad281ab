// Scripting differential for the redis-4.0 profile (issue 12.3) against a real redis-server 4.0.14
// with `appendonly yes`: generated EVAL scripts (the 7.0 suite's fragments; some start with
// redis.replicate_commands()), SCRIPT LOAD/EXISTS/FLUSH and EVALSHA run on both sides. Replies
// must be equal; the records 4.0.14 appended must equal what aofsim propagated (verbatim EVAL
// when the script wrote; after redis.replicate_commands() its effects inside MULTI/EXEC; SCRIPT
// LOAD/FLUSH as typed); the final values of the keys must be equal; and aofsim's 4.0 loader,
// replaying the EVAL records of the server's own appendonly.aof, must reach the server's data set
// (TTLs compared as present or absent: a replayed SETEX counts from the replay's clock).
//
// DIVERGENCE(redis) allowed here, once: 4.0.14 writes EVALSHA as EVAL the first time a script is
// seen and as EVALSHA afterwards (its replication script cache, emptied by SCRIPT FLUSH and AOF
// rewrites); aofsim always writes EVAL with the body, which loads anywhere. Real EVALSHA records
// are compared as the EVAL they stand for.
//
// Budget: AOFSIM_RUNS (default 30) / AOFSIM_SEED. Needs the 4.0.14 binary (AOFSIM_REDIS40_BIN;
// scripts/build-subject.sh): skips loudly without it, fails instead with AOFSIM_REQUIRE_REDIS=1.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCanonicalDump } from '../../src/keyspace/canonical-dump.ts';
import { sha1hex } from '../../src/scripting/lua-vm.ts';
import { AofTail, Feed40 } from './aof-records.ts';
import { SimSide, cliLine, replyString, type RealRedis } from './harness.ts';
import { load40, ok, require40, savedKeyspace, skip40, startRedis40 } from './redis40.ts';
import { KEYS, script } from './script-arbitraries.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '30');
const SEED = testSeed(process.env);
const skip = skip40('the redis-4.0 scripting differential suite');

describe.skipIf(skip)('scripts on aofsim (redis-4.0) vs redis-server 4.0.14: replies, AOF records, state, reload', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide(1, 'redis-4.0');
  const aofPath = (): string => join((real as RealRedis).dir, 'appendonly.aof');
  let tail = new AofTail(aofPath);
  const bodies = new Map<string, string>();
  // aofsim's side of the file: what the 4.0 feed writes (SETEX -> SET + PEXPIREAT, ...)
  const feed = new Feed40();

  beforeAll(async () => {
    require40();
    real = await startRedis40(['--appendonly', 'yes', '--appendfsync', 'always']);
  });
  afterAll(async () => {
    await real?.stop();
  });

  /** Real EVALSHA records as the EVAL they stand for (the one divergence above). */
  const asEval = (line: string): string => {
    const m = /^(\d+): EVALSHA ([0-9a-fA-F]{40}) (.*)$/.exec(line);
    const body = m === null ? undefined : bodies.get(m[2].toLowerCase());
    return m === null || body === undefined ? line : `${m[1]}: ${cliLine(['EVAL', body])} ${m[3]}`;
  };

  async function both(c: string[], log: string[]): Promise<void> {
    const server = real as RealRedis;
    log.push(cliLine(c));
    if (c[0] === 'EVAL' || (c[0] === 'SCRIPT' && c[1] === 'LOAD')) bodies.set(sha1hex(c[0] === 'EVAL' ? c[1] : c[2]), c[0] === 'EVAL' ? c[1] : c[2]);
    const a = replyString(await server.client.call(c));
    const r = sim.ex.call(sim.client, c);
    const b = replyString(r.reply);
    if (a !== b) throw new Error(`${log.join('\n')}\n^ replies differ:\n  redis  ${a}\n  aofsim ${b}`);
    const want = tail.next().map(asEval);
    const mine = feed.records(r.propagate);
    if (JSON.stringify(mine) !== JSON.stringify(want)) {
      throw new Error(`${log.join('\n')}\n^ AOF records differ:\n  redis  ${JSON.stringify(want)}\n  aofsim ${JSON.stringify(mine)}`);
    }
  }

  async function compareState(log: string[]): Promise<void> {
    const server = real as RealRedis;
    for (const k of KEYS) {
      const t = replyString(sim.call(['TYPE', k]));
      const rt = replyString(await server.client.call(['TYPE', k]));
      if (t !== rt) throw new Error(`${log.join('\n')}\n^ final state differs at ${k}: redis ${rt}, aofsim ${t}`);
      const read = t === '+string' ? ['GET', k] : t === '+list' ? ['LRANGE', k, '0', '-1'] : t === '+hash' ? ['HGETALL', k] : null;
      if (read) {
        const a = replyString(await server.client.call(read));
        const b = replyString(sim.call(read));
        if (a !== b) throw new Error(`${log.join('\n')}\n^ final state differs at ${k}: redis ${a}, aofsim ${b}`);
      }
    }
    // aofsim's 4.0 loader replays the server's own file (verbatim EVAL records included)
    const aof = readFileSync(join(server.dir, 'appendonly.aof'));
    const loaded = load40(aof);
    expect(loaded.result.unreproduced ?? []).toEqual([]);
    const saved = await savedKeyspace(server);
    // a verbatim EVAL that sets a relative TTL (SETEX) gets it from the clock of whoever replays it:
    // only whether a key has a TTL can be compared
    const ttlMasked = (d: string): string => d.replace(/"expireAtMs": \d+/g, '"expireAtMs": "set"');
    const want = ttlMasked(formatCanonicalDump(saved.ks));
    const got = ttlMasked(formatCanonicalDump(loaded.ks));
    if (want !== got) throw new Error(`${log.join('\n')}\n^ aofsim's 4.0 loader on the server's AOF:\n  redis  ${want}\n  aofsim ${got}`);
  }

  async function reset(log: string[]): Promise<void> {
    const server = real as RealRedis;
    await server.client.pipeline([['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['BGREWRITEAOF']]);
    // the rewrite leaves a file that holds nothing; wait for it, then follow its growth
    for (let i = 0; i < 200; i++) {
      const info = await server.client.call(['INFO', 'persistence']);
      if (info.kind === 'bulk' && info.value?.includes('aof_rewrite_in_progress:0') && !info.value.includes('aof_rewrite_scheduled:1')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    tail = new AofTail(aofPath);
    feed.reset();
    sim.reset();
    bodies.clear();
    await both(['SET', 'k1', '5'], log);
  }

  const script40 = fc.tuple(fc.boolean(), script).map(([effects, s]) => (effects ? `redis.replicate_commands()\n${s}` : s));

  it('generated EVAL scripts, verbatim and after redis.replicate_commands()', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(script40, { minLength: 1, maxLength: 3 }), async (scripts) => {
        const log: string[] = ['FLUSHALL'];
        await reset(log);
        for (const s of scripts) await both(['EVAL', s, '2', 'k1', 'k2'], log);
        await compareState(log);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(RUNS).toBeGreaterThan(0);
  });

  it('SCRIPT LOAD / EXISTS / FLUSH, EVALSHA, replicate_commands after a write, math.random reseeded per script', async () => {
    const log: string[] = [];
    await reset(log);
    const body = "redis.call('incr', KEYS[1]) return redis.call('get', KEYS[1])";
    const sha = sha1hex(body);
    await both(['SCRIPT', 'LOAD', body], log);
    await both(['SCRIPT', 'EXISTS', sha, 'ffffffffffffffffffffffffffffffffffffffff'], log);
    await both(['EVALSHA', sha, '1', 'k1'], log);
    await both(['EVALSHA', sha.toUpperCase(), '1', 'k1'], log);
    await both(['EVALSHA', sha, '1', 'k2'], log);
    await both(['EVAL', "redis.call('set', KEYS[1], 'a') return redis.replicate_commands()", '1', 'k2'], log);
    await both(['EVAL', "local r = redis.replicate_commands() redis.call('set', KEYS[1], 'b') redis.call('rpush', 'l1', 'x') return r", '1', 'k2'], log);
    await both(['EVAL', "return {math.random(100), math.random(100), math.random()}", '0'], log);
    await both(['EVAL', "return {math.random(100), math.random(100), math.random()}", '0'], log);
    await both(['EVAL', "return redis.call('get', KEYS[1])", '1', 'k1'], log);
    await both(['SCRIPT', 'FLUSH'], log);
    await both(['EVALSHA', sha, '1', 'k1'], log);
    await both(['SCRIPT', 'EXISTS', sha], log);
    await both(['EVAL', 'return redis.call()', '0'], log);
    await both(['EVAL', "return redis.call('nosuch')", '0'], log);
    await both(['EVAL', "return redis.pcall('get', 'a', 'b')", '0'], log);
    await both(['EVAL', "return redis.call('set', {})", '0'], log);
    await both(['EVAL', "error({err = 'tbl'})", '0'], log);
    await both(['EVAL', 'return ...', '0'], log);
    await compareState(log);
  });

  it('verbatim EVAL: a lazily expired key goes out as DEL ahead of the EVAL, also from a script that writes nothing', async () => {
    const log: string[] = [];
    await reset(log);
    // active expiry off on the real side (the simulated side has none): only lookups expire keys
    ok(await (real as RealRedis).client.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']));
    try {
      await both(['SET', 'k2', 'x', 'PX', '40'], log);
      await both(['ZADD', 'z1', '1', 'a'], log);
      await both(['PEXPIRE', 'z1', '40'], log);
      await new Promise((r) => setTimeout(r, 120));
      await both(['EVAL', "redis.call('set', KEYS[1], ARGV[1]) redis.pcall('incr', KEYS[2]) return redis.call('exists', KEYS[1])", '2', 'k1', 'k2', 'a'], log);
      await both(['EVAL', "return redis.call('get', KEYS[1])", '1', 'z1'], log);
      await compareState(log);
    } finally {
      await (real as RealRedis).client.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    }
  });

  it('redis.call sees 4.0: commands, options and arities that 4.0.14 lacks are refused inside scripts too', async () => {
    const log: string[] = [];
    await reset(log);
    await both(['RPUSH', 'l1', 'a', 'b'], log);
    await both(['ZADD', 'z1', '1', 'a'], log);
    const calls = [
      "redis.call('set', KEYS[1], 'v', 'GET')",
      "redis.call('set', KEYS[1], 'v', 'KEEPTTL')",
      "redis.call('set', KEYS[1], 'v', 'PXAT', '1')",
      "redis.call('lmpop', '1', 'l1', 'LEFT')",
      "redis.call('lpos', 'l1', 'a')",
      "redis.call('getex', KEYS[1])",
      "redis.call('copy', KEYS[1], 'k2')",
      "redis.call('zadd', 'z1', 'GT', '2', 'a')",
      "redis.call('expire', KEYS[1], '10', 'NX')",
      "redis.call('scan', '0', 'TYPE', 'string')",
      "redis.call('hset', 'h1', 'a', '1', 'b', '2')",
      "redis.call('zincrby', 'z1', '0.1', 'a')",
    ];
    for (const c of calls) {
      await both(['EVAL', `return ${c}`, '1', 'k1'], log);
      await both(['EVAL', `return redis.pcall(${c.slice('redis.call('.length)}`, '1', 'k1'], log);
    }
    await compareState(log);
  });
});
