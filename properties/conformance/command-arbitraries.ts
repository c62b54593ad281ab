// fast-check generators of command sequences for the differential suite, one per command family,
// over a small key space (k1..k3, plus a few fixed helper keys) with edge-case arguments: empty
// collections, negative indexes, int64 limits and beyond, float spellings (inf, -0, 1e308,
// 3.0000000000000004), binary values (NUL, 0xff, CR LF), expired keys via absolute times in the past.
//
// Invariants: commands never depend on sub-second wall-clock time (no XADD `*`, no PTTL, TTL only
// on whole-second keys, absolute expire times far in the future or in the past) so a real server and
// the simulator agree; blocking commands use a 10 ms timeout (the real server must not block for
// long); every command here is one aofsim claims to support.

import fc from 'fast-check';

export type Cmd = string[];
type Part = string | fc.Arbitrary<string> | fc.Arbitrary<readonly string[]>;

const K = fc.constantFrom('k1', 'k2', 'k3');
const VAL = fc.constantFrom('a', 'b', 'c', 'x', '1', '-1', '0', '10', '3.5', '', 'a\x00b', '\xff\xfe', '9223372036854775807', 'hello world', 'a\r\nb');
const MEMBER = fc.constantFrom('a', 'b', 'c', 'd', '1', '2', '10', '-3', '', '\x00', 'zz');
const INT = fc.constantFrom('0', '1', '-1', '2', '5', '-5', '100', '9223372036854775807', '-9223372036854775808', '9223372036854775808', 'abc', '1.5', '01');
const SMALLINT = fc.constantFrom('0', '1', '2', '3', '-1', '-2', '10', '-10');
const FLOAT = fc.constantFrom('0', '1.5', '-2.5', '0.1', 'inf', '-inf', '+inf', '1e308', '3.0000000000000004', 'abc', '-0', '2', '1e-5', '17');
const FIELD = fc.constantFrom('f1', 'f2', 'f3', 'n', '', 'f\x00');

/**
 * Blocking timeouts that never block the real server for long: 10 ms, 0x1p-7 s (ceil: 8 ms) and
 * spellings Redis 7.0.15 refuses (inf, 1e400 and 9.3e15 do not fit a long long of ms; nan, -1).
 */
const TIMEOUT = fc.constantFrom('0.01', '0.01', '0x1p-7', 'inf', '1e400', '9.3e15', 'nan', '-1');

/** A command from literal words and arbitraries (arrays are spliced). */
function cmd(...parts: Part[]): fc.Arbitrary<Cmd> {
  const arbs = parts.map((p) => (typeof p === 'string' ? fc.constant(p) : p)) as fc.Arbitrary<string | readonly string[]>[];
  return fc.tuple(...arbs).map((xs) => xs.flatMap((x) => (typeof x === 'string' ? [x] : [...x])));
}

const some = <T>(a: fc.Arbitrary<T>, min = 1, max = 3) => fc.array(a, { minLength: min, maxLength: max });
const opt = (...words: string[]) => fc.subarray(words);
const pairs = (a: fc.Arbitrary<string>, b: fc.Arbitrary<string>, max = 3) =>
  some(fc.tuple(a, b), 1, max).map((xs) => xs.flat());

/** Commands that put other types in the key space (WRONGTYPE coverage) and delete keys. */
const MIXERS: fc.Arbitrary<Cmd>[] = [
  cmd('SET', K, VAL),
  cmd('LPUSH', K, VAL),
  cmd('SADD', K, MEMBER),
  cmd('ZADD', K, SMALLINT, MEMBER),
  cmd('HSET', K, FIELD, VAL),
  cmd('DEL', K),
];

/**
 * Expired keys on purpose, of any type, so every family meets lazy expiry: a string set with a past
 * PXAT, and PEXPIRE 25 on whatever the key holds (the runners pause after it: see
 * `pauseAfterExpiry` in differential.ts, so the key has expired on both sides when the next command
 * runs). Not PEXPIRE 1: redis 7.0 checkAlreadyExpired compares with mstime(), not the command's
 * time, so a millisecond tick between the two deletes the key at once (DEL instead of PEXPIREAT).
 */
