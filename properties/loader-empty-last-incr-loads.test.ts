// Property: a multi-part AOF whose BASE holds data and whose last INCR is empty loads with status
// 'ok', every command applied, aof_current_size = the sum of the file sizes (spec 2.6, spec 4 bug
// 23). Body: properties/offline/empty-last-incr-loads.ts. The power test: with 'empty-last-incr' on
// (redis/redis#10295: the load reports AOF_EMPTY) the property must fail.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from './loader-arbitraries.ts';
import { offlineProperty } from './offline/index.ts';

const p = offlineProperty('loader-empty-last-incr-loads');

describe('a multi-part AOF whose last INCR is empty', () => {
  it('loads ok with every earlier command and the summed size', () => {
    fc.assert(p.property([]), fcParams(p.baseRuns));
  });

  // Every run fails with the switch on (the BASE always holds data).
  it('fails with the bug switch empty-last-incr on (seed 1, 10 runs)', () => {
    expect(p.catches).toContain('empty-last-incr');
    const r = fc.check(p.property(['empty-last-incr']), { seed: 1, numRuns: 10, endOnFailure: true });
    expect(r.failed, `not caught in ${r.numRuns} runs`).toBe(true);
  });
});
