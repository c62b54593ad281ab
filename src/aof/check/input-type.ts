// What kind of file redis-check-aof was given, decided by content.
// redis: redis-check-aof.c getInputFileType, fileIsManifest, fileIsRDB (7.0.15; manifest rule as
// fixed by redis/redis#12958).
// - manifest: reading 1024-byte fgets chunks, skipping chunks that start with '#', the first other
//   chunk starts with `file`;
// - RDB preamble: size >= 8 and the file starts with REDIS;
// - otherwise RESP.
// `legacyManifest` is what 7.0.15 decided (any non-comment chunk starting with `file`), so the
// checker can warn when the two rules disagree.

export type InputFileType = 'resp' | 'rdb-preamble' | 'multi-part';

const FILE = [0x66, 0x69, 0x6c, 0x65];
const REDIS = [0x52, 0x45, 0x44, 0x49, 0x53];
const MANIFEST_MAX_LINE = 1024;

function startsWith(data: Uint8Array, at: number, end: number, sig: number[]): boolean {
  if (end - at < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (data[at + i] !== sig[i]) return false;
  return true;
}

/** redis: fileIsManifest. */
export function manifestDecision(data: Uint8Array): { manifest: boolean; legacyManifest: boolean } {
  let manifest = false;
  let legacy = false;
  let decided = false;
  let p = 0;
  while (p < data.length) {
    const limit = Math.min(data.length, p + MANIFEST_MAX_LINE);
    const nl = data.indexOf(0x0a, p);
    const end = nl >= 0 && nl < limit ? nl + 1 : limit;
    if (data[p] !== 0x23) {
      const isFile = startsWith(data, p, end, FILE);
      if (isFile) legacy = true;
      if (!decided) {
        if (isFile) manifest = true;
        else decided = true;
      }
      if (legacy && decided) break;
    }
    p = end;
  }
  return { manifest, legacyManifest: legacy };
}

/** redis: fileIsRDB. */
export function isRdb(data: Uint8Array): boolean {
  return data.length >= 8 && startsWith(data, 0, data.length, REDIS);
}