const EXPIRERS: fc.Arbitrary<Cmd>[] = [cmd('SET', K, VAL, 'PXAT', '1'), cmd('PEXPIRE', K, '25')];

const STRINGS: fc.Arbitrary<Cmd>[] = [
  cmd('SET', K, VAL, opt('NX', 'XX', 'GET', 'KEEPTTL')),
  cmd('SET', K, VAL, fc.constantFrom(['EX', '100'], ['PX', '100000'], ['EXAT', '4102444800'], ['PXAT', '1'], ['EX', '0'], ['EX', '-1'], ['EX', 'x'])),
  cmd('GET', K),
  cmd('GETSET', K, VAL),
  cmd('GETDEL', K),
  cmd('GETEX', K, fc.constantFrom([], ['EX', '100'], ['PERSIST'], ['PXAT', '1'], ['EXAT', '4102444800'], ['EX', '0'])),
  cmd('SETNX', K, VAL),
  cmd('SETEX', K, fc.constantFrom('100', '0', '-5', 'x'), VAL),
  cmd('PSETEX', K, fc.constantFrom('100000', '0'), VAL),
  cmd('MSET', pairs(K, VAL)),
  cmd('MSETNX', pairs(K, VAL)),
  cmd('MGET', some(K)),
  cmd('APPEND', K, VAL),
  cmd('STRLEN', K),
  cmd('SETRANGE', K, fc.constantFrom('0', '1', '5', '-1', '536870912'), VAL),
  cmd('GETRANGE', K, SMALLINT, SMALLINT),
  cmd('SUBSTR', K, SMALLINT, SMALLINT),
  cmd('INCR', K),
  cmd('DECR', K),
  cmd('INCRBY', K, INT),
  cmd('DECRBY', K, INT),
  cmd('INCRBYFLOAT', K, FLOAT),
  cmd('TTL', K),
  cmd('EXPIRE', K, fc.constantFrom('100', '0', '-1'), opt('NX', 'XX', 'GT', 'LT')),
  cmd('EXPIREAT', K, fc.constantFrom('1', '4102444800')),
  cmd('PERSIST', K),
  cmd('EXPIRETIME', K),
];

const LISTS: fc.Arbitrary<Cmd>[] = [
  cmd('LPUSH', K, some(VAL)),
  cmd('RPUSH', K, some(VAL)),
  cmd('LPUSHX', K, some(VAL)),
  cmd('RPUSHX', K, some(VAL)),
  cmd('LPOP', K),
  cmd('RPOP', K, fc.constantFrom('0', '1', '2', '10', '-1')),
  cmd('LINSERT', K, fc.constantFrom('BEFORE', 'AFTER', 'x'), VAL, VAL),
  cmd('LSET', K, SMALLINT, VAL),
  cmd('LREM', K, SMALLINT, VAL),
  cmd('LTRIM', K, SMALLINT, SMALLINT),
  cmd('LMOVE', K, K, fc.constantFrom('LEFT', 'RIGHT'), fc.constantFrom('LEFT', 'RIGHT', 'UP')),
  cmd('RPOPLPUSH', K, K),
  cmd('LRANGE', K, SMALLINT, SMALLINT),
  cmd('LINDEX', K, SMALLINT),
  cmd('LLEN', K),
  cmd('LPOS', K, VAL, fc.constantFrom([], ['RANK', '-1'], ['COUNT', '0'], ['RANK', '2', 'COUNT', '2'], ['MAXLEN', '1'], ['RANK', '0'])),
  cmd('LMPOP', fc.constantFrom('1', '2'), K, K, fc.constantFrom('LEFT', 'RIGHT'), fc.constantFrom([], ['COUNT', '2'], ['COUNT', '0'])),
  cmd('BLPOP', K, K, TIMEOUT),
  cmd('BRPOP', K, TIMEOUT),
  cmd('BLMOVE', K, K, fc.constantFrom('LEFT', 'RIGHT'), 'RIGHT', '0.01'),
  cmd('BLMPOP', '0.01', '1', K, fc.constantFrom('LEFT', 'RIGHT'), 'COUNT', '3'),
  cmd('BRPOPLPUSH', K, K, '0.01'),
];

