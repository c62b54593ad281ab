import { describe, expect, it } from 'vitest';
import { newClient } from './types.ts';
import { rig } from '../../testing/commands/rig.ts';
import { def } from './command-def.ts';
import { OK, integer } from './reply.ts';

describe('Executor: dispatch checks', () => {
  it('rejects unknown commands with the 7.0 wording', () => {
    const r = rig();
    expect(r.run('foo a b', 'foo')).toEqual([
      "(error) ERR unknown command 'foo', with args beginning with: 'a' 'b' ",
      "(error) ERR unknown command 'foo', with args beginning with: ",
    ]);
  });
  it('checks arity with the lower-case name', () => {
    const r = rig();
    expect(r.run('SELECT', 'PING a b')).toEqual([
      "(error) ERR wrong number of arguments for 'select' command",
      "(error) ERR wrong number of arguments for 'ping' command",
    ]);
  });
  it('names unsupported commands', () => {
    const r = rig();
    expect(r.run(['migrate', 'h', '1', 'k', '0', '5'])).toEqual(['(error) ERR MIGRATE is unsupported by aofsim']);
    expect(r.ex.lookup('PFDEBUG')?.name).toBe('pfdebug');
  });
  it('SELECT checks the index', () => {
    const r = rig();
    expect(r.run('select 3', 'select 16', 'select x', 'select -1')).toEqual([
      'OK',
      '(error) ERR DB index is out of range',
      '(error) ERR value is not an integer or out of range',
      '(error) ERR DB index is out of range',
    ]);
    expect(r.client.db).toBe(3);
  });
});

describe('Executor: MULTI/EXEC', () => {
  it('queues, executes and replies with an array', () => {
    const r = rig();
    expect(r.run('MULTI', 'PING', 'ECHO x', 'EXEC')).toEqual(['OK', 'QUEUED', 'QUEUED', ['PONG', 'x']]);
  });
  it('aborts after a queueing error', () => {
    const r = rig();
    expect(r.run('MULTI', 'nosuch', 'PING', 'EXEC', 'EXEC')).toEqual([
      'OK',
      "(error) ERR unknown command 'nosuch', with args beginning with: ",
      'QUEUED',
      '(error) EXECABORT Transaction discarded because of previous errors.',
      '(error) ERR EXEC without MULTI',
    ]);
    expect(r.run('MULTI', 'ECHO', 'EXEC')[2]).toMatch(/EXECABORT/);
  });
  it('rejects nested MULTI without aborting, and DISCARD', () => {
    const r = rig();
    expect(r.run('MULTI', 'MULTI', 'PING', 'EXEC')).toEqual(['OK', '(error) ERR MULTI calls can not be nested', 'QUEUED', ['PONG']]);
    expect(r.run('DISCARD', 'MULTI', 'PING', 'DISCARD', 'EXEC')).toEqual([
      '(error) ERR DISCARD without MULTI',
      'OK',
      'QUEUED',
      'OK',
      '(error) ERR EXEC without MULTI',
    ]);
  });
  it('WATCH inside MULTI is an error', () => {
    const r = rig();
    expect(r.run('MULTI', 'WATCH a', 'EXEC')).toEqual(['OK', '(error) ERR WATCH inside MULTI is not allowed', []]);
  });
});

describe('Executor: propagation framework', () => {
  const incr = def('xincr', 2, ['write'], [1, 1, 1], (ctx, argv) => {
    ctx.dirty();
    if (argv[1] === 'also') ctx.alsoPropagate(['EXTRA', argv[1]]);
    if (argv[1] === 'rw') ctx.rewriteArgv(['REWRITTEN']);
    if (argv[1] === 'none') ctx.preventPropagation();
    return integer(1);
  });
  const noop = def('xnoop', 1, ['write'], [0, 0, 0], () => OK);

  it('propagates dirty commands as typed, rewritten, or not at all', () => {
    const r = rig('redis-7.0', { extra: [incr, noop] });
    expect(r.prop('xincr a', 'xnoop', 'xincr rw', 'xincr none')).toEqual(['SELECT 0', 'xincr a', 'REWRITTEN']);
  });
  it('7.0 wraps a multi-command unit in MULTI/EXEC, alsoPropagate first', () => {
    const r = rig('redis-7.0', { extra: [incr] });
    expect(r.prop('xincr also')).toEqual(['SELECT 0', 'MULTI', 'EXTRA also', 'xincr also', 'EXEC']);
  });
  it('4.0 puts the command first and does not wrap', () => {
    const r = rig('redis-4.0', { extra: [incr] });
    expect(r.prop('xincr also')).toEqual(['SELECT 0', 'xincr also', 'EXTRA also']);
  });
  it('7.0 EXEC: one write goes bare, several are wrapped, read-only propagates nothing', () => {
    const r = rig('redis-7.0', { extra: [incr, noop] });
    expect(r.prop('MULTI', 'xincr a', 'EXEC')).toEqual(['SELECT 0', 'xincr a']);
    expect(r.prop('MULTI', 'xincr a', 'select 2', 'xincr b', 'exec')).toEqual([
      'SELECT 0',
      'MULTI',
      'xincr a',
      'SELECT 2',
      'xincr b',
      'EXEC',
    ]);
    expect(r.prop('MULTI', 'PING', 'xnoop', 'EXEC')).toEqual([]);
  });
  it('4.0 EXEC: MULTI before the first write command, EXEC as typed', () => {
    const r = rig('redis-4.0', { extra: [incr, noop] });
    expect(r.prop('MULTI', 'PING', 'xnoop', 'exec')).toEqual(['SELECT 0', 'MULTI', 'exec']);
    expect(r.prop('MULTI', 'DBSIZE', 'EXEC')).toEqual([]);
    // PING is neither read-only nor admin in 4.0: it opens the propagated MULTI.
    expect(r.prop('MULTI', 'PING', 'EXEC')).toEqual(['SELECT 0', 'MULTI', 'EXEC']);
  });
  it('the loading client propagates nothing', () => {
    const r = rig('redis-7.0', { extra: [incr] });
    const loader = newClient(0, true);
    expect(r.ex.call(loader, ['xincr', 'a']).propagate).toEqual([]);
    expect(r.ex.call(loader, ['xincr', 'a']).dirty).toBe(1);
  });
});

