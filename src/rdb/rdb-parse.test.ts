// The RDB walk's edge cases, each with Redis's outcome: functions and modules are refused clearly
// (AOF_RDB_UNSUPPORTED), a db index beyond the configured count, duplicated keys, duplicated set
// members, NaN scores and unknown types are AOF_RDB_CORRUPT with Redis's wording, and empty
// collections are skipped (Redis: "rdbLoadObject skipping empty key").

import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { loadRdbInto } from './load-rdb.ts';
import { moduleTypeNameById } from './rdb-parse.ts';
import { LegacyRdb } from '../../testing/rdb/legacy-rdb.ts';

function build(write: (r: LegacyRdb) => void): Uint8Array {
  const r = new LegacyRdb(10);
  write(r);
  return r.finish();
}

function failure(bytes: Uint8Array): { code: string; reason: string; offset: number | undefined } {
  try {
    loadRdbInto(new Keyspace(), bytes, { file: 't.rdb' });
  } catch (e) {
    if (!isAofError(e)) throw e;
    return { code: e.code, reason: e.reason, offset: e.details.offset };
  }
  throw new Error('expected a failure');
}

describe('RDB walk edge cases', () => {
  it('function libraries (RDB_OPCODE_FUNCTION2) load into Keyspace.functions; the pre-GA opcode is refused clearly', () => {
    const code = "#!lua name=lib1\nredis.register_function('f', function() return 1 end)";
    const ks = new Keyspace();
    loadRdbInto(ks, build((r) => { r.w.u8(245); r.w.string(code); }), { file: 'x.rdb' });
    expect([...ks.functions]).toEqual([['lib1', code]]);
    const twice = failure(build((r) => { r.w.u8(245); r.w.string(code); r.w.u8(245); r.w.string(code); }));
    expect(twice).toMatchObject({ code: 'AOF_RDB_CORRUPT', reason: 'Failed loading library' });
    const noMeta = failure(build((r) => { r.w.u8(245); r.w.string('return 1'); }));
    expect(noMeta).toMatchObject({ code: 'AOF_RDB_CORRUPT', reason: 'Failed loading library', offset: 9 });
    const f = failure(build((r) => r.w.u8(246)));
    expect(f).toEqual({ code: 'AOF_RDB_UNSUPPORTED', reason: 'Pre-GA function format (RDB_OPCODE_FUNCTION) is not supported by aofsim', offset: 9 });
  });

  it('module AUX data names the module, as Redis does', () => {
    // id = name chars (6 bits each, 9 of them) << 10 | encoding version
    const cset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let id = 0n;
    for (const ch of 'ReJSON-RL') id = (id << 6n) | BigInt(cset.indexOf(ch));
    id = (id << 10n) | 3n;
    expect(moduleTypeNameById(id)).toBe('ReJSON-RL');
    const f = failure(build((r) => {
      r.w.u8(247);
      r.w.len(id);
    }));
    expect(f.code).toBe('AOF_RDB_UNSUPPORTED');
    expect(f.reason).toBe("The RDB file contains AUX module data I can't load: no matching module 'ReJSON-RL'");
  });

  it('module values are refused clearly', () => {
    const f = failure(build((r) => {
      r.w.u8(7);
      r.w.string('k');
      r.w.len(123n);
    }));
    expect(f.code).toBe('AOF_RDB_UNSUPPORTED');
  });

  it('SELECTDB beyond the configured databases is fatal', () => {
    const f = failure(build((r) => {
      r.w.u8(254);
      r.w.len(16);
    }));
    expect(f.code).toBe('AOF_RDB_CORRUPT');
    expect(f.reason).toBe('FATAL: Data file was created with a Redis server configured to handle more than 16 databases. Exiting');
  });

  it('a duplicated key is fatal', () => {
    const f = failure(build((r) => {
      for (let i = 0; i < 2; i++) {
        r.w.u8(0);
        r.w.string('k');
        r.w.string('v');
      }
    }));
    expect(f).toEqual({ code: 'AOF_RDB_CORRUPT', reason: 'Duplicated key found in RDB file', offset: 9 + 5 });
  });

  it('duplicated set members and NaN scores are corrupt', () => {
    expect(failure(build((r) => {
      r.w.u8(2);
      r.w.string('s');
      r.w.len(2);
      r.w.string('m');
      r.w.string('m');
    })).reason).toBe('Duplicate set members detected');
    expect(failure(build((r) => {
      r.w.u8(5);
      r.w.string('z');
      r.w.len(1);
      r.w.string('m');
      r.w.f64le(NaN);
    })).reason).toBe('Zset with NAN score detected');
  });

  it('an unknown type byte is corrupt', () => {
    const f = failure(build((r) => r.w.u8(8)));
    expect(f).toEqual({ code: 'AOF_RDB_CORRUPT', reason: 'Unknown RDB encoding type 8', offset: 9 });
  });

  it('empty collections are skipped, with their expire', () => {
    const bytes = build((r) => {
      r.w.u8(252);
      r.w.millis(4102444800000);
      r.w.u8(1);
      r.w.string('empty');
      r.w.len(0);
      r.w.u8(0);
      r.w.string('k');
      r.w.string('v');
    });
    const ks = new Keyspace();
    loadRdbInto(ks, bytes, { file: 't.rdb' });
    expect([...ks.db(0).dict.keys()]).toEqual(['k']);
    expect(ks.db(0).expires.size).toBe(0);
  });
});
