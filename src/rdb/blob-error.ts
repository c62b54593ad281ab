// The failure of a packed-encoding parser (listpack, ziplist, intset, zipmap): a reason in Redis's
// words and the byte position inside the (decompressed) blob. The RDB reader turns it into an
// AOF_RDB_CORRUPT error located at the blob's file offset, so a malformed blob never escapes as a
// RangeError or a garbage value.

export class BlobError extends Error {
  constructor(
    readonly reason: string,
    readonly at: number,
  ) {
    super(`${reason} (blob byte ${at})`);
    this.name = 'BlobError';
  }
}

export function isBlobError(e: unknown): e is BlobError {
  return e instanceof BlobError;
}
