// RESP bulk-string text for the rewrite emitters (redis: rio.c rioWriteBulkString/Count).
// Byte strings in, byte strings out: `.length` is the byte length.

import type { Bytes } from '../../keyspace/types.ts';

/** `$<len>\r\n<s>\r\n`. */
export function bulk(s: Bytes): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}
