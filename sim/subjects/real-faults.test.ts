// promisedUnits: what a process kill of a real server must keep under each fsync policy
// (real-faults.ts). Under everysec, units acknowledged within Redis's postpone window before the
// kill may still be in aof_buf (redis: aof.c flushAppendOnlyFile postpones the write behind a
// running background fsync for up to 2 s and replies anyway), older ones must survive.
import { describe, expect, it } from 'vitest';
import { POSTPONE_LIMIT_MS } from '../oracle/checks.ts';
import { promisedUnits } from './real-faults.ts';

describe('promisedUnits', () => {
  const acks = [1000, 1010, 1020, 4000, 4010];

  it('always: every acknowledged unit; no: none', () => {
    expect(promisedUnits('always', acks, 4011)).toBe(5);
    expect(promisedUnits('no', acks, 100_000)).toBe(0);
  });

  it('everysec: the units acknowledged at least the postpone window before the kill', () => {
    // The campaign's seed-5109 shape: every unit acknowledged milliseconds before the kill.
    expect(promisedUnits('everysec', acks, 4011)).toBe(0);
    expect(promisedUnits('everysec', acks, 1020 + POSTPONE_LIMIT_MS)).toBe(3);
    expect(promisedUnits('everysec', acks, 1020 + POSTPONE_LIMIT_MS - 1)).toBe(2);
    // A unit acknowledged long before the kill must survive: losing it stays a failure.
    expect(promisedUnits('everysec', acks, 4010 + POSTPONE_LIMIT_MS + 60_000)).toBe(5);
    expect(promisedUnits('everysec', [], 5000)).toBe(0);
  });
});
