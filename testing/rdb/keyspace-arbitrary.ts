// Test support: fast-check arbitraries for keyspaces of every type, biased towards the edges the
// RDB codec must get right: binary bytes, canonical and non-canonical integer texts at encoding
// boundaries (int8/16/32/64, listpack 7/13/16/24/32/64-bit), long compressible strings (LZF),
// +-inf and -0 scores, multi-node lists and streams, uint64 stream ids, groups with PELs.

import fc from 'fast-check';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Bytes, StreamConsumer, StreamEntry, StreamGroup, StreamId, StreamPendingEntry, StreamValue, Value } from '../../src/keyspace/types.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { List } from '../../src/keyspace/list.ts';

const U64_MAX = 2n ** 64n - 1n;

const intText: fc.Arbitrary<Bytes> = fc.oneof(
  fc.integer({ min: -200, max: 200 }),
  fc.constantFrom(127, 128, -128, -129, 4095, 4096, -4096, -4097, 32767, 32768, -32768, -32769, 8388607, 8388608, -8388608, -8388609, 2147483647, 2147483648, -2147483648, -2147483649),
  fc.integer(),
).map(String);

export const bytesArb: fc.Arbitrary<Bytes> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) .map((s) => Buffer.from(s, 'utf8').toString('latin1')) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString('latin1')) },
  { weight: 3, arbitrary: intText },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-0', '01', '+1', ' 1', '9223372036854775808', '-9223372036854775809', '', '1.5', 'inf') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('ab', 'xyz', '\x00\xff'), fc.integer({ min: 8, max: 3000 })).map(([s, n]) => s.repeat(n)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 60, maxLength: 5000 }).map((b) => Buffer.from(b).toString('latin1')) },
);

const scoreArb: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(Infinity, -Infinity, 0, -0, 0.1, 1e300, -5e-324),
  fc.integer().map(Number),
);

const listArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(bytesArb, { minLength: 1, maxLength: 10 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(intText, fc.string({ maxLength: 5 })), { minLength: 120, maxLength: 400 }) },
);

const stringValue: fc.Arbitrary<Value> = bytesArb.map((value) => ({ type: 'string', value }));
const listValue: fc.Arbitrary<Value> = listArb.map((value) => ({ type: 'list', value: List.from(value) }));
const setValue: fc.Arbitrary<Value> = fc
  .oneof(fc.uniqueArray(bytesArb, { minLength: 1, maxLength: 12 }), fc.uniqueArray(intText, { minLength: 1, maxLength: 40 }), fc.uniqueArray(intText, { minLength: 513, maxLength: 530 }))
  .map((ms) => ({ type: 'set', value: new Set(ms) }));
const zsetValue: fc.Arbitrary<Value> = fc
  .uniqueArray(fc.tuple(bytesArb, scoreArb), { minLength: 1, maxLength: 15, selector: (t) => t[0] })
  .map((es) => {
    const z = new ZSet();
    for (const [m, s] of es) z.set(m, s);
    return { type: 'zset', value: z };
  });
const hashValue: fc.Arbitrary<Value> = fc
  .uniqueArray(fc.tuple(bytesArb, bytesArb), { minLength: 1, maxLength: 12, selector: (t) => t[0] })
  .map((fs) => ({ type: 'hash', value: new Map(fs) }));

const idArb: fc.Arbitrary<StreamId> = fc.record({
  ms: fc.oneof(fc.bigInt({ min: 0n, max: 2000n }), fc.bigInt({ min: 0n, max: U64_MAX })),
  seq: fc.oneof(fc.bigInt({ min: 0n, max: 5n }), fc.bigInt({ min: 0n, max: U64_MAX })),
});

function cmpId(a: StreamId, b: StreamId): number {
  return a.ms !== b.ms ? (a.ms < b.ms ? -1 : 1) : a.seq !== b.seq ? (a.seq < b.seq ? -1 : 1) : 0;
}

const fieldsArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom(['a', '1'], ['a', '2', 'b', 'x']).map((xs) => [...xs]),
  fc.array(bytesArb, { minLength: 1, maxLength: 3 }).map((xs) => xs.flatMap((x, i) => [`f${i}`, x])),
);

const streamValue: fc.Arbitrary<Value> = fc
  .record({
    ids: fc.uniqueArray(idArb, { maxLength: 12, selector: (i) => `${i.ms}-${i.seq}` }),
    many: fc.boolean(),
    fields: fc.array(fieldsArb, { minLength: 250, maxLength: 250 }),
    extra: fc.nat(1000),
    maxDeleted: idArb,
    groups: fc.uniqueArray(
      fc.record({
        name: bytesArb,
        lastId: idArb,
        entriesRead: fc.oneof(fc.constant(-1), fc.nat(1_000_000)),
        consumers: fc.uniqueArray(fc.record({ name: bytesArb, seen: fc.nat(2 ** 47) }), { maxLength: 3, selector: (c) => c.name }),
        pending: fc.array(fc.record({ pick: fc.nat(), consumer: fc.nat(), time: fc.nat(2 ** 47), count: fc.nat(1000) }), { maxLength: 5 }),
      }),
      { maxLength: 3, selector: (g) => g.name },
    ),
  })
  .map((r) => {
    let ids = r.ids.slice().sort(cmpId);
    if (r.many) ids = Array.from({ length: 230 }, (_, i) => ({ ms: 1000n + BigInt(i >> 1), seq: BigInt(i & 1) }));
    const entries: StreamEntry[] = ids.map((id, i) => ({ id, fields: r.fields[i % r.fields.length] }));
    const lastId = entries.length > 0 ? entries[entries.length - 1].id : r.maxDeleted;
    const groups = new Map<Bytes, StreamGroup>();
    for (const g of r.groups) {
      const consumers = new Map<Bytes, StreamConsumer>(g.consumers.map((c) => [c.name, { name: c.name, seenTimeMs: c.seen }]));
      const pelById = new Map<string, StreamPendingEntry>();
      if (consumers.size > 0 && entries.length > 0) {
        const names = [...consumers.keys()];
        for (const p of g.pending) {
          const id = entries[p.pick % entries.length].id;
          pelById.set(`${id.ms}-${id.seq}`, { id, consumer: names[p.consumer % names.length], deliveryTimeMs: p.time, deliveryCount: p.count });
        }
      }
      const pel = [...pelById.values()].sort((a, b) => cmpId(a.id, b.id));
      groups.set(g.name, { name: g.name, lastId: g.lastId, entriesRead: g.entriesRead, pel, consumers });
    }
    const value: StreamValue = {
      entries,
      lastId,
      entriesAdded: entries.length + r.extra,
      maxDeletedId: r.maxDeleted,
      firstId: entries.length > 0 ? entries[0].id : { ms: 0n, seq: 0n },
      groups,
    };
    return { type: 'stream', value } as Value;
  });

export const valueArb: fc.Arbitrary<Value> = fc.oneof(stringValue, listValue, setValue, zsetValue, hashValue, streamValue);

export const keyspaceArb: fc.Arbitrary<Keyspace> = fc
  .uniqueArray(
    fc.record({
      db: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
      key: bytesArb,
      value: valueArb,
      expireAtMs: fc.option(fc.oneof(fc.integer({ min: 0, max: 2 ** 47 }), fc.constantFrom(1, 4102444800000)), { nil: null }),
    }),
    { maxLength: 12, selector: (e) => `${e.db}:${e.key}` },
  )
  .map((items) => {
    const ks = new Keyspace();
    for (const it of items) {
      const db = ks.db(it.db);
      db.dict.set(it.key, it.value);
      if (it.expireAtMs !== null) db.expires.set(it.key, it.expireAtMs);
    }
    return ks;
  });
