// Propagation rules of the HyperLogLog, geo, bitmap and SORT families (redis 7.0.15): PFCOUNT's
// cached-cardinality write, GEOADD as `zadd` with integer scores, SETBIT/BITFIELD only on change,
// BITOP / SORT STORE / GEOSEARCHSTORE deleting an emptied destination. Replies are compared with a
// real server in properties/conformance/.

import { describe, expect, it } from 'vitest';
import { rig } from '../../../testing/commands/rig.ts';

describe('hyperloglog propagation', () => {
  it('PFCOUNT propagates once when it writes the cached cardinality, not when the cache is valid', () => {
    const r = rig();
    expect(r.prop('PFADD h a b', 'PFCOUNT h', 'PFCOUNT h', 'PFADD h a', 'PFCOUNT h h2', 'PFMERGE m h')).toEqual([
      'SELECT 0',
      'PFADD h a b',
      'PFCOUNT h',
      'PFMERGE m h',
    ]);
    expect(r.run('SET s abc', 'PFADD s x')).toEqual(['OK', '(error) WRONGTYPE Key is not a valid HyperLogLog string value.']);
  });
});

describe('geo propagation', () => {
  it('GEOADD runs and propagates as zadd with the 52-bit score', () => {
    const r = rig();
    expect(r.prop('GEOADD Sicily NX 13.361389 38.115556 Palermo')).toEqual(['SELECT 0', 'zadd Sicily NX 3479099956230698 Palermo']);
    expect(r.run('ZSCORE Sicily Palermo')).toEqual(['3479099956230698']);
  });

  it('GEORADIUS STORE / GEOSEARCHSTORE verbatim; an empty result deletes the destination', () => {
    const r = rig();
    r.run('GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania', 'SET dst x');
    expect(r.prop('GEORADIUS g 15 37 200 km STORE dst', 'GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 m')).toEqual([
      'SELECT 0',
      'GEORADIUS g 15 37 200 km STORE dst',
      'GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 m',
    ]);
    expect(r.run('EXISTS dst')).toEqual([0]);
  });
});

describe('geo search over plain zset scores', () => {
  it('never finds a member whose score is outside the 52-bit geohash range (redis 7.0.15: seed 990475112)', () => {
    const r = rig();
    r.run('ZADD k3 -2 b', 'ZADD k3 4503599627370496 c');
    expect(r.run('GEORADIUSBYMEMBER k3 b 100 km ASC', 'GEOSEARCH k3 FROMLONLAT 0 0 BYRADIUS 20000 km ASC')).toEqual([[], []]);
    expect(r.prop('GEORADIUSBYMEMBER k3 b 100 km ASC STORE k1')).toEqual([]);
  });
});

describe('bitmap propagation', () => {
  it('SETBIT and BITFIELD propagate only when the string was created, grown or changed', () => {
    const r = rig();
    expect(r.prop('SETBIT b 7 1', 'SETBIT b 7 1', 'SETBIT b 7 0', 'BITFIELD b GET u8 0', 'BITFIELD b SET u8 0 0', 'BITFIELD b SET u8 0 3')).toEqual([
      'SELECT 0',
      'SETBIT b 7 1',
      'SETBIT b 7 0',
      'BITFIELD b SET u8 0 3',
    ]);
  });

  it('BITOP stores the result or deletes the destination when every source is empty', () => {
    const r = rig();
    r.run('SET a \xff', 'SET d x');
    expect(r.prop('BITOP NOT d a', 'BITOP AND d none1 none2', 'BITOP OR d none1')).toEqual(['SELECT 0', 'BITOP NOT d a', 'BITOP AND d none1 none2']);
    expect(r.run('EXISTS d')).toEqual([0]);
  });
});

describe('BITCOUNT argument order (redis 7.0.15 bitcountCommand)', () => {
  it('looks the key up before judging the range: missing key 0, wrong type WRONGTYPE, then syntax', () => {
    const r = rig();
    r.run('SET s abc', 'LPUSH l x');
    expect(r.run('BITCOUNT none 0', 'BITCOUNT none x y', 'BITCOUNT l 0', 'BITCOUNT s 0', 'BITCOUNT s x 1')).toEqual([
      0,
      0,
      '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
      '(error) ERR syntax error',
      '(error) ERR value is not an integer or out of range',
    ]);
  });

  it('two negative indexes in the wrong order answer 0 before the unit is read', () => {
    const r = rig();
    r.run('SET s abc');
    expect(r.run('BITCOUNT s -1 -2 FOO', 'BITCOUNT s -2 -1 FOO', 'BITCOUNT s -2 -1 BIT')).toEqual([0, '(error) ERR syntax error', 2]);
  });
});

describe('SORT propagation', () => {
  it('SORT without STORE propagates nothing; SORT STORE verbatim; an empty result deletes the target', () => {
    const r = rig();
    r.run('RPUSH l 3 1 2');
    expect(r.prop('SORT l', 'SORT l DESC STORE out', 'SORT none STORE out', 'SORT none STORE out')).toEqual([
      'SELECT 0',
      'SORT l DESC STORE out',
      'SORT none STORE out',
    ]);
    expect(r.run('SORT l BY nosort', 'SORT l GET # GET nokey_*', 'SORT_RO l STORE x')).toEqual([
      ['3', '1', '2'],
      ['1', null, '2', null, '3', null],
      '(error) ERR syntax error',
    ]);
  });
});

describe('strings beyond what a JS string holds (MAX_BYTES_LENGTH, 24 bytes under 512 MB)', () => {
  it('SETRANGE, SETBIT and BITFIELD refuse with Redis errors instead of throwing, and change nothing', () => {
    const r = rig();
    r.run('SET s x');
    expect(r.run('SETRANGE s 536870900 y', 'SETRANGE n 536870911 y', 'SETBIT n 4294967295 1', 'BITFIELD n SET u8 4294967287 1', 'GET s', 'EXISTS n')).toEqual([
      '(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)',
      '(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)',
      '(error) ERR bit offset is not an integer or out of range',
      '(error) ERR bit offset is not an integer or out of range',
      'x',
      0,
    ]);
    expect(r.prop('SETRANGE s 536870900 y', 'SETBIT n 4294967295 1')).toEqual([]);
  });
});
