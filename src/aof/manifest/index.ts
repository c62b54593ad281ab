// The multi-part AOF manifest (redis 7.0 aof.c, "AOF Manifest file implementation"): types, the
// reader, the writer, file names and the durable persist step. Import from here.

export type { AofFileType, AofInfo, Manifest } from './types.ts';
export { emptyManifest, dupManifest } from './types.ts';
export type { BaseFormat } from './names.ts';
export {
  getBaseFileName,
  getIncrFileName,
  getTempIncrName,
  getManifestName,
  getTempManifestName,
} from './names.ts';
export type { ManifestReason } from './parse-manifest.ts';
export { parseManifest, atoll, MANIFEST_MAX_LINE } from './parse-manifest.ts';
export { formatManifest, formatAofInfo } from './format-manifest.ts';
export type { ManifestBug, PersistManifestOptions } from './persist-manifest.ts';
export { persistManifest, persistManifestIfDirty } from './persist-manifest.ts';
export { loadManifestFile } from './load-manifest.ts';
export { splitArgs } from './split-args.ts';
export { needsRepr, catRepr } from './sds-repr.ts';
