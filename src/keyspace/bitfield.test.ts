// BITFIELD arithmetic (redis 7.0.15 checkSignedBitfieldOverflow / checkUnsignedBitfieldOverflow)
// and MSB-first bit addressing.

import { describe, expect, it } from 'vitest';
import { addWithOverflow, getField, setBits } from './bitfield.ts';

describe('bitfield', () => {
  it('reads and writes fields MSB first across byte boundaries', () => {
    const b = new Uint8Array(3);
    setBits(b, 4, 12, 0xabcn);
    expect([...b]).toEqual([0x0a, 0xbc, 0x00]);
    expect(getField(b, 4, 12, false)).toBe(0xabcn);
    expect(getField(b, 4, 4, true)).toBe(-6n);
    expect(getField(b, 20, 8, false)).toBe(0n);
  });

  it('wraps, saturates or reports overflow', () => {
    expect(addWithOverflow(250n, 10n, 8, false, 'wrap')).toEqual({ value: 4n, overflow: true });
    expect(addWithOverflow(250n, 10n, 8, false, 'sat')).toEqual({ value: 255n, overflow: true });
    expect(addWithOverflow(5n, -10n, 8, false, 'sat')).toEqual({ value: 0n, overflow: true });
    expect(addWithOverflow(100n, 100n, 8, true, 'wrap')).toEqual({ value: -56n, overflow: true });
    expect(addWithOverflow(-100n, -100n, 8, true, 'sat')).toEqual({ value: -128n, overflow: true });
    expect(addWithOverflow(9223372036854775807n, 1n, 64, true, 'wrap')).toEqual({ value: -9223372036854775808n, overflow: true });
    expect(addWithOverflow(3n, 4n, 4, true, 'fail')).toEqual({ value: 7n, overflow: false });
  });
});
