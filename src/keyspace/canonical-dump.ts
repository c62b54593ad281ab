// The canonical dump of a keyspace (docs/formats.md): the logical state as JSON, independent of
// encodings, dict order and file layout, so two implementations can be compared byte for byte.
//
//   {"atMs"?: T, "dbs": {"<n>": [entry, ...]}}   dbs with keys only, entries sorted by key bytes
//   entry = {"key": K, "type": T, "value": V, "expireAtMs"?: N}
//   string: a JSON string when the bytes are valid UTF-8, else {"b64": "..."} (HyperLogLog too)
//   list: in order; set: sorted by bytes; hash: [[field, value], ...] sorted by field;
//   zset: [[member, score], ...] by score then member, score a number or "inf" / "-inf";
//   stream: {"entries": [[id, [f, v, ...]], ...], "lastId", "entriesAdded", "maxDeletedId",
//            "groups": [{"name", "lastId", "entriesRead",
//                        "consumers": [{"name", "pending": [id, ...]}], "pel": [[id, consumer, count]]}]}
//     (groups and consumers sorted by name bytes; delivery and seen times are wall-clock: left out).
// With `atMs`, keys whose expire time is <= atMs are left out and "atMs" comes first.
//
// Invariants: the output depends only on the logical state (and atMs); serialisation uses Python's
// json.dumps spacing (", " and ": ") so dumps diff cleanly against the fixtures' expected.json.

import type { Keyspace } from './keyspace.ts';
import type { Bytes, StreamId, StreamValue, Value } from './types.ts';
import { byteOrder } from './byte-order.ts';

export type DumpString = string | { b64: string };
export type DumpValue =
  | DumpString
  | DumpString[]
  | [DumpString, DumpString][]
  | [DumpString, number | 'inf' | '-inf'][]
  | DumpStream;

export interface DumpStream {
  entries: [string, DumpString[]][];
  lastId: string;
  entriesAdded: number;
  maxDeletedId: string;
  groups: {
    name: DumpString;
    lastId: string;
    entriesRead: number;
    consumers: { name: DumpString; pending: string[] }[];
    pel: [string, DumpString, number][];
  }[];
}

export interface DumpEntry {
  key: DumpString;
  type: Value['type'];
  value: DumpValue;
  expireAtMs?: number;
}