describe('Executor: FLUSHDB/FLUSHALL/SWAPDB', () => {
  it('7.0 always propagates FLUSHDB; 4.0 only when keys were removed', () => {
    expect(rig('redis-7.0').prop('FLUSHDB', 'flushall')).toEqual(['SELECT 0', 'FLUSHDB', 'flushall']);
    expect(rig('redis-4.0').prop('FLUSHDB', 'flushall')).toEqual(['SELECT 0', 'flushall']);
  });
  it('SWAPDB validates its indexes', () => {
    const r = rig();
    expect(r.run('swapdb x 1', 'swapdb 1 y', 'swapdb 0 16', 'swapdb 0 1')).toEqual([
      '(error) ERR invalid first DB index',
      '(error) ERR invalid second DB index',
      '(error) ERR DB index is out of range',
      'OK',
    ]);
  });
});

describe('Executor: the entry read before an in-place write', () => {
  // SADD, HSET, ZADD, ... modify a collection in place: the executor reads the key's entry before the
  // handler runs (the encoding check) and hands it to the handler's first lookup. A replacement
  // 'sadd' observes what that lookup returns.
  const probe = (before: (ctx: Parameters<Parameters<typeof def>[4]>[0], key: string) => void) =>
    def('sadd', -3, ['write'], [1, 1, 1], (ctx, argv) => {
      before(ctx, argv[1]);
      const v = ctx.lookupWrite(argv[1]);
      return integer(v === undefined ? -1 : v === ctx.db.dict.get(argv[1]) ? (v.type === 'set' ? v.value.size : 0) : -2);
    });

  it('is the entry in the dict when nothing was written in between', () => {
    const r = rig('redis-7.0', { extra: [probe(() => {})] });
    r.ks.dbs[0].dict.set('s', { type: 'set', value: new Set(['a', 'b']) });
    expect(r.run('sadd s x', 'sadd t x')).toEqual([2, -1]);
  });

  it('is not used after the handler deleted or replaced the key', () => {
    const del = rig('redis-7.0', { extra: [probe((ctx, key) => ctx.deleteKey(key))] });
    del.ks.dbs[0].dict.set('s', { type: 'set', value: new Set(['a']) });
    expect(del.run('sadd s x')).toEqual([-1]);
    const add = rig('redis-7.0', { extra: [probe((ctx, key) => ctx.addKey(key, { type: 'set', value: new Set(['p', 'q', 'r']) }))] });
    expect(add.run('sadd s x')).toEqual([3]);
  });

  it('is not used by a lookup of the key after a lookup of another key', () => {
    const r = rig('redis-7.0', {
      extra: [
        probe((ctx, key) => {
          ctx.lookupWrite('other');
          ctx.db.dict.set(key, { type: 'set', value: new Set(['n']) });
        }),
      ],
    });
    r.ks.dbs[0].dict.set('s', { type: 'set', value: new Set(['a', 'b', 'c', 'd']) });
    expect(r.run('sadd s x')).toEqual([1]);
  });

  it("is not taken for the key's value after the command once the handler replaced it (the encoding of the new value is noted)", () => {
    const replace = def('hset', -4, ['write'], [1, 1, 1], (ctx, argv) => {
      ctx.lookupWrite(argv[1]);
      ctx.overwrite(argv[1], { type: 'hash', value: new Map([[argv[2], argv[3]]]) });
      ctx.dirty();
      return integer(1);
    });
    const r = rig('redis-7.0', { extra: [replace] });
    const old = { type: 'hash' as const, value: new Map([['a', '1']]) };
    r.ks.dbs[0].dict.set('h', old);
    expect(r.run('hset h f v')).toEqual([1]);
    const now = r.ks.dbs[0].dict.get('h');
    expect(now).not.toBe(old);
    expect(now?.type === 'hash' ? now.big : 'not a hash').toBe(false);
  });

  it('still expires the key lazily (the DEL goes out before the command)', () => {
    const r = rig();
    expect(r.run('sadd s a', 'pexpire s 10')).toEqual([1, 1]);
    r.clock.t += 20;
    expect(r.prop('sadd s b', 'smembers s')).toEqual(['SELECT 0', 'MULTI', 'DEL s', 'sadd s b', 'EXEC']);
    expect(r.run('smembers s')).toEqual([['b']]);
  });
});
