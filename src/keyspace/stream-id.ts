// Stream id helpers shared by the keyspace stream type and the RDB stream loader and saver
// (redis: t_stream.c streamEncodeID, streamDecodeID, streamCompareID). Ids are unsigned 64-bit
// pairs held as bigint; the 16-byte big-endian encoding is the rax key of a stream node and the
// raw id of a PEL entry.

import type { StreamId } from './types.ts';

export const ZERO_ID: StreamId = { ms: 0n, seq: 0n };

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/** 16 bytes, big endian (streamEncodeID), as a byte string (usable as a Map key). */
export function encodeIdKey(id: StreamId): string {
  const b = Buffer.allocUnsafe(16);
  b.writeBigUInt64BE(id.ms, 0);
  b.writeBigUInt64BE(id.seq, 8);
  return b.toString('latin1', 0, 16);
}

export function decodeIdBytes(b: Uint8Array, at = 0): StreamId {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return { ms: buf.readBigUInt64BE(at), seq: buf.readBigUInt64BE(at + 8) };
}
