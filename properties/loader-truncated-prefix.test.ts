// Property: a valid AOF cut at any offset loads (aof-load-truncated yes) to exactly the state of its
// complete commands before the cut, a MULTI block counting only when its EXEC is complete (docs/redis-behaviour.md#load-byte-rules,
// docs/redis-bugs.md#bug-7, docs/redis-bugs.md#bug-22); the file is cut right after the last complete command outside an open
// MULTI (or before that MULTI), and loading the cut file again gives 'ok' and the same state.
// The bodies live in sim/campaign/offline/ (shared with `aofsim run` and bench/detect); here they run with no bug
// switch, and the single-file one must fail with the MULTI switches on (the suite's power).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from './loader-arbitraries.ts';
import { offlineProperty } from '../sim/campaign/offline/index.ts';

const single = offlineProperty('loader-truncated-prefix');
const multiPart = offlineProperty('loader-truncated-prefix-multi-part');

describe('a valid AOF truncated at any offset', () => {
  it('loads to exactly the state of its complete commands before the cut', () => {
    fc.assert(single.property([]), fcParams(single.baseRuns));
  });

  it('multi-part: only the last file may be short; cutting it loads the prefix state, cutting another fails', () => {
    fc.assert(multiPart.property([]), fcParams(multiPart.baseRuns));
  });

  // Seed 1 fails after 5 runs (incomplete-multi-applied) and 23 (multi-tail-truncate); over seeds
  // 1..20 at most 22 and 31. Without the bias to record boundaries, bug 7 needed up to 422.
  it.each(['incomplete-multi-applied', 'multi-tail-truncate'])('fails with the bug switch %s on (seed 1, 100 runs)', (bug) => {
    expect(single.catches).toContain(bug);
    const r = fc.check(single.property([bug]), { seed: 1, numRuns: 100, endOnFailure: true });
    expect(r.failed, `not caught in ${r.numRuns} runs`).toBe(true);
  });
});
