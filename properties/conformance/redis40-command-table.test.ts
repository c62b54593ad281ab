// The committed 4.0 command table (src/commands/redis40-command-table.ts) is what redis-server
// 4.0.14's COMMAND says, and the redis-4.0 profile accepts exactly those of its commands aofsim
// runs. Regenerate with: npx tsx properties/conformance/redis40-command-table.ts > src/commands/redis40-command-table.ts

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Executor } from '../../src/commands/executor.ts';
import { newClient } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import type { RealRedis } from './harness.ts';
import { require40, skip40, startRedis40 } from './redis40.ts';
import { fetchRedis40Table, renderRedis40Table } from './redis40-command-table.ts';

const skip = skip40('the redis 4.0 command table check');

describe.skipIf(skip)('redis-4.0 command table vs redis-server 4.0.14', () => {
  let real: RealRedis | undefined;
  beforeAll(async () => {
    require40();
    real = await startRedis40();
  }, 30_000);
  afterAll(async () => {
    await real?.stop();
  });

  it('the committed table is the live COMMAND reply', async () => {
    const committed = readFileSync(new URL('../../src/commands/redis40-command-table.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderRedis40Table(await fetchRedis40Table(real as RealRedis), '4.0.14'));
  });

  it('commands 4.0 lacks are unknown in the 4.0 profile, with 4.0 wording; 4.0 arities apply', () => {
    const ex = new Executor(new Keyspace(), { profile: 'redis-4.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
    const c = newClient(1);
    expect(ex.call(c, ['GETDEL', 'k']).reply).toEqual({ kind: 'error', value: 'ERR unknown command `GETDEL`, with args beginning with: `k`, ' });
    expect(ex.call(c, ['XADD', 'k', '*', 'a', '1']).reply.kind).toBe('error');
    expect(ex.call(c, ['LPOP', 'l', '2']).reply).toEqual({ kind: 'error', value: "ERR wrong number of arguments for 'lpop' command" });
    expect(ex.call(c, ['SET', 'k', 'v']).reply).toEqual({ kind: 'status', value: 'OK' });
  });
});
