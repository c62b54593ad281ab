// What aofsim's checker prints for a generated manifest (properties/manifest-model.ts) whose listed
// files exist and are empty: Redis's multi-part skeleton for a manifest it reads, or its fatal
// manifest error lines. Shared by the manifest property and its conformance twin.

import type { ManifestCase } from './manifest-model.ts';

/** redis-check-aof's lines (without the log prefix and blank lines) and exit code. */
export function expectedCheckOfManifest(c: ManifestCase): { lines: string[]; exitCode: 0 | 1 } {
  const o = c.outcome;
  const lines = ['Start checking Multi Part AOF'];
  if (!o.ok) {
    lines.push('*** FATAL AOF MANIFEST FILE ERROR ***');
    if (o.line !== undefined) lines.push(`Reading the manifest file, at line ${o.line}`, `>>> '${o.lineText}'`);
    lines.push(o.reason);
    return { lines, exitCode: 1 };
  }
  if (o.base) lines.push('Start to check BASE AOF (RESP format).', `BASE AOF ${o.base.name} is empty`);
  if (o.incrs.length > 0) lines.push('Start to check INCR files.', ...o.incrs.map((e) => `INCR AOF ${e.name} is empty`));
  lines.push('All AOF files and manifest are valid');
  return { lines, exitCode: 0 };
}

/** A case the checker can be run on: a manifest (as both rules see it) listing no '.' or '..'. */
export function checkable(c: ManifestCase): boolean {
  return c.startsWithFile && listedFiles(c).every((n) => n !== '.' && n !== '..');
}

/** The files a manifest lists (BASE and INCRs: redis-check-aof opens those, not HISTORY). */
export function listedFiles(c: ManifestCase): string[] {
  const o = c.outcome;
  return o.ok ? [...(o.base ? [o.base.name] : []), ...o.incrs.map((e) => e.name)] : [];
}