export interface CanonicalDump {
  atMs?: number;
  dbs: Record<string, DumpEntry[]>;
  /** Redis 7.0 function libraries by name; absent when there are none. */
  functions?: { library: DumpString; code: DumpString }[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A byte string as a JSON string when it is valid UTF-8, else {"b64": ...}. */
export function dumpString(s: Bytes): DumpString {
  // Fast path: pure ASCII is valid UTF-8 and equal to its latin1 form.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  const bytes = Buffer.from(s, 'latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    return { b64: bytes.toString('base64') };
  }
}

const byBytes = (a: Bytes, b: Bytes): number => (a < b ? -1 : a > b ? 1 : 0);

function streamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

function dumpStream(s: StreamValue): DumpStream {
  const groups = [...s.groups.values()].sort((a, b) => byBytes(a.name, b.name));
  return {
    entries: s.entries.map((e) => [streamId(e.id), e.fields.map(dumpString)]),
    lastId: streamId(s.lastId),
    entriesAdded: s.entriesAdded,
    maxDeletedId: streamId(s.maxDeletedId),
    groups: groups.map((g) => {
      const pel = [...g.pel].sort((a, b) => cmpId(a.id, b.id));
      const consumers = [...g.consumers.values()].sort((a, b) => byBytes(a.name, b.name));
      return {
        name: dumpString(g.name),
        lastId: streamId(g.lastId),
        entriesRead: g.entriesRead,
        consumers: consumers.map((c) => ({
          name: dumpString(c.name),
          pending: pel.filter((p) => p.consumer === c.name).map((p) => streamId(p.id)),
        })),
        pel: pel.map((p) => [streamId(p.id), dumpString(p.consumer), p.deliveryCount] as [string, DumpString, number]),
      };
    }),
  };
}

function cmpId(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

function score(x: number): number | 'inf' | '-inf' {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}

function dumpValue(v: Value): DumpValue {
  switch (v.type) {
    case 'string':
      return dumpString(v.value);
    case 'list':
      return v.value.toArray().map(dumpString);
    case 'set':
      return [...v.value].sort(byBytes).map(dumpString);
    case 'hash':
      return [...v.value]
        .sort((a, b) => byBytes(a[0], b[0]))
        .map(([f, x]) => [dumpString(f), dumpString(x)] as [DumpString, DumpString]);
    case 'zset':
      // ZSet iterates by (score, member bytes), the canonical order.
      return v.value.entries().map((e) => [dumpString(e.member), score(e.score)] as [DumpString, number | 'inf' | '-inf']);
    case 'stream':
      return dumpStream(v.value);
  }
}

/** The canonical dump as a value. */
export function canonicalDump(ks: Keyspace, atMs?: number): CanonicalDump {
  const dbs: Record<string, DumpEntry[]> = {};
  ks.dbs.forEach((db, i) => {
    const entries: DumpEntry[] = [];
    const keys = [...db.dict.keys()].sort(); // UTF-16 order == byte order for byte strings
    for (const key of keys) {
      const exp = db.expires.get(key);
      if (atMs !== undefined && exp !== undefined && exp <= atMs) continue;
      const v = db.dict.get(key) as Value;
      const e: DumpEntry = { key: dumpString(key), type: v.type, value: dumpValue(v) };
      if (exp !== undefined) e.expireAtMs = exp;
      entries.push(e);
    }
    if (entries.length > 0) dbs[String(i)] = entries;
  });
  const out: CanonicalDump = atMs === undefined ? { dbs } : { atMs, dbs };
  if (ks.functions.size > 0) {
    out.functions = [...ks.functions.keys()].sort().map((n) => ({ library: dumpString(n), code: dumpString(ks.functions.get(n) as Bytes) }));
  }
  return out;
}

/** JSON with Python json.dumps spacing (", " and ": "), as the fixtures' expected.json files are written. */
export function toPythonStyleJson(v: unknown): string {
  if (typeof v === 'string') {
    const j = JSON.stringify(v);
    return NON_ASCII.test(j) ? j.replace(NON_ASCII_G, asciiEscape) : j;
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(toPythonStyleJson).join(', ') + ']';
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    parts.push(JSON.stringify(k) + ': ' + toPythonStyleJson(x));
  }
  return '{' + parts.join(', ') + '}';
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_G = /[\u0080-\uffff]/g;

/** json.dumps(ensure_ascii=True) writes every non-ASCII code unit as \\uXXXX. */
function asciiEscape(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * The canonical dump as text (one line, newline-terminated); same text as
 * toPythonStyleJson(canonicalDump(ks, atMs)), built without the intermediate objects for strings,
 * the common case when dumping millions of keys.
 */
export function formatCanonicalDump(ks: Keyspace, atMs?: number): string {
  const parts: string[] = [];
  writeCanonicalDump(ks, atMs, (chunk) => parts.push(chunk));
  return parts.join('');
}

/** Characters gathered before writeCanonicalDump hands a chunk to its sink. */
const DUMP_CHUNK_CHARS = 1 << 16;

/**
 * Streams the text of formatCanonicalDump to `write` in chunks of about DUMP_CHUNK_CHARS
 * characters (latin1-safe: the text is ASCII), so a dump of millions of keys never holds its whole
 * text, nor one small string per key, in memory. The keys of one db are sorted up front (arrays of
 * references to the dict's keys and values, and an index array in key order).
 */
export function writeCanonicalDump(ks: Keyspace, atMs: number | undefined, write: (chunk: string) => void): void {
  let out = atMs !== undefined ? '{"atMs": ' + JSON.stringify(atMs) + ', "dbs": {' : '{"dbs": {';
  let firstDb = true;
  ks.dbs.forEach((db, i) => {
    if (db.dict.size === 0) return;
    // Keys and values in dict order (one sequential pass), then an index array sorted by key
    // (byte-order.ts: one native sort of 64-bit words, no comparator callbacks): looking each value
    // up again in key order would be a random access per key (cache misses on millions of entries).
    const n = db.dict.size;
    const keys = new Array<Bytes>(n);
    const values = new Array<Value>(n);
    let j = 0;
    for (const [k, v] of db.dict) {
      keys[j] = k;
      values[j] = v;
      j++;
    }
    const order = byteOrder(keys);
    const expires = db.expires.size > 0 ? db.expires : null;
    let first = true;
    for (let k = 0; k < n; k++) {
      const key = keys[order[k]];
      const exp = expires === null ? undefined : expires.get(key);
      if (atMs !== undefined && exp !== undefined && exp <= atMs) continue;
      if (first) {
        out += (firstDb ? '' : ', ') + JSON.stringify(String(i)) + ': [';
        firstDb = false;
        first = false;
      } else out += ', ';
      const v = values[order[k]];
      const value = v.type === 'string' ? jsonString(v.value) : valueJson(v);
      out += '{"key": ' + jsonString(key) + ', "type": "' + v.type + '", "value": ' + value;
      out += exp === undefined ? '}' : ', "expireAtMs": ' + JSON.stringify(exp) + '}';
      if (out.length >= DUMP_CHUNK_CHARS) {
        write(out);
        out = '';
      }
    }
    if (!first) out += ']';
  });
  out += '}';
  if (ks.functions.size > 0) {
    // Redis 7.0 function libraries (a dump without them has no "functions" member).
    const names = [...ks.functions.keys()].sort();
    out += ', "functions": [' + names.map((n) => `{"library": ${jsonString(n)}, "code": ${jsonString(ks.functions.get(n) as Bytes)}}`).join(', ') + ']';
  }
  write(out + '}\n');
}

/**
 * toPythonStyleJson(dumpValue(v)) for the collection types, written straight from the value: no
 * DumpValue arrays and pairs per element (a mixed data set's dump spent most of its output time
 * building and joining them). Streams keep the value form (rare, and nested).
 */
function valueJson(v: Value): string {
  let out = '[';
  switch (v.type) {
    case 'list': {
      const l = v.value;
      for (let i = 0; i < l.length; i++) out += (i === 0 ? '' : ', ') + jsonString(l.get(i) as Bytes);
      break;
    }
    case 'set': {
      // Default sort: UTF-16 code unit order, which is byte order for byte strings.
      const members = [...v.value].sort();
      for (let i = 0; i < members.length; i++) out += (i === 0 ? '' : ', ') + jsonString(members[i]);
      break;
    }
    case 'hash': {
      const h = v.value;
      const fields = [...h.keys()].sort();
      for (let i = 0; i < fields.length; i++) {
        out += (i === 0 ? '[' : ', [') + jsonString(fields[i]) + ', ' + jsonString(h.get(fields[i]) as Bytes) + ']';
      }
      break;
    }
    case 'zset': {
      const entries = v.value.entries();
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        out += (i === 0 ? '[' : ', [') + jsonString(e.member) + ', ' + JSON.stringify(score(e.score)) + ']';
      }
      break;
    }
    default:
      return toPythonStyleJson(dumpValue(v));
  }
  return out + ']';
}

/** A byte string as Python json.dumps writes dumpString(s). */
function jsonString(s: Bytes): string {
  // Fast path: printable ASCII without '"' or '\\' is written as is.
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  return plain ? '"' + s + '"' : toPythonStyleJson(dumpString(s));
}
