// Property: `aofsim check --fix` then a strict load (aof-load-truncated no) gives exactly the state
// and the files that a load with aof-load-truncated yes gives on the damaged input; and --fix is
// idempotent (a second run finds nothing to fix and changes nothing).
// Inputs: a multi-part AOF (BASE + INCRs, or an old-style single file) built from a random write
// script (SET/DEL/INCR, SELECT, #TS:, MULTI blocks), with the LAST file cut at any offset (the
// damage aof-load-truncated is for: a short tail, including inside a MULTI block, spec bug 7/22).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';
import { checkAof } from '../src/aof/check/index.ts';
import { loadAppendOnlyFiles } from '../src/aof/loader/index.ts';
import type { LoaderConfig } from '../src/aof/loader/index.ts';
import { MapExecutor } from '../src/aof/loader/map-executor.ts';
import { nullLog } from '../src/ports/log.ts';
import type { Fs } from '../src/ports/fs.ts';
import { encodeCommand } from '../src/resp/encode.ts';
import { fcParams, scriptArb, type ScriptOp } from './loader-arbitraries.ts';

function scriptToAof(ops: ScriptOp[]): string {
  let out = '';
  let ts = 1_700_000_000;
  for (const o of ops) {
    if (o.op === 'set') out += encodeCommand(['SET', o.key, o.value]);
    else if (o.op === 'del') out += encodeCommand(['DEL', o.key]);
    else if (o.op === 'incr') out += encodeCommand(['INCR', o.key]);
    else if (o.op === 'select') out += encodeCommand(['SELECT', String(o.db)]);
    else if (o.op === 'ts') out += `#TS:${ts++}\r\n`;
    else {
      out += encodeCommand(['MULTI']);
      for (const b of o.body) out += scriptToAof([b]);
      out += encodeCommand(['EXEC']);
    }
  }
  return out;
}

const DIR = '/d';
const AOFDIR = '/d/appendonlydir';
const MANIFEST = `${AOFDIR}/appendonly.aof.manifest`;

interface Layout {
  files: Record<string, string>;
  target: string;
  cfg: (loadTruncated: boolean) => LoaderConfig;
}

/** BASE (RESP) + INCRs in a manifest; the last file is cut at `cutPermille` of its length. */
function multiPart(parts: string[], cutPermille: number): Layout {
  const names = parts.map((_, i) => (i === 0 ? 'appendonly.aof.1.base.aof' : `appendonly.aof.${i}.incr.aof`));
  const files: Record<string, string> = {};
  let manifest = '';
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    files[`${AOFDIR}/${names[i]}`] = last ? p.slice(0, Math.floor((p.length * cutPermille) / 1000)) : p;
    manifest += `file ${names[i]} seq ${Math.max(1, i)} type ${i === 0 ? 'b' : 'i'}\n`;
  });
  files[MANIFEST] = manifest;
  return {
    files,
    target: MANIFEST,
    cfg: (loadTruncated) => ({
      dir: DIR,
      appendFilename: 'appendonly.aof',
      appendDirname: 'appendonlydir',
      loadTruncated,
      layout: 'multi-part',
      ignoreLegacyFile: true,
    }),
  };
}

function singleFile(aof: string, cutPermille: number): Layout {
  return {
    files: { [`${DIR}/appendonly.aof`]: aof.slice(0, Math.floor((aof.length * cutPermille) / 1000)) },
    target: `${DIR}/appendonly.aof`,
    cfg: (loadTruncated) => ({
      dir: DIR,
      appendFilename: 'appendonly.aof',
      appendDirname: 'appendonlydir',
      loadTruncated,
      layout: 'single-file',
    }),
  };
}

function load(fs: Fs, cfg: LoaderConfig) {
  const executor = new MapExecutor();
  const res = loadAppendOnlyFiles({ fs, log: nullLog, executor, modify: true }, cfg);
  return { status: res.status, state: executor.snapshot() };
}

function contents(fs: Fs, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(files).map((p) => [p, Buffer.from(fs.readFile(p)).toString('latin1')]));
}

function checkProperty(layout: Layout): void {
  // Reference: the loader with aof-load-truncated yes on the damaged files.
  const refFs = createMemoryFs(layout.files);
  const ref = load(refFs, layout.cfg(true));
  expect(['ok', 'truncated', 'empty', 'not-exist']).toContain(ref.status);

  // check --fix, then a strict load.
  const fs = createMemoryFs(layout.files);
  const fixed = checkAof(fs, layout.target, { fix: true, confirm: () => 'y' });
  expect(fixed.exitCode, fixed.lines.join('\n')).toBe(0);
  expect(fixed.fixes.length).toBe(ref.status === 'truncated' ? 1 : 0);
  const afterFix = contents(fs, layout.files);
  const strict = load(fs, layout.cfg(false));
  expect(['ok', 'empty', 'not-exist']).toContain(strict.status);
  expect(strict.state).toEqual(ref.state);
  // The loader cut the same bytes as --fix, except that it also drops `#` annotation lines right
  // before the cut (its valid_up_to only moves after commands; redis-check-aof's ok_up_to moves
  // after annotations too). Both are Redis's behaviour.
  const loaderCut = contents(refFs, layout.files);
  for (const [path, text] of Object.entries(afterFix)) {
    const ref = loaderCut[path]!;
    expect(text.startsWith(ref), path).toBe(true);
    expect(/^(#[^\n]*\n)*$/.test(text.slice(ref.length)), `${path}: only annotations beyond the loader's cut`).toBe(true);
  }

  // Idempotent.
  const again = checkAof(fs, layout.target, { fix: true, confirm: () => 'y' });
  expect(again.exitCode).toBe(0);
  expect(again.fixes).toEqual([]);
  expect(contents(fs, layout.files)).toEqual(afterFix);
}

const cutArb = fc.integer({ min: 0, max: 1000 });

describe('check --fix == load with aof-load-truncated', () => {
  it('multi-part: BASE + INCRs, last file cut anywhere', () => {
    fc.assert(
      fc.property(fc.array(scriptArb, { minLength: 1, maxLength: 3 }), cutArb, (scripts, cut) => {
        checkProperty(multiPart(scripts.map(scriptToAof), cut));
      }),
      fcParams(150), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });

  it('old-style single file cut anywhere', () => {
    fc.assert(
      // The single-file layout loads with Redis 4.0 rules, which know no `#` annotations.
      fc.property(scriptArb, cutArb, (script, cut) => {
        checkProperty(singleFile(scriptToAof(script.filter((o) => o.op !== 'ts')), cut));
      }),
      fcParams(150), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });
});
