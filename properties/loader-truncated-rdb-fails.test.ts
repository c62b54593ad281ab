// Property: an AOF file whose RDB part is cut short (4.0/7.0 RDB preamble, 7.0 RDB BASE, last file or
// not) fails to load with the RDB error even with aof-load-truncated yes, and every file is left
// byte-identical (spec 2.3, spec 4 bug 9). Body: properties/offline/truncated-rdb-fails.ts.
// The power test: with 'truncated-rdb-as-short-read' on (Redis 7.0.x takes the RDB failure for a
// short read, truncates to 0 and loads) the property must fail.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from './loader-arbitraries.ts';
import { offlineProperty } from './offline/index.ts';

const p = offlineProperty('loader-truncated-rdb-fails');

describe('an AOF file with its RDB part cut short', () => {
  it('fails to load with the RDB error and leaves every file byte-identical', () => {
    fc.assert(p.property([]), fcParams(p.baseRuns));
  });

  // Seed 1 fails at the first run; over seeds 1..20 at most 4.
  it('fails with the bug switch truncated-rdb-as-short-read on (seed 1, 30 runs)', () => {
    expect(p.catches).toContain('truncated-rdb-as-short-read');
    const r = fc.check(p.property(['truncated-rdb-as-short-read']), { seed: 1, numRuns: 30, endOnFailure: true });
    expect(r.failed, `not caught in ${r.numRuns} runs`).toBe(true);
  });
});
