import { describe, expect, it } from 'vitest';
import { ByteBuf } from './byte-buf.ts';

const str = (b: ByteBuf): string => Buffer.from(b.view()).toString('latin1');

describe('ByteBuf', () => {
  it('grows with zeros and zeroes what a truncate cuts', () => {
    const b = new ByteBuf();
    b.write(2, Buffer.from('ab'));
    expect(str(b)).toBe('\0\0ab');
    b.truncate(3);
    b.truncate(5);
    expect(str(b)).toBe('\0\0a\0\0');
    b.extend(2);
    expect(b.size).toBe(5);
    b.write(0, Buffer.from('xyz'), 1, 3);
    expect(str(b)).toBe('yza\0\0');
    expect(Buffer.from(b.read(1, 100)).toString('latin1')).toBe('za\0\0');
  });

  it('clones copy-on-write: mutating either side never shows in the other', () => {
    const a = ByteBuf.from(Buffer.from('hello'));
    const b = a.clone();
    const c = b.clone();
    b.write(0, Buffer.from('J'));
    a.truncate(2);
    c.write(5, Buffer.from('!'));
    expect([str(a), str(b), str(c)]).toEqual(['he', 'Jello', 'hello!']);
    a.truncate(5);
    expect(str(a)).toBe('he\0\0\0');
    const empty = new ByteBuf();
    const e2 = new ByteBuf();
    empty.write(0, Buffer.from('q'));
    expect(e2.size).toBe(0);
    expect(e2.view().length).toBe(0);
  });
});
