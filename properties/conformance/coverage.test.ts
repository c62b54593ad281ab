// The coverage table stays true: at least 100 of Redis 7.0's 108 write commands are supported, the
// differential suite exercises every supported one, and (with a real redis-server 7.0) the stored
// command list equals the server's `COMMAND LIST FILTERBY ACLCAT write`.

import { afterAll, describe, expect, it } from 'vitest';
import { coverageRows, liveWriteCommands, storedWriteCommands } from './coverage.ts';
import { startRealRedis, type RealRedis, redisUnavailableReason } from './harness.ts';

describe('write-command coverage', () => {
  const rows = coverageRows(storedWriteCommands());

  it('lists the 108 write commands of redis 7.0.15', () => {
    expect(rows.length).toBe(108);
  });

  it('supports at least 100 of them and exercises every supported one differentially', () => {
    expect(rows.filter((r) => r.supported).length).toBeGreaterThanOrEqual(100);
    expect(rows.filter((r) => r.supported && !r.differential).map((r) => r.command)).toEqual([]);
  });

  const unavailable = redisUnavailableReason();
  let real: RealRedis | undefined;
  afterAll(async () => {
    await real?.stop();
  });
  it.skipIf(unavailable !== null && process.env.AOFSIM_REQUIRE_REDIS !== '1')('the stored list equals the live server list', async () => {
    real = await startRealRedis();
    expect(await liveWriteCommands(real.port)).toEqual(storedWriteCommands());
  });
});
