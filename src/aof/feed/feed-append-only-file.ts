// feedAppendOnlyFile: turns the commands an execution unit propagates into AOF bytes and appends them
// to aof_buf (and, in 4.0, to the rewrite buffer while a rewrite child runs).
// redis: aof.c feedAppendOnlyFile, catAppendOnlyExpireAtCommand (4.0), feedAppendOnlyFile +
// genAofTimestampAnnotationIfNeeded (7.0).
//
// Per propagated command, in this order:
//   1. (7.0, aof-timestamp-enabled) `#TS:<unixtime>\r\n` when aof_cur_timestamp < unixtime;
//   2. `SELECT <db>` when db != aof_selected_db (then aof_selected_db = db);
//   3. the command: 7.0 verbatim (the executor already speaks the 7.0 dialect); 4.0 with its
//      own translations: EXPIRE/PEXPIRE/EXPIREAT -> PEXPIREAT <abs ms> (mstime() now), SETEX/PSETEX ->
//      `SET k v` + PEXPIREAT, `SET k v <opts>` (argc > 3) -> `set k v` (argv[0] as typed, options
//      dropped) + PEXPIREAT for EX/PX.
// Destination: 4.0: aof_buf when state ON; the rewrite buffer when an AOF child runs.
//              7.0: aof_buf when state ON, or WAIT_REWRITE while an AOF child runs (temp INCR).
// Callers feed only while aof_state != OFF (redis: propagate() checks it), and feed() checks again.
//
// Invariant: every byte appended is a complete record (SELECT/command/annotation), so aof_buf is
// always a sequence of whole records.

import type { Bytes } from '../../keyspace/types.ts';
import type { Propagated } from '../../commands/types.ts';
import { catAppendOnlyGenericCommand } from '../../resp/encode.ts';
import { unixtimeS } from '../../ports/clock.ts';
import type { AofContext } from '../state.ts';

/** How feed reaches 4.0's rewrite buffer (redis: aofRewriteBufferAppend; src/aof/rewrite). */
export interface RewriteBufferSink {
  rewriteBufferAppend(ctx: AofContext, buf: Bytes): void;
}

/** Feeds every command of one execution unit, in order. */
export function feedAppendOnlyFile(ctx: AofContext, propagate: readonly Propagated[], sink: RewriteBufferSink | null): void {
  const st = ctx.state;
  if (st.aofState === 'off' || propagate.length === 0) return;
  const is40 = ctx.config.profile === 'redis-4.0';
  let buf = '';
  for (let i = 0; i < propagate.length; i++) {
    const p = propagate[i];
    if (!is40 && ctx.config.aofTimestampEnabled) buf = genAofTimestampAnnotationIfNeeded(ctx, buf, false);
    if (p.db !== st.aofSelectedDb) {
      const seldb = String(p.db);
      buf += '*2\r\n$6\r\nSELECT\r\n$' + seldb.length + '\r\n' + seldb + '\r\n';
      st.aofSelectedDb = p.db;
    }
    buf = is40 ? catRedis40Translated(ctx, buf, p.argv) : catAppendOnlyGenericCommand(buf, bugDropKeepTtl(ctx, p.argv));
  }
  if (is40) {
    if (st.aofState === 'on') st.aofBuf += buf;
    if (st.aofChildPid !== -1 && sink !== null) sink.rewriteBufferAppend(ctx, buf);
  } else if (st.aofState === 'on' || (st.aofState === 'wait-rewrite' && st.aofChildPid !== -1)) {
    st.aofBuf += buf;
  }
}

/**
 * Bug switch 'incrbyfloat-drops-ttl' (docs/redis-bugs.md#bug-13, redis/redis#5256, #7357): before Redis 6.0
 * there was no KEEPTTL, so INCRBYFLOAT (and SET ... KEEPTTL) reached the AOF as a plain SET and the
 * key lost its TTL on reload. With the switch on, the 7.0 profile drops KEEPTTL from a propagated
 * SET. (The 4.0 profile always propagates INCRBYFLOAT as `SET k v`, as Redis 4.0 does.)
 */
