// What each profile propagates, checked against the observed sequences of spec section 3.4 and the
// redis 7.0.15 sources (t_string.c, expire.c, t_set.c, server.c propagatePendingCommands).

import { describe, expect, it } from 'vitest';
import { newClient } from './types.ts';
import { rig } from '../../testing/commands/rig.ts';

const T = 1_700_000_000_000;

describe('redis-4.0 profile (what call() in 4.0 propagated, before the feed translates)', () => {
  it('matches the observed 4.0 mix of docs/redis-behaviour.md#propagation', () => {
    const r = rig('redis-4.0', { seed: 3 });
    const out = r.prop(
      'set a 1 EX 100',
      'set b 1 PX 100000 NX',
      'setex c 100 v',
      'set d 1',
      'expire d 100',
      'set e 1',
      'expire e -1',
      'set f 1.5',
      'expire f 100',
      'incrbyfloat f 1',
      'sadd s a b c',
      'spop s',
      'spop s 2',
      'set g 1 NX',
    );
    // Verbatim SET/SETEX/EXPIRE (the 4.0 feed turns them into SET + PEXPIREAT); DEL for a past
    // TTL; INCRBYFLOAT as SET without KEEPTTL; SPOP as SREM, SPOP n >= size as DEL.
    expect(out.map((l) => l.replace(/^SREM s [abc]$/, 'SREM s <m>'))).toEqual([
      'SELECT 0',
      'set a 1 EX 100',
      'set b 1 PX 100000 NX',
      'setex c 100 v',
      'set d 1',
      'expire d 100',
      'set e 1',
      'DEL e',
      'set f 1.5',
      'expire f 100',
      'SET f 2.5',
      'sadd s a b c',
      'SREM s <m>',
      'DEL s',
      'set g 1 NX',
    ]);
  });
  it('SPOP n < size propagates one SREM per member, after nothing of its own', () => {
    const r = rig('redis-4.0');
    r.run('sadd s a b c d e f g h i j');
    const out = r.prop('spop s 3').slice(1);
    expect(out.length).toBe(3);
    expect(out.every((l) => /^SREM s [a-j]$/.test(l))).toBe(true);
    expect(r.ks.db(0).dict.get('s')?.value).toHaveProperty('size', 7);
  });
  it('FLUSHDB only when it deleted keys; GETSET verbatim; EXEC as typed', () => {
    const r = rig('redis-4.0');
    expect(r.prop('flushdb', 'set k v', 'flushdb', 'getset k w', 'multi', 'set x 1', 'exec')).toEqual([
      'SELECT 0',
      'set k v',
      'flushdb',
      'getset k w',
      'MULTI',
      'set x 1',
      'exec',
    ]);
  });
});

