// The on-disk shapes the offline loader properties build in a memory fs: a Redis `dir` (/d) with a
// 7.0 `appendonlydir/` (manifest + BASE + INCRs) or a 4.0 `appendonly.aof`, the loader
// configuration that reads them, and a byte-exact picture of the files to compare before and after.

import type { LoaderConfig } from '../../../src/aof/loader/index.ts';
import type { Fs } from '../../../src/ports/fs.ts';

export const DIR = '/d';
export const AOF_DIR = '/d/appendonlydir';
export const MANIFEST_PATH = `${AOF_DIR}/appendonly.aof.manifest`;

export const MULTI_PART: LoaderConfig = {
  dir: DIR,
  appendFilename: 'appendonly.aof',
  appendDirname: 'appendonlydir',
  loadTruncated: true,
  layout: 'multi-part',
};

export const SINGLE_FILE: LoaderConfig = { ...MULTI_PART, layout: 'single-file' };

export interface PartFile {
  /** Name in the manifest (and in appendonlydir/). */
  name: string;
  type: 'b' | 'i';
  seq: number;
  content: string | Uint8Array;
}

/** BASE `appendonly.aof.1.base.<ext>` then INCRs `appendonly.aof.<i>.incr.aof` (seq i). */
export function standardParts(base: string | Uint8Array, incrs: (string | Uint8Array)[], baseExt: 'aof' | 'rdb' = 'aof'): PartFile[] {
  return [
    { name: `appendonly.aof.1.base.${baseExt}`, type: 'b', seq: 1, content: base },
    ...incrs.map((content, i): PartFile => ({ name: `appendonly.aof.${i + 1}.incr.aof`, type: 'i', seq: i + 1, content })),
  ];
}

/** The files of appendonlydir/ with its manifest, keyed by absolute path. */
export function multiPartTree(parts: PartFile[]): Record<string, string | Uint8Array> {
  const tree: Record<string, string | Uint8Array> = {
    [MANIFEST_PATH]: parts.map((p) => `file ${p.name} seq ${p.seq} type ${p.type}\n`).join(''),
  };
  for (const p of parts) tree[`${AOF_DIR}/${p.name}`] = p.content;
  return tree;
}

/** Each path's bytes as latin1 text (undefined: missing), for byte-exact comparisons. */
export function readFiles(fs: Fs, paths: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const p of paths) out[p] = fs.tryStat(p) === undefined ? undefined : Buffer.from(fs.readFile(p)).toString('latin1');
  return out;
}

/** The first path whose bytes differ, described; null when all are identical. */
export function firstChangedFile(before: Record<string, string | undefined>, after: Record<string, string | undefined>): string | null {
  for (const p of Object.keys(before)) {
    const a = before[p];
    const b = after[p];
    if (a !== b) return `${p}: ${a === undefined ? 'missing' : `${a.length} B`} -> ${b === undefined ? 'missing' : `${b.length} B`}`;
  }
  return null;
}
