// Blocked clients against redis-server 7.0.15: the same scripts of concurrent clients run on a real
// redis-server (appendonly yes, appendfsync always) and on `aofsim serve` (profile redis-7.0, the
// same config), over real sockets. A blocking step is sent without waiting for its reply; the
// script goes on once INFO clients shows the client blocked (no sleeps). Every client's replies,
// in order, and the INCR file of the AOF (what each served client propagated) must be equal.
//
// Without redis-server 7.0 the suite skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import { existsSync, readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLog } from '../../src/ports/log.ts';
import { startServe, type ServeHandle } from '../../cli/commands/serve.ts';
import { startRealRedis, requireRedis70, skipWithoutRedis70, replyString } from './harness.ts';
import { RespClient } from '../../sim/subjects/real-resp-client.ts';

const skip = skipWithoutRedis70('the blocked-clients differential suite');

/** One step: client index, command; `blocks` steps are not awaited (their reply comes later). */
type Step = { c: number; cmd: string[]; blocks?: true } | { waitAll: true };

const SCRIPTS: Record<string, Step[]> = {
  'BLMPOP 0 on empty lists is served by a later RPUSH (3 taken, 2 left)': [
    { c: 0, cmd: ['BLMPOP', '0', '2', 'a', 'b', 'LEFT', 'COUNT', '3'], blocks: true },
    { c: 1, cmd: ['RPUSH', 'b', '1', '2', '3', '4', '5'] },
    { waitAll: true },
    { c: 1, cmd: ['LRANGE', 'b', '0', '-1'] },
  ],
  'two BLPOPs on one key are served in the order they blocked': [
    { c: 0, cmd: ['BLPOP', 'k', '0'], blocks: true },
    { c: 1, cmd: ['BLPOP', 'k', '0'], blocks: true },
    { c: 2, cmd: ['RPUSH', 'k', 'x', 'y', 'z'] },
    { waitAll: true },
    { c: 2, cmd: ['LRANGE', 'k', '0', '-1'] },
  ],
  'BRPOP on two keys is served by the second; BRPOPLPUSH and BLMOVE chain into a waiting BLPOP': [
    { c: 0, cmd: ['BRPOP', 'p', 'q', '0'], blocks: true },
    { c: 1, cmd: ['BLMOVE', 's', 'd', 'LEFT', 'RIGHT', '0'], blocks: true },
    { c: 2, cmd: ['BLPOP', 'd', '0'], blocks: true },
    { c: 3, cmd: ['BRPOPLPUSH', 's2', 's', '0'], blocks: true },
    { c: 4, cmd: ['RPUSH', 'q', 'q1', 'q2'] },
    { c: 4, cmd: ['RPUSH', 's2', 'v'] },
    { waitAll: true },
    { c: 4, cmd: ['LRANGE', 'q', '0', '-1'] },
    { c: 4, cmd: ['EXISTS', 's', 's2', 'd'] },
  ],
  'BZPOPMIN and BZMPOP wait for a ZADD': [
    { c: 0, cmd: ['BZPOPMIN', 'z', '0'], blocks: true },
    { c: 1, cmd: ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '5'], blocks: true },
    { c: 2, cmd: ['BZPOPMAX', 'z', 'z2', '0'], blocks: true },
    { c: 3, cmd: ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'] },
    { c: 3, cmd: ['ZADD', 'z2', '7', 'x'] },
    { waitAll: true },
    { c: 3, cmd: ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'] },
  ],
  'a key of the wrong type leaves the client blocked; a list later serves it': [
    { c: 0, cmd: ['BLPOP', 'w', '0'], blocks: true },
    { c: 1, cmd: ['SET', 'w', 'x'] },
    { c: 1, cmd: ['DEL', 'w'] },
    { c: 1, cmd: ['RPUSH', 'w', '1'] },
    { waitAll: true },
  ],
  'a MULTI that pushes twice serves the blocked client after EXEC': [
    { c: 0, cmd: ['BLPOP', 'm', '0'], blocks: true },
    { c: 1, cmd: ['MULTI'] },
    { c: 1, cmd: ['RPUSH', 'm', 'a'] },
    { c: 1, cmd: ['RPUSH', 'm', 'b'] },
    { c: 1, cmd: ['EXEC'] },
    { waitAll: true },
    { c: 1, cmd: ['LRANGE', 'm', '0', '-1'] },
  ],
  'XREAD BLOCK $ and XREADGROUP BLOCK > are served by a later XADD; the group delivers each entry once': [
    { c: 3, cmd: ['XADD', 'x', '1-1', 'f', 'old'] },
    { c: 3, cmd: ['XGROUP', 'CREATE', 'x', 'g', '$'] },
    { c: 0, cmd: ['XREAD', 'BLOCK', '0', 'STREAMS', 'y', 'x', '$', '$'], blocks: true },
    { c: 1, cmd: ['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '0', 'STREAMS', 'x', '>'], blocks: true },
    { c: 2, cmd: ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '5', 'BLOCK', '0', 'STREAMS', 'x', '>'], blocks: true },
    { c: 3, cmd: ['XADD', 'x', '2-1', 'f', 'new'] },
    { c: 3, cmd: ['XADD', 'x', '3-1', 'f', 'newer'] },
    { waitAll: true },
    { c: 3, cmd: ['XPENDING', 'x', 'g'] },
    { c: 3, cmd: ['XREAD', 'BLOCK', '50', 'STREAMS', 'x', '$'] },
  ],
  'a timeout answers a nil array; inside MULTI a blocking command does not block': [
    { c: 0, cmd: ['BLPOP', 't', '0.05'], blocks: true },
    { waitAll: true },
    { c: 1, cmd: ['MULTI'] },
    { c: 1, cmd: ['BLPOP', 't', '0'] },
    { c: 1, cmd: ['BZPOPMIN', 't', '0'] },
    { c: 1, cmd: ['EXEC'] },
  ],
};

interface Side {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

async function blockedClients(ctl: RespClient): Promise<number> {
  const r = await ctl.call(['INFO', 'clients']);
  const m = /blocked_clients:(\d+)/.exec(String(r.value));
  return m ? Number(m[1]) : -1;
}

/** The AOF's RESP lines with XCLAIM's `TIME <ms>` value (each side's wall clock) blanked. */
function withoutClaimTimes(incr: string): string[] {
  const lines = incr.split('\r\n');
  return lines.map((l, i) => (i >= 2 && lines[i - 2] === 'TIME' && /^\d+$/.test(l) ? '<ms>' : l));
}

/** Runs a script; returns every client's replies in order and the INCR AOF's bytes. */
async function runScript(side: Side, steps: Step[]): Promise<{ replies: string[][]; incr: string }> {
  const clients: RespClient[] = [];
  const replies: string[][] = [];
  const pending: Promise<void>[] = [];
  let outstanding = 0;
  const ctl = await RespClient.connect(side.port);
  const client = async (i: number): Promise<RespClient> => {
    while (clients.length <= i) {
      clients.push(await RespClient.connect(side.port));
      replies.push([]);
    }
    return clients[i];
  };
  try {
    for (const s of steps) {
      if ('waitAll' in s) {
        await Promise.all(pending.splice(0));
        continue;
      }
      const cl = await client(s.c);
      const p = cl.call(s.cmd).then((r) => void replies[s.c].push(replyString(r)));
      if (!s.blocks) {
        await p;
        continue;
      }
      outstanding++;
      pending.push(p.then(() => void outstanding--));
      // Go on once the server has parked every unanswered blocking step: no timing assumptions.
      for (let i = 0; i < 5000 && (await blockedClients(ctl)) !== outstanding; i++) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(pending);
  } finally {
    for (const c of clients) c.close();
    ctl.close();
  }
  const aofDir = join(side.dir, 'appendonlydir');
  const incr = existsSync(aofDir) ? readdirSync(aofDir).filter((f) => f.endsWith('.incr.aof')).map((f) => readFileSync(join(aofDir, f), 'latin1')).join('') : '';
  return { replies, incr };
}

describe.skipIf(skip)('blocked clients: aofsim serve vs redis-server 7.0.15', () => {
  beforeAll(() => {
    requireRedis70();
  });
  const handles: ServeHandle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.stop();
  });

  for (const [name, steps] of Object.entries(SCRIPTS)) {
    it(name, async () => {
      const real = await startRealRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
      const realSide: Side = { port: real.port, dir: real.dir, stop: () => real.stop() };
      const dir = mkdtempSync(join(tmpdir(), 'aofsim-blocking-'));
      const h = await startServe({ port: 0, dir, profile: 'redis-7.0', config: [['appendonly', 'yes'], ['appendfsync', 'always']], quiet: true, log: nullLog });
      handles.push(h);
      try {
        const want = await runScript(realSide, steps);
        const got = await runScript({ port: h.port, dir, stop: async () => void (await h.stop()) }, steps);
        expect(got.replies).toEqual(want.replies);
        expect(withoutClaimTimes(got.incr)).toEqual(withoutClaimTimes(want.incr));
      } finally {
        await real.stop();
        await h.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
