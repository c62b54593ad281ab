// The offline loader properties: fast-check properties over AOF file bytes in a memory fs, with no
// simulated world, each a function of the bug switches (src/aof/bugs.ts) it runs with. The vitest
// suites (properties/loader-*.test.ts) assert them with no switch; bench/detect runs each of them
// with each switch on to measure how fast it fails. The switches reach the loader as `deps.bugs`.
//
//   fc.assert(p.property([]), fcParams(p.baseRuns));         // the fixed behaviour holds
//   fc.check(p.property(['empty-last-incr']), { seed: 1 });   // with a switch: expected to fail
//
// Invariants: a property is pure given its arguments and fast-check's seed (no clock, no shared
// state between runs); with no switch on it holds; each run takes a few ms.

import type fc from 'fast-check';
import { cutNonLastFileFailsProperty } from './cut-non-last-file-fails.ts';
import { emptyLastIncrLoadsProperty } from './empty-last-incr-loads.ts';
import { preambleTailCutProperty } from './preamble-tail-cut.ts';
import { truncatedPrefixMultiPartProperty } from './truncated-prefix-multi-part.ts';
import { truncatedPrefixProperty } from './truncated-prefix.ts';
import { truncatedRdbFailsProperty } from './truncated-rdb-fails.ts';

export interface OfflineProperty {
  /** e.g. 'loader-truncated-prefix'. */
  name: string;
  /** One sentence. */
  invariant: string;
  /** The fast-check property with these bug switches on (none: the fixed behaviour). */
  // Each property has its own value type (hence any); all are synchronous (fc.check returns RunDetails).
  property: (bugs: readonly string[]) => fc.IRawProperty<any, false>;
  /** numRuns the vitest suite gives it (times AOFSIM_RUNS, through fcParams). */
  baseRuns: number;
  /** The bug switches it is built to catch: with any one of them on it fails (tested). */
  catches: readonly string[];
}

export const OFFLINE_PROPERTIES: readonly OfflineProperty[] = [
  {
    name: 'loader-truncated-prefix',
    invariant:
      'a valid AOF cut at any offset loads to exactly the state of its complete commands (a MULTI block only with its EXEC), ' +
      'is cut back to the last complete command outside an open MULTI, and then reloads ok',
    property: truncatedPrefixProperty,
    baseRuns: 400,
    catches: ['incomplete-multi-applied', 'multi-tail-truncate'],
  },
  {
    name: 'loader-truncated-prefix-multi-part',
    invariant:
      'in a multi-part AOF only the last file may be short: cutting it loads the prefix state, cutting another file short fails',
    property: truncatedPrefixMultiPartProperty,
    baseRuns: 200,
    catches: [],
  },
  {
    name: 'loader-cut-non-last-file-fails',
    invariant:
      'a multi-part AOF with a non-last file cut short fails to load (AOF_NOT_LAST_FILE) and the load leaves every file byte-identical, ' +
      'so a second load gives the same outcome',
    property: cutNonLastFileFailsProperty,
    baseRuns: 200,
    catches: ['truncate-non-last-file'],
  },
  {
    name: 'loader-truncated-rdb-fails',
    invariant:
      'an AOF file whose RDB part (4.0/7.0 preamble or 7.0 RDB BASE) is cut short fails to load with the RDB error even with ' +
      'aof-load-truncated yes, and every file is left byte-identical',
    property: truncatedRdbFailsProperty,
    baseRuns: 200,
    catches: ['truncated-rdb-as-short-read'],
  },
  {
    name: 'loader-empty-last-incr-loads',
    invariant:
      'a multi-part AOF with data before an empty last INCR loads with status ok, every command applied, ' +
      'and aof_current_size = the sum of the file sizes',
    property: emptyLastIncrLoadsProperty,
    baseRuns: 200,
    catches: ['empty-last-incr'],
  },
  {
    name: 'loader-preamble-tail-cut',
    invariant:
      'an RDB preamble followed by a RESP tail cut inside the tail loads to the RDB keys plus the complete tail commands, ' +
      'is cut back to the last complete command (never into the RDB part) when it is the last file, and then reloads ok',
    property: preambleTailCutProperty,
    baseRuns: 300,
    catches: ['preamble-cut-to-zero'],
  },
];

/** The property named `name`; throws with the known names when there is none. */
export function offlineProperty(name: string): OfflineProperty {
  const p = OFFLINE_PROPERTIES.find((q) => q.name === name);
  if (p === undefined) throw new Error(`no offline property '${name}' (known: ${OFFLINE_PROPERTIES.map((q) => q.name).join(', ')})`);
  return p;
}
