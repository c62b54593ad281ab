// Generated workloads for the redis-4.0 differential suite (redis40-commands-vs-redis.test.ts): the
// write commands of Redis 4.0's core types and key space, with 4.0's syntax, plus syntax that only
// later versions have (SET ... GET / KEEPTTL / PXAT, ZADD GT/LT, GETEX, GETDEL, LMOVE, LPOP with a
// count, HSET with several pairs, EXPIRE NX, ZPOPMIN, ZRANGE BYSCORE/BYLEX/REV/LIMIT, GEOADD NX/XX/CH,
// GEORADIUS ANY, FLUSHDB SYNC, RESTORE ABSTTL/IDLETIME/FREQ, BITCOUNT/BITPOS BIT|BYTE, fractional
// BLPOP timeouts, ...), which 4.0 answers with an error, and
// reads that show the state (GET, LRANGE, SMEMBERS, ZRANGE WITHSCORES, HGETALL, EXISTS).
// Sequences are plain commands or MULTI ... EXEC blocks of them.
//
// Invariant: nothing depends on sub-second timing: TTLs are >= 100 s (no key expires during a
// run; TTL replies are not read) and absolute times are far in the future.

import fc from 'fast-check';

export type Cmd = string[];

const key = fc.constantFrom('k1', 'k2', 'k3');
const setKey = fc.constantFrom('t0', 't1', 't2', 't3');
const val = fc.constantFrom('a', 'bb', '12', '-3', '3.5', 'x y', '');
const mem = fc.constantFrom('m1', 'm2', 'm3', '7');
const int = fc.integer({ min: -5, max: 20 }).map(String);
const score = fc.constantFrom('1', '2.5', '-1', '0', 'inf', '-inf', '1e3', 'nan', 'x');
const ttlS = fc.integer({ min: 100, max: 1000 }).map(String);
const farMs = fc.integer({ min: 0, max: 1000 }).map((n) => String(4102444800000 + n));
const geoKey = fc.constantFrom('g1', 'g2');
const lon = fc.constantFrom('13.361389', '15.087269', '2.35', '180', '-180', '179.99', '200', 'x');
const lat = fc.constantFrom('38.115556', '37.502669', '48.85', '91');
const farS = fc.integer({ min: 0, max: 1000 }).map((n) => String(4102444800 + n));

const c = <T extends unknown[]>(arb: fc.Arbitrary<T>, f: (...xs: T) => Cmd): fc.Arbitrary<Cmd> => arb.map((xs) => f(...xs));

