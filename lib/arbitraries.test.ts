// The library's crash arbitrary, drawn from a world: torn cuts with 1-byte sectors favour RESP
// record boundaries, as the campaign's own do (sim/crash/crash-decision-arbitrary.ts), because the
// world hands it the pending bytes; a pending summary alone gives uniform cuts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testSeed } from '../sim/campaign/suite-options.ts';
import { respRecordsWithEnds } from '../testing/aof/resp-records.ts';
import { crashDecisionArbitrary } from './arbitraries.ts';
import { createWorld } from './world.ts';

function cutsIn(source: 'world' | 'summary'): { onRecord: number; torn: number } {
  const world = createWorld({ profile: 'redis-7.0', config: { appendfsync: 'no' } });
  world.pipeline([['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'], ['SET', 'd', '4']]);
  const pending = world.pending();
  const file = pending.files.find((f) => f.path.endsWith('.incr.aof'))!;
  const data = Buffer.from(world.files()[file.path.slice('/data/'.length)]).toString('latin1');
  const ends = new Set(respRecordsWithEnds(data).map((r) => r.end));
  const arb = crashDecisionArbitrary(source === 'world' ? world : pending, { models: ['torn'], sectorBytes: 1, dirPrefixes: false });
  let onRecord = 0;
  let torn = 0;
  for (const d of fc.sample(arb, { numRuns: 300, seed: testSeed(process.env) })) {
    if (d.model !== 'torn') continue;
    const cut = d.files[String(file.ino)];
    const op = cut === undefined ? undefined : file.ops[cut.keep];
    if (op?.kind !== 'write' || cut.sectors === 0 || cut.sectors >= op.lengthBytes) continue;
    // Only writes holding more than one record have a boundary inside them.
    if (![...ends].some((e) => e > op.offset && e < op.offset + op.lengthBytes)) continue;
    torn++;
    if (ends.has(op.offset + cut.sectors)) onRecord++;
  }
  return { onRecord, torn };
}

describe('crashDecisionArbitrary (library)', () => {
  it('from a world, torn 1-byte-sector cuts land on record boundaries most of the time', () => {
    const { onRecord, torn } = cutsIn('world');
    expect(torn).toBeGreaterThan(20);
    // Uniform cuts would hit one of the 49 or 53 inner bytes of each two-record write (2%).
    expect(onRecord / torn).toBeGreaterThan(0.5);
  });

  it('from a pending summary alone, cuts are uniform (no bytes to find boundaries in)', () => {
    const { onRecord, torn } = cutsIn('summary');
    expect(torn).toBeGreaterThan(20);
    expect(onRecord / torn).toBeLessThan(0.2);
  });
});
