// The fixture directories below `dir` (each holding an expected.json: fixtures/redis-7.0.15/ and
// its nested stages), depth first in name order, so suites over the fixtures list them the same way.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function fixtureDirs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) continue;
    if (existsSync(join(p, 'expected.json'))) out.push(p);
    out.push(...fixtureDirs(p));
  }
  return out;
}