const STRINGS: fc.Arbitrary<Cmd>[] = [
  c(fc.tuple(key, val), (k, v) => ['SET', k, v]),
  c(fc.tuple(key, val, fc.constantFrom('NX', 'XX')), (k, v, o) => ['SET', k, v, o]),
  c(fc.tuple(key, val, fc.constantFrom('EX', 'PX'), ttlS), (k, v, u, n) => ['SET', k, v, u, u === 'PX' ? n + '000' : n]),
  c(fc.tuple(key, val, fc.constantFrom('NX', 'XX'), ttlS), (k, v, o, n) => ['SET', k, v, 'EX', n, o]),
  c(fc.tuple(key, val, fc.constantFrom(['NX', 'XX'], ['EX', '10', 'PX', '10'], ['EX', '0'], ['EX', 'x'], ['EX'])), (k, v, o) => ['SET', k, v, ...o]),
  // later versions' SET options
  c(fc.tuple(key, val, fc.constantFrom(['GET'], ['KEEPTTL'], ['NX', 'GET'])), (k, v, o) => ['SET', k, v, ...o]),
  c(fc.tuple(key, val, farMs), (k, v, t) => ['SET', k, v, 'PXAT', t]),
  c(fc.tuple(key, val, farS), (k, v, t) => ['SET', k, v, 'EXAT', t]),
  c(fc.tuple(key, ttlS, val), (k, n, v) => ['SETEX', k, n, v]),
  c(fc.tuple(key, ttlS, val), (k, n, v) => ['PSETEX', k, n + '000', v]),
  c(fc.tuple(key, val), (k, v) => ['SETNX', k, v]),
  c(fc.tuple(key, val), (k, v) => ['GETSET', k, v]),
  c(fc.tuple(key, val), (k, v) => ['APPEND', k, v]),
  c(fc.tuple(key), (k) => ['INCR', k]),
  c(fc.tuple(key, int), (k, n) => ['INCRBY', k, n]),
  c(fc.tuple(key), (k) => ['DECR', k]),
  c(fc.tuple(key, fc.constantFrom('1.5', '-2', '0.1', 'x')), (k, n) => ['INCRBYFLOAT', k, n]),
  c(fc.tuple(key, val, key, val), (a, v, b, w) => ['MSET', a, v, b, w]),
  c(fc.tuple(key, fc.integer({ min: 0, max: 5 }), val), (k, o, v) => ['SETRANGE', k, String(o), v]),
  c(fc.tuple(key), (k) => ['GET', k]),
  c(fc.tuple(key), (k) => ['GETDEL', k]),
  c(fc.tuple(key, ttlS), (k, n) => ['GETEX', k, 'EX', n]),
  c(fc.tuple(key, fc.constantFrom([], ['0', '1'], ['-2', '-1'], ['0', '1', 'BIT'], ['0', '-1', 'BYTE'], ['0'])), (k, r) => ['BITCOUNT', k, ...r]),
  c(fc.tuple(key, fc.constantFrom('0', '1', '2'), fc.constantFrom([], ['0'], ['0', '1'], ['0', '1', 'BIT'], ['1', '-1', 'BYTE'])), (k, b, r) => ['BITPOS', k, b, ...r]),
];

const GENERIC: fc.Arbitrary<Cmd>[] = [
  c(fc.tuple(key, key), (a, b) => ['DEL', a, b]),
  c(fc.tuple(key), (k) => ['UNLINK', k]),
  c(fc.tuple(key, key), (a, b) => ['EXISTS', a, b]),
  c(fc.tuple(key, ttlS), (k, n) => ['EXPIRE', k, n]),
  c(fc.tuple(key, ttlS), (k, n) => ['PEXPIRE', k, n + '000']),
  c(fc.tuple(key, farS), (k, t) => ['EXPIREAT', k, t]),
  c(fc.tuple(key, farMs), (k, t) => ['PEXPIREAT', k, t]),
  c(fc.tuple(key, ttlS), (k, n) => ['EXPIRE', k, n, 'NX']),
  c(fc.tuple(key), (k) => ['PERSIST', k]),
  c(fc.tuple(key, key), (a, b) => ['RENAME', a, b]),
  c(fc.tuple(key, key), (a, b) => ['RENAMENX', a, b]),
  c(fc.tuple(key), (k) => ['TYPE', k]),
  c(fc.tuple(key, key), (a, b) => ['COPY', a, b]),
  c(fc.tuple(fc.constantFrom('FLUSHDB', 'FLUSHALL'), fc.constantFrom([], ['ASYNC'], ['SYNC'], ['ASYNC', 'ASYNC'])), (n, o) => [n, ...o]),
  c(fc.tuple(key, fc.constantFrom(['REPLACE'], ['ABSTTL'], ['IDLETIME', '5'], ['FREQ', '5'])), (k, o) => ['RESTORE', k, '0', 'not-a-payload', ...o]),
];