const HASHES: fc.Arbitrary<Cmd>[] = [
  cmd('HSET', K, pairs(FIELD, VAL)),
  cmd('HSETNX', K, FIELD, VAL),
  cmd('HMSET', K, pairs(FIELD, VAL)),
  cmd('HGET', K, FIELD),
  cmd('HMGET', K, some(FIELD)),
  cmd('HDEL', K, some(FIELD)),
  cmd('HLEN', K),
  cmd('HSTRLEN', K, FIELD),
  cmd('HEXISTS', K, FIELD),
  cmd('HINCRBY', K, FIELD, INT),
  cmd('HINCRBYFLOAT', K, FIELD, FLOAT),
  cmd('HKEYS', K),
  cmd('HVALS', K),
  cmd('HGETALL', K),
  cmd('HRANDFIELD', K, fc.constantFrom([], ['2'], ['-3'], ['0'], ['5', 'WITHVALUES'], ['-2', 'WITHVALUES'])),
];

const SETS: fc.Arbitrary<Cmd>[] = [
  cmd('SADD', K, some(MEMBER)),
  cmd('SREM', K, some(MEMBER)),
  cmd('SMOVE', K, K, MEMBER),
  cmd('SISMEMBER', K, MEMBER),
  cmd('SMISMEMBER', K, some(MEMBER)),
  cmd('SCARD', K),
  cmd('SMEMBERS', K),
  cmd('SUNION', some(K)),
  cmd('SINTER', some(K)),
  cmd('SDIFF', some(K)),
  cmd('SINTERCARD', fc.constantFrom('1', '2'), K, K, fc.constantFrom([], ['LIMIT', '1'])),
  cmd('SUNIONSTORE', K, some(K)),
  cmd('SINTERSTORE', K, some(K)),
  cmd('SDIFFSTORE', K, some(K)),
  cmd('SPOP', K, fc.constantFrom([], ['1'], ['2'], ['10'], ['0'])),
  cmd('SRANDMEMBER', K, fc.constantFrom([], ['2'], ['-3'], ['0'], ['10'])),
];

const ZSETS: fc.Arbitrary<Cmd>[] = [
  cmd('ZADD', K, opt('NX', 'XX', 'GT', 'LT', 'CH'), pairs(FLOAT, MEMBER)),
  cmd('ZADD', K, 'INCR', FLOAT, MEMBER),
  cmd('ZINCRBY', K, FLOAT, MEMBER),
  cmd('ZREM', K, some(MEMBER)),
  cmd('ZRANGE', K, SMALLINT, SMALLINT, opt('REV', 'WITHSCORES')),
  cmd('ZRANGE', K, fc.constantFrom('-inf', '(1', '0', '2'), fc.constantFrom('+inf', '(3', '10'), 'BYSCORE', opt('REV', 'WITHSCORES'), fc.constantFrom([], ['LIMIT', '0', '2'], ['LIMIT', '1', '-1'])),
  cmd('ZRANGE', K, fc.constantFrom('-', '[a', '(b'), fc.constantFrom('+', '[c', '(zz'), 'BYLEX'),
  cmd('ZRANGEBYSCORE', K, fc.constantFrom('-inf', '(1', '0'), fc.constantFrom('+inf', '3'), opt('WITHSCORES')),
  cmd('ZREVRANGEBYSCORE', K, fc.constantFrom('+inf', '3'), fc.constantFrom('-inf', '(1')),
  cmd('ZRANGEBYLEX', K, fc.constantFrom('-', '[a'), fc.constantFrom('+', '(c')),
  cmd('ZREVRANGE', K, SMALLINT, SMALLINT, opt('WITHSCORES')),
  cmd('ZSCORE', K, MEMBER),
  cmd('ZMSCORE', K, some(MEMBER)),
  cmd('ZRANK', K, MEMBER),
  cmd('ZREVRANK', K, MEMBER),
  cmd('ZCARD', K),
  cmd('ZCOUNT', K, fc.constantFrom('-inf', '1', '(2'), fc.constantFrom('+inf', '5')),
  cmd('ZLEXCOUNT', K, fc.constantFrom('-', '[b'), fc.constantFrom('+', '(d')),
  cmd('ZPOPMIN', K, fc.constantFrom([], ['2'], ['0'], ['-1'])),
  cmd('ZPOPMAX', K, fc.constantFrom([], ['2'])),
  cmd('ZMPOP', '2', K, K, fc.constantFrom('MIN', 'MAX'), fc.constantFrom([], ['COUNT', '2'])),
  cmd('ZREMRANGEBYRANK', K, SMALLINT, SMALLINT),
  cmd('ZREMRANGEBYSCORE', K, fc.constantFrom('-inf', '2'), fc.constantFrom('+inf', '(5')),
  cmd('ZREMRANGEBYLEX', K, fc.constantFrom('-', '[b'), fc.constantFrom('+', '(d')),
  cmd('ZUNIONSTORE', K, '2', K, K, fc.constantFrom([], ['WEIGHTS', '2', '-1'], ['AGGREGATE', 'MAX'], ['AGGREGATE', 'MIN'])),
  cmd('ZINTERSTORE', K, '2', K, K, fc.constantFrom([], ['WEIGHTS', '0.5', 'inf'], ['AGGREGATE', 'SUM'])),
  cmd('ZDIFFSTORE', K, '2', K, K),
  cmd('ZUNION', '2', K, K, opt('WITHSCORES')),
  cmd('ZINTER', '2', K, K, opt('WITHSCORES')),
  cmd('ZDIFF', '2', K, K, opt('WITHSCORES')),
  cmd('ZINTERCARD', '2', K, K),
  cmd('ZRANGESTORE', K, K, SMALLINT, SMALLINT),
  cmd('ZRANDMEMBER', K, fc.constantFrom([], ['2'], ['-3'], ['3', 'WITHSCORES'])),
  cmd('BZPOPMIN', K, K, TIMEOUT),
  cmd('BZPOPMAX', K, TIMEOUT),
  cmd('BZMPOP', '0.01', '1', K, fc.constantFrom('MIN', 'MAX'), fc.constantFrom([], ['COUNT', '2'])),
];

