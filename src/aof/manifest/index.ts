// The multi-part AOF manifest (redis 7.0 aof.c, "AOF Manifest file implementation"): what the
// loader, the rewrite and the startup path use of it (the manifest type, file names, loading and
// the durable persist step). The rest (parsing, formatting, quoting) is imported from its own file
// by the few modules that need it; this index re-exports only what is imported through it.

export type { Manifest } from './types.ts';
export { emptyManifest, dupManifest } from './types.ts';
export { getBaseFileName, getIncrFileName, getTempIncrName } from './names.ts';
export { persistManifest } from './persist-manifest.ts';
export { loadManifestFile } from './load-manifest.ts';
