// OBJECT ENCODING for command histories, as redis-server 7.0.15 answered them (recorded with
// redis-cli on a fresh server with its built-in defaults); the differential suite
// properties/conformance/object-encoding-vs-redis.test.ts compares random histories.

import { describe, expect, it } from 'vitest';
import { rig } from '../../testing/commands/rig.ts';
import { createMemoryFs } from '../adapters/memory/memory-fs.ts';
import { ManualTasks } from '../adapters/memory/manual-tasks.ts';
import { MemoryLog } from '../ports/log.ts';
import { SeededRandom } from '../ports/random.ts';
import { Server } from '../server.ts';
import { replyText } from './exec-all.ts';
import { FaultyFs, TestClock } from '../../testing/aof/writer-support.ts';

const long = (n: number) => 'a'.repeat(n);

describe('OBJECT ENCODING', () => {
  it('strings: int, embstr up to 44 bytes, raw after APPEND/SETRANGE/SETBIT, INCRBYFLOAT never int', () => {
    const r = rig('redis-7.0');
    const enc = (k: string) => r.run(['OBJECT', 'ENCODING', k])[0];
    r.run(['SET', 'a', '123'], ['SET', 'b', '00123'], ['SET', 'c', long(44)], ['SET', 'd', long(45)], ['SET', 'e', '9223372036854775808']);
    expect(['a', 'b', 'c', 'd', 'e'].map(enc)).toEqual(['int', 'embstr', 'embstr', 'raw', 'embstr']);
    r.run(['APPEND', 'a', '4'], ['SET', 'f', 'abc'], ['SETRANGE', 'f', '0', 'x'], ['INCRBYFLOAT', 'g', '3'], ['APPEND', 'h', 'x']);
    expect(['a', 'f', 'g', 'h'].map(enc)).toEqual(['raw', 'raw', 'embstr', 'embstr']);
    // SETBIT unshares the string even when the bit is already set.
    r.run(['SET', 'i', 'v'], ['SETBIT', 'i', '1', '1']);
    expect(enc('i')).toBe('raw');
    r.run(['SET', 'j', '5'], ['COPY', 'j', 'k']);
    expect(r.run(['OBJECT', 'REFCOUNT', 'j'], ['OBJECT', 'REFCOUNT', 'k'], ['OBJECT', 'ENCODING', 'k'])).toEqual([2147483647, 1, 'int']);
    r.run(['RPUSH', 'l', 'x']);
    expect(enc('l')).toBe('quicklist');
  });

  it('collections convert when an insertion crosses a limit and stay converted', () => {
    const r = rig('redis-7.0');
    const enc = (k: string) => r.run(['OBJECT', 'ENCODING', k])[0];
    r.run(['SADD', 's', '1', '2'], ['HSET', 'h', 'f', 'v'], ['ZADD', 'z', '1', 'a']);
    expect(['s', 'h', 'z'].map(enc)).toEqual(['intset', 'listpack', 'listpack']);
    r.run(['SADD', 's', 'x'], ['SREM', 's', 'x'], ['HSET', 'h', 'f', long(65)], ['HSET', 'h', 'f', 'x'], ['ZADD', 'z', '2', long(65)], ['ZREM', 'z', long(65)]);
    expect(['s', 'h', 'z'].map(enc)).toEqual(['hashtable', 'hashtable', 'skiplist']);
    // A long value in the same HSET that overwrites it still converts; HSETNX on an existing field does not.
    r.run(['HSET', 'h2', 'o', long(65), 'o', '0'], ['HSET', 'h3', 'f', '1'], ['HSETNX', 'h3', 'f', long(65)]);
    expect(['h2', 'h3'].map(enc)).toEqual(['hashtable', 'listpack']);
    // Store results start from their contents.
    r.run(['SUNIONSTORE', 'su', 's'], ['ZUNIONSTORE', 'zu', '1', 'z']);
    expect(['su', 'zu'].map(enc)).toEqual(['intset', 'listpack']);
    // 7.0's built-in hash limit is 512 entries (redis.conf ships 128).
    const fields = Array.from({ length: 200 }, (_, i) => [`f${i}`, 'v']).flat();
    r.run(['HSET', 'big', ...fields]);
    expect(enc('big')).toBe('listpack');
  });

  it('CONFIG SET of a *-max-* limit applies to the next conversions', () => {
    const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
    const s = new Server({ fs, clock: new TestClock(), tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(7) }, { dir: '/d', profile: 'redis-7.0' });
    s.start();
    const c = s.newClient();
    const run = (...argv: string[]) => replyText(s.call(c, argv));
    expect(run('CONFIG', 'SET', 'hash-max-listpack-entries', '2')).toBe('OK');
    run('HSET', 'h', 'a', '1', 'b', '2');
    expect(run('OBJECT', 'ENCODING', 'h')).toBe('listpack');
    run('HSET', 'h', 'c', '3');
    run('HDEL', 'h', 'c', 'b');
    expect(run('OBJECT', 'ENCODING', 'h')).toBe('hashtable');
  });
});