const GENERIC: fc.Arbitrary<Cmd>[] = [
  cmd('DEL', some(K)),
  cmd('UNLINK', some(K)),
  cmd('EXISTS', some(K)),
  cmd('TYPE', K),
  cmd('RENAME', K, K),
  cmd('RENAMENX', K, K),
  cmd('COPY', K, K, opt('REPLACE')),
  cmd('EXPIRE', K, fc.constantFrom('100', '0', '-1', '200'), opt('NX', 'XX', 'GT', 'LT')),
  cmd('PEXPIRE', K, fc.constantFrom('100000', '0')),
  cmd('EXPIREAT', K, fc.constantFrom('1', '4102444800', '4102444801')),
  cmd('PEXPIREAT', K, fc.constantFrom('1', '4102444800000')),
  cmd('PERSIST', K),
  cmd('TTL', K),
  cmd('EXPIRETIME', K),
  cmd('TOUCH', some(K)),
  cmd('DBSIZE'),
  cmd('KEYS', fc.constantFrom('*', 'k[12]', 'k?', '*3')),
  cmd('RANDOMKEY'),
  cmd('MOVE', K, '1'),
  cmd('SWAPDB', '0', '1'),
  // `@key`: the payload is DUMP key taken from the real server (see differential.ts).
  fc
    .tuple(K, fc.constantFrom(['0'], ['100000'], ['1', 'ABSTTL'], ['4102444800000', 'ABSTTL']), fc.constantFrom('@k1', '@k2', '@k3', 'garbage'), opt('REPLACE'))
    .map(([k, [ttl, ...abs], payload, rep]) => ['RESTORE', k, ttl, payload, ...rep, ...abs]),
  cmd('FLUSHDB'),
  cmd('FLUSHALL'),
];

const STREAM_ID = fc.constantFrom('1-1', '1-2', '2-0', '2-5', '3', '5-*', '0-1', '0-0', '18446744073709551615-18446744073709551615', 'x', ' 4', '+4-1', '00004-2', '4--01', '4-1\x00x', '4--1');
const RANGE_ID = fc.constantFrom('-', '+', '1', '2-0', '(1-1', '3', '0', ' 2', '(+1', '-\x00');
const GROUP = fc.constantFrom('g1', 'g2');
const CONSUMER = fc.constantFrom('c1', 'c2');

