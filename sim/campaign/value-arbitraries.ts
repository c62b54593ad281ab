// The campaign workload's data: keys, string values, set members, scores and whole collections,
// drawn so that the sizes and encodings the AOF, the RDB preamble and the rewrite care about come
// up in every few runs instead of after ~100,000 (issue 18.2). What is aimed at, and why:
//
// - value sizes from 0 bytes to 4 MB, skewed small: most values are 1-3 bytes; ~1 in 8 sits at a
//   size boundary (embstr 39/44 bytes, listpack/ziplist values 64, the loader's 1 KB line buffer
//   and 4 KB reads, the 4.0 child's 10 KB diff interval, quicklist's 8 KB nodes, the 64 KB pipe);
//   ~2% are 64 KB or more and ~0.3% 1 MB or more, so a few SETs during a rewrite fill 4.0's 64 KB
//   diff pipe and cross its 10 MB rewrite-buffer blocks. Big values are a seeded ASCII pattern
//   (cheap to make, one byte per character) that holds CRLF and RESP-looking text.
// - integers at every encoding boundary, +-1: int8/int16/int32/int64 (the RDB's INT encodings,
//   intset's int16/int32/int64, LLONG_MIN/MAX and one past them), the 24-bit and 13-bit listpack
//   and ziplist integers, the 10000 shared integers, 2^53 (exact doubles), 2^32; and the strings
//   that look like numbers but are not canonical ("-0", leading zeros, "+1", " 1", "1e3").
// - scores: those integers plus -0, inf, the smallest and largest doubles, 0.1 (17-digit text).
// - collections crossing every threshold in one command: 64/65 elements (the rewrite's
//   AOF_REWRITE_ITEMS_PER_CMD), 128/129 (hash/zset listpack entries in 7.0, zset ziplist in 4.0),
//   512/513 (intset entries; hash ziplist entries in 4.0), members running over intset's int16 and
//   int32 ranges.
// - keys with binary bytes: NUL, CR LF, bytes >= 0x80 (UTF-8 here: scenario files carry argv as
//   JSON strings, so a key is any valid UTF-8 text, not any byte string), and the empty key.
//
// Invariants: everything is a pure function of fast-check's draws (no other randomness); values
// are strings whose UTF-8 encoding is the intended bytes; shrinking goes to the small values.

import fc from 'fast-check';

/** The plain keys (the run's probe INCRs k3); binary keys come in at a lower weight. */
export const PLAIN_KEYS: readonly string[] = ['k0', 'k1', 'k2', 'k3'];
/** Keys with NUL, CR LF, high bytes, a space, and the empty key. */
export const BINARY_KEYS: readonly string[] = ['\u0000k\r\n', 'k\u00ff\u00e9 \u4e2d', ''];

export function keyArb(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...PLAIN_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...BINARY_KEYS) });
}

/** Encoding boundaries of integers, each also drawn +-1 (intNearBoundaryArb). */
const INT_BOUNDARIES: readonly bigint[] = [
  0n, 12n, 13n, // ziplist 4-bit immediates 0..12
  127n, -128n, 255n, // int8, listpack 7-bit uint
  4095n, -4096n, // listpack 13-bit
  9999n, 10000n, // OBJ_SHARED_INTEGERS
  32767n, -32768n, 65535n, // int16
  8388607n, -8388608n, // int24 (ziplist, listpack)
  2147483647n, -2147483648n, 4294967295n, 4294967296n, // int32, 2^32
  9007199254740992n, -9007199254740992n, // 2^53: the last integer a double holds exactly
  9223372036854775807n, -9223372036854775808n, // LLONG_MAX / LLONG_MIN (one past them is not an integer)
];

/** Integer texts at an encoding boundary, or one off it. */
export function intNearBoundaryArb(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...INT_BOUNDARIES), fc.constantFrom(0n, 1n, -1n)).map(([b, d]) => String(b + d));
}

/** Number-like texts that are not canonical integers (or are odd ones): parsers must agree on them. */
const NUMBERISH: readonly string[] = ['-0', '007', '00', '+1', ' 1', '1 ', '1e3', '0x1A', '1.0', '3.5e-3', 'inf', '-inf', 'nan', '18446744073709551616'];

/** Short strings with the bytes the AOF format itself uses. */
const AWKWARD: readonly string[] = ['', '\r\n', 'a\r\nb', '*1\r\n$4\r\nPING\r\n', '$-1\r\n', '\u0000', 'x\u0000y', '\u00e9', ' '];

/** Sizes around the boundaries named in the header (bytes). */
const MEDIUM_SIZES: readonly number[] = [39, 40, 44, 45, 63, 64, 65, 127, 128, 1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192, 8193, 10239, 10240, 10241];
const LARGE_SIZES: readonly number[] = [65535, 65536, 65537, 100_000, 262_144, 524_289];
const HUGE_SIZES: readonly number[] = [1_048_576, 1_048_577, 2_500_000, 4_194_307];

