// A truncated or corrupted RDB is always an AofError (docs/redis-behaviour.md#base-format, bug 9: fatal, never a truncated-tail
// case), never another exception: truncation at every offset of a real base gives Redis's
// "Short read or OOM ..." reason; a bad checksum gives Redis's "Wrong RDB checksum" wording;
// single-byte corruption anywhere gives AOF_RDB_CORRUPT or AOF_RDB_UNSUPPORTED (or, where the
// byte is not covered by any structure check, a wrong checksum).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { checkRdb } from './check-rdb.ts';
import { loadRdbInto } from './load-rdb.ts';
import { SHORT_READ_REASON } from './rdb-constants.ts';

const BASE = join(import.meta.dirname, '../../fixtures/redis-7.0.15/preamble-yes/3-after-bgrewriteaof/appendonly.aof.2.base.rdb');

function loadError(data: Uint8Array): unknown {
  try {
    loadRdbInto(new Keyspace(), data, { file: 'base.rdb' });
    return null;
  } catch (e) {
    return e;
  }
}

describe('RDB corruption', () => {
  const data = readFileSync(BASE);

  it('truncation at every offset is AOF_RDB_CORRUPT with the short-read reason', () => {
    const bad: string[] = [];
    for (let n = 0; n < data.length; n++) {
      const e = loadError(data.subarray(0, n));
      if (!isAofError(e) || e.code !== 'AOF_RDB_CORRUPT' || e.reason !== SHORT_READ_REASON) {
        bad.push(`${n}: ${String(e)}`);
        if (bad.length > 5) break;
      }
    }
    expect(bad).toEqual([]);
    expect(loadError(data)).toBeNull();
  });

  it('a truncation reports file, hex offset, expected and found', () => {
    const e = loadError(data.subarray(0, 200));
    expect(isAofError(e)).toBe(true);
    if (!isAofError(e)) return;
    expect(e.message).toMatch(/^AOF_RDB_CORRUPT: base\.rdb@0x[0-9a-f]{8}: Short read or OOM loading DB\. Unrecoverable error, aborting now\.: expected \d+ more byte\(s\), got \d+ byte\(s\) before end of data$/);
  });

  it('checkRdb reports truncation as redis-check-rdb does, without throwing', () => {
    // redis-check-rdb 7.0.15 on the first 2000 bytes of this base printed exactly these lines
    // (with "5 already expired" at its wall-clock time; here nowMs picks the same cut).
    const r = checkRdb(data.subarray(0, 2000), { file: 'base.rdb', nowMs: 1795553162955 });
    expect(r.ok).toBe(false);
    expect(r.lines.slice(-9)).toEqual([
      '[offset 82] Selecting DB ID 0',
      '--- RDB ERROR DETECTED ---',
      '[offset 1572] Unexpected EOF reading RDB file',
      '[additional info] While doing: read-object-value',
      "[additional info] Reading key 'bighash'",
      '[additional info] Reading type 16 (hash-listpack)',
      '[info] 26 keys read',
      '[info] 7 expires',
      '[info] 5 already expired',
    ]);
  });

  it('a wrong checksum is detected with Redis wording', () => {
    const copy = Buffer.from(data);
    copy[copy.length - 1] ^= 0x01;
    const e = loadError(copy);
    expect(isAofError(e) && e.code).toBe('AOF_RDB_CORRUPT');
    expect(isAofError(e) && e.reason).toMatch(/^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/);
    expect(isAofError(e) && e.details.offset).toBe(data.length - 8);
  });

  it('a flipped bit inside a string value is caught by the checksum', () => {
    const copy = Buffer.from(data);
    const at = copy.indexOf('lastvalue') >= 0 ? copy.indexOf('lastvalue') : copy.indexOf('redis-ver') + 12;
    copy[at] ^= 0x20;
    const e = loadError(copy);
    expect(isAofError(e) && e.reason.startsWith('Wrong RDB checksum')).toBe(true);
  });

  it('a zero checksum means "saved with checksum disabled" and is not verified', () => {
    const copy = Buffer.from(data);
    copy.fill(0, copy.length - 8);
    expect(loadError(copy)).toBeNull();
    const r = checkRdb(copy, { file: 'x' });
    expect(r.lines).toContain(`[offset ${copy.length}] RDB file was saved with checksum disabled: no check performed.`);
  });

  it('a corrupted byte (every 3rd offset) gives an AofError or loads (never another exception)', () => {
    const bad: string[] = [];
    for (let i = 0; i < data.length; i += 3) {
      for (const x of [0xff]) {
        const copy = Buffer.from(data);
        copy[i] ^= x;
        const e = loadError(copy);
        if (e !== null && !isAofError(e)) bad.push(`${i}^${x}: ${String(e)}`);
        // Only the version's last digit can change without failing: "001?" reads as version 1
        // (atoi, as Redis does), which has no checksum.
        if (e === null && i !== 8) bad.push(`${i}^${x}: loaded despite corruption`);
      }
      if (bad.length > 5) break;
    }
    expect(bad).toEqual([]);
  });

  it('the header is checked: signature and version', () => {
    const sig = Buffer.from(data);
    sig[0] = 0x72;
    expect(isAofError(loadError(sig)) && (loadError(sig) as Error).message).toMatch(/Wrong signature trying to load DB from file/);
    const ver = Buffer.from(data);
    ver.write('0011', 5, 'latin1');
    const e = loadError(ver);
    expect(isAofError(e) && e.code).toBe('AOF_RDB_UNSUPPORTED');
    expect(isAofError(e) && e.reason).toBe("Can't handle RDB format version 11");
  });
});
