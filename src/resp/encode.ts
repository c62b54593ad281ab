// RESP multibulk encoding of a command, byte-identical to Redis's catAppendOnlyGenericCommand
// (redis: aof.c, 4.0 and 7.x): "*<argc>\r\n" then "$<len>\r\n<arg>\r\n" per argument.
// Works on byte strings (one char per byte), so .length is the byte length.

import type { Bytes } from '../keyspace/types.ts';

/** Appends the encoding of argv to `dst` and returns the new string (redis: catAppendOnlyGenericCommand). */
export function catAppendOnlyGenericCommand(dst: Bytes, argv: readonly Bytes[]): Bytes {
  let out = dst + '*' + argv.length + '\r\n';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    out += '$' + a.length + '\r\n' + a + '\r\n';
  }
  return out;
}

/** The encoding of one command as a byte string. */
export function encodeCommand(argv: readonly Bytes[]): Bytes {
  return catAppendOnlyGenericCommand('', argv);
}