/**
 * `lengthBytes` bytes of a pattern picked by `seed`: ASCII only (one byte per character), with
 * CR LF and RESP-looking pieces, so a torn or misparsed value is visible. The pattern repeats, so
 * the RDB's LZF squeezes it to almost nothing; `noise` gives printable bytes from a xorshift
 * stream instead, which LZF cannot shrink (an RDB body then is as large as the values).
 */
export function patternValue(lengthBytes: number, seed: number, noise = false): string {
  if (noise) return noiseValue(lengthBytes, seed);
  const unit = `v${seed}:${'abcdefghijklmnopqrstuvwxyz'.slice(seed % 26)}\r\n$${seed % 10}\r\n*${seed % 7}|`;
  if (lengthBytes <= unit.length) return unit.slice(0, lengthBytes);
  return unit.repeat(Math.ceil(lengthBytes / unit.length)).slice(0, lengthBytes);
}

function noiseValue(lengthBytes: number, seed: number): string {
  const out = Buffer.allocUnsafe(lengthBytes);
  let x = (seed * 2654435761 + 1) | 0 || 1;
  for (let i = 0; i < lengthBytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = 33 + ((x >>> 0) % 94); // '!'..'~'
  }
  return out.toString('latin1');
}

function sizedArb(sizes: readonly number[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...sizes), fc.nat({ max: 999 })).map(([n, seed]) => patternValue(n, seed));
}

/** Weights out of 1000: 2% large (>= 64 KB), 0.3% huge (>= 1 MB); none over `maxBytes`. */
export function valueArb(maxBytes = Number.POSITIVE_INFINITY): fc.Arbitrary<string> {
  const sized = (weight: number, sizes: readonly number[]): { weight: number; arbitrary: fc.Arbitrary<string> }[] => {
    const fit = sizes.filter((n) => n <= maxBytes);
    return fit.length === 0 ? [] : [{ weight, arbitrary: sizedArb(fit) }];
  };
  return fc.oneof(
    { weight: 700, arbitrary: fc.constantFrom('a', 'bb', '12', '3.5', 'x') },
    { weight: 90, arbitrary: intNearBoundaryArb() },
    { weight: 30, arbitrary: fc.constantFrom(...NUMBERISH) },
    { weight: 40, arbitrary: fc.constantFrom(...AWKWARD) },
    ...sized(117, MEDIUM_SIZES),
    ...sized(20, LARGE_SIZES),
    ...sized(3, HUGE_SIZES),
  );
}

/** Set members and hash fields: the three small names, integers (intset), and odd strings. */
export function memberArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom('m1', 'm2', 'm3') },
    { weight: 6, arbitrary: intNearBoundaryArb() },
    { weight: 2, arbitrary: fc.constantFrom(...AWKWARD, '-0', '007') },
    { weight: 1, arbitrary: sizedArb([63, 64, 65, 1025]) },
  );
}

/** ZADD scores: small integers, boundary integers, and doubles whose text is delicate. */
export function scoreArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: -3, max: 9 }).map(String) },
    { weight: 4, arbitrary: intNearBoundaryArb() },
    { weight: 3, arbitrary: fc.constantFrom('-0', '0.1', 'inf', '-inf', '1.5e300', '5e-324', '1.7976931348623157e308', '9007199254740993', '-2.5') },
  );
}

/** Element counts at the collection thresholds named in the header. */
const COUNTS: readonly number[] = [64, 65, 128, 129, 512, 513];
/** First integer of a run of integer members: inside int16, just below int16's and int32's ends. */
const INT_STARTS: readonly bigint[] = [0n, 32700n, -32800n, 2147483600n, 9223372036854775000n];

function intRun(start: bigint, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String(start + BigInt(i)));
  return out;
}

/**
 * One command that builds or grows a collection across an encoding threshold: RPUSH, SADD of
 * integers (intset) or strings, HMSET (HSET takes one pair on 4.0) and ZADD with n elements;
 * every form exists in both profiles.
 */
export function bulkCollectionArb(key: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  const n = fc.constantFrom(...COUNTS);
  const wide = fc.constantFrom(8, 64, 65); // element bytes: 64 is listpack's value limit
  return fc.oneof(
    fc.tuple(key, n, fc.constantFrom(...INT_STARTS)).map(([k, c, s]) => ['RPUSH', k, ...intRun(s, c)]),
    fc.tuple(key, n, fc.constantFrom(...INT_STARTS)).map(([k, c, s]) => ['SADD', k, ...intRun(s, c)]),
    fc.tuple(key, n, wide).map(([k, c, w]) => ['SADD', k, ...intRun(0n, c).map((i) => patternValue(w, Number(i)).replace(/^v\d+:/, `m${i}:`))]),
    fc.tuple(key, n, wide).map(([k, c, w]) => ['HMSET', k, ...intRun(0n, c).flatMap((i) => [`f${i}`, patternValue(w, Number(i))])]),
    fc.tuple(key, n, fc.constantFrom(...INT_STARTS)).map(([k, c, s]) => ['ZADD', k, ...intRun(s, c).flatMap((i) => [i, `z${i}`])]),
  );
}