const STREAMS: fc.Arbitrary<Cmd>[] = [
  cmd('XADD', K, opt('NOMKSTREAM'), fc.constantFrom([], ['MAXLEN', '2'], ['MAXLEN', '~', '1'], ['MINID', '=', '2'], ['MAXLEN', '-1'], ['MAXLEN', '1', 'LIMIT', '5']), STREAM_ID, pairs(FIELD, VAL, 2)),
  cmd('XADD', K, fc.constantFrom('4-*', '6-0', '7-1', '8'), FIELD, VAL),
  cmd('XDEL', K, some(fc.constantFrom('1-1', '2-0', '3-0', '6-0', 'bad'))),
  cmd('XTRIM', K, fc.constantFrom('MAXLEN', 'MINID'), opt('~'), fc.constantFrom('0', '1', '3-0', '2')),
  cmd('XSETID', K, fc.constantFrom('9-9', '1-0', '100'), fc.constantFrom([], ['ENTRIESADDED', '10'], ['MAXDELETEDID', '5-0'], ['ENTRIESADDED', '0'])),
  cmd('XLEN', K),
  cmd('XRANGE', K, RANGE_ID, RANGE_ID, fc.constantFrom([], ['COUNT', '1'], ['COUNT', '0'])),
  cmd('XREVRANGE', K, RANGE_ID, RANGE_ID),
  cmd('XGROUP', 'CREATE', K, GROUP, fc.constantFrom('0', '$', '2-0'), opt('MKSTREAM'), fc.constantFrom([], ['ENTRIESREAD', '1'])),
  cmd('XGROUP', 'SETID', K, GROUP, fc.constantFrom('0', '$', '1-1'), fc.constantFrom([], ['ENTRIESREAD', '2'])),
  cmd('XGROUP', 'DESTROY', K, GROUP),
  cmd('XGROUP', 'CREATECONSUMER', K, GROUP, CONSUMER),
  cmd('XGROUP', 'DELCONSUMER', K, GROUP, CONSUMER),
  cmd('XREADGROUP', 'GROUP', GROUP, CONSUMER, fc.constantFrom([], ['COUNT', '1'], ['NOACK']), 'STREAMS', K, fc.constantFrom('>', '0', '2-0')),
  cmd('XREAD', fc.constantFrom([], ['COUNT', '1']), 'STREAMS', K, fc.constantFrom('0', '$', '1-1')),
  cmd('XACK', K, GROUP, some(fc.constantFrom('1-1', '2-0', '6-0'))),
  cmd('XCLAIM', K, GROUP, CONSUMER, '0', some(fc.constantFrom('1-1', '2-0', '6-0')), fc.constantFrom([], ['JUSTID'], ['FORCE', 'JUSTID'], ['TIME', '1000', 'RETRYCOUNT', '5'], ['LASTID', '9-0'])),
  cmd('XAUTOCLAIM', K, GROUP, CONSUMER, '0', fc.constantFrom('0', '2-0'), fc.constantFrom([], ['COUNT', '1'], ['JUSTID'])),
  cmd('XPENDING', K, GROUP),
  cmd('XINFO', 'GROUPS', K),
  cmd('XINFO', 'STREAM', K),
];

const HLL_ELEMS = fc.oneof(some(VAL, 1, 8), fc.integer({ min: 1, max: 1500 }).map((n) => Array.from({ length: n }, (_, i) => 'e' + i)));
const HYPERLOGLOG: fc.Arbitrary<Cmd>[] = [
  cmd('PFADD', K, HLL_ELEMS),
  cmd('PFADD', K),
  cmd('PFCOUNT', some(K)),
  cmd('PFMERGE', K, some(K)),
  cmd('GET', K),
  cmd('SET', K, VAL),
  cmd('APPEND', K, VAL),
];

