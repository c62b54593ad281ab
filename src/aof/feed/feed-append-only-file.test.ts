import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../resp/encode.ts';
import type { Propagated } from '../../commands/types.ts';
import { makeTestAof } from '../../../testing/aof/writer-support.ts';
import { feedAppendOnlyFile, strtoll, type RewriteBufferSink } from './feed-append-only-file.ts';

const p = (db: number, ...argv: string[]): Propagated => ({ db, argv });
const R = (...argv: string[]) => encodeCommand(argv);

describe('feedAppendOnlyFile: SELECT insertion', () => {
  it('emits SELECT only when the db changes, and again after aof_selected_db reset', () => {
    const t = makeTestAof({ profile: 'redis-7.0' });
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'a', '1'), p(0, 'set', 'b', '1'), p(3, 'del', 'a')], null);
    expect(t.ctx.state.aofBuf).toBe(R('SELECT', '0') + R('set', 'a', '1') + R('set', 'b', '1') + R('SELECT', '3') + R('del', 'a'));
    t.ctx.state.aofBuf = '';
    t.ctx.state.aofSelectedDb = -1; // as a rewrite start does
    feedAppendOnlyFile(t.ctx, [p(3, 'incr', 'x')], null);
    expect(t.ctx.state.aofBuf).toBe(R('SELECT', '3') + R('incr', 'x'));
  });

  it('the SELECT bytes are exactly Redis\'s', () => {
    const t = makeTestAof({ profile: 'redis-7.0' });
    feedAppendOnlyFile(t.ctx, [p(12, 'set', 'a', '1')], null);
    expect(t.ctx.state.aofBuf.startsWith('*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n')).toBe(true);
  });

  it('MULTI/EXEC framing from the executor is kept as is (7.0)', () => {
    const t = makeTestAof({ profile: 'redis-7.0' });
    feedAppendOnlyFile(t.ctx, [p(0, 'MULTI'), p(0, 'set', 'x', '1'), p(0, 'incr', 'y'), p(0, 'EXEC')], null);
    expect(t.ctx.state.aofBuf).toBe(R('SELECT', '0') + R('MULTI') + R('set', 'x', '1') + R('incr', 'y') + R('EXEC'));
  });

  it('feeds nothing while AOF is off', () => {
    const t = makeTestAof({ profile: 'redis-7.0' });
    t.ctx.state.aofState = 'off';
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'a', '1')], null);
    expect(t.ctx.state.aofBuf).toBe('');
    expect(t.ctx.state.aofSelectedDb).toBe(-1);
  });
});

describe('feedAppendOnlyFile: destinations', () => {
  it('7.0 WAIT_REWRITE: not persisted without a child (P7), into aof_buf (temp INCR) with one', () => {
    const t = makeTestAof({ profile: 'redis-7.0' });
    t.ctx.state.aofState = 'wait-rewrite';
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'a', '1')], null);
    expect(t.ctx.state.aofBuf).toBe('');
    t.ctx.state.aofChildPid = 7;
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'b', '1')], null);
    expect(t.ctx.state.aofBuf).toBe(R('set', 'b', '1'));
  });

  it('4.0: aof_buf when ON, the rewrite buffer while a child runs, only the latter in WAIT_REWRITE', () => {
    const t = makeTestAof({ profile: 'redis-4.0' });
    const got: string[] = [];
    const sink: RewriteBufferSink = { rewriteBufferAppend: (_c, b) => got.push(b) };
    t.ctx.state.aofChildPid = 7;
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'a', '1')], sink);
    expect(t.ctx.state.aofBuf).toBe(R('SELECT', '0') + R('set', 'a', '1'));
    expect(got).toEqual([R('SELECT', '0') + R('set', 'a', '1')]);
    t.ctx.state.aofState = 'wait-rewrite';
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'b', '1')], sink);
    expect(t.ctx.state.aofBuf).toBe(R('SELECT', '0') + R('set', 'a', '1'));
    expect(got[1]).toBe(R('set', 'b', '1'));
  });
});

describe('feedAppendOnlyFile: #TS: annotations (7.0, aof-timestamp-enabled)', () => {
  it('one annotation per second with writes, before SELECT', () => {
    const t = makeTestAof({ profile: 'redis-7.0', aofTimestampEnabled: true });
    const s = Math.floor(t.clock.ms / 1000);
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'a', '1')], null);
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'b', '1')], null);
    t.clock.advance(1000);
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'c', '1')], null);
    expect(t.ctx.state.aofBuf).toBe(
      `#TS:${s}\r\n` + R('SELECT', '0') + R('set', 'a', '1') + R('set', 'b', '1') + `#TS:${s + 1}\r\n` + R('set', 'c', '1'),
    );
  });
  it('no annotation in the same second as the start-up BASE (aof_cur_timestamp already now)', () => {
    const t = makeTestAof({ profile: 'redis-7.0', aofTimestampEnabled: true });
    t.ctx.state.aofCurTimestamp = Math.floor(t.clock.ms / 1000);
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'a', '1')], null);
    expect(t.ctx.state.aofBuf.startsWith('*2')).toBe(true);
  });
  it('4.0 has no annotations', () => {
    const t = makeTestAof({ profile: 'redis-4.0', aofTimestampEnabled: true });
    feedAppendOnlyFile(t.ctx, [p(0, 'set', 'a', '1')], null);
    expect(t.ctx.state.aofBuf.includes('#TS')).toBe(false);
  });
});

