// HyperLogLog bytes against values recorded from redis-server 7.0.15 (the fixture's `hll` key and a
// 100-element sparse HLL after PFCOUNT cached its cardinality), promotion to dense, the estimator.

import { describe, expect, it } from 'vitest';
import { rig } from '../../testing/commands/rig.ts';
import { HLL_DENSE_SIZE, createHll, hllAdd, hllCountRegisters, hllRegisters, isHll } from './hll.ts';

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

function add(elements: string[]): string {
  let s = createHll();
  for (const e of elements) {
    const r = hllAdd(s, e);
    if (r.changed === -1) throw new Error('corrupt');
    s = r.value;
  }
  return s;
}

describe('hll', () => {
  it('an empty HLL is the sparse header plus one XZERO of 16384 registers', () => {
    const s = createHll();
    expect(isHll(s)).toBe(true);
    expect(b64(s)).toBe(Buffer.from('HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff', 'latin1').toString('base64'));
    expect(hllCountRegisters(hllRegisters(s) as Uint8Array)).toBe(0);
  });

  it('PFADD hll x y z gives the bytes of the redis 7.0.15 fixture', () => {
    const r = rig();
    r.run('PFADD hll x y z');
    expect(b64(r.run('GET hll')[0] as string)).toBe('SFlMTAEAAAAAAAAAAAAAgGGEgFjNiEWghAg=');
  });

  it('100 elements then PFCOUNT: sparse bytes and the cached cardinality as redis 7.0.15 wrote them', () => {
    const r = rig();
    r.run(['PFADD', 'mid', ...Array.from({ length: 100 }, (_, i) => 'e' + i)]);
    expect(r.run('PFCOUNT mid')).toEqual([100]);
    const got = r.run('GET mid')[0] as string;
    expect(got.length).toBe(285);
    expect(b64(got)).toBe(
      'SFlMTAEAAABkAAAAAAAAADaEPIBAqaQOiECQhEBsnASIQOKAQTWIQNOAQR2IQImAQRaMQZCACYBA4IBAlIBBV4RAooBAg4RAXYRA4YRBmYRAgYA8hEBHhAeAQE6AQI+ECYRAUYQmhEElhEDTgEJjgECigEBLjEBvgEILjEF5gEFHgEFjgEBmhED5jAGEIYgRgEGChEBigDCIQHmEIoBA3oRA04hARYAKiEIAkBGEQMGEAYBBE4RAhIwWhCKAQKiEQOGAQiqEQQOEFoBBF4RBZYxBToAmgAWAQFmAQOyILohBPIgDgEBbhBuAP4BAm4AhhEEuiECPkEB+gECEgEFfgDOEQHmEQZOEQFiQLoBAaoQNgDmAE4BAmogogECM',
    );
  });

  it('promotes to dense past hll-sparse-max-bytes (2000 elements: 12304 bytes, count 2000 as redis says)', () => {
    const s = add(Array.from({ length: 2000 }, (_, i) => 'e' + i));
    expect(s.length).toBe(HLL_DENSE_SIZE);
    expect(s.charCodeAt(4)).toBe(0);
    expect(hllCountRegisters(hllRegisters(s) as Uint8Array)).toBe(2000);
  });

  it('rejects strings that are not HLLs', () => {
    expect(isHll('HYLL')).toBe(false);
    expect(isHll('HYLL\x00' + '\x00'.repeat(11))).toBe(false);
    expect(isHll('abcdefghijklmnopq')).toBe(false);
  });
});