const BITMAPS: fc.Arbitrary<Cmd>[] = [
  cmd('SETBIT', K, fc.constantFrom('0', '1', '7', '8', '100', '-1', 'x'), fc.constantFrom('0', '1', '2')),
  cmd('GETBIT', K, fc.constantFrom('0', '1', '7', '100')),
  cmd('BITCOUNT', K, fc.constantFrom([], ['0', '-1'], ['1', '1'], ['-2', '-1'], ['0', '10', 'BIT'], ['3', '20', 'BIT'], ['0', '0', 'BYTE'], ['0'], ['x', 'y'], ['-1', '-2', 'FOO'], ['0', '1', 'FOO'])),
  cmd('BITPOS', K, fc.constantFrom('0', '1', '2', 'x'), fc.constantFrom([], ['1'], ['0', '-1'], ['2', '30', 'BIT'], ['-1'], ['x'], ['0', '1', 'FOO'])),
  cmd('BITOP', fc.constantFrom('AND', 'OR', 'XOR', 'NOT'), K, some(K, 1, 2)),
  cmd('BITFIELD', K, some(fc.constantFrom(['GET', 'u8', '0'], ['SET', 'i8', '4', '-100'], ['INCRBY', 'u4', '#1', '7'], ['OVERFLOW', 'SAT'], ['OVERFLOW', 'FAIL'], ['INCRBY', 'i64', '0', '9223372036854775807'], ['GET', 'u63', '3'], ['SET', 'u16', '20', '70000'])).map((xs) => xs.flat())),
  cmd('BITFIELD_RO', K, 'GET', fc.constantFrom('u8', 'i5'), fc.constantFrom('0', '3')),
  cmd('GET', K),
  cmd('SET', K, VAL),
];

const LON = fc.constantFrom('13.361389', '15.087269', '0', '-180', '180', '179.999', '-179.98', '200', '2.35', 'x');
const LAT = fc.constantFrom('38.115556', '37.502669', '0', '85.05112878', '-85.05112878', '86', '48.85');
const GEO_MEMBER = fc.constantFrom('Palermo', 'Catania', 'Paris', 'a', 'b');
const GEO: fc.Arbitrary<Cmd>[] = [
  cmd('GEOADD', K, opt('NX', 'XX', 'CH'), some(fc.tuple(LON, LAT, GEO_MEMBER).map((t) => [...t]), 1, 3).map((xs) => xs.flat())),
  cmd('GEOPOS', K, some(GEO_MEMBER)),
  cmd('GEODIST', K, GEO_MEMBER, GEO_MEMBER, fc.constantFrom([], ['km'], ['mi'], ['ft'], ['parsec'])),
  cmd('GEOHASH', K, some(GEO_MEMBER)),
  cmd('GEOSEARCH', K, fc.constantFrom(['FROMLONLAT', '15', '37'], ['FROMMEMBER', 'Palermo']), fc.constantFrom(['BYRADIUS', '200', 'km'], ['BYBOX', '400', '300', 'km'], ['BYRADIUS', '5000', 'km']), 'ASC', opt('WITHDIST', 'WITHCOORD', 'WITHHASH'), fc.constantFrom([], ['COUNT', '1'])),
  cmd('GEOSEARCHSTORE', K, K, 'FROMLONLAT', '15', '37', 'BYRADIUS', fc.constantFrom('100', '300', '2000'), 'km', opt('STOREDIST')),
  cmd('GEORADIUS', K, '15', '37', fc.constantFrom('200', '1000'), 'km', 'ASC', fc.constantFrom([], ['WITHDIST'], ['STORE', 'k3'], ['STOREDIST', 'k2'], ['COUNT', '1'])),
  cmd('GEORADIUSBYMEMBER', K, GEO_MEMBER, fc.constantFrom('100', '3000'), 'km', 'ASC', fc.constantFrom([], ['WITHCOORD'], ['STORE', 'k1'])),
  // Unsorted replies come in Redis's cell scan order, and what ANY takes is the first met; centres at
  // the antimeridian reach members whose score carries a bit past the 52 (longitude 180) or not.
  cmd('GEORADIUS', K, fc.constantFrom('180', '-180', '179.99', '15'), fc.constantFrom('0', '37', '-60'), fc.constantFrom('50', '500', '3000'), 'km', fc.constantFrom([], ['COUNT', '2', 'ANY'], ['WITHCOORD'], ['STORE', 'k2'])),
  cmd('GEORADIUSBYMEMBER', K, GEO_MEMBER, fc.constantFrom('1', '100', '3000'), 'km', fc.constantFrom([], ['WITHDIST'], ['COUNT', '1', 'ANY'])),
  cmd('GEOSEARCH', K, 'FROMLONLAT', fc.constantFrom('180', '-179.99', '13'), fc.constantFrom('0', '38'), fc.constantFrom(['BYRADIUS', '400', 'km'], ['BYBOX', '800', '500', 'km'])),
  cmd('ZRANGE', K, '0', '-1', 'WITHSCORES'),
  cmd('ZREM', K, GEO_MEMBER),
];

