// Test support: the canonical dump of docs/formats.md, the form the fixtures' expected.json
// files use, so tests can compare a decoded RDB with them. Streams are reduced to their entries
// ([["ms-seq", [f, v, ...]], ...]), which is what the fixtures record today.
// Used only by tests; the project's real dump lives in src/keyspace (H1) once it lands.

import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Bytes, Value } from '../../src/keyspace/types.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function bytesJson(s: Bytes): JsonValue {
  const b = Buffer.from(s, 'latin1');
  try {
    return utf8.decode(b);
  } catch {
    return { b64: b.toString('base64') };
  }
}

function byBytes(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function scoreJson(x: number): JsonValue {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}

function valueJson(v: Value): JsonValue {
  switch (v.type) {
    case 'string':
      return bytesJson(v.value);
    case 'list':
      return v.value.toArray().map(bytesJson);
    case 'set':
      return [...v.value].sort(byBytes).map(bytesJson);
    case 'zset':
      return v.value.entries().map((e) => [bytesJson(e.member), scoreJson(e.score)]);
    case 'hash':
      return [...v.value].sort((a, b) => byBytes(a[0], b[0])).map(([f, x]) => [bytesJson(f), bytesJson(x)]);
    case 'stream':
      return { entries: v.value.entries.map((e) => [`${e.id.ms}-${e.id.seq}`, e.fields.map(bytesJson)]) };
  }
}

/** The canonical dump; with atMs, keys whose expire time is <= atMs are left out. */
export function expectedDump(ks: Keyspace, atMs?: number): { [k: string]: JsonValue } {
  const dbs: { [k: string]: JsonValue } = {};
  ks.dbs.forEach((db, i) => {
    const entries: JsonValue[] = [];
    for (const key of [...db.dict.keys()].sort(byBytes)) {
      const exp = db.expires.get(key);
      if (atMs !== undefined && exp !== undefined && exp <= atMs) continue;
      const e: { [k: string]: JsonValue } = { key: bytesJson(key), type: db.dict.get(key)!.type, value: valueJson(db.dict.get(key)!) };
      if (exp !== undefined) e.expireAtMs = exp;
      entries.push(e);
    }
    if (entries.length > 0) dbs[String(i)] = entries;
  });
  return atMs !== undefined ? { atMs, dbs } : { dbs };
}