const LISTS: fc.Arbitrary<Cmd>[] = [
  c(fc.tuple(fc.constantFrom('RPUSH', 'LPUSH'), key, val, val), (n, k, a, b) => [n, k, a, b]),
  c(fc.tuple(fc.constantFrom('RPUSHX', 'LPUSHX'), key, val), (n, k, a) => [n, k, a]),
  c(fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key), (n, k) => [n, k]),
  c(fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key), (n, k) => [n, k, '2']),
  c(fc.tuple(key, key), (a, b) => ['RPOPLPUSH', a, b]),
  c(fc.tuple(key, key), (a, b) => ['LMOVE', a, b, 'LEFT', 'RIGHT']),
  c(fc.tuple(key, fc.integer({ min: -2, max: 2 }), val), (k, n, v) => ['LREM', k, String(n), v]),
  c(fc.tuple(key, fc.integer({ min: -3, max: 3 }), val), (k, i, v) => ['LSET', k, String(i), v]),
  // 6.0's fractional timeouts (4.0: an error, so nothing blocks), and negative ones.
  c(fc.tuple(fc.constantFrom('BLPOP', 'BRPOP'), key, fc.constantFrom('0.5', '-1', 'x')), (n, k, t) => [n, k, t]),
  c(fc.tuple(key, key, fc.constantFrom('1.5', '-2')), (a, b, t) => ['BRPOPLPUSH', a, b, t]),
  c(fc.tuple(key, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })), (k, a, b) => ['LTRIM', k, String(a), String(b)]),
  c(fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), val, val), (k, w, p, v) => ['LINSERT', k, w, p, v]),
  c(fc.tuple(key), (k) => ['LRANGE', k, '0', '-1']),
];

const SETS: fc.Arbitrary<Cmd>[] = [
  c(fc.tuple(setKey, mem, mem), (k, a, b) => ['SADD', k, a, b]),
  c(fc.tuple(setKey, mem), (k, a) => ['SREM', k, a]),
  c(fc.tuple(setKey, setKey, mem), (a, b, m) => ['SMOVE', a, b, m]),
  c(fc.tuple(fc.constantFrom('SUNIONSTORE', 'SDIFFSTORE', 'SINTERSTORE'), setKey, setKey, setKey), (n, d, a, b) => [n, d, a, b]),
  c(fc.tuple(fc.constantFrom('SUNIONSTORE', 'SDIFFSTORE', 'SINTERSTORE'), setKey, setKey, key), (n, d, a, b) => [n, d, a, b]),
  c(fc.tuple(setKey), (k) => ['SMEMBERS', k]),
  c(fc.tuple(setKey), (k) => ['SCARD', k]),
];