function bugDropKeepTtl(ctx: AofContext, argv: readonly Bytes[]): readonly Bytes[] {
  if (argv.length < 4 || !ctx.config.bugs.has('incrbyfloat-drops-ttl') || lower(argv[0]) !== 'set') return argv;
  return argv.filter((a, i) => i < 3 || lower(a) !== 'keepttl');
}

/**
 * `#TS:<unixtime>\r\n` appended to `buf` when forced or when this second has no annotation yet
 * (redis 7.0: genAofTimestampAnnotationIfNeeded). Also used by the rewrite (forced).
 */
export function genAofTimestampAnnotationIfNeeded(ctx: AofContext, buf: Bytes, force: boolean): Bytes {
  const now = unixtimeS(ctx.clock);
  if (force || ctx.state.aofCurTimestamp < now) {
    ctx.state.aofCurTimestamp = now;
    return buf + '#TS:' + now + '\r\n';
  }
  return buf;
}

/** Lower-case ASCII of a short byte string (command names). */
function lower(s: Bytes): string {
  return s.length <= 16 ? s.toLowerCase() : '';
}

/** 4.0's translations in feedAppendOnlyFile (4.0). */
function catRedis40Translated(ctx: AofContext, buf: Bytes, argv: readonly Bytes[]): Bytes {
  const name = lower(argv[0]);
  switch (name) {
    case 'expire':
    case 'pexpire':
    case 'expireat':
      if (argv.length >= 3) return catAppendOnlyExpireAtCommand(ctx, buf, name, argv[1], argv[2]);
      break;
    case 'setex':
    case 'psetex':
      if (argv.length >= 4) {
        buf = catAppendOnlyGenericCommand(buf, ['SET', argv[1], argv[3]]);
        return catAppendOnlyExpireAtCommand(ctx, buf, name, argv[1], argv[2]);
      }
      break;
    case 'set':
      if (argv.length > 3) {
        let exarg: Bytes | null = null;
        let pxarg: Bytes | null = null;
        buf = catAppendOnlyGenericCommand(buf, argv.slice(0, 3));
        for (let i = 3; i < argv.length; i++) {
          const opt = lower(argv[i]);
          // DIVERGENCE(redis): 4.0 reads argv[i+1] even for a trailing EX; a command that
          // reached propagation always has the value, so the guard only avoids undefined here.
          if (opt === 'ex' && i + 1 < argv.length) exarg = argv[i + 1];
          if (opt === 'px' && i + 1 < argv.length) pxarg = argv[i + 1];
        }
        if (exarg !== null) buf = catAppendOnlyExpireAtCommand(ctx, buf, 'expire', argv[1], exarg);
        if (pxarg !== null) buf = catAppendOnlyExpireAtCommand(ctx, buf, 'pexpire', argv[1], pxarg);
        return buf;
      }
      break;
  }
  return catAppendOnlyGenericCommand(buf, argv);
}

/**
 * `PEXPIREAT key <abs ms>` from a relative or absolute, seconds or milliseconds time argument
 * (redis 4.0: catAppendOnlyExpireAtCommand). `cmd` is the lower-case name of the source command.
 */
export function catAppendOnlyExpireAtCommand(ctx: AofContext, buf: Bytes, cmd: string, key: Bytes, seconds: Bytes): Bytes {
  let when = strtoll(seconds);
  if (cmd === 'expire' || cmd === 'setex' || cmd === 'expireat') when *= 1000n;
  if (cmd === 'expire' || cmd === 'pexpire' || cmd === 'setex' || cmd === 'psetex') when += BigInt(ctx.clock.nowMs());
  return catAppendOnlyGenericCommand(buf, ['PEXPIREAT', key, when.toString()]);
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** strtoll(s, NULL, 10): leading spaces, sign, digits; 0 when none; clamps at the int64 range. */
export function strtoll(s: Bytes): bigint {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === start) return 0n;
  let v = BigInt(s.slice(start, i));
  if (neg) v = -v;
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return v;
}
