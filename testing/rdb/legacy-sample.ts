// Test support: one RDB using every legacy encoding and opcode aofsim reads but never writes, and
// the keyspace it must decode to. Shared by legacy-encodings.test.ts (our decoder) and
// rdb-vs-redis.test.ts (real redis-server loads the same bytes to the same data).

import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { encodeIntset } from '../../src/rdb/intset.ts';
import {
  OPCODE_AUX,
  OPCODE_EXPIRETIME,
  OPCODE_FREQ,
  OPCODE_IDLE,
  OPCODE_RESIZEDB,
  OPCODE_SELECTDB,
  TYPE_HASH,
  TYPE_HASH_ZIPLIST,
  TYPE_HASH_ZIPMAP,
  TYPE_LIST,
  TYPE_LIST_QUICKLIST,
  TYPE_LIST_ZIPLIST,
  TYPE_SET,
  TYPE_SET_INTSET,
  TYPE_STRING,
  TYPE_ZSET,
  TYPE_ZSET_ZIPLIST,
} from '../../src/rdb/rdb-constants.ts';
import { LegacyRdb, encodeZiplist, encodeZipmap } from './legacy-rdb.ts';
import { List } from '../../src/keyspace/list.ts';

export const LEGACY_LIST = ['a', '0', '12', '13', '-1', '-129', '300', '70000', '-9000000', '3000000000', 'x'.repeat(100), 'y'.repeat(300), 'z', '007'];
/** int32 seconds (rdbLoadTime), 2033-05-18: still in the future when tests run. */
export const EXPIRE_SECONDS = 2000000000;

export function legacySample(version: number): { bytes: Uint8Array; expected: Keyspace } {
  const rdb = new LegacyRdb(version);
  const w = rdb.w;
  const ks = new Keyspace();
  const d0 = ks.db(0);
  if (version >= 7) {
    w.u8(OPCODE_AUX);
    w.string('redis-ver');
    w.string('5.0.14');
  }
  w.u8(OPCODE_SELECTDB);
  w.len(0);
  if (version >= 7) {
    w.u8(OPCODE_RESIZEDB);
    w.len(9);
    w.len(1);
  }
  const key = (type: number, name: string): void => {
    w.u8(type);
    w.string(name);
  };

  key(TYPE_LIST_ZIPLIST, 'lz');
  w.blob(encodeZiplist(LEGACY_LIST));
  d0.dict.set('lz', { type: 'list', value: List.from(LEGACY_LIST) });

  key(TYPE_LIST_QUICKLIST, 'qz');
  w.len(2);
  w.blob(encodeZiplist(['n1', '1']));
  w.blob(encodeZiplist(['n2', '-70000', 'w'.repeat(70)]));
  d0.dict.set('qz', { type: 'list', value: List.from(['n1', '1', 'n2', '-70000', 'w'.repeat(70)]) });

  key(TYPE_SET_INTSET, 'is');
  w.blob(encodeIntset([5n, -3n, 40000n]));
  d0.dict.set('is', { type: 'set', value: new Set(['-3', '5', '40000']) });

  key(TYPE_ZSET_ZIPLIST, 'zz');
  w.blob(encodeZiplist(['m3', '-2', 'm1', '1.5', 'm2', '3']));
  const zz = new ZSet();
  zz.set('m3', -2);
  zz.set('m1', 1.5);
  zz.set('m2', 3);
  d0.dict.set('zz', { type: 'zset', value: zz });

  key(TYPE_HASH_ZIPLIST, 'hz');
  w.blob(encodeZiplist(['f1', 'v1', 'n', '5']));
  d0.dict.set('hz', { type: 'hash', value: new Map([['f1', 'v1'], ['n', '5']]) });

  key(TYPE_HASH_ZIPMAP, 'zm');
  w.blob(encodeZipmap([['k', 'v'], ['num', '42'], ['long', 'q'.repeat(300)]]));
  d0.dict.set('zm', { type: 'hash', value: new Map([['k', 'v'], ['num', '42'], ['long', 'q'.repeat(300)]]) });

  key(TYPE_ZSET, 'z1');
  const z1Members: [string, number][] = [['pinf', Infinity], ['minf', -Infinity], ['tenth', 0.1], ['int', 7], ['tiny', 1e-300]];
  w.len(z1Members.length);
  const z1 = new ZSet();
  for (const [m, s] of z1Members) {
    w.string(m);
    rdb.textDouble(s);
    z1.set(m, s);
  }
  d0.dict.set('z1', { type: 'zset', value: z1 });
  w.u8(OPCODE_EXPIRETIME);
  w.i32le(EXPIRE_SECONDS);
  key(TYPE_STRING, 'ex');
  w.string('expiring');
  d0.dict.set('ex', { type: 'string', value: 'expiring' });
  d0.expires.set('ex', EXPIRE_SECONDS * 1000);

  if (version >= 9) {
    w.u8(OPCODE_IDLE);
    w.len(100);
    w.u8(OPCODE_FREQ);
    w.u8(5);
  }
  key(TYPE_STRING, 'lzf');
  w.string('abc'.repeat(50));
  d0.dict.set('lzf', { type: 'string', value: 'abc'.repeat(50) });

  w.u8(OPCODE_SELECTDB);
  w.len(2);
  const d2 = ks.db(2);
  key(TYPE_LIST, 'pl');
  w.len(2);
  w.string('a');
  w.string('12345');
  d2.dict.set('pl', { type: 'list', value: List.from(['a', '12345']) });
  key(TYPE_SET, 'ps');
  w.len(2);
  w.string('x');
  w.string('1');
  d2.dict.set('ps', { type: 'set', value: new Set(['x', '1']) });
  key(TYPE_HASH, 'ph');
  w.len(1);
  w.string('f');
  w.string('v');
  d2.dict.set('ph', { type: 'hash', value: new Map([['f', 'v']]) });
  return { bytes: rdb.finish(), expected: ks };
}