describe('redis-7.0 profile', () => {
  it('matches the observed HEAD mix of docs/redis-behaviour.md#propagation where 7.0.15 agrees', () => {
    const r = rig('redis-7.0', { seed: 5 });
    const out = r.prop(
      'SET a 1 EX 100',
      'SET b 1 PX 100000 NX',
      'SETEX c 100 v',
      'set d 1',
      'expire d 100',
      'set e 1',
      'expire e -1',
      'set f 1.5',
      'expire f 100',
      'incrbyfloat f 1',
      'sadd s a b c d',
      'spop s',
      'spop s 2',
      'spop s 5',
      'set g 1 NX',
      'set h v KEEPTTL',
      'set i v PXAT 4000000000000',
      'set j v',
      'getex a PERSIST',
      'getex c EX 100',
      'getdel j',
      'MULTI',
      'set k 1',
      'incr k',
      'EXEC',
      'multi',
      'set k2 1',
      'exec',
      'rpush l x y',
      'lmpop 1 l LEFT',
      'set m 1',
      'getex m PXAT 1',
      'flushall',
    );
    const masked = out.map((l) => l.replace(String(T + 100_000), '<+100s>').replace(/^SREM s [a-d]$/, 'SREM s <m>'));
    expect(masked).toEqual([
      'SELECT 0',
      'SET a 1 PXAT <+100s>',
      'SET b 1 PXAT <+100s>',
      'SET c v PXAT <+100s>',
      'set d 1',
      'PEXPIREAT d <+100s>',
      'set e 1',
      'DEL e',
      'set f 1.5',
      'PEXPIREAT f <+100s>',
      'SET f 2.5 KEEPTTL',
      'sadd s a b c d',
      'SREM s <m>',
      // 7.0.15: one SREM per member, wrapped (HEAD batches them into one SREM).
      'MULTI',
      'SREM s <m>',
      'SREM s <m>',
      'EXEC',
      'DEL s',
      'set g 1 NX',
      'set h v KEEPTTL',
      'SET i v PXAT 4000000000000',
      'set j v',
      'PERSIST a',
      'PEXPIREAT c <+100s>',
      'DEL j',
      'MULTI',
      'set k 1',
      'incr k',
      'EXEC',
      // a transaction with a single write propagates the bare command
      'set k2 1',
      'rpush l x y',
      'LPOP l 1',
      'set m 1',
      'DEL m',
      'flushall',
    ]);
  });

  it('EXPIRE keeps its options and skips a failed condition', () => {
    const r = rig();
    r.run('set k v');
    expect(r.prop('expire k 10 NX', 'expire k 20 NX', 'pexpire k 5000 LT', 'expire k 1 GT', 'pexpireat k 1700000009000')).toEqual([
      'SELECT 0',
      `PEXPIREAT k ${T + 10_000} NX`,
      `PEXPIREAT k ${T + 5000} LT`,
      'pexpireat k 1700000009000',
    ]);
    expect(r.run('expire k 10 NX XX', 'expire k 10 FOO', 'expire k 10 GT LT', 'expire k x')).toEqual([
      '(error) ERR NX and XX, GT or LT options at the same time are not compatible',
      '(error) ERR Unsupported option FOO',
      '(error) ERR GT and LT options at the same time are not compatible',
      '(error) ERR value is not an integer or out of range',
    ]);
  });

  it('SET GET is propagated without its GET arguments; SET with a TTL and GET becomes SET PXAT', () => {
    const r = rig();
    expect(r.prop('set k v GET', 'SET k w NX get', 'SET k w XX GET EX 10')).toEqual([
      'SELECT 0',
      'set k v',
      `SET k w PXAT ${T + 10_000}`,
    ]);
    expect(r.prop('set k x xx get keepttl')).toEqual(['SELECT 0', 'set k x xx keepttl']);
  });

  it('lazy expiry propagates DEL inside the unit that found the key expired', () => {
    const r = rig();
    r.run('set a 1 PX 100', 'set b 1 PX 100', 'set c 1 PX 100');
    r.clock.t += 100;
    expect(r.prop('get a')).toEqual(['SELECT 0', 'DEL a']);
    expect(r.prop('incr b')).toEqual(['SELECT 0', 'MULTI', 'DEL b', 'incr b', 'EXEC']);
    expect(r.prop('MULTI', 'get c', 'EXEC')).toEqual(['SELECT 0', 'DEL c']);
    expect(r.run('get a', 'get b')).toEqual([null, '1']);
  });

  it('lazyfree-lazy-expire turns expiry deletions into UNLINK', () => {
    const r = rig('redis-7.0', { lazyfreeLazyExpire: true });
    r.run('set a 1 PX 100', 'set b 1');
    r.clock.t += 100;
    expect(r.prop('exists a', 'expire b -1', 'getex b')).toEqual(['SELECT 0', 'UNLINK a', 'UNLINK b']);
  });

  it('lazyfree-lazy-user-del makes GETDEL propagate UNLINK', () => {
    const r = rig('redis-7.0', { lazyfreeLazyUserDel: true });
    expect(r.prop('set a 1', 'getdel a', 'del a')).toEqual(['SELECT 0', 'set a 1', 'UNLINK a']);
  });

  it('4.0 feeds the expiry DEL before the command, and does not wrap', () => {
    const r = rig('redis-4.0');
    r.run('set b 1 PX 100');
    r.clock.t += 100;
    expect(r.prop('incr b')).toEqual(['SELECT 0', 'DEL b', 'incr b']);
  });

  it('an expired destination met by setKey propagates its DEL (MSET, the 7.0 STORE commands)', () => {
    // redis-server 7.0.15: `SET k1 a PXAT 1; MSET k1 a` -> MULTI, DEL k1, MSET k1 a, EXEC.
    const r = rig();
    r.run('set k1 a PX 10', 'sadd s m', 'set k2 a PX 10');
    r.clock.t += 10;
    expect(r.prop('mset k1 a')).toEqual(['SELECT 0', 'MULTI', 'DEL k1', 'mset k1 a', 'EXEC']);
    expect(r.prop('sunionstore k2 s')).toEqual(['SELECT 0', 'MULTI', 'DEL k2', 'sunionstore k2 s', 'EXEC']);
  });

  it('4.0: MSET expires its key first; the SUNIONSTORE family replaces the destination without a lookup', () => {
    // redis 4.0.14: setKey does lookupKeyWrite; sunionDiffGenericCommand does dbDelete + dbAdd.
    const r = rig('redis-4.0');
    r.run('set k1 a PX 10', 'sadd s m', 'set k2 a PX 10', 'set k3 a PX 10');
    r.clock.t += 10;
    expect(r.prop('mset k1 a')).toEqual(['SELECT 0', 'DEL k1', 'mset k1 a']);
    expect(r.prop('sunionstore k2 s')).toEqual(['SELECT 0', 'sunionstore k2 s']);
    expect(r.prop('keys *')).toEqual(['SELECT 0', 'DEL k3']);
  });

  it('RANDOMKEY expiring several keys does not wrap them (touches-arbitrary-keys)', () => {
    const r = rig();
    r.run('set a 1 PX 10', 'set b 1 PX 10', 'set c 1');
    r.clock.t += 10;
    expect(r.run('randomkey')).toEqual(['c']);
    const again = rig();
    again.run('set a 1 PX 10', 'set b 1 PX 10');
    again.clock.t += 10;
    const out = again.prop('randomkey');
    expect(out[0]).toBe('SELECT 0');
    expect(out.slice(1).sort()).toEqual(['DEL a', 'DEL b']);
    expect(again.run('randomkey')).toEqual([null]);
  });

  it('activeExpireCycle deletes due keys db by db and returns one DEL per key', () => {
    const r = rig();
    r.run('set a 1 PX 10', 'set b 1 PX 20', 'select 2', 'set c 1 PX 10', 'set d 1');
    expect(r.ex.activeExpireCycle(T + 15)).toEqual([
      { db: 0, argv: ['DEL', 'a'] },
      { db: 2, argv: ['DEL', 'c'] },
    ]);
    expect(r.ks.size()).toBe(2);
    expect(r.ex.expiredKeys).toBe(2);
  });
});

describe('loading (the AOF fake client)', () => {
  it('never expires keys and stores past-dated expires', () => {
    const r = rig();
    const loader = newClient(0, true);
    r.ex.call(loader, ['SET', 'k', 'v', 'PXAT', '1000']);
    r.ex.call(loader, ['PEXPIREAT', 'j', '5']);
    r.ex.call(loader, ['SET', 'j', 'v']);
    const res = r.ex.call(loader, ['PEXPIREAT', 'j', '5']);
    expect(res.reply).toEqual({ kind: 'integer', value: 1 });
    expect(res.propagate).toEqual([]);
    expect(r.ex.call(loader, ['GET', 'k']).reply).toEqual({ kind: 'bulk', value: 'v' });
    expect(r.ks.db(0).expires.get('k')).toBe(1000);
    expect(r.ks.db(0).expires.get('j')).toBe(5);
    // A normal client sees them expired.
    expect(r.run('get k', 'get j')).toEqual([null, null]);
  });
  it('runs MULTI/EXEC blocks as the loader feeds them', () => {
    const r = rig();
    const loader = newClient(0, true);
    for (const c of [['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC']]) r.ex.call(loader, c);
    expect(r.run('get a')).toEqual(['2']);
  });
});
