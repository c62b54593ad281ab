// Property: aofsim's manifest reader (src/aof/manifest/parse-manifest.ts, split-args.ts) reads every
// generated manifest as Redis 7.0.15's aofLoadManifestFromFile does (properties/manifest-model.ts):
// the same files, seqs, types and counters for the valid ones (any key case and order, unknown and
// repeated keys, quoted names with every escape, seqs as atoll reads them, CRLF, comments), the same
// message, line number and echoed line for the damaged ones; and `aofsim check` on the manifest
// prints redis-check-aof's lines for it (the fatal manifest error, or the multi-part skeleton over
// the listed files). The conformance twin holds the model against redis-check-aof 7.0.15.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';
import { isAofError } from '../src/base/errors.ts';
import { checkAof } from '../src/aof/check/index.ts';
import { parseManifest } from '../src/aof/manifest/parse-manifest.ts';
import type { ManifestOutcome } from './manifest-model.ts';
import { manifestCaseArb } from './manifest-model.ts';
import { checkable, expectedCheckOfManifest, listedFiles } from './manifest-cases.ts';
import { fcParams } from './loader-arbitraries.ts';

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function ours(text: string): ManifestOutcome {
  try {
    const m = parseManifest(latin1(text), 'appendonly.aof.manifest');
    return { ok: true, base: m.base, history: m.history, incrs: m.incrs, currBaseSeq: m.currBaseSeq, currIncrSeq: m.currIncrSeq };
  } catch (e) {
    if (!isAofError(e)) throw e;
    const d = e.details as { line?: number; lineText?: string };
    return d.line === undefined ? { ok: false, reason: e.reason } : { ok: false, reason: e.reason, line: d.line, lineText: d.lineText ?? '' };
  }
}

describe('the manifest reader reads what Redis 7.0.15 reads', () => {
  it('files, seqs, types and counters, or the message, line and echoed text', () => {
    fc.assert(
      fc.property(manifestCaseArb, (c) => {
        expect(ours(c.text)).toEqual(c.outcome);
      }),
      fcParams(500), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });

  it('aofsim check prints redis-check-aof lines for the manifest', () => {
    fc.assert(
      fc.property(
        manifestCaseArb.filter(checkable),
        (c) => {
          const dir = '/d/appendonlydir';
          const files: Record<string, string | Uint8Array> = { [`${dir}/appendonly.aof.manifest`]: latin1(c.text) };
          for (const n of listedFiles(c)) files[`${dir}/${n}`] = new Uint8Array(0);
          const r = checkAof(createMemoryFs(files), `${dir}/appendonly.aof.manifest`);
          const want = expectedCheckOfManifest(c);
          // compared as printed: a name holding '\n' is one line of Redis's and two of aofsim's
          expect(r.lines.join('\n')).toEqual(want.lines.join('\n'));
          expect(r.exitCode).toBe(want.exitCode);
        },
      ),
      fcParams(100), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });
});
