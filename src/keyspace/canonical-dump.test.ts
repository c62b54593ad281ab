import { describe, expect, it } from 'vitest';
import { canonicalDump, dumpString, formatCanonicalDump, toPythonStyleJson, writeCanonicalDump } from './canonical-dump.ts';
import { Keyspace } from './keyspace.ts';
import { ZSet } from './zset.ts';
import type { StreamValue } from './types.ts';
import { List } from './list.ts';

const id = (ms: number, seq: number) => ({ ms: BigInt(ms), seq: BigInt(seq) });

describe('canonicalDump (docs/formats.md)', () => {
  it('sorts keys by bytes, keeps only non-empty dbs, encodes each type', () => {
    const ks = new Keyspace();
    const d0 = ks.db(0);
    d0.dict.set('b', { type: 'list', value: List.from(['x', 'y', 'x']) });
    d0.dict.set('a', { type: 'string', value: 'a\u0000b\r\nc' });
    d0.dict.set('\u00e9', { type: 'set', value: new Set(['m10', 'm2', 'm1']) });
    d0.dict.set('h', { type: 'hash', value: new Map([['f2', 'v2'], ['f10', 'v10'], ['f1', 'v1']]) });
    const z = new ZSet();
    z.set('d', 3.0000000000000004);
    z.set('c', -Infinity);
    z.set('a', 1.5);
    z.set('b', 1.5);
    z.set('e', Infinity);
    d0.dict.set('z', { type: 'zset', value: z });
    ks.db(3).dict.set('k', { type: 'string', value: 'v' });
    const out = canonicalDump(ks);
    expect(Object.keys(out.dbs)).toEqual(['0', '3']);
    expect(out.dbs['0'].map((e) => e.key)).toEqual(['a', 'b', 'h', 'z', { b64: '6Q==' }]);
    expect(out.dbs['0'][0].value).toBe('a\u0000b\r\nc');
    expect(out.dbs['0'][1].value).toEqual(['x', 'y', 'x']);
    expect(out.dbs['0'][2].value).toEqual([['f1', 'v1'], ['f10', 'v10'], ['f2', 'v2']]);
    expect(out.dbs['0'][3].value).toEqual([['c', '-inf'], ['a', 1.5], ['b', 1.5], ['d', 3.0000000000000004], ['e', 'inf']]);
    expect(out.dbs['0'][4].value).toEqual(['m1', 'm10', 'm2']);
    expect('atMs' in out).toBe(false);
  });

  it('strings: valid UTF-8 as text, anything else as base64', () => {
    expect(dumpString('plain')).toBe('plain');
    expect(dumpString(Buffer.from('héllo €', 'utf8').toString('latin1'))).toBe('héllo €');
    expect(dumpString('HYLL\u0001\u0000\u00ff')).toEqual({ b64: Buffer.from('HYLL\u0001\u0000\u00ff', 'latin1').toString('base64') });
  });

  it('with atMs leaves out keys expiring at or before it, and prints atMs first', () => {
    const ks = new Keyspace();
    const d = ks.db(0);
    for (const k of ['gone', 'edge', 'later', 'forever']) d.dict.set(k, { type: 'string', value: k });
    d.expires.set('gone', 999);
    d.expires.set('edge', 1000);
    d.expires.set('later', 1001);
    const text = formatCanonicalDump(ks, 1000);
    expect(text).toBe(
      '{"atMs": 1000, "dbs": {"0": [{"key": "forever", "type": "string", "value": "forever"}, ' +
        '{"key": "later", "type": "string", "value": "later", "expireAtMs": 1001}]}}\n',
    );
    expect(canonicalDump(ks).dbs['0'].map((e) => e.key)).toEqual(['edge', 'forever', 'gone', 'later']);
  });

  it('streams the same text in bounded chunks as the one-string form and the object form', () => {
    const ks = new Keyspace();
    for (let i = 0; i < 5000; i++) ks.db(i % 3).dict.set(`k${i}`, { type: 'string', value: `v\u00e9${i}` });
    ks.db(1).dict.set('l', { type: 'list', value: List.from(['a', '\u0000']) });
    ks.db(2).expires.set('k2', 7);
    const chunks: string[] = [];
    writeCanonicalDump(ks, 5, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan((1 << 16) + 200);
    expect(chunks.join('')).toBe(formatCanonicalDump(ks, 5));
    expect(chunks.join('')).toBe(toPythonStyleJson(canonicalDump(ks, 5)) + '\n');
  });

  it('dumps streams with ids, counters, groups, consumers and the PEL (no wall-clock times)', () => {
    const s: StreamValue = {
      entries: [
        { id: id(1, 1), fields: ['a', '1'] },
        { id: id(1, 2), fields: ['b', '2'] },
      ],
      lastId: id(5, 0),
      entriesAdded: 4,
      maxDeletedId: id(3, 0),
      firstId: id(1, 1),
      groups: new Map([
        [
          'g2',
          { name: 'g2', lastId: id(0, 0), entriesRead: -1, pel: [], consumers: new Map() },
        ],
        [
          'g1',
          {
            name: 'g1',
            lastId: id(1, 2),
            entriesRead: 2,
            pel: [
              { id: id(1, 2), consumer: 'bob', deliveryTimeMs: 123, deliveryCount: 1 },
              { id: id(1, 1), consumer: 'alice', deliveryTimeMs: 456, deliveryCount: 3 },
            ],
            consumers: new Map([
              ['bob', { name: 'bob', seenTimeMs: 1 }],
              ['alice', { name: 'alice', seenTimeMs: 2 }],
            ]),
          },
        ],
      ]),
    };
    const ks = new Keyspace();
    ks.db(0).dict.set('st', { type: 'stream', value: s });
    expect(canonicalDump(ks).dbs['0'][0].value).toEqual({
      entries: [
        ['1-1', ['a', '1']],
        ['1-2', ['b', '2']],
      ],
      lastId: '5-0',
      entriesAdded: 4,
      maxDeletedId: '3-0',
      groups: [
        {
          name: 'g1',
          lastId: '1-2',
          entriesRead: 2,
          consumers: [
            { name: 'alice', pending: ['1-1'] },
            { name: 'bob', pending: ['1-2'] },
          ],
          pel: [
            ['1-1', 'alice', 3],
            ['1-2', 'bob', 1],
          ],
        },
        { name: 'g2', lastId: '0-0', entriesRead: -1, consumers: [], pel: [] },
      ],
    });
  });

  it('writes JSON like Python json.dumps (spacing, ensure_ascii)', () => {
    expect(toPythonStyleJson({ a: [1, 'é', { b: null }], c: 'x\u0000' })).toBe('{"a": [1, "\\u00e9", {"b": null}], "c": "x\\u0000"}');
    expect(JSON.parse(toPythonStyleJson({ s: 'é€\u007f' }))).toEqual({ s: 'é€\u007f' });
  });

  it('formatCanonicalDump is toPythonStyleJson(canonicalDump) (fast path agrees with the value form)', () => {
    const ks = new Keyspace();
    const z = new ZSet();
    z.set('m', 2);
    ks.db(0).dict.set('\u00ff\u00fe', { type: 'string', value: 'x' });
    ks.db(0).dict.set('caf\u00c3\u00a9', { type: 'string', value: '\u00e2\u0082\u00ac' });
    ks.db(0).dict.set('z', { type: 'zset', value: z });
    ks.db(2).dict.set('gone', { type: 'string', value: 'v' });
    ks.db(2).expires.set('gone', 10);
    ks.db(5).dict.set('l', { type: 'list', value: List.from(['\u0000']) });
    ks.db(5).expires.set('l', 99);
    for (const at of [undefined, 10, 99]) {
      expect(formatCanonicalDump(ks, at)).toBe(toPythonStyleJson(canonicalDump(ks, at)) + '\n');
    }
    expect(JSON.parse(formatCanonicalDump(ks, 10)).dbs['0'][0]).toEqual({ key: 'café', type: 'string', value: '€' });
  });

  it('writes lists, sets, hashes and zsets like the value form (order, escapes, base64, infinite and fractional scores)', () => {
    const ks = new Keyspace();
    const odd = ['', 'a"b', 'back\\slash', '\u0000\u001f', 'caf\u00c3\u00a9', '\u00ff\u00fe', 'B', 'a', 'ab'];
    const z = new ZSet();
    odd.forEach((m, i) => z.set(m, [Infinity, -Infinity, 0.5, -2, 1e21, 3, 3, 1 / 3, 0][i]));
    const h = new Map<string, string>();
    odd.forEach((f, i) => h.set(f, odd[(i + 3) % odd.length]));
    ks.db(0).dict.set('l', { type: 'list', value: List.from(odd) });
    ks.db(0).dict.set('s', { type: 'set', value: new Set(odd) });
    ks.db(0).dict.set('h', { type: 'hash', value: h });
    ks.db(0).dict.set('z', { type: 'zset', value: z });
    ks.db(1).dict.set('empty-list', { type: 'list', value: List.from([]) });
    ks.db(1).dict.set('one', { type: 'set', value: new Set(['x']) });
    expect(formatCanonicalDump(ks)).toBe(toPythonStyleJson(canonicalDump(ks)) + '\n');
  });
});
