// The timeout argument of the blocking commands, as Redis reads it (redis: timeout.c
// getTimeoutFromObjectOrReply, 7.0.15 and 4.0.14). The answer is either the error Redis replies or
// the offset from now of the deadline Redis stores (0 = block forever).
//
// 7.0.15, seconds (BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP): the
// argument is a long double (string2ld: inf and 1e400 parse, nan does not) and the timeout in ms is
// `(long long) ceill(ftval * 1000.0)`. So -0.0005 rounds up to 0 and blocks forever, and a value
// whose ms do not fit a long long (inf, 1e400, 9.3e15) converts to LLONG_MIN on x86-64 and is
// refused as negative. There is no "out of range" check in 7.0.15 (7.2 added one).
// 7.0.15, milliseconds (XREAD/XREADGROUP BLOCK): a long long.
// 4.0.14: a long long in whole seconds, multiplied by 1000 with two's-complement wrap-around.
// Both then add mstime() to a positive timeout, again wrapping: a deadline that wraps below now
// times out at the first check.
//
// Invariants: returns an error Reply or `{ offsetMs }` with now + offsetMs equal to Redis's stored
// deadline (to double precision); offsetMs is 0 when Redis blocks forever.
// DIVERGENCE(redis): on 4.0 a timeout of 2^61 s wraps to exactly 0 ms and Redis stores a deadline
// of now (it times out at once); here that reads as 0, forever.

import type { Profile } from '../base/profile.ts';
import type { Bytes } from '../keyspace/types.ts';
import { parseInt64 } from './args.ts';
import { ceilLongDouble, mulLongDouble, parseLongDouble } from './long-double.ts';
import type { Reply } from './reply.ts';
import { error } from './reply.ts';

const LLONG_MIN = -(1n << 63n);
const LLONG_MAX = (1n << 63n) - 1n;
const THOUSAND = { neg: false, m: 1000n, e: 0 };

export type BlockingTimeout = Reply | { offsetMs: number };

/** The ms a 7.0.15 seconds argument stands for: `(long long) ceill(v * 1000.0)` on x86-64. */
function secondsToMs70(s: Bytes): bigint | null {
  const v = parseLongDouble(s);
  if (v === null) return null;
  if (typeof v === 'string') return LLONG_MIN; // (long long) of an infinity: the x87 "integer indefinite"
  const product = mulLongDouble(v, THOUSAND);
  if (product === null) return LLONG_MIN;
  const ms = ceilLongDouble(product);
  return ms < LLONG_MIN || ms > LLONG_MAX ? LLONG_MIN : ms;
}

/** redis: timeout.c getTimeoutFromObjectOrReply for `profile`, `unit` as the command passes it. */
export function blockingTimeout(profile: Profile, s: Bytes, unit: 'seconds' | 'ms', nowMs: number): BlockingTimeout {
  let ms: bigint;
  if (unit === 'seconds' && profile === 'redis-7.0') {
    const t = secondsToMs70(s);
    if (t === null) return error('ERR timeout is not a float or out of range');
    ms = t;
  } else {
    const t = parseInt64(s);
    if (t === null) return error('ERR timeout is not an integer or out of range');
    ms = t;
  }
  if (ms < 0n) return error('ERR timeout is negative');
  if (ms === 0n) return { offsetMs: 0 };
  if (unit === 'seconds' && profile === 'redis-4.0') ms = BigInt.asIntN(64, ms * 1000n);
  const now = BigInt(nowMs);
  return { offsetMs: Number(BigInt.asIntN(64, ms + now) - now) };
}

export function isTimeoutError(t: BlockingTimeout): t is Reply {
  return 'kind' in t;
}
