// The manifest writer. redis: aof.c getAofManifestAsString + aofInfoFormat (7.0).
// One line per file, `file <name> seq <n> type <c>\n`, in the order BASE, HISTORY (head first),
// INCR (ascending). A name that needs quoting (sdsneedsrepr) is written as sdscatrepr does.
// Invariant: parseManifest(formatManifest(m)) has the same files as m for every name that is
// non-empty, NUL-free, '/'- and '\\'-free and short enough for a 1024-byte line.

import type { AofInfo, Manifest } from './types.ts';
import { catRepr, needsRepr } from './sds-repr.ts';

/** One manifest line (redis: aofInfoFormat). */
export function formatAofInfo(ai: AofInfo): string {
  const name = needsRepr(ai.name) ? catRepr(ai.name) : ai.name;
  return `file ${name} seq ${ai.seq} type ${ai.type}\n`;
}

/** The whole manifest as a latin1 string (redis: getAofManifestAsString). */
export function formatManifest(m: Manifest): string {
  let out = '';
  if (m.base) out += formatAofInfo(m.base);
  for (const h of m.history) out += formatAofInfo(h);
  for (const i of m.incrs) out += formatAofInfo(i);
  return out;
}