const ZSETS: fc.Arbitrary<Cmd>[] = [
  c(fc.tuple(key, score, mem), (k, s, m) => ['ZADD', k, s, m]),
  c(fc.tuple(key, fc.subarray(['NX', 'XX', 'CH', 'INCR', 'GT', 'LT']), score, mem), (k, o, s, m) => ['ZADD', k, ...o, s, m]),
  c(fc.tuple(key, score, mem, score, mem), (k, s, m, t, n) => ['ZADD', k, 'CH', s, m, t, n]),
  c(fc.tuple(key, score, mem), (k, s, m) => ['ZINCRBY', k, s, m]),
  c(fc.tuple(key, mem), (k, m) => ['ZREM', k, m]),
  c(fc.tuple(key, fc.constantFrom('-inf', '0', '(1'), fc.constantFrom('+inf', '2', '(3')), (k, a, b) => ['ZREMRANGEBYSCORE', k, a, b]),
  c(fc.tuple(key, key, key), (d, a, b) => ['ZUNIONSTORE', d, '2', a, b]),
  c(fc.tuple(key, key, key), (d, a, b) => ['ZINTERSTORE', d, '2', a, b, 'AGGREGATE', 'MAX']),
  c(fc.tuple(key), (k) => ['ZPOPMIN', k]),
  c(fc.tuple(key), (k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES']),
  // 6.2's ZRANGE forms, and 4.0's start/stop parsing
  c(
    fc.tuple(
      fc.constantFrom('ZRANGE', 'ZREVRANGE'),
      key,
      fc.constantFrom(
        ['0', '-1', 'REV'],
        ['-inf', '+inf', 'BYSCORE'],
        ['0', '-1', 'BYSCORE', 'LIMIT', '0', '1'],
        ['[a', '[z', 'BYLEX'],
        ['0', '1', 'WITHSCORES', 'REV'],
        ['0', '1', 'withscores'],
        ['x', '1'],
        ['0', '-1', 'LIMIT', '0', '1'],
      ),
    ),
    (n, k, r) => [n, k, ...r],
  ),
  // geo sets are zsets: 6.2's GEOADD options and GEORADIUS ANY. Only geo commands write g1/g2:
  // the position of a ZADD score outside the geo range is undefined behaviour (4.0 and 7.0 differ).
  c(fc.tuple(geoKey, lon, lat, mem), (k, x, y, m) => ['GEOADD', k, x, y, m]),
  c(fc.tuple(geoKey, fc.subarray(['NX', 'XX', 'CH']), lon, lat, mem), (k, o, x, y, m) => ['GEOADD', k, ...o, x, y, m]),
  c(fc.tuple(geoKey, fc.constantFrom(['COUNT', '1', 'ANY'], ['ANY'], ['ASC'], ['COUNT', '2', 'DESC'], ['WITHDIST', 'ASC'])), (k, o) => ['GEORADIUS', k, '13', '38', '500', 'km', ...o]),
  c(fc.tuple(geoKey, mem), (k, m) => ['GEOPOS', k, m]),
  // Unsorted: Redis's cell scan order (4.0's cells). Centres from members are left out: a member at
  // longitude 180 decodes past it in 4.0, and a search from there reads uninitialised cells.
  c(fc.tuple(geoKey, fc.constantFrom('180', '-179.99', '13'), fc.constantFrom('38', '0')), (k, x, y) => ['GEORADIUS', k, x, y, '800', 'km']),
];

const HASHES: fc.Arbitrary<Cmd>[] = [
  c(fc.tuple(key, mem, val), (k, f, v) => ['HSET', k, f, v]),
  c(fc.tuple(key, mem, val, mem, val), (k, f, v, g, w) => ['HSET', k, f, v, g, w]),
  c(fc.tuple(key, mem, val, mem, val), (k, f, v, g, w) => ['HMSET', k, f, v, g, w]),
  c(fc.tuple(key, mem, val), (k, f, v) => ['HSETNX', k, f, v]),
  c(fc.tuple(key, mem), (k, f) => ['HDEL', k, f]),
  c(fc.tuple(key, mem, int), (k, f, n) => ['HINCRBY', k, f, n]),
  c(fc.tuple(key, mem, fc.constantFrom('1.5', '-2', 'x')), (k, f, n) => ['HINCRBYFLOAT', k, f, n]),
  c(fc.tuple(key), (k) => ['HGETALL', k]),
];

export const FAMILIES40: Record<string, fc.Arbitrary<Cmd>[]> = {
  strings: [...STRINGS, ...GENERIC],
  lists: [...LISTS, ...GENERIC.slice(0, 4)],
  sets: SETS,
  zsets: [...ZSETS, ...GENERIC.slice(0, 4)],
  hashes: [...HASHES, ...GENERIC.slice(0, 4)],
  mixed: [...STRINGS, ...GENERIC, ...LISTS, ...SETS, ...ZSETS, ...HASHES],
};

/** A sequence of one family: plain commands and MULTI ... EXEC blocks (some with a queued error). */
export function sequence40(family: string, maxLength = 20): fc.Arbitrary<Cmd[]> {
  const one = fc.oneof(...FAMILIES40[family]);
  const block = fc.array(one, { minLength: 1, maxLength: 4 }).map((cs) => [['MULTI'], ...cs, ['EXEC']]);
  const item = fc.oneof({ weight: 4, arbitrary: one.map((x) => [x]) }, { weight: 1, arbitrary: block });
  return fc.array(item, { minLength: 1, maxLength }).map((xs) => xs.flat());
}
