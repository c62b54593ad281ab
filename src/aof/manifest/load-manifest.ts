// Reading a manifest file through the Fs port. redis: aof.c aofLoadManifestFromFile (7.0), the
// open step: failure -> "Fatal error: can't open the AOF manifest file %s for reading: %s".

import { AofError } from '../../base/errors.ts';
import type { Fs } from '../../ports/fs.ts';
import { basename, isFsError } from '../../ports/fs.ts';
import { parseManifest } from './parse-manifest.ts';
import type { Manifest } from './types.ts';

/** Reads and parses `path`; throws AofError AOF_OPEN when unreadable, AOF_MANIFEST_INVALID when bad. */
export function loadManifestFile(fs: Fs, path: string): Manifest {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFile(path);
  } catch (e) {
    if (!isFsError(e)) throw e;
    throw new AofError(
      'AOF_OPEN',
      `Fatal error: can't open the AOF manifest file ${path} for reading: ${e.strerror}`,
      { file: basename(path) },
    );
  }
  return parseManifest(bytes, basename(path));
}
