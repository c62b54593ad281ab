// The warning catalogue the AOF properties hold aofsim's log to (properties/redis-log-catalogue.ts) is
// Redis's words: every printf format in it is in the read-only data of the binary it is listed for
// (redis-server 7.0.15, redis-server 4.0.14), byte for byte. aofsim's own lines (AOFSIM_FIX_LINES)
// must be in neither. Skips loudly without a binary; fails with AOFSIM_REQUIRE_REDIS=1.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/base/profile.ts';
import { REDIS40_BIN, redis40Missing, skipLoudly } from '../../sim/subjects/real-availability.ts';
import { AOFSIM_FIX_LINES, CATALOGUE } from '../redis-log-catalogue.ts';
import { REDIS_SERVER, redisUnavailableReason } from './harness.ts';

const BINARIES: Record<Profile, { bin: string; missing: string | null }> = {
  'redis-7.0': { bin: REDIS_SERVER, missing: redisUnavailableReason() },
  'redis-4.0': { bin: REDIS40_BIN, missing: redis40Missing() },
};

/** The binary's C strings (NUL-separated), as latin1 text. */
function cStrings(bin: string): Set<string> {
  return new Set(readFileSync(bin).toString('latin1').split('\0'));
}

for (const profile of ['redis-7.0', 'redis-4.0'] as const) {
  const { bin, missing } = BINARIES[profile];
  describe.skipIf(skipLoudly(`the ${profile} warning catalogue vs ${bin}`, missing))(`the warning catalogue vs the ${profile} binary`, () => {
    it('holds every format listed for it, and none of aofsim\'s own lines', () => {
      const strings = cStrings(bin);
      // A format may sit in the binary with Redis's trailing newline.
      const inBinary = (f: string): boolean => strings.has(f) || strings.has(`${f}\n`) || strings.has(`-${f}`);
      const listed = CATALOGUE.filter((c) => c.binaries.includes(profile)).map((c) => c.format);
      expect(listed.length).toBeGreaterThan(10);
      expect(listed.filter((f) => !inBinary(f))).toEqual([]);
      expect(AOFSIM_FIX_LINES.filter((f) => inBinary(f))).toEqual([]);
    });
  });
}