const SORT_KEY = fc.constantFrom('k1', 'k2');
const SORTS: fc.Arbitrary<Cmd>[] = [
  cmd('RPUSH', SORT_KEY, some(fc.constantFrom('3', '1', '2', '10', '-1.5', 'a', 'b', ''), 1, 4)),
  cmd('SADD', SORT_KEY, some(fc.constantFrom('3', '1', '2', '10', 'x', 'y'), 1, 4)),
  cmd('ZADD', SORT_KEY, SMALLINT, fc.constantFrom('3', '1', 'm', 'n')),
  cmd('MSET', 'w_1', '5', 'w_2', '1', 'w_3', 'abc', 'w_10', '-7'),
  cmd('HSET', 'h_1', 'f', fc.constantFrom('b', 'a'), 'g', '1'),
  cmd('SORT', SORT_KEY, opt('DESC', 'ALPHA'), fc.constantFrom([], ['LIMIT', '0', '2'], ['LIMIT', '1', '-1'], ['LIMIT', '-1', '1'], ['LIMIT', '5', '1'])),
  cmd('SORT', SORT_KEY, 'BY', fc.constantFrom('w_*', 'nosort', 'h_*->f'), fc.constantFrom([], ['GET', '#'], ['GET', 'w_*', 'GET', '#'], ['GET', 'h_*->g'])),
  cmd('SORT', SORT_KEY, opt('ALPHA', 'DESC'), 'STORE', 'k3'),
  cmd('SORT', SORT_KEY, 'BY', 'nosort', 'STORE', 'k3'),
  cmd('SORT_RO', SORT_KEY, opt('ALPHA')),
  cmd('LRANGE', 'k3', '0', '-1'),
];

const TRANSACTIONS: fc.Arbitrary<Cmd>[] = [
  cmd('MULTI'),
  cmd('EXEC'),
  cmd('DISCARD'),
  cmd('WATCH', some(K)),
  cmd('UNWATCH'),
  cmd('SET', K, VAL),
  cmd('INCR', K),
  cmd('LPUSH', K, VAL),
  cmd('SADD', K, MEMBER),
  cmd('EXPIREAT', K, '1'),
  cmd('XADD', K, fc.constantFrom('1-1', '2-*'), 'f', 'v'),
  cmd('NOSUCHCOMMAND', K),
  cmd('GET'),
];

export const FAMILIES: Record<string, fc.Arbitrary<Cmd>[]> = {
  transactions: TRANSACTIONS,
  strings: STRINGS,
  lists: LISTS,
  hashes: HASHES,
  sets: SETS,
  zsets: ZSETS,
  generic: GENERIC,
  streams: STREAMS,
  hyperloglog: HYPERLOGLOG,
  bitmaps: BITMAPS,
  geo: GEO,
  sort: SORTS,
};

/** A command sequence of one family, mixed with type-changing commands and expiring keys. */
export function sequence(family: string, maxLength = 25): fc.Arbitrary<Cmd[]> {
  const own = FAMILIES[family];
  const arb = fc.oneof(
    { arbitrary: fc.oneof(...own), weight: 6 },
    { arbitrary: fc.oneof(...MIXERS), weight: 1 },
    { arbitrary: fc.oneof(...EXPIRERS), weight: 1 },
  );
  return fc.array(arb, { minLength: 1, maxLength });
}

/** Every command name the generators can produce (for the coverage table). */
export function generatedCommandNames(): Set<string> {
  const names = new Set<string>();
  const all = [...Object.values(FAMILIES).flat(), ...MIXERS, ...EXPIRERS];
  for (const a of all) {
    for (const c of fc.sample(a, { numRuns: 5, seed: 1 })) {
      const n = c[0].toLowerCase();
      names.add(n === 'xgroup' ? 'xgroup|' + c[1].toLowerCase() : n);
    }
  }
  return names;
}
