// Test helper: replays a command session recorded against a real redis-server and compares
// replies one by one (see the *.test.ts files under families/ that embed such sessions).

import { expect, it } from 'vitest';
import { replyText } from '../../src/commands/exec-all.ts';
import { rig } from './rig.ts';

/** [argv, the reply redis gave (replyText form), optional comparison mode]. */
export type RecordedCase = [string[], unknown, ('unordered' | 'skip')?];

/** Arrays at every depth as sorted multisets (element order ignored). */
function sortDeep(x: unknown): unknown {
  return Array.isArray(x) ? x.map((e) => JSON.stringify(sortDeep(e))).sort() : x;
}

/** Registers one vitest case that replays the session on a fresh redis-7.0 executor. */
export function checkRecordedSession(cases: readonly RecordedCase[]): void {
  it(`replays ${cases.length} commands with the recorded replies`, () => {
    const r = rig('redis-7.0');
    let compared = 0;
    for (const [argv, expected, mode] of cases) {
      const got = r.run(argv)[0];
      if (mode === 'skip') continue;
      const label = argv.join(' ');
      if (mode === 'unordered') expect(sortDeep(got), label).toEqual(sortDeep(expected));
      else expect(got, label).toEqual(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(cases.length / 2);
  });
}
