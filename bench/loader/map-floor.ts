// The floor of a JavaScript loader whose keyspace is a `Map`: the least work any loader built on
// a Map of byte strings has to do per record, measured next to the real one by run.ts.
//
// Per record it parses the RESP framing with no checks (the input is the benchmark's own,
// well-formed file), slices argv[1] (the key) and argv[2] (the value, '' when absent) out of the
// buffer as latin1 strings and inserts them into one Map: either wrapped in a small value object
// like the keyspace's `{ type, value }`, or bare (the value string itself). No command lookup, no
// executor, no expiry, no type checks, one db: everything the real loader adds is left out. If this
// floor is not well under the reference's time, no change to the parser or the executor can make
// the real loader reach a multiple of it; only a keyspace with fewer objects could.
//
// Invariant: the input is a sequence of complete `*N` records of `$len` bulks (throws otherwise).

import { RespFraming } from './resp-framing.ts';

export type FloorVariant = 'object' | 'bare';

type LatinBuffer = Buffer & { latin1Slice(start: number, end: number): string };

/** Loads `bytes` into a fresh Map as described above; returns the Map's size. */
export function mapFloor(bytes: Buffer, variant: FloorVariant): number {
  const b = bytes as LatinBuffer;
  const map = new Map<string, unknown>();
  const f = new RespFraming(b);
  while (f.more()) {
    f.next();
    const key = b.latin1Slice(f.keyAt, f.keyAt + f.keyLen);
    const value = b.latin1Slice(f.valueAt, f.valueAt + f.valueLen);
    map.set(key, variant === 'object' ? { type: 'string', value } : value);
  }
  return map.size;
}