describe('feedAppendOnlyFile: the 4.0 translations (4.0, docs/redis-behaviour.md#propagation)', () => {
  it('reproduces the observed 4.0 sequence for a documented command mix', () => {
    const t = makeTestAof({ profile: 'redis-4.0' });
    const now = t.clock.ms;
    // What the 4.0 command layer propagates for the observed mix (EXPIRE -1 -> DEL, INCRBYFLOAT ->
    // SET, SPOP -> SREM/DEL, EVAL verbatim); feed adds SELECT and the expire translations.
    feedAppendOnlyFile(
      t.ctx,
      [
        p(0, 'set', 'a', '1', 'EX', '100'),
        p(0, 'set', 'b', '1', 'PX', '100000', 'NX'),
        p(0, 'setex', 'c', '100', 'v'),
        p(0, 'set', 'd', '1'),
        p(0, 'expire', 'd', '100'),
        p(0, 'set', 'e', '1'),
        p(0, 'DEL', 'e'),
        p(0, 'set', 'f', '1.5'),
        p(0, 'expire', 'f', '100'),
        p(0, 'SET', 'f', '2.5'),
        p(0, 'sadd', 's', 'a', 'b', 'c'),
        p(0, 'SREM', 's', 'b'),
        p(0, 'DEL', 's'),
        p(0, 'set', 'g', '1', 'NX'),
        p(0, 'eval', "redis.call('set','h','1')", '0'),
      ],
      null,
    );
    const at = (ms: number) => String(now + ms);
    expect(t.ctx.state.aofBuf).toBe(
      R('SELECT', '0') +
        R('set', 'a', '1') + R('PEXPIREAT', 'a', at(100_000)) +
        R('set', 'b', '1') + R('PEXPIREAT', 'b', at(100_000)) +
        R('SET', 'c', 'v') + R('PEXPIREAT', 'c', at(100_000)) +
        R('set', 'd', '1') + R('PEXPIREAT', 'd', at(100_000)) +
        R('set', 'e', '1') + R('DEL', 'e') +
        R('set', 'f', '1.5') + R('PEXPIREAT', 'f', at(100_000)) + R('SET', 'f', '2.5') +
        R('sadd', 's', 'a', 'b', 'c') + R('SREM', 's', 'b') + R('DEL', 's') +
        R('set', 'g', '1') +
        R('eval', "redis.call('set','h','1')", '0'),
    );
  });

  it('PEXPIRE/PSETEX are relative ms, EXPIREAT absolute seconds, PEXPIREAT verbatim', () => {
    const t = makeTestAof({ profile: 'redis-4.0' });
    t.ctx.state.aofSelectedDb = 0;
    const now = t.clock.ms;
    feedAppendOnlyFile(
      t.ctx,
      [p(0, 'PEXPIRE', 'k', '1500'), p(0, 'psetex', 'k', '250', 'v'), p(0, 'expireat', 'k', '2000000000'), p(0, 'pexpireat', 'k', '5')],
      null,
    );
    expect(t.ctx.state.aofBuf).toBe(
      R('PEXPIREAT', 'k', String(now + 1500)) +
        R('SET', 'k', 'v') + R('PEXPIREAT', 'k', String(now + 250)) +
        R('PEXPIREAT', 'k', '2000000000000') +
        R('pexpireat', 'k', '5'),
    );
  });

  it('7.0 feeds the dialect verbatim (no translation)', () => {
    const t = makeTestAof({ profile: 'redis-7.0' });
    t.ctx.state.aofSelectedDb = 0;
    feedAppendOnlyFile(t.ctx, [p(0, 'expire', 'k', '10'), p(0, 'set', 'a', '1', 'EX', '5')], null);
    expect(t.ctx.state.aofBuf).toBe(R('expire', 'k', '10') + R('set', 'a', '1', 'EX', '5'));
  });
});

describe('strtoll', () => {
  it('parses like C', () => {
    expect(strtoll('  -12abc')).toBe(-12n);
    expect(strtoll('+7')).toBe(7n);
    expect(strtoll('x')).toBe(0n);
    expect(strtoll('99999999999999999999')).toBe((1n << 63n) - 1n);
  });
});
